/**
 * Python values as `str.format` sees them. JavaScript numbers cannot tell
 * `1` from `1.0`, and JavaScript objects reorder integer-like keys, so every
 * value keeps its Python type and a dict keeps its keys in insertion order.
 */

export type PyValue =
  | { readonly type: 'str'; readonly value: string }
  | { readonly type: 'int'; readonly value: bigint }
  | { readonly type: 'float'; readonly value: number }
  | { readonly type: 'bool'; readonly value: boolean }
  | { readonly type: 'NoneType' }
  | { readonly type: 'list'; readonly items: readonly PyValue[] }
  | { readonly type: 'tuple'; readonly items: readonly PyValue[] }
  | { readonly type: 'dict'; readonly entries: readonly (readonly [PyValue, PyValue])[] };

/** The Python type name, as error messages print it (`NoneType`, `bool`). */
export type PyTypeName = PyValue['type'];

export const PY_NONE: PyValue = { type: 'NoneType' };

export function pyStr(value: string): PyValue {
  return { type: 'str', value };
}

export function pyInt(value: bigint | number): PyValue {
  return { type: 'int', value: BigInt(value) };
}

export function pyFloat(value: number): PyValue {
  return { type: 'float', value };
}

export function pyBool(value: boolean): PyValue {
  return { type: 'bool', value };
}

export function pyList(items: PyValue[]): PyValue {
  return { type: 'list', items };
}

/**
 * Builds a dict the way a Python dict display does: a repeated key keeps its
 * first position and takes the last value. Throws TypeError text for a key
 * Python cannot hash (a list or dict).
 */
export function pyDict(entries: Iterable<readonly [PyValue, PyValue]>): PyValue {
  const kept: [PyValue, PyValue][] = [];
  for (const [key, value] of entries) {
    if (!isHashable(key)) throw new TypeError(`unhashable type: '${key.type}'`);
    const existing = kept.find(([k]) => pyKeysEqual(k, key));
    if (existing) existing[1] = value;
    else kept.push([key, value]);
  }

  return { type: 'dict', entries: kept };
}

function isHashable(value: PyValue): boolean {
  if (value.type === 'list' || value.type === 'dict') return false;
  if (value.type === 'tuple') return value.items.every(isHashable);

  return true;
}

/**
 * Compares two dict keys as Python does: `1`, `1.0` and `True` are the same
 * key, strings compare by code points, tuples item by item.
 */
export function pyKeysEqual(a: PyValue, b: PyValue): boolean {
  const na = numericValue(a);
  const nb = numericValue(b);
  if (na !== undefined || nb !== undefined) {
    if (na === undefined || nb === undefined) return false;
    return numbersEqual(na, nb);
  }
  if (a.type === 'str' && b.type === 'str') return a.value === b.value;
  if (a.type === 'NoneType' && b.type === 'NoneType') return true;
  if (a.type === 'tuple' && b.type === 'tuple') {
    return a.items.length === b.items.length && a.items.every((item, i) => pyKeysEqual(item, b.items[i]));
  }

  return false;
}

function numericValue(value: PyValue): bigint | number | undefined {
  if (value.type === 'int') return value.value;
  if (value.type === 'float') return value.value;
  if (value.type === 'bool') return value.value ? 1n : 0n;

  return undefined;
}

function numbersEqual(a: bigint | number, b: bigint | number): boolean {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a === b;
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  const float = (typeof a === 'number' ? a : b) as number;
  const int = (typeof a === 'bigint' ? a : b) as bigint;
  // Exact comparison: a float equals an int only when it is integral and its exact value is that int.

  return Number.isInteger(float) && BigInt(float) === int;
}

/** Looks a key up in a dict value; undefined when absent. */
export function pyDictGet(dict: Extract<PyValue, { type: 'dict' }>, key: PyValue): PyValue | undefined {
  return dict.entries.find(([k]) => pyKeysEqual(k, key))?.[1];
}

/**
 * Converts a parsed JavaScript value: strings, booleans, null, bigints,
 * arrays and plain objects map to str, bool, None, int, list and dict.
 * A number becomes an int when it is integral and a float otherwise, because
 * JavaScript keeps no trace of `1.0`. Use parseJsonValue on JSON text to keep
 * Python's int and float apart.
 */
export function pyFromJs(value: unknown): PyValue {
  if (typeof value === 'string') return pyStr(value);
  if (typeof value === 'boolean') return pyBool(value);
  if (value === null || value === undefined) return PY_NONE;
  if (typeof value === 'bigint') return pyInt(value);
  if (typeof value === 'number') {
    return Number.isInteger(value) && !Object.is(value, -0) ? pyInt(BigInt(value)) : pyFloat(value);
  }
  if (Array.isArray(value)) return pyList(value.map(pyFromJs));
  if (typeof value === 'object') {
    return pyDict(Object.entries(value as Record<string, unknown>).map(([k, v]) => [pyStr(k), pyFromJs(v)] as const));
  }

  throw new TypeError(`cannot convert a JavaScript ${typeof value} to a Python value`);
}
