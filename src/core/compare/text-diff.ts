/**
 * A line diff of two texts, for showing a changed prompt template in a
 * terminal or a pull request. Free of Node and DOM imports.
 */

export interface DiffLine {
  /** ' ' for a line both texts have, '-' for a line only A has, '+' for a line only B has. */
  op: ' ' | '-' | '+';
  text: string;
}

/**
 * Above this many line pairs the longest-common-subsequence table would be
 * too big (it needs one cell per pair), so the diff removes all of A and
 * adds all of B.
 */
const MAX_CELLS = 4_000_000;

/** Returns the lines of A and B in order, each marked kept, removed or added. */
export function diffLines(textA: string, textB: string): DiffLine[] {
  const linesA = textA.split('\n');
  const linesB = textB.split('\n');

  // Lines shared at the start and the end need no table.
  let start = 0;
  while (start < linesA.length && start < linesB.length && linesA[start] === linesB[start]) start++;
  let endA = linesA.length;
  let endB = linesB.length;
  while (endA > start && endB > start && linesA[endA - 1] === linesB[endB - 1]) {
    endA--;
    endB--;
  }

  const head = linesA.slice(0, start).map((text): DiffLine => ({ op: ' ', text }));
  const tail = linesA.slice(endA).map((text): DiffLine => ({ op: ' ', text }));
  const middle = diffMiddle(linesA.slice(start, endA), linesB.slice(start, endB));

  return [...head, ...middle, ...tail];
}

function diffMiddle(a: string[], b: string[]): DiffLine[] {
  if ((a.length + 1) * (b.length + 1) > MAX_CELLS) {
    return [...a.map((text): DiffLine => ({ op: '-', text })), ...b.map((text): DiffLine => ({ op: '+', text }))];
  }

  // common[i][j] is the length of the longest common subsequence of a[i..] and b[j..].
  const width = b.length + 1;
  const common = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      common[i * width + j] = a[i] === b[j]
        ? common[(i + 1) * width + j + 1] + 1
        : Math.max(common[(i + 1) * width + j], common[i * width + j + 1]);
    }
  }

  const lines: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      lines.push({ op: ' ', text: a[i] });
      i++;
      j++;
    } else if (common[(i + 1) * width + j] >= common[i * width + j + 1]) {
      lines.push({ op: '-', text: a[i++] });
    } else {
      lines.push({ op: '+', text: b[j++] });
    }
  }
  while (i < a.length) lines.push({ op: '-', text: a[i++] });
  while (j < b.length) lines.push({ op: '+', text: b[j++] });

  return lines;
}
