/**
 * Comparison of two asset versions, with its Markdown and JSON exports.
 * `markdown.ts`, `values.ts` and `text-diff.ts` import no Node module, so a
 * webview bundle may import them directly.
 */
import { stringifyJson } from '../json/tolerant';
import type { Comparison } from './types';

export { compareVersions, type CompareOptions } from './compare';
export { HUGE_VALUE_BYTES } from './summary';
export { comparisonToMarkdown } from './markdown';
export { diffLines, type DiffLine } from './text-diff';
export { formatChange, formatDelta, formatSide, formatSummary, formatValue, valuesEqual } from './values';
export type * from './types';

/**
 * Writes a comparison as indented JSON. NaN and ±Infinity become the strings
 * "NaN", "Infinity" and "-Infinity"; big integers stay exact literals.
 */
export function comparisonToJson(comparison: Comparison): string {
  return stringifyJson(comparison, 2);
}
