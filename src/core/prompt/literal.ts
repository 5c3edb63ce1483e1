/**
 * Reads Python literals (the text `repr()` writes) and JSON into PyValues
 * without evaluating anything. FlowyML stores a chat template as
 * `str(template)[:1000]`, so the parser must also say when the text simply
 * stopped: a LiteralParseError with `truncated` set.
 *
 * Python dialect: str in single or double quotes with Python escapes, int,
 * float (with `inf` and `nan`, which repr writes but literal_eval rejects),
 * True, False, None, list, tuple and dict, with unary minus on numbers.
 * JSON dialect: what Python's json.loads accepts, including NaN and
 * ±Infinity; a number with '.', 'e' or 'E' is a float, any other an int.
 */
import { locateInTemplate, type TemplateLocation } from './errors';
import { PY_NONE, pyBool, pyDict, pyFloat, pyInt, pyStr, type PyValue } from './values';

export class LiteralParseError extends Error {
  readonly location: TemplateLocation;
  /** True when the text ended before the value did, as in a repr cut at a fixed length. */
  readonly truncated: boolean;

  constructor(message: string, location: TemplateLocation, truncated: boolean) {
    super(`${message} (line ${location.line}, column ${location.column})`);
    this.name = 'LiteralParseError';
    this.location = location;
    this.truncated = truncated;
  }
}

/** Nesting beyond this many lists, tuples or dicts is rejected, so hostile input cannot exhaust the stack. */
export const MAX_LITERAL_DEPTH = 200;

type Dialect = 'python' | 'json';

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
};
const JSON_ESCAPES: Record<string, string> = {
  '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t',
};

class LiteralParser {
  pos = 0;

  constructor(readonly text: string, readonly dialect: Dialect) {}

  fail(message: string, at = this.pos): never {
    throw new LiteralParseError(message, locateInTemplate(this.text, Math.min(at, this.text.length)), false);
  }

  endOfInput(what: string): never {
    throw new LiteralParseError(`the text ends inside ${what}`, locateInTemplate(this.text, this.text.length), true);
  }

  skipSpace(): void {
    const pattern = this.dialect === 'json' ? /[ \t\n\r]/ : /[ \t\n\r\f\v]/;
    while (this.pos < this.text.length && pattern.test(this.text[this.pos])) this.pos++;
  }

  parseDocument(): PyValue {
    this.skipSpace();
    const value = this.parseValue(0);
    this.skipSpace();
    if (this.pos < this.text.length) this.fail(`unexpected ${describe(this.text[this.pos])} after the value`);

    return value;
  }

  parseValue(depth: number): PyValue {
    this.skipSpace();
    if (this.pos >= this.text.length) this.endOfInput('a value that has not started');
    const c = this.text[this.pos];

    if (c === '"' || (c === "'" && this.dialect === 'python')) return pyStr(this.parseString());
    if (c === '[') return this.parseSequence(depth, '[', ']', 'a list');
    if (c === '(' && this.dialect === 'python') return this.parseSequence(depth, '(', ')', 'a tuple');
    if (c === '{') return this.parseDict(depth);
    if (c === '-' || c === '+' || c === '.' || (c >= '0' && c <= '9')) return this.parseNumber();

    return this.parseWord();
  }

  private enter(depth: number): number {
    if (depth + 1 > MAX_LITERAL_DEPTH) this.fail(`nesting deeper than ${MAX_LITERAL_DEPTH} levels`);
    return depth + 1;
  }

  private parseWord(): PyValue {
    const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.pos, this.pos + 64));
    if (!match) this.fail(`unexpected ${describe(this.text[this.pos])}`);
    const word = match[0];
    const words: Record<string, PyValue> = this.dialect === 'json'
      ? { true: pyBool(true), false: pyBool(false), null: PY_NONE, NaN: pyFloat(NaN), Infinity: pyFloat(Infinity) }
      : { True: pyBool(true), False: pyBool(false), None: PY_NONE, inf: pyFloat(Infinity), nan: pyFloat(NaN) };
    const value = Object.prototype.hasOwnProperty.call(words, word) ? words[word] : undefined;
    if (value === undefined) {
      // A word cut short by the end of the text may be the start of a valid one.
      if (this.pos + word.length === this.text.length && Object.keys(words).some((w) => w.startsWith(word))) this.endOfInput('a name');
      this.fail(`unexpected name '${word}'`);
    }
    this.pos += word.length;

    return value;
  }

  private parseNumber(): PyValue {
    const start = this.pos;
    const negative = this.text[this.pos] === '-';
    if (this.text[this.pos] === '-' || (this.text[this.pos] === '+' && this.dialect === 'python')) this.pos++;
    if (this.dialect === 'python') this.skipSpace();
    if (this.pos >= this.text.length) this.endOfInput('a number');

    const rest = this.text.slice(this.pos, this.pos + 400);
    const word = /^(inf|nan|Infinity|NaN)\b/.exec(rest);
    if (word) {
      const allowed = this.dialect === 'json' ? word[1] === 'Infinity' || (word[1] === 'NaN' && !negative) : word[1] === 'inf' || word[1] === 'nan';
      if (!allowed) this.fail(`unexpected name '${word[1]}'`);
      this.pos += word[1].length;
      const magnitude = word[1].startsWith('n') || word[1] === 'NaN' ? NaN : Infinity;
      return pyFloat(negative ? -magnitude : magnitude);
    }

    const pattern = this.dialect === 'json'
      ? /^(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/
      : /^(?:\d(?:_?\d)*)?(\.(?:\d(?:_?\d)*)?)?([eE][+-]?\d(?:_?\d)*)?/;
    const match = pattern.exec(this.text.slice(this.pos));
    if (!match || match[0] === '' || match[0] === '.') {
      if (this.pos >= this.text.length) this.endOfInput('a number');
      this.fail('invalid number', start);
    }
    this.pos += match[0].length;
    if (this.pos === this.text.length && /[eE][+-]?$|_$/.test(match[0] + this.text.slice(this.pos))) this.endOfInput('a number');
    if (this.dialect === 'python' && /^[A-Za-z0-9_]/.test(this.text.slice(this.pos, this.pos + 1))) this.fail('invalid number', start);

    const digits = match[0].replace(/_/g, '');
    const isFloat = match[1] !== undefined || match[2] !== undefined;
    if (isFloat) return pyFloat(Number(`${negative ? '-' : ''}${digits}`));
    if (this.dialect === 'python' && /^0\d/.test(digits) && /[1-9]/.test(digits)) {
      this.fail('leading zeros in a decimal integer are not allowed', start);
    }
    const value = BigInt(digits);

    return pyInt(negative ? -value : value);
  }

  private parseSequence(depth: number, open: string, close: string, what: string): PyValue {
    const inner = this.enter(depth);
    const start = this.pos;
    this.pos++;
    const items: PyValue[] = [];
    let sawComma = false;
    for (;;) {
      this.skipSpace();
      if (this.pos >= this.text.length) this.endOfInput(what);
      if (this.text[this.pos] === close) {
        if (this.dialect === 'json' && sawComma) this.fail('trailing comma');
        this.pos++;
        break;
      }
      if (items.length > 0) {
        if (this.text[this.pos] !== ',') this.fail(`expected ',' or '${close}' in ${what}`);
        this.pos++;
        sawComma = true;
        this.skipSpace();
        if (this.pos >= this.text.length) this.endOfInput(what);
        if (this.text[this.pos] === close) {
          if (this.dialect === 'json') this.fail('trailing comma');
          this.pos++;
          break;
        }
      }
      items.push(this.parseValue(inner));
      sawComma = false;
    }

    if (open === '[') return { type: 'list', items };
    // (x) is a parenthesized value, (x,) and () are tuples.
    const body = this.text.slice(start, this.pos);
    if (items.length === 1 && !/,\s*\)$/.test(body)) return items[0];

    return { type: 'tuple', items };
  }

  private parseDict(depth: number): PyValue {
    const inner = this.enter(depth);
    this.pos++;
    const entries: [PyValue, PyValue][] = [];
    for (;;) {
      this.skipSpace();
      if (this.pos >= this.text.length) this.endOfInput('a dict');
      if (this.text[this.pos] === '}') {
        this.pos++;
        break;
      }
      if (entries.length > 0) {
        if (this.text[this.pos] !== ',') this.fail("expected ',' or '}' in a dict");
        this.pos++;
        this.skipSpace();
        if (this.pos >= this.text.length) this.endOfInput('a dict');
        if (this.text[this.pos] === '}') {
          if (this.dialect === 'json') this.fail('trailing comma');
          this.pos++;
          break;
        }
      }
      const keyStart = this.pos;
      if (this.dialect === 'json' && this.text[this.pos] !== '"') this.fail('expected a string key');
      const key = this.parseValue(inner);
      this.skipSpace();
      if (this.pos >= this.text.length) this.endOfInput('a dict');
      if (this.text[this.pos] !== ':') {
        if (this.dialect === 'python' && this.text[this.pos] === ',') this.fail('sets are not supported', keyStart);
        this.fail("expected ':' after a dict key");
      }
      this.pos++;
      entries.push([key, this.parseValue(inner)]);
    }

    try {
      return pyDict(entries);
    } catch (error) {
      return this.fail(error instanceof Error ? error.message : String(error));
    }
  }

  /** Reads a quoted string; pieces without escapes are copied as slices, so a megabyte string costs one pass. */
  parseString(): string {
    const quote = this.text[this.pos];
    this.pos++;
    const pieces: string[] = [];
    let runStart = this.pos;
    const text = this.text;

    for (;;) {
      if (this.pos >= text.length) this.endOfInput('a string');
      const c = text[this.pos];
      if (c === quote) {
        pieces.push(text.slice(runStart, this.pos));
        this.pos++;
        break;
      }
      if (c === '\n' || c === '\r') this.fail('line break inside a string', this.pos);
      if (this.dialect === 'json' && c < ' ') this.fail('control character inside a string', this.pos);
      if (c !== '\\') {
        this.pos++;
        continue;
      }
      pieces.push(text.slice(runStart, this.pos));
      pieces.push(this.dialect === 'json' ? this.readJsonEscape() : this.readPythonEscape());
      runStart = this.pos;
    }
    return pieces.join('');
  }

  private readHex(length: number, what: string): number {
    const digits = this.text.slice(this.pos, this.pos + length);
    if (digits.length < length && /^[0-9a-fA-F]*$/.test(digits) && this.pos + digits.length === this.text.length) this.endOfInput('a string');
    if (!new RegExp(`^[0-9a-fA-F]{${length}}$`).test(digits)) this.fail(`truncated ${what} escape`, this.pos - 2);
    this.pos += length;

    return parseInt(digits, 16);
  }

  private readPythonEscape(): string {
    this.pos++;
    if (this.pos >= this.text.length) this.endOfInput('a string');
    const c = this.text[this.pos];
    this.pos++;

    if (Object.prototype.hasOwnProperty.call(SIMPLE_ESCAPES, c)) return SIMPLE_ESCAPES[c];
    if (c === '\n') return '';
    if (c >= '0' && c <= '7') {
      let digits = c;
      while (digits.length < 3 && this.pos < this.text.length && /[0-7]/.test(this.text[this.pos])) digits += this.text[this.pos++];
      return String.fromCodePoint(parseInt(digits, 8));
    }
    if (c === 'x') return String.fromCharCode(this.readHex(2, '\\xXX'));
    if (c === 'u') return String.fromCharCode(this.readHex(4, '\\uXXXX'));
    if (c === 'U') {
      const code = this.readHex(8, '\\UXXXXXXXX');
      if (code > 0x10ffff) this.fail('illegal Unicode character in a \\U escape', this.pos - 10);
      return String.fromCodePoint(code);
    }
    if (c === 'N') this.fail('\\N{name} escapes are not supported', this.pos - 2);

    // Python keeps an unknown escape as written, backslash included.
    return `\\${c}`;
  }

  private readJsonEscape(): string {
    this.pos++;
    if (this.pos >= this.text.length) this.endOfInput('a string');
    const c = this.text[this.pos];
    this.pos++;

    if (Object.prototype.hasOwnProperty.call(JSON_ESCAPES, c)) return JSON_ESCAPES[c];
    if (c === 'u') return String.fromCharCode(this.readHex(4, '\\uXXXX'));

    return this.fail(`invalid escape '\\${c}'`, this.pos - 2);
  }
}

function describe(char: string): string {
  return `character ${JSON.stringify(char)}`;
}

/** Parses one Python literal, as `ast.literal_eval` would, plus repr's `inf` and `nan`. Throws LiteralParseError. */
export function parsePythonLiteral(text: string): PyValue {
  return new LiteralParser(text, 'python').parseDocument();
}

/** Parses JSON as Python's json.loads does, keeping int and float apart. Throws LiteralParseError. */
export function parseJsonValue(text: string): PyValue {
  return new LiteralParser(text, 'json').parseDocument();
}

/** The items of a top-level Python list read up to where the text stops. */
export interface PartialList {
  /** Items that were complete. */
  items: PyValue[];
  /** True when the text ended before the list's closing bracket. */
  truncated: boolean;
  /** Where the text ended or failed, when it did not hold a whole list. */
  error: LiteralParseError | undefined;
}

/**
 * Reads a Python list repr item by item, so a repr cut at a fixed length
 * still yields the items before the cut. A syntax error that is not a cut
 * comes back in `error` with `truncated` false.
 */
export function parsePythonListPrefix(text: string): PartialList {
  const parser = new LiteralParser(text, 'python');
  const items: PyValue[] = [];

  try {
    parser.skipSpace();
    if (parser.pos >= text.length) parser.endOfInput('a list that has not started');
    if (text[parser.pos] !== '[') parser.fail("expected '[' at the start of a list");
    parser.pos++;
    for (;;) {
      parser.skipSpace();
      if (parser.pos >= text.length) parser.endOfInput('a list');
      if (text[parser.pos] === ']') break;
      if (items.length > 0) {
        if (text[parser.pos] !== ',') parser.fail("expected ',' or ']' in a list");
        parser.pos++;
        parser.skipSpace();
        if (parser.pos >= text.length) parser.endOfInput('a list');
        if (text[parser.pos] === ']') break;
      }
      items.push(parser.parseValue(1));
    }
    parser.pos++;
    parser.skipSpace();
    if (parser.pos < text.length) parser.fail(`unexpected ${describe(text[parser.pos])} after the list`);
  } catch (error) {
    if (!(error instanceof LiteralParseError)) throw error;
    return { items, truncated: error.truncated, error };
  }

  return { items, truncated: false, error: undefined };
}
