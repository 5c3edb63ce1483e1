/** Positions in workspace files, for tests that move the editor's cursor with Workbench.goTo. */
import assert from 'node:assert/strict';
import fs from 'node:fs';

/** Finds the 1-based line and column of the first `needle` in a file, moved right by `offset` characters. */
export function positionOf(file: string, needle: string, offset = 0): { line: number; column: number } {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const line = lines.findIndex((text) => text.includes(needle));
  assert.ok(line >= 0, `${needle} is not in ${file}`);

  return { line: line + 1, column: lines[line].indexOf(needle) + 1 + offset };
}
