/**
 * Equality, numeric deltas, field paths and display text for compared
 * values. Free of Node and DOM imports, so a webview bundle may use it too.
 */
import { stringifyJson } from '../json/tolerant';
import type { ChangeKind, FieldChange, FieldScope, NumericDelta, ValueSummary } from './types';

export function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Deep equality for parsed JSON values. NaN equals NaN, because a metric that
 * stayed NaN did not change. A bigint equals a number of the same integer
 * value. Object key order does not matter; array order does.
 */
export function valuesEqual(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b || (Number.isNaN(a) && Number.isNaN(b));
  if (typeof a === 'bigint' || typeof b === 'bigint') return sameInteger(a, b);
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => valuesEqual(item, b[i]));
  }
  if (isPlainRecord(a) && isPlainRecord(b)) {
    const keysA = Object.keys(a);
    if (keysA.length !== Object.keys(b).length) return false;
    return keysA.every((key) => Object.hasOwn(b, key) && valuesEqual(a[key], b[key]));
  }

  return a === b;
}

function sameInteger(a: unknown, b: unknown): boolean {
  const toBig = (v: unknown): bigint | undefined => {
    if (typeof v === 'bigint') return v;
    if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
    return undefined;
  };
  const bigA = toBig(a);
  const bigB = toBig(b);

  return bigA !== undefined && bigB !== undefined && bigA === bigB;
}

/** True for a number that is neither NaN nor ±Infinity, and for any bigint. */
export function isFiniteNumber(value: unknown): value is number | bigint {
  return typeof value === 'bigint' || (typeof value === 'number' && Number.isFinite(value));
}

/** Returns B − A with its relative size and direction, or undefined unless both values are finite numbers. */
export function numericDelta(a: unknown, b: unknown): NumericDelta | undefined {
  if (!isFiniteNumber(a) || !isFiniteNumber(b)) return undefined;

  let absolute: number;
  if ((typeof a === 'bigint' || typeof b === 'bigint') && isInteger(a) && isInteger(b)) {
    // Subtract exactly, then round once: two big integers may differ by a small amount.
    absolute = Number(BigInt(b) - BigInt(a));
  } else {
    absolute = Number(b) - Number(a);
  }
  const base = Math.abs(Number(a));
  let direction: NumericDelta['direction'] = 'none';
  if (absolute > 0) direction = 'up';
  else if (absolute < 0) direction = 'down';

  return { absolute, relative: base === 0 ? null : absolute / base, direction };
}

function isInteger(value: number | bigint): boolean {
  return typeof value === 'bigint' || Number.isInteger(value);
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Appends a key to a path: `.key` for identifiers, `["key"]` for anything else. */
export function childPath(base: string, key: string): string {
  const step = IDENTIFIER.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
  if (base === '') return step.startsWith('.') ? step.slice(1) : step;

  return `${base}${step}`;
}

/** True when `path` is `prefix` or a field inside it. */
export function isUnder(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`);
}

/** Returns the last key of a path built by childPath: `mean` of `a.b.mean`, `x.y` of `a["x.y"]`. */
export function lastKey(path: string): string {
  if (path.endsWith('"]')) {
    // JSON escapes every quote inside the key, so the last `["` opens the final index.
    const open = path.lastIndexOf('["');
    return JSON.parse(path.slice(open + 1, -1)) as string;
  }

  return path.slice(path.lastIndexOf('.') + 1);
}

/** Builds the change of one field compared whole; `undefined` stands for a side without the field. */
export function leafChange(path: string, scope: FieldScope, a: unknown, b: unknown): FieldChange {
  const kind = kindOf(a, b);
  const change: FieldChange = { path, scope, kind };
  if (a !== undefined) change.a = a;
  if (b !== undefined) change.b = b;
  const delta = numericDelta(a, b);
  if (delta) change.delta = delta;

  return change;
}

export function kindOf(a: unknown, b: unknown): ChangeKind {
  if (a === undefined) return 'added';
  if (b === undefined) return 'removed';

  return valuesEqual(a, b) ? 'unchanged' : 'changed';
}

/** Writes a number as JavaScript does, which round-trips (`0.1`, `1e-7`, `NaN`, `-Infinity`). */
export function formatNumber(value: number | bigint): string {
  return String(value);
}

/**
 * Display text of a value: strings as they are, numbers and booleans in their
 * usual form, objects and arrays as compact JSON. With `maxChars`, longer
 * text is cut and ends with an ellipsis.
 */
export function formatValue(value: unknown, maxChars?: number): string {
  let text: string;
  if (value === undefined) text = '';
  else if (typeof value === 'string') text = value;
  else if (typeof value === 'number' || typeof value === 'bigint') text = formatNumber(value);
  else if (typeof value === 'boolean' || value === null) text = String(value);
  else text = stringifyJson(value);

  if (maxChars === undefined || text.length <= maxChars) return text;
  return `${text.slice(0, Math.max(0, maxChars - 1))}…`;
}

/** Rounds a fraction to some significant digits, which also drops binary noise such as 1.1 − 1 = 0.10000000000000009. */
function roundForDisplay(value: number, significantDigits: number): number {
  if (Number.isInteger(value)) return value;

  return Number(value.toPrecision(significantDigits));
}

/** `+0.95 (+1900%)`, `-0.00027 (-0.0598%)`, or `0` when the numbers are equal. */
export function formatDelta(delta: NumericDelta): string {
  if (delta.direction === 'none') return '0';
  const absolute = roundForDisplay(delta.absolute, 6);
  const sign = absolute > 0 ? '+' : '';
  const text = `${sign}${formatNumber(absolute)}`;
  if (delta.relative === null) return text;
  const percent = roundForDisplay(delta.relative * 100, 4);

  return `${text} (${percent > 0 ? '+' : ''}${formatNumber(percent)}%)`;
}

/** `object, 70.4 KB, 1200 keys, sha256 3f2a9c1b…`. */
export function formatSummary(summary: ValueSummary): string {
  const units: Record<ValueSummary['type'], string> = { object: 'keys', array: 'items', string: 'characters' };
  const unit = units[summary.type];
  const size = summary.bytes >= 1024 * 1024
    ? `${(summary.bytes / (1024 * 1024)).toFixed(1)} MB`
    : `${(summary.bytes / 1024).toFixed(1)} KB`;

  return `${summary.type}, ${size}, ${summary.length} ${unit}, sha256 ${summary.sha256.slice(0, 12)}…`;
}

/** Display text of one side of a change: its value, its summary, or '' when the side lacks the field. */
export function formatSide(change: FieldChange, side: 'a' | 'b', maxChars?: number): string {
  const summary = change.summary?.[side];
  if (summary) return formatSummary(summary);
  if (!Object.hasOwn(change, side)) return '';

  return formatValue(change[side], maxChars);
}

/** Display text of what changed: the delta for numbers, else the kind. */
export function formatChange(change: FieldChange): string {
  if (change.delta && change.kind === 'changed') return formatDelta(change.delta);
  if (change.summary && change.kind !== 'unchanged') return `${change.kind} (compared by SHA-256)`;

  return change.kind;
}
