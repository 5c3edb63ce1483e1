/**
 * Python's format-spec mini-language for str, int, bool and float:
 * `[[fill]align][sign]["z"]["#"]["0"][width][grouping]["." precision][type]`.
 * Checks run in CPython 3.11's order, so the first error is the one Python
 * raises.
 */
import { MAX_FORMAT_SIZE, PythonError, UnsupportedFormatError } from './errors';
import { floatRepr, formatFloatMagnitude, isZeroText, type FloatPresentation } from './float-format';
import { pyToString } from './repr';
import type { PyValue } from './values';

type Align = '<' | '>' | '=' | '^';

interface ParsedSpec {
  fill: string;
  align: Align | undefined;
  sign: '+' | '-' | ' ' | undefined;
  coerceZero: boolean;
  alternate: boolean;
  width: number | undefined;
  grouping: ',' | '_' | undefined;
  precision: number | undefined;
  type: string | undefined;
}

const ALIGNS = new Set(['<', '>', '=', '^']);
const MAX_SSIZE = (1n << 63n) - 1n;
const INT_MAX = 2147483647;

/** Grouping with ',' is allowed for these types ('none' is a float spec with no type). */
const COMMA_TYPES = new Set(['d', 'e', 'f', 'g', 'E', 'G', '%', 'F', 'none']);
const UNDERSCORE_TYPES = new Set([...COMMA_TYPES, 'b', 'o', 'x', 'X']);

/** Writes a type letter in an error message as CPython does: as is when printable ASCII, else as \x with hex. */
function typeCode(char: string): string {
  const code = char.codePointAt(0)!;
  return code > 32 && code < 128 ? char : `\\x${code.toString(16)}`;
}

/** Returns the value of a Unicode decimal digit (category Nd), or undefined for any other character. */
export function decimalDigitValue(char: string): number | undefined {
  const code = char.codePointAt(0)!;
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code < 0x80 || !/^\p{Nd}$/u.test(char)) return undefined;
  // Nd characters come in runs of ten, zero to nine, and adjacent runs are whole, so count from the run's start.
  let start = code;
  while (/^\p{Nd}$/u.test(String.fromCodePoint(start - 1))) start--;

  return (code - start) % 10;
}

/** Reads decimal digits from `pos`; raises Python's error past Py_ssize_t. */
function readNumber(chars: string[], pos: number): { value: number | undefined; next: number } {
  let value = 0n;
  let i = pos;
  for (; i < chars.length; i++) {
    const digit = decimalDigitValue(chars[i]);
    if (digit === undefined) break;
    value = value * 10n + BigInt(digit);
    if (value > MAX_SSIZE) throw new PythonError('ValueError', 'Too many decimal digits in format string');
  }

  return { value: i === pos ? undefined : Number(value), next: i };
}

function parseSpec(spec: string, typeName: string, defaultType: string, defaultAlign: '<' | '>'): ParsedSpec {
  const chars = [...spec];
  const end = chars.length;
  let pos = 0;
  const parsed: ParsedSpec = {
    fill: ' ', align: undefined, sign: undefined, coerceZero: false, alternate: false,
    width: undefined, grouping: undefined, precision: undefined, type: undefined,
  };

  let fillGiven = false;
  if (end >= 2 && ALIGNS.has(chars[1])) {
    parsed.fill = chars[0];
    parsed.align = chars[1] as Align;
    fillGiven = true;
    pos = 2;
  } else if (end >= 1 && ALIGNS.has(chars[0])) {
    parsed.align = chars[0] as Align;
    pos = 1;
  }

  if (pos < end && (chars[pos] === '+' || chars[pos] === '-' || chars[pos] === ' ')) parsed.sign = chars[pos++] as ParsedSpec['sign'];
  if (pos < end && chars[pos] === 'z') {
    parsed.coerceZero = true;
    pos++;
  }
  if (pos < end && chars[pos] === '#') {
    parsed.alternate = true;
    pos++;
  }
  // A '0' before the width means zero padding, unless a fill character was given.
  if (!fillGiven && pos < end && chars[pos] === '0') {
    parsed.fill = '0';
    if (parsed.align === undefined && defaultAlign === '>') parsed.align = '=';
    pos++;
  }

  const width = readNumber(chars, pos);
  parsed.width = width.value;
  pos = width.next;

  if (pos < end && (chars[pos] === ',' || chars[pos] === '_')) {
    parsed.grouping = chars[pos] as ',' | '_';
    pos++;
    const other = parsed.grouping === ',' ? '_' : ',';
    if (pos < end && chars[pos] === other) throw new PythonError('ValueError', "Cannot specify both ',' and '_'.");
  }

  if (pos < end && chars[pos] === '.') {
    const precision = readNumber(chars, pos + 1);
    if (precision.value === undefined) throw new PythonError('ValueError', 'Format specifier missing precision');
    parsed.precision = precision.value;
    pos = precision.next;
  }

  if (end - pos > 1) throw new PythonError('ValueError', `Invalid format specifier '${spec}' for object of type '${typeName}'`);
  if (end - pos === 1) parsed.type = chars[pos];

  if (parsed.grouping !== undefined) {
    const type = parsed.type ?? defaultType;
    const allowed = parsed.grouping === ',' ? COMMA_TYPES : UNDERSCORE_TYPES;
    if (!allowed.has(type)) throw new PythonError('ValueError', `Cannot specify '${parsed.grouping}' with '${typeCode(type)}'.`);
  }

  return parsed;
}

function unknownCode(type: string, typeName: string): PythonError {
  return new PythonError('ValueError', `Unknown format code '${typeCode(type)}' for object of type '${typeName}'`);
}

function checkWidth(spec: ParsedSpec): void {
  if ((spec.width ?? 0) > MAX_FORMAT_SIZE) {
    throw new UnsupportedFormatError(`width ${spec.width} is above the ${MAX_FORMAT_SIZE} characters this preview renders`);
  }
}

function pad(content: string, contentLength: number, spec: ParsedSpec, defaultAlign: Align, signLength = 0): string {
  checkWidth(spec);
  const padding = (spec.width ?? 0) - contentLength;
  if (padding <= 0) return content;

  const fill = (count: number) => spec.fill.repeat(count);
  switch (spec.align ?? defaultAlign) {
    case '<':
      return content + fill(padding);
    case '>':
      return fill(padding) + content;
    case '^': {
      const left = Math.floor(padding / 2);
      return fill(left) + content + fill(padding - left);
    }
    case '=':
      return content.slice(0, signLength) + fill(padding) + content.slice(signLength);
  }
}

/**
 * Inserts separators into a digit run. With zero padding (`minWidth` > 0)
 * the padding zeros are grouped too, and a group is never left to start
 * with a separator, so the result can be one character wider than asked.
 */
function groupDigits(digits: string, separator: string, groupSize: number, minWidth: number): string {
  const groups: string[] = [];
  let remaining = digits.length;
  let width = minWidth;
  for (;;) {
    const size = Math.min(Math.max(remaining, width, 1), groupSize);
    const takenDigits = Math.min(remaining, size);
    groups.push('0'.repeat(size - takenDigits) + digits.slice(remaining - takenDigits, remaining));
    remaining -= takenDigits;
    width -= size;
    if (remaining <= 0 && width <= 0) break;
    width -= separator.length;
  }

  return groups.reverse().join(separator);
}

/** Lays out sign, prefix, digits and the rest (fraction, exponent, '%') with grouping and padding. */
function layoutNumber(sign: string, prefix: string, digits: string, rest: string, spec: ParsedSpec, groupSize: number): string {
  checkWidth(spec);
  let grouped = digits;
  if (spec.grouping !== undefined && digits !== '') {
    const zeroPadded = spec.fill === '0' && spec.align === '=';
    const minWidth = zeroPadded ? (spec.width ?? 0) - sign.length - prefix.length - rest.length : 0;
    grouped = groupDigits(digits, spec.grouping, groupSize, minWidth);
  }
  const content = sign + prefix + grouped + rest;

  // Widths count code points: a 'c' conversion can produce a character outside the BMP.
  return pad(content, [...content].length, spec, '>', sign.length + prefix.length);
}

function signText(negative: boolean, spec: ParsedSpec): string {
  if (negative) return '-';
  return spec.sign === '+' || spec.sign === ' ' ? spec.sign : '';
}

/** Python's `format(str, spec)`. */
export function formatStr(text: string, spec: string): string {
  if (spec === '') return text;
  const parsed = parseSpec(spec, 'str', 's', '<');
  if (parsed.type !== undefined && parsed.type !== 's') throw unknownCode(parsed.type, 'str');
  if (parsed.sign === ' ') throw new PythonError('ValueError', 'Space not allowed in string format specifier');
  if (parsed.sign !== undefined) throw new PythonError('ValueError', 'Sign not allowed in string format specifier');
  if (parsed.coerceZero) throw new PythonError('ValueError', 'Negative zero coercion (z) not allowed in string format specifier');
  if (parsed.alternate) throw new PythonError('ValueError', 'Alternate form (#) not allowed in string format specifier');
  if (parsed.align === '=') throw new PythonError('ValueError', "'=' alignment not allowed in string format specifier");

  let chars = [...text];
  if (parsed.precision !== undefined && chars.length > parsed.precision) chars = chars.slice(0, parsed.precision);

  return pad(chars.join(''), chars.length, parsed, '<');
}

const FLOAT_TYPES = new Set(['e', 'E', 'f', 'F', 'g', 'G', 'n', '%']);
const INT_TYPES = new Set(['b', 'c', 'd', 'o', 'x', 'X', 'n']);
const RADIX: Record<string, number> = { b: 2, o: 8, x: 16, X: 16 };

/** Python's `format(int, spec)`; `typeName` is 'bool' for a bool with a non-empty spec. */
export function formatInt(value: bigint, spec: string, typeName: 'int' | 'bool' = 'int'): string {
  if (spec === '') return value.toString();
  const parsed = parseSpec(spec, typeName, 'd', '>');
  const type = parsed.type;

  if (type !== undefined && FLOAT_TYPES.has(type) && type !== 'n') {
    const converted = Number(value);
    if (!Number.isFinite(converted)) throw new PythonError('OverflowError', 'int too large to convert to float');
    return formatParsedFloat(converted, parsed, typeName);
  }
  if (type !== undefined && !INT_TYPES.has(type)) throw unknownCode(type, typeName);
  if (parsed.precision !== undefined) throw new PythonError('ValueError', 'Precision not allowed in integer format specifier');
  if (parsed.coerceZero) throw new PythonError('ValueError', 'Negative zero coercion (z) not allowed in integer format specifier');

  if (type === 'c') {
    if (parsed.sign !== undefined) throw new PythonError('ValueError', "Sign not allowed with integer format specifier 'c'");
    if (parsed.alternate) throw new PythonError('ValueError', "Alternate form (#) not allowed with integer format specifier 'c'");
    if (value > MAX_SSIZE || value < -MAX_SSIZE - 1n) throw new PythonError('OverflowError', 'Python int too large to convert to C long');
    if (value < 0n || value > 0x10ffffn) throw new PythonError('OverflowError', '%c arg not in range(0x110000)');
    return layoutNumber('', '', String.fromCodePoint(Number(value)), '', parsed, 3);
  }

  const negative = value < 0n;
  const magnitude = negative ? -value : value;
  const radix = RADIX[type ?? 'd'] ?? 10;
  let digits = magnitude.toString(radix);
  if (type === 'X') digits = digits.toUpperCase();
  const prefix = parsed.alternate && radix !== 10 ? `0${type}` : '';

  return layoutNumber(signText(negative, parsed), prefix, digits, '', parsed, radix === 10 ? 3 : 4);
}

/** Python's `format(float, spec)`. */
export function formatFloat(value: number, spec: string): string {
  if (spec === '') return floatRepr(value);

  return formatParsedFloat(value, parseSpec(spec, 'float', 'none', '>'), 'float');
}

function formatParsedFloat(value: number, spec: ParsedSpec, typeName: string): string {
  const type = spec.type ?? 'none';
  if (type !== 'none' && !FLOAT_TYPES.has(type)) throw unknownCode(type, typeName);
  if (spec.precision !== undefined && spec.precision > INT_MAX) throw new PythonError('ValueError', 'precision too big');
  if (spec.precision !== undefined && spec.precision > MAX_FORMAT_SIZE) {
    throw new UnsupportedFormatError(`precision ${spec.precision} is above the ${MAX_FORMAT_SIZE} digits this preview renders`);
  }

  // '%' multiplies in double arithmetic first, as CPython does, so MAX_VALUE becomes inf%.
  const scaled = type === '%' ? value * 100 : value;
  let negative = scaled < 0 || Object.is(scaled, -0);
  const body = formatFloatMagnitude(Math.abs(scaled), type as FloatPresentation, spec.precision, spec.alternate);
  if (negative && spec.coerceZero && isZeroText(body)) negative = false;

  if (!Number.isFinite(scaled)) return layoutNumber(signText(negative, spec), '', '', body, spec, 3);
  const integerDigits = /^\d*/.exec(body)![0];

  return layoutNumber(signText(negative, spec), '', integerDigits, body.slice(integerDigits.length), spec, 3);
}

/** Python's `format(value, spec)` for every supported value type. */
export function pyFormat(value: PyValue, spec: string): string {
  switch (value.type) {
    case 'str':
      return formatStr(value.value, spec);
    case 'int':
      return formatInt(value.value, spec);
    case 'bool':
      // bool inherits int.__format__, which returns str(self) for an empty spec.
      return spec === '' ? pyToString(value) : formatInt(value.value ? 1n : 0n, spec, 'bool');
    case 'float':
      return formatFloat(value.value, spec);
    default:
      // object.__format__ accepts only the empty spec.
      if (spec !== '') throw new PythonError('TypeError', `unsupported format string passed to ${value.type}.__format__`);
      return pyToString(value);
  }
}
