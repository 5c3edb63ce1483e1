/**
 * Small type symbols drawn as SVG paths in a 14×14 box, because the webview
 * loads no icon font. Each asset type has its own shape; colours come from
 * CSS classes.
 */

const GLYPHS: Record<string, string> = {
  // A database cylinder.
  Dataset: 'M2 3.5C2 2 12 2 12 3.5V10.5C12 12 2 12 2 10.5Z M2 3.5C2 5 12 5 12 3.5 M2 7C2 8.5 12 8.5 12 7',
  // A hexagon.
  Model: 'M7 1L12.5 4V10L7 13L1.5 10V4Z M1.5 4L7 7L12.5 4 M7 7V13',
  // A 2×2 grid.
  FeatureSet: 'M1.5 1.5H12.5V12.5H1.5Z M7 1.5V12.5 M1.5 7H12.5',
  // Three bars.
  Metrics: 'M2 12.5V8 M7 12.5V2 M12 12.5V5.5 M1 12.5H13',
  // A page with lines.
  Report: 'M3 1.5H9L11.5 4V12.5H3Z M5 6H9.5 M5 8.5H9.5 M5 11H8',
  // A speech bubble.
  Prompt: 'M1.5 2.5H12.5V9.5H6L3 12V9.5H1.5Z',
  // A flag.
  Checkpoint: 'M3 13V1.5 M3 2H11L9 4.5L11 7H3',
  // A box.
  Artifact: 'M1.5 4L7 1.5L12.5 4V10L7 12.5L1.5 10Z M1.5 4L7 6.5L12.5 4 M7 6.5V12.5',
  Asset: 'M2 2H12V12H2Z',
};

/** A circle for steps, a folder for runs, a question mark box for missing parents and stacked boxes for clusters. */
const KIND_GLYPHS: Record<string, string> = {
  step: 'M7 2A5 5 0 1 1 6.99 2Z M5.5 4.5L9.5 7L5.5 9.5Z',
  run: 'M1.5 3H5.5L7 4.5H12.5V11.5H1.5Z',
  missing: 'M2 2H12V12H2Z M5 5.5C5 3.5 9 3.5 9 5.5C9 7 7 7 7 8.5 M7 10V10.5',
  cluster: 'M1.5 4.5H9.5V12.5H1.5Z M3.5 2.5H11.5V10.5 M5.5 0.5H13.5V8.5',
  other: 'M7 1.5L12.5 7L7 12.5L1.5 7Z',
};

export function glyphPath(kind: string, type: string | undefined): string {
  if (kind === 'asset') return GLYPHS[type ?? ''] ?? KIND_GLYPHS.other;

  return KIND_GLYPHS[kind] ?? KIND_GLYPHS.other;
}

/** Returns the CSS class of a type: `type-<name>` for the seed types and `type-other` for every `Other: …` type. */
export function typeClass(type: string | undefined): string {
  return type && type in GLYPHS ? `type-${type}` : 'type-other';
}
