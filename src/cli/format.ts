/**
 * Text renderings for the command line: a column table, terminal-safe
 * strings, and lineage graphs as DOT and Mermaid.
 */
export { lineageToDot, lineageToMermaid } from '../core/lineage/export';

/**
 * Escapes control characters so a hostile name from a store cannot move the
 * cursor, recolour the terminal or hide text. Newlines and tabs are escaped
 * too, because each table cell must stay on one line.
 */
/** Control characters, line and paragraph separators, and bidirectional overrides. */
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function terminalSafe(value: string): string {
  return value.replace(UNSAFE_CHARACTERS, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\t') return '\\t';
    return `\\u{${c.codePointAt(0)!.toString(16)}}`;
  });
}

/** Crops a cell to a width, marking the cut with an ellipsis. */
export function crop(value: string, width: number): string {
  const chars = [...value];
  return chars.length <= width ? value : `${chars.slice(0, Math.max(0, width - 1)).join('')}…`;
}

export function table(headers: string[], rows: string[][], maxWidths: number[]): string {
  const cells = rows.map((row) => row.map((cell, i) => crop(terminalSafe(cell), maxWidths[i] ?? 80)));
  const widths = headers.map((h, i) => Math.max([...h].length, ...cells.map((r) => [...(r[i] ?? '')].length)));
  const line = (row: string[]) => row.map((cell, i) => cell + ' '.repeat(Math.max(0, widths[i] - [...cell].length))).join('  ').trimEnd();
  return [line(headers), ...cells.map(line)].join('\n');
}
