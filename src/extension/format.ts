/**
 * Text formatting shared by the tree, tooltips and panels. Pure functions
 * with no `vscode` import, so the webview tests and unit tests can use them.
 */
import { visibleText } from '../protocol/text';

export { visibleText };

/** Maximum label length the tree shows; the full value stays in the tooltip. */
export const MAX_LABEL_CHARS = 120;

/** Shortens a string to `max` characters, ending it with an ellipsis when cut. */
export function crop(value: string, max = MAX_LABEL_CHARS): string {
  if (value.length <= max) return value;

  return `${value.slice(0, max - 1)}…`;
}

/** Makes a one-line label of a stored name: control characters escaped, then cropped. */
export function labelText(value: string, max = MAX_LABEL_CHARS): string {
  return crop(visibleText(value), max);
}

/** Shortens a run id to its first 8 characters, enough to tell FlowyML's UUID run ids apart in practice. */
export function shortRunId(runId: string): string {
  return runId.length > 8 ? runId.slice(0, 8) : runId;
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

/** "3 hours ago", "in 2 minutes", "now", in the given locale. */
export function relativeTime(iso: string, now: Date = new Date(), locale = 'en'): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return iso;

  const seconds = Math.round((then - now.getTime()) / 1000);
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size || unit === 'second') {
      return format.format(Math.trunc(seconds / size), unit);
    }
  }

  return iso;
}

/** Formats an ISO instant as local date and time to the second, e.g. "2026-12-04 19:25:54". */
export function localDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;

  const pad = (value: number) => String(value).padStart(2, '0');

  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} `
    + `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** Formats a property value for display: strings as they are, everything else as compact JSON. */
export function propertyText(value: unknown, max = 2000): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'bigint' || typeof value === 'number' || typeof value === 'boolean') text = String(value);
  else if (value === undefined) text = '';
  else {
    try {
      text = JSON.stringify(value, jsonSafe) ?? String(value);
    } catch {
      text = String(value);
    }
  }

  return crop(text, max);
}

/**
 * Replaces, as a JSON.stringify replacer, the values a store may contain but
 * JSON cannot: 64-bit integers (bigint), NaN and Infinity become their text.
 */
export function jsonSafe(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);

  return value;
}

/** Formats a byte count as "512 B", "1.5 KB" or "3.2 MB". */
export function byteSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;

  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
