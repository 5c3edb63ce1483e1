/**
 * Decimal formatting of doubles as CPython does it: correctly rounded, ties
 * to even, on the exact binary value. `Number.prototype.toFixed` rounds ties
 * away from zero (`(2.5).toFixed(0)` is "3", Python's `'%.0f' % 2.5` is "2")
 * and switches to exponent form at 1e21, so the digits come from exact
 * BigInt arithmetic instead.
 */

/** A non-negative decimal: value = 0.`digits` × 10^`point`; `digits` has no leading or trailing zeros, '' for zero. */
interface Decimal {
  digits: string;
  point: number;
}

const ZERO: Decimal = { digits: '', point: 0 };

function trimmed(digits: string, point: number): Decimal {
  const end = digits.search(/0*$/);
  let start = 0;
  while (start < end && digits.charCodeAt(start) === 0x30) start++;
  if (start === end) return ZERO;

  return { digits: digits.slice(start, end), point: point - start };
}

/** Returns the exact decimal expansion of a finite non-negative double (at most 767 significant digits). */
function exactDecimal(x: number): Decimal {
  if (x === 0) return ZERO;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const high = view.getUint32(0);
  const low = view.getUint32(4);
  const biasedExponent = (high >>> 20) & 0x7ff;
  let mantissa = (BigInt(high & 0xfffff) << 32n) | BigInt(low);
  let exponent = -1074;
  if (biasedExponent !== 0) {
    mantissa |= 1n << 52n;
    exponent = biasedExponent - 1075;
  }

  if (exponent >= 0) {
    const text = (mantissa << BigInt(exponent)).toString();
    return trimmed(text, text.length);
  }
  // m × 2^-k = m × 5^k / 10^k, an exact integer over a power of ten.
  const text = (mantissa * 5n ** BigInt(-exponent)).toString();

  return trimmed(text, text.length + exponent);
}

/** Returns the shortest decimal that reads back as the same double, as `repr` picks it. */
function shortestDecimal(x: number): Decimal {
  if (x === 0) return ZERO;
  // toExponential() with no argument gives the shortest round-trip digits (ECMA-262 Number::toString rules).
  const [mantissa, exponent] = x.toExponential().split('e');

  return trimmed(mantissa.replace('.', ''), Number(exponent) + 1);
}

/** Rounds to `keep` leading digits (keep may be zero or negative), ties to even. */
function roundDecimal(value: Decimal, keep: number): Decimal {
  const { digits, point } = value;
  if (keep >= digits.length) return value;
  if (keep < 0) return ZERO;

  const next = digits.charCodeAt(keep) - 0x30;
  let roundUp: boolean;
  if (next !== 5) {
    roundUp = next > 5;
  } else if (/[1-9]/.test(digits.slice(keep + 1))) {
    roundUp = true;
  } else {
    const previous = keep > 0 ? digits.charCodeAt(keep - 1) - 0x30 : 0;
    roundUp = previous % 2 === 1;
  }

  const keptDigits = digits.slice(0, keep);
  if (!roundUp) return trimmed(keptDigits, point);
  const lastNonNine = keptDigits.search(/[0-8]9*$/);
  if (lastNonNine < 0) return { digits: '1', point: point + 1 };
  const bumped = String.fromCharCode(keptDigits.charCodeAt(lastNonNine) + 1);

  return trimmed(keptDigits.slice(0, lastNonNine) + bumped, point);
}

/** Writes `value` with exactly `fractionDigits` digits after the point (no point when zero). */
function layoutFixed(value: Decimal, fractionDigits: number): string {
  const { digits, point } = value;
  const integerPart = point > 0 ? digits.slice(0, point).padEnd(point, '0') : '0';
  if (fractionDigits === 0) return integerPart;

  let fraction: string;
  if (point >= 0) fraction = digits.slice(point, point + fractionDigits);
  else fraction = ('0'.repeat(Math.min(-point, fractionDigits)) + digits).slice(0, fractionDigits);

  return `${integerPart}.${fraction.padEnd(fractionDigits, '0')}`;
}

/** Writes `value` as d.ddd e±XX with `fractionDigits` digits after the point. */
function layoutExponent(value: Decimal, fractionDigits: number): string {
  const exponent = value.digits === '' ? 0 : value.point - 1;
  const first = value.digits.charAt(0) || '0';
  const rest = value.digits.slice(1, fractionDigits + 1).padEnd(fractionDigits, '0');
  const mantissa = fractionDigits > 0 ? `${first}.${rest}` : first;

  return `${mantissa}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
}

function decimalExponent(value: Decimal): number {
  return value.digits === '' ? 0 : value.point - 1;
}

/** Drops trailing zeros after the point, and the point itself when nothing follows it. */
function stripFractionZeros(text: string): string {
  const exponentAt = text.indexOf('e');
  const mantissa = exponentAt < 0 ? text : text.slice(0, exponentAt);
  const exponent = exponentAt < 0 ? '' : text.slice(exponentAt);
  if (!mantissa.includes('.')) return text;

  return mantissa.replace(/\.?0*$/, '') + exponent;
}

function addPointIfMissing(text: string): string {
  const exponentAt = text.indexOf('e');
  const mantissa = exponentAt < 0 ? text : text.slice(0, exponentAt);
  if (mantissa.includes('.')) return text;

  return exponentAt < 0 ? `${text}.` : `${mantissa}.${text.slice(exponentAt)}`;
}

/** Python's `repr(float)`: shortest round-trip digits, exponent form below 1e-4 and from 1e16. */
export function floatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';

  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  return sign + reprBody(Math.abs(x), false);
}

function reprBody(magnitude: number, alternate: boolean): string {
  const value = shortestDecimal(magnitude);
  const exponent = decimalExponent(value);
  if (exponent >= -4 && exponent < 16) {
    const fractionDigits = Math.max(value.digits.length - value.point, 0);
    const text = layoutFixed(value, fractionDigits);
    return fractionDigits === 0 ? `${text}.0` : text;
  }
  const text = layoutExponent(value, value.digits.length - 1);

  return alternate ? addPointIfMissing(text) : text;
}

/** Presentation types of a float spec; `none` is a spec with no type letter. */
export type FloatPresentation = 'e' | 'E' | 'f' | 'F' | 'g' | 'G' | 'n' | '%' | 'none';

/**
 * Formats the magnitude of a float (the caller writes the sign) for one
 * presentation type, precision and `#` flag, as `format(x, spec)` does.
 * For '%' the caller passes the value already multiplied by 100.
 */
export function formatFloatMagnitude(magnitude: number, type: FloatPresentation, precision: number | undefined, alternate: boolean): string {
  const upper = type === 'E' || type === 'F' || type === 'G';
  let body: string;
  if (Number.isNaN(magnitude)) body = 'nan';
  else if (!Number.isFinite(magnitude)) body = 'inf';
  else body = finiteBody(magnitude, type, precision, alternate);
  if (type === '%') body += '%';

  return upper ? body.toUpperCase() : body;
}

function finiteBody(magnitude: number, type: FloatPresentation, precision: number | undefined, alternate: boolean): string {
  switch (type) {
    case 'f':
    case 'F':
    case '%': {
      const digits = precision ?? 6;
      const value = exactDecimal(magnitude);
      const text = layoutFixed(roundDecimal(value, value.point + digits), digits);
      return alternate && digits === 0 ? `${text}.` : text;
    }
    case 'e':
    case 'E': {
      const digits = precision ?? 6;
      const text = layoutExponent(roundDecimal(exactDecimal(magnitude), digits + 1), digits);
      return alternate && digits === 0 ? addPointIfMissing(text) : text;
    }
    case 'g':
    case 'G':
    case 'n':
      return generalBody(magnitude, precision ?? 6, alternate, false);
    case 'none':
      if (precision === undefined) return reprBody(magnitude, alternate);
      return generalBody(magnitude, precision, alternate, true);
  }
}

/**
 * Formats with the `g` rule: round to p significant digits, then fixed notation when the
 * exponent X satisfies -4 <= X < p, else exponent notation. A spec without a
 * type letter but with a precision moves to exponent notation one step
 * earlier (X < p - 1) and keeps at least one digit after the point.
 */
function generalBody(magnitude: number, requestedPrecision: number, alternate: boolean, noTypeLetter: boolean): string {
  const precision = requestedPrecision === 0 ? 1 : requestedPrecision;
  const value = roundDecimal(exactDecimal(magnitude), precision);
  const exponent = decimalExponent(value);
  const fixedLimit = noTypeLetter ? precision - 1 : precision;

  if (exponent >= -4 && exponent < fixedLimit) {
    let text = layoutFixed(value, precision - 1 - exponent);
    if (!alternate) text = stripFractionZeros(text);
    if (noTypeLetter && !text.includes('.')) text += '.0';
    else if (alternate) text = addPointIfMissing(text);
    return text;
  }
  const text = layoutExponent(value, precision - 1);

  return alternate ? addPointIfMissing(text) : stripFractionZeros(text);
}

/** True when a formatted magnitude shows only zeros, for the `z` flag. */
export function isZeroText(body: string): boolean {
  return !/[1-9]/.test(body.replace(/e.*$/i, '')) && /\d/.test(body);
}
