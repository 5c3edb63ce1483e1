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

/** Maximum length of the file name stem an export proposes, because file systems reject names beyond 255 bytes. */
const FILE_STEM_CHARS = 120;

/**
 * Proposes a file name stem for an export, such as
 * `churn_model-v1.0.0-vs-v2.0.0`. Runs of characters outside `A-Za-z0-9._-`
 * become one underscore, and the stem is cut to 120 characters, so any
 * stored name gives a short name that is safe on every file system.
 */
export function comparisonFileStem(comparison: Comparison): string {
  const side = (facts: Comparison['a']) => facts.storedVersion ?? facts.label;
  const stem = `${comparison.b.name}-${side(comparison.a)}-vs-${side(comparison.b)}`.replace(/[^A-Za-z0-9._-]+/g, '_');
  const cut = stem.slice(0, FILE_STEM_CHARS).replace(/^[.]+/, '_');

  return cut === '' ? 'comparison' : cut;
}
