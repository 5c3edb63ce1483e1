/**
 * Text renderings for the command line: a column table, terminal-safe
 * strings, and lineage graphs as DOT and Mermaid.
 */
export { lineageToDot, lineageToMermaid } from '../core/lineage/export';

/** Control characters (C0, DEL, C1), line and paragraph separators, and Unicode's bidirectional controls. */
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** The same characters without newline and tab, for text whose line breaks and tabs are wanted. */
const UNSAFE_IN_TEXT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * The same characters without tab, newline and carriage return, because in JSON
 * text those can be whitespace between tokens. Inside strings JSON.stringify has
 * already escaped them.
 */
const UNSAFE_IN_JSON = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const braced = (c: string) => `\\u{${c.codePointAt(0)!.toString(16)}}`;

/**
 * Escapes control characters so a hostile name from a store cannot move the
 * cursor, recolour the terminal or hide text. Newlines and tabs are escaped
 * too, because each table cell must stay on one line.
 */
export function terminalSafe(value: string): string {
  return value.replace(UNSAFE_CHARACTERS, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\t') return '\\t';
    return braced(c);
  });
}

/**
 * Escapes what terminalSafe escapes but keeps newlines and tabs: the guard on
 * every line the command line writes, and the form a rendered prompt is shown
 * in. Text that terminalSafe has already escaped passes through unchanged.
 */
export function terminalText(value: string): string {
  return value.replace(UNSAFE_IN_TEXT, braced);
}

/**
 * Escapes as \uXXXX, in JSON text, the characters JSON.stringify leaves raw: DEL,
 * C1 and bidirectional controls. Outside strings JSON text is plain ASCII, so every
 * match is inside a string and the text still parses to the same values.
 */
export function jsonSafe(json: string): string {
  return json.replace(UNSAFE_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
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
