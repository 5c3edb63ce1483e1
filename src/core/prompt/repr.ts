/**
 * Python's `repr()`, `str()` and `ascii()` for the value types a prompt
 * variable can hold.
 *
 * NOTE: whether a non-ASCII character is printable (kept) or escaped follows
 * the Unicode tables of the running JavaScript engine (Node 20 ships Unicode
 * 15 or later). CPython 3.11 uses Unicode 14, so a character assigned after
 * Unicode 14 is kept here but escaped by Python 3.11.
 */
import { floatRepr } from './float-format';
import type { PyValue } from './values';

/** General categories Python's `str.isprintable()` rejects: other, separators except the ASCII space. */
const NOT_PRINTABLE = /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]$/u;

function hex(codePoint: number, width: number): string {
  return codePoint.toString(16).padStart(width, '0');
}

/** Returns Python's escape for a code point: \xhh, \uhhhh or \Uhhhhhhhh, the shortest that fits. */
export function pythonEscape(codePoint: number): string {
  if (codePoint <= 0xff) return `\\x${hex(codePoint, 2)}`;
  if (codePoint <= 0xffff) return `\\u${hex(codePoint, 4)}`;

  return `\\U${hex(codePoint, 8)}`;
}

/** Python's `repr(str)`: single quotes unless the text has a single quote and no double quote. */
export function strRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (char === quote || char === '\\') out += `\\${char}`;
    else if (char === '\t') out += '\\t';
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (code < 0x20 || code === 0x7f) out += pythonEscape(code);
    else if (code < 0x7f) out += char;
    else if (NOT_PRINTABLE.test(char)) out += pythonEscape(code);
    else out += char;
  }

  return out + quote;
}

/** Python's `repr()` of a value. */
export function pyRepr(value: PyValue): string {
  switch (value.type) {
    case 'str':
      return strRepr(value.value);
    case 'int':
      return value.value.toString();
    case 'float':
      return floatRepr(value.value);
    case 'bool':
      return value.value ? 'True' : 'False';
    case 'NoneType':
      return 'None';
    case 'list':
      return `[${value.items.map(pyRepr).join(', ')}]`;
    case 'tuple':
      if (value.items.length === 1) return `(${pyRepr(value.items[0])},)`;
      return `(${value.items.map(pyRepr).join(', ')})`;
    case 'dict':
      return `{${value.entries.map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`).join(', ')}}`;
  }
}

/** Python's `str()` of a value: the text itself for a str, `repr()` for everything else here. */
export function pyToString(value: PyValue): string {
  return value.type === 'str' ? value.value : pyRepr(value);
}

/** Python's `ascii()`: `repr()` with every non-ASCII character escaped. */
export function pyAscii(value: PyValue): string {
  let out = '';
  for (const char of pyRepr(value)) {
    const code = char.codePointAt(0)!;
    out += code < 0x80 ? char : pythonEscape(code);
  }

  return out;
}

/**
 * Converts a value to plain JavaScript for JSON output: an int beyond 2^53
 * stays a bigint, and a dict becomes an object keyed by `str()` of its keys.
 */
export function pyToJs(value: PyValue): unknown {
  switch (value.type) {
    case 'str':
    case 'float':
    case 'bool':
      return value.value;
    case 'int': {
      const safe = value.value >= BigInt(Number.MIN_SAFE_INTEGER) && value.value <= BigInt(Number.MAX_SAFE_INTEGER);
      return safe ? Number(value.value) : value.value;
    }
    case 'NoneType':
      return null;
    case 'list':
    case 'tuple':
      return value.items.map(pyToJs);
    case 'dict': {
      const result: Record<string, unknown> = {};
      for (const [k, v] of value.entries) {
        // defineProperty, because a key such as "__proto__" must become an own property.
        Object.defineProperty(result, pyToString(k), { value: pyToJs(v), enumerable: true, writable: true, configurable: true });
      }
      return result;
    }
  }
}
