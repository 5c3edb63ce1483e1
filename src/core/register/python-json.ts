/**
 * JSON text exactly as CPython's `json.dumps` writes it, so that a content
 * hash computed here equals the one FlowyML computes with
 * `sha256(json.dumps(data, sort_keys=True, default=str))`.
 *
 * Python distinguishes integers from floats, and JavaScript numbers do not. A value
 * model therefore marks floats whose value is integral with `PyFloat`
 * (Python's `1.0`), and keeps integers beyond 2^53 as bigint. A plain number
 * that is integral prints as an int, any other plain number as a float.
 */

/** A Python float whose value is integral (`1.0`, `1e+16`): it prints with a fraction or an exponent. */
export class PyFloat {
  constructor(readonly value: number) {}

  toJSON(): number {
    return this.value;
  }
}

/** A Python value as json.loads, yaml.safe_load or FlowyML's own code would build it. */
export type PyValue = null | boolean | string | number | bigint | PyFloat | PyValue[] | PyDict;

/** A dict keeps its keys in insertion order, like Python's. Keys are str, int, float, bool or None. */
export class PyDict {
  readonly entries: [PyKey, PyValue][] = [];

  set(key: PyKey, value: PyValue): void {
    const index = this.entries.findIndex(([k]) => sameKey(k, key));
    if (index >= 0) this.entries[index][1] = value;
    else this.entries.push([key, value]);
  }
}

export type PyKey = string | number | bigint | boolean | null | PyFloat;

/** Python dict key equality: `True`, `1` and `1.0` are one key, whichever was inserted first keeps its form. */
function sameKey(a: PyKey, b: PyKey): boolean {
  const x = numericKey(a);
  const y = numericKey(b);
  // Loose equality compares a bigint with a number by value.
  if (x !== undefined && y !== undefined) return x == y;
  return a === b;
}

function numericKey(key: PyKey): number | bigint | undefined {
  if (typeof key === 'boolean') return key ? 1 : 0;
  if (key instanceof PyFloat) return key.value;
  if (typeof key === 'number' || typeof key === 'bigint') return key;
  return undefined;
}

export class PythonJsonError extends Error {}

export interface DumpOptions {
  sortKeys?: boolean;
  /** Python's `ensure_ascii`, True by default: every character outside printable ASCII is escaped. */
  ensureAscii?: boolean;
}

/**
 * Serializes like `json.dumps(value, sort_keys=…)` with the default
 * separators `", "` and `": "`, `ensure_ascii=True` and `allow_nan=True`
 * (bare `NaN` and `Infinity`). Plain JavaScript objects and arrays are
 * accepted too, with their keys in insertion order.
 */
export function pythonJsonDumps(value: unknown, options: DumpOptions = {}): string {
  const parts: string[] = [];
  write(value, parts, { sortKeys: options.sortKeys ?? false, ensureAscii: options.ensureAscii ?? true }, 0);
  return parts.join('');
}

const MAX_DEPTH = 1000;

function write(value: unknown, out: string[], options: Required<DumpOptions>, depth: number): void {
  if (depth > MAX_DEPTH) throw new PythonJsonError('value is nested too deeply to serialize');
  if (value === null || value === undefined) {
    out.push('null');
  } else if (value === true) {
    out.push('true');
  } else if (value === false) {
    out.push('false');
  } else if (typeof value === 'string') {
    out.push(quoteString(value, options.ensureAscii));
  } else if (typeof value === 'bigint') {
    out.push(value.toString());
  } else if (typeof value === 'number') {
    out.push(Number.isInteger(value) ? intRepr(value) : floatRepr(value));
  } else if (value instanceof PyFloat) {
    out.push(floatRepr(value.value));
  } else if (Array.isArray(value)) {
    writeArray(value, out, options, depth);
  } else if (value instanceof PyDict) {
    writeEntries(value.entries, out, options, depth);
  } else if (value instanceof Date) {
    throw new PythonJsonError('a date value has no fixed JSON form; pass it as a string');
  } else if (typeof value === 'object') {
    writeEntries(Object.entries(value as Record<string, unknown>), out, options, depth);
  } else {
    throw new PythonJsonError(`a ${typeof value} value cannot be serialized as JSON`);
  }
}

function writeArray(items: unknown[], out: string[], options: Required<DumpOptions>, depth: number): void {
  out.push('[');
  items.forEach((item, index) => {
    if (index > 0) out.push(', ');
    write(item, out, options, depth + 1);
  });
  out.push(']');
}

function writeEntries(entries: [unknown, unknown][], out: string[], options: Required<DumpOptions>, depth: number): void {
  const ordered = options.sortKeys ? sortEntries(entries) : entries;
  out.push('{');
  ordered.forEach(([key, item], index) => {
    if (index > 0) out.push(', ');
    out.push(quoteString(keyText(key), options.ensureAscii), ': ');
    write(item, out, options, depth + 1);
  });
  out.push('}');
}

/** Converts a dict key to the string the json module writes for it. */
function keyText(key: unknown): string {
  if (typeof key === 'string') return key;
  if (key === true) return 'true';
  if (key === false) return 'false';
  if (key === null) return 'null';
  if (typeof key === 'bigint') return key.toString();
  if (typeof key === 'number') return Number.isInteger(key) ? intRepr(key) : floatRepr(key);
  if (key instanceof PyFloat) return floatRepr(key.value);
  throw new PythonJsonError('dict keys must be str, int, float, bool or None');
}

/**
 * Sorts like Python's `sorted(d.items())`: str keys by code point, numeric
 * keys (bool, int, float) by value. Python raises TypeError for a mix of str
 * and numbers or for None keys, and FlowyML then hashes `repr(data)`, which
 * is not reproduced here.
 */
function sortEntries(entries: [unknown, unknown][]): [unknown, unknown][] {
  if (entries.length < 2) return entries;
  const allStrings = entries.every(([k]) => typeof k === 'string');
  if (allStrings) return [...entries].sort(([a], [b]) => compareCodePoints(a as string, b as string));
  const allNumeric = entries.every(([k]) => typeof k === 'number' || typeof k === 'bigint' || typeof k === 'boolean' || k instanceof PyFloat);
  if (allNumeric) return [...entries].sort(([a], [b]) => compareNumericKeys(a, b));
  throw new PythonJsonError('dict keys of mixed types cannot be sorted the way Python sorts them; FlowyML would hash repr(data) instead');
}

function numericKeyValue(key: unknown): number | bigint {
  if (typeof key === 'boolean') return key ? 1 : 0;
  if (key instanceof PyFloat) return key.value;
  return key as number | bigint;
}

function compareNumericKeys(a: unknown, b: unknown): number {
  const x = numericKeyValue(a);
  const y = numericKeyValue(b);
  if (x < y) return -1;
  if (x > y) return 1;
  return 0;
}

/** Orders strings by Unicode code point, as Python compares str; JavaScript's `<` compares UTF-16 units. */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f',
};

/**
 * Quotes a string like the json module. With ensure_ascii every UTF-16 code
 * unit outside ' '..'~' is written as \uXXXX in lower-case hex, which is
 * also how Python writes characters beyond U+FFFF (as surrogate pairs) and
 * lone surrogates.
 */
function quoteString(text: string, ensureAscii: boolean): string {
  const pattern = ensureAscii ? /["\\]|[^ -~]/g : /["\\\u0000-\u001f]/g;
  return `"${text.replace(pattern, (c) => SHORT_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;
}

function intRepr(value: number): string {
  if (Number.isSafeInteger(value)) return Object.is(value, -0) ? '0' : String(value);
  // An integral double beyond 2^53 came from a Python float, because ints that large arrive as bigint.
  return floatRepr(value);
}

/**
 * Formats a float like Python's `float.__repr__`: the shortest digits that
 * round-trip (the same digits JavaScript picks), written in positional form
 * when the decimal exponent is between -5 and 15, and otherwise as
 * `d.ddde±XX` with at least two exponent digits.
 */
export function floatRepr(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';

  const sign = value < 0 ? '-' : '';
  const [mantissa, exponentText] = Math.abs(value).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exponent = Number(exponentText);

  if (exponent < -4 || exponent >= 16) {
    const head = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const expSign = exponent < 0 ? '-' : '+';
    return `${sign}${head}e${expSign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const intDigits = exponent + 1;
  if (digits.length <= intDigits) return `${sign}${digits}${'0'.repeat(intDigits - digits.length)}.0`;
  return `${sign}${digits.slice(0, intDigits)}.${digits.slice(intDigits)}`;
}

/**
 * Parses JSON text into the values Python's `json.loads` returns: `1` is an
 * int, `1.0` and `1e3` are floats, big integers stay exact, and the bare
 * tokens `NaN`, `Infinity` and `-Infinity` are accepted as Python accepts
 * them. Objects become PyDict so that duplicate keys keep Python's
 * last-wins value in first-seen position.
 */
export function parsePythonJson(text: string): PyValue {
  const parser = new JsonReader(text);
  const value = parser.value(0);
  parser.skipWhitespace();
  if (!parser.atEnd()) parser.fail('unexpected text after the JSON value');
  return value;
}

class JsonReader {
  private i = 0;

  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.i >= this.text.length;
  }

  fail(message: string): never {
    throw new PythonJsonError(`invalid JSON at character ${this.i}: ${message}`);
  }

  skipWhitespace(): void {
    while (this.i < this.text.length && ' \t\n\r'.includes(this.text[this.i])) this.i++;
  }

  value(depth: number): PyValue {
    if (depth > MAX_DEPTH) this.fail('nested too deeply');
    this.skipWhitespace();
    const c = this.text[this.i];
    if (c === '{') return this.object(depth);
    if (c === '[') return this.array(depth);
    if (c === '"') return this.string();
    if (this.take('true')) return true;
    if (this.take('false')) return false;
    if (this.take('null')) return null;
    if (this.take('NaN')) return new PyFloat(NaN);
    if (this.take('Infinity')) return new PyFloat(Infinity);
    if (this.take('-Infinity')) return new PyFloat(-Infinity);
    return this.number();
  }

  private take(word: string): boolean {
    if (!this.text.startsWith(word, this.i)) return false;
    this.i += word.length;
    return true;
  }

  private object(depth: number): PyDict {
    const dict = new PyDict();
    this.i++;
    this.skipWhitespace();
    if (this.text[this.i] === '}') {
      this.i++;
      return dict;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.i] !== '"') this.fail('expected a string key');
      const key = this.string();
      this.skipWhitespace();
      if (this.text[this.i] !== ':') this.fail('expected ":"');
      this.i++;
      dict.set(key, this.value(depth + 1));
      this.skipWhitespace();
      const c = this.text[this.i++];
      if (c === '}') return dict;
      if (c !== ',') this.fail('expected "," or "}"');
    }
  }

  private array(depth: number): PyValue[] {
    const items: PyValue[] = [];
    this.i++;
    this.skipWhitespace();
    if (this.text[this.i] === ']') {
      this.i++;
      return items;
    }
    for (;;) {
      items.push(this.value(depth + 1));
      this.skipWhitespace();
      const c = this.text[this.i++];
      if (c === ']') return items;
      if (c !== ',') this.fail('expected "," or "]"');
    }
  }

  private string(): string {
    const start = this.i;
    this.i++;
    for (;;) {
      if (this.i >= this.text.length) this.fail('unterminated string');
      const c = this.text.charCodeAt(this.i);
      if (c === 0x22) break;
      if (c === 0x5c) this.i++;
      else if (c < 0x20) this.fail('control character in a string');
      this.i++;
    }
    this.i++;
    return JSON.parse(this.text.slice(start, this.i)) as string;
  }

  private number(): number | bigint | PyFloat {
    const match = /^-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.text.slice(this.i, this.i + 400));
    if (!match) this.fail('expected a value');
    this.i += match[0].length;
    if (match[1] === undefined && match[2] === undefined) {
      const big = BigInt(match[0]);
      return big <= BigInt(Number.MAX_SAFE_INTEGER) && big >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(big) : big;
    }
    const value = Number(match[0]);
    return Number.isInteger(value) ? new PyFloat(value) : value;
  }
}

/** Converts a Python value model into plain JSON-compatible data for display (floats lose their `.0`). */
export function toPlain(value: PyValue): unknown {
  if (value instanceof PyFloat) return value.value;
  if (Array.isArray(value)) return value.map(toPlain);
  if (value instanceof PyDict) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of value.entries) out[keyText(key)] = toPlain(item);
    return out;
  }
  return value;
}
