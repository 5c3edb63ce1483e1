/**
 * JSON as Python's `json.dumps` writes it. Python emits bare `NaN`, `Infinity`
 * and `-Infinity` (allow_nan=True is its default), which `JSON.parse` rejects,
 * and integers beyond 2^53 that `JSON.parse` rounds.
 *
 * Written by hand because no maintained parser handles both: json5 accepts the
 * tokens but rounds big integers, and lossless-json keeps big integers but
 * rejects the tokens. The approach keeps V8's native parser for the work: one
 * scan rewrites those tokens outside strings into tagged strings, and a
 * reviver turns the tags back into numbers or bigints. Text with no such
 * token goes straight to `JSON.parse`.
 */

const TAG = '\u0000flowyml-json:';
/**
 * Deepest nesting accepted, the same limit as SQLite's JSON functions. Python's
 * json module cannot write deeper under its default recursion limit either.
 * Deeper values are rejected at parse time, because JSON.stringify and the
 * recursive walkers of every surface overflow the stack a few thousand
 * levels down (JSON.stringify in Node 20 fails between 3,000 and 5,000).
 */
export const MAX_JSON_DEPTH = 1000;
/**
 * A run of 16 digits that can start an integer literal: one not preceded by a digit,
 * a decimal point, an exponent mark or a plus sign. Fraction and exponent digits, such as the 16
 * fraction digits of Python's float repr, do not match, so floats keep the fast path.
 * A match inside a string only sends the text to the slower exact path.
 */
export const LONG_INTEGER_PART = /(?<![\d.eE+])\d{16}/;

export class JsonParseError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'JsonParseError';
  }
}

/** Parses Python-flavoured JSON. Throws JsonParseError with the position of the fault. */
export function parseTolerantJson(text: string): unknown {
  // A value nested n levels deep needs at least 2n characters, so short texts skip the scan.
  if (text.length > 2 * MAX_JSON_DEPTH && nestedDeeperThan(text, MAX_JSON_DEPTH)) {
    throw new JsonParseError(`JSON is nested too deeply: more than ${MAX_JSON_DEPTH.toLocaleString('en-US')} levels`);
  }
  // Fast path: with no integer of 16 or more digits there is none JSON.parse could
  // round, and text with NaN or Infinity tokens makes JSON.parse throw.
  if (!LONG_INTEGER_PART.test(text)) {
    try {
      return JSON.parse(text);
    } catch {
      // Fall through to the tolerant path, which also reports the error.
    }
  }
  const rewritten = rewriteSpecialTokens(text);
  try {
    if (rewritten === undefined) return JSON.parse(text);
    return JSON.parse(rewritten, reviveTagged);
  } catch (error) {
    if (error instanceof RangeError) {
      throw new JsonParseError('JSON is nested too deeply to parse', { cause: error });
    }
    const message = error instanceof Error ? error.message : String(error);
    throw new JsonParseError(`invalid JSON: ${message}`, { cause: error });
  }
}

/** Like parseTolerantJson, but returns a fallback and the error message instead of throwing. */
export function tryParseTolerantJson<T>(text: string | null | undefined, fallback: T): { value: unknown; error?: string } {
  if (text === null || text === undefined || text === '') return { value: fallback };
  try {
    return { value: parseTolerantJson(text) };
  } catch (error) {
    return { value: fallback, error: error instanceof Error ? error.message : String(error) };
  }
}

function reviveTagged(_key: string, value: unknown): unknown {
  if (typeof value !== 'string' || !value.startsWith(TAG)) return value;
  const token = value.slice(TAG.length);
  if (token === 'NaN') return NaN;
  if (token === 'Infinity') return Infinity;
  if (token === '-Infinity') return -Infinity;
  return BigInt(token);
}

/**
 * Returns the text with NaN, ±Infinity and unsafe integers outside strings
 * replaced by tagged strings, or undefined when there was nothing to replace.
 */
function rewriteSpecialTokens(text: string): string | undefined {
  let out: string[] | undefined;
  let copiedUpTo = 0;
  let i = 0;
  const n = text.length;

  while (i < n) {
    const c = text.charCodeAt(i);

    if (c === 0x22 /* " */) {
      i = skipString(text, i);
      continue;
    }

    let token: string | undefined;
    let end = i;
    if (c === 0x4e /* N */ && text.startsWith('NaN', i)) {
      token = 'NaN';
      end = i + 3;
    } else if (c === 0x49 /* I */ && text.startsWith('Infinity', i)) {
      token = 'Infinity';
      end = i + 8;
    } else if (c === 0x2d /* - */ && text.startsWith('-Infinity', i)) {
      token = '-Infinity';
      end = i + 9;
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      end = scanNumber(text, i);
      const literal = text.slice(i, end);
      if (isUnsafeInteger(literal)) token = literal;
    }

    if (token !== undefined) {
      out ??= [];
      out.push(text.slice(copiedUpTo, i), JSON.stringify(TAG + token));
      copiedUpTo = end;
    }
    i = end > i ? end : i + 1;
  }

  if (out === undefined) return undefined;
  out.push(text.slice(copiedUpTo));
  return out.join('');
}

/** Whether arrays and objects outside strings nest deeper than `limit`. */
function nestedDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      i = skipString(text, i) - 1;
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      depth += 1;
      if (depth > limit) return true;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) {
      depth -= 1;
    }
  }
  return false;
}

function skipString(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x5c /* \ */) {
      i += 2;
      continue;
    }
    if (c === 0x22) return i + 1;
    i++;
  }
  return i;
}

function scanNumber(text: string, start: number): number {
  let i = start;
  if (text.charCodeAt(i) === 0x2d) i++;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    const numeric = (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b || c === 0x2d;
    if (!numeric) break;
    i++;
  }
  return i;
}

function isUnsafeInteger(literal: string): boolean {
  if (!/^-?\d{16,}$/.test(literal)) return false;
  const value = BigInt(literal);
  return value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER);
}

/**
 * Serialises a parsed value for machine-readable output. Big integers are
 * written as exact integer literals. NaN and ±Infinity have no JSON literal,
 * so they are written as the strings "NaN", "Infinity" and "-Infinity".
 */
export function stringifyJson(value: unknown, indent?: number): string {
  const bigints: string[] = [];
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'bigint') {
      bigints.push(v.toString());
      return `${TAG}big:${bigints.length - 1}`;
    }
    if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
    return v;
  }, indent);
  if (bigints.length === 0) return text;
  const tagPattern = new RegExp(`"\\\\u0000flowyml-json:big:(\\d+)"`, 'g');
  return text.replace(tagPattern, (_match, index: string) => bigints[Number(index)]);
}
