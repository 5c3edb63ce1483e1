/**
 * Exact conversion between LSP positions and offsets into a source text.
 *
 * LSP positions count UTF-16 code units within a line, and lines end at
 * `\n`, `\r\n` or a lone `\r`. JavaScript strings are UTF-16 too, so an
 * offset into the string is already in LSP's unit. The work is in finding
 * line starts by LSP's rules and in never splitting a surrogate pair.
 * Parsers may report UTF-8 byte offsets instead, so those convert here too.
 */
import type { Position, Range } from 'vscode-languageserver';

export class SourceText {
  /** Offset of the first code unit of each line. */
  private readonly lineStarts: number[];
  private utf8ToUtf16: Int32Array | undefined;

  constructor(readonly text: string) {
    this.lineStarts = computeLineStarts(text);
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** Converts a UTF-16 offset to a position, clamping offsets outside the text. */
  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.lineStarts[middle] <= clamped) low = middle;
      else high = middle - 1;
    }
    return { line: low, character: clamped - this.lineStarts[low] };
  }

  /**
   * Converts a position to a UTF-16 offset. A character past the end of its line
   * means the end of the line, as LSP specifies. A character that falls
   * between the two halves of a surrogate pair moves to the pair's start.
   */
  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.lineStarts.length) return this.text.length;

    const start = this.lineStarts[position.line];
    const end = this.lineContentEnd(position.line);
    let offset = Math.min(start + Math.max(0, position.character), end);
    if (offset > start && isLowSurrogate(this.text.charCodeAt(offset)) && isHighSurrogate(this.text.charCodeAt(offset - 1))) offset -= 1;

    return offset;
  }

  range(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }

  /** Converts a UTF-8 byte offset into the same text to a UTF-16 offset. */
  offsetOfUtf8(byteOffset: number): number {
    this.utf8ToUtf16 ??= buildUtf8Map(this.text);
    const index = Math.max(0, Math.min(byteOffset, this.utf8ToUtf16.length - 1));
    return this.utf8ToUtf16[index];
  }

  /** Offset just past the last character of a line, before its line break. */
  private lineContentEnd(line: number): number {
    const nextStart = line + 1 < this.lineStarts.length ? this.lineStarts[line + 1] : this.text.length;
    let end = nextStart;
    if (end > this.lineStarts[line] && this.text.charCodeAt(end - 1) === LF) end -= 1;
    if (end > this.lineStarts[line] && this.text.charCodeAt(end - 1) === CR) end -= 1;
    return end;
  }
}

const LF = 0x0a;
const CR = 0x0d;

function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === CR) {
      if (text.charCodeAt(i + 1) === LF) i += 1;
      starts.push(i + 1);
    } else if (code === LF) {
      starts.push(i + 1);
    }
  }
  return starts;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * Maps every UTF-8 byte offset of the text to the UTF-16 offset of the
 * character it belongs to. The entry past the last byte maps to the end.
 */
function buildUtf8Map(text: string): Int32Array {
  const bytes = Buffer.byteLength(text, 'utf8');
  const map = new Int32Array(bytes + 1);
  let byte = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.codePointAt(i)!;
    const width = utf8Width(code);
    for (let k = 0; k < width; k++) map[byte + k] = i;
    byte += width;
    if (code >= 0x10000) i += 1;
  }
  map[bytes] = text.length;
  return map;
}

/** Bytes UTF-8 uses for a code point; a lone surrogate is written as U+FFFD, three bytes. */
function utf8Width(code: number): number {
  if (code < 0x80) return 1;
  if (code < 0x800) return 2;
  if (code < 0x10000) return 3;
  return 4;
}
