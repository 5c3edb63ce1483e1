/**
 * Summaries of property values too big to compare whole: their JSON size,
 * length and SHA-256. Two summaries with the same hash hold the same value.
 */
import { createHash } from 'node:crypto';
import { stringifyJson } from '../json/tolerant';
import type { ValueSummary } from './types';
import { isPlainRecord } from './values';
import { setOwn } from '../json/records';

/**
 * Property values whose JSON is larger than this are compared by summary
 * unless the caller asks for a full comparison. A diff of a value this big
 * has too many rows to read, and the panel would receive all of it.
 */
export const HUGE_VALUE_BYTES = 64 * 1024;

/** Returns the summary of a string, array or object whose JSON is over `limitBytes`, else undefined. */
export function summarizeIfHuge(value: unknown, limitBytes: number): ValueSummary | undefined {
  // JSON spends at most 6 bytes on one UTF-16 unit (`\u0000`), so a string this short is never over the limit.
  if (typeof value === 'string' && value.length * 6 + 2 <= limitBytes) return undefined;
  const summary = summarize(value);

  return summary && summary.bytes > limitBytes ? summary : undefined;
}

/** Returns the summary of a string, array or object, or undefined for other values. */
export function summarize(value: unknown): ValueSummary | undefined {
  if (typeof value !== 'string' && (typeof value !== 'object' || value === null)) return undefined;

  const json = stringifyJson(canonical(value));
  return {
    type: typeof value === 'string' ? 'string' : Array.isArray(value) ? 'array' : 'object',
    bytes: Buffer.byteLength(json, 'utf8'),
    length: typeof value === 'string' ? value.length : Array.isArray(value) ? value.length : Object.keys(value).length,
    sha256: createHash('sha256').update(json).digest('hex'),
  };
}

/** Copies a value with object keys sorted at every depth, so that key order does not change the hash. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (!isPlainRecord(value)) return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) setOwn(sorted, key, canonical(value[key]));

  return sorted;
}
