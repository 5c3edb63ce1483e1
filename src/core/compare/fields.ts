/**
 * Field-by-field comparison of two property records. Plain objects are
 * walked key by key, so `hyperparameters.C` is one field. Arrays, strings
 * and numbers are compared whole. A top-level value whose JSON exceeds the
 * size limit is compared by SHA-256 unless the comparison is full.
 */
import { summarize, summarizeIfHuge } from './summary';
import type { FieldChange, FieldScope } from './types';
import { childPath, isPlainRecord, leafChange } from './values';

/** Objects nested deeper than this are compared whole; JSON from a store is rarely deeper than 5. */
const MAX_DEPTH = 16;

export interface FieldDiffOptions {
  /** Compare every value whole, however big. */
  full: boolean;
  /** Size above which a top-level value is compared by summary. */
  hugeBytes: number;
}

/** Keys of A in their order, then the keys only B has. */
export function orderedKeys(a: Record<string, unknown> | undefined, b: Record<string, unknown> | undefined): string[] {
  const keys = Object.keys(a ?? {});
  const seen = new Set(keys);
  for (const key of Object.keys(b ?? {})) if (!seen.has(key)) keys.push(key);

  return keys;
}

export function ownValue(record: Record<string, unknown> | undefined, key: string): unknown {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

/**
 * Compares two records under a path prefix. A missing record counts as
 * having no keys, so each key of the other side is added or removed.
 */
export function diffRecords(
  scope: FieldScope,
  prefix: string,
  a: Record<string, unknown> | undefined,
  b: Record<string, unknown> | undefined,
  options: FieldDiffOptions,
): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const key of orderedKeys(a, b)) {
    const path = childPath(prefix, key);
    const valueA = ownValue(a, key);
    const valueB = ownValue(b, key);
    const huge = !options.full
      && (summarizeIfHuge(valueA, options.hugeBytes) !== undefined || summarizeIfHuge(valueB, options.hugeBytes) !== undefined);
    if (huge) changes.push(summaryChange(path, scope, valueA, valueB));
    else changes.push(...diffValues(path, scope, valueA, valueB, 1));
  }

  return changes;
}

/** Compares two values at a path: objects key by key, anything else whole. */
export function diffValues(path: string, scope: FieldScope, a: unknown, b: unknown, depth: number): FieldChange[] {
  const walk = isPlainRecord(a) && isPlainRecord(b) && depth < MAX_DEPTH
    && (Object.keys(a).length > 0 || Object.keys(b).length > 0);
  if (!walk) return [leafChange(path, scope, a, b)];

  const changes: FieldChange[] = [];
  for (const key of orderedKeys(a, b)) {
    changes.push(...diffValues(childPath(path, key), scope, ownValue(a, key), ownValue(b, key), depth + 1));
  }

  return changes;
}

/** Compares two values by size and SHA-256. A side that is a number or boolean keeps its value. */
export function summaryChange(path: string, scope: FieldScope, a: unknown, b: unknown): FieldChange {
  const summaryA = a === undefined ? undefined : summarize(a);
  const summaryB = b === undefined ? undefined : summarize(b);

  let kind: FieldChange['kind'];
  if (a === undefined) kind = 'added';
  else if (b === undefined) kind = 'removed';
  else if (summaryA && summaryB && summaryA.sha256 === summaryB.sha256) kind = 'unchanged';
  else kind = 'changed';

  const change: FieldChange = { path, scope, kind, summary: {} };
  if (summaryA) change.summary!.a = summaryA;
  else if (a !== undefined) change.a = a;
  if (summaryB) change.summary!.b = summaryB;
  else if (b !== undefined) change.b = b;

  return change;
}
