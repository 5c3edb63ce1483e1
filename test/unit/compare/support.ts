/** Shared pieces of the comparison tests: id builders, field lookup and the generated store. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Comparison, FieldChange } from '../../../src/core/index';

export const META = '.flowyml/metadata.db:artifacts:';
export const PROJECT = '.flowyml/projects/support-genai/metadata.db:artifacts:';

/** The version id of a metadata.db artifact row, as `list` prints it. */
export function metaId(artifactId: string, prefix = META): string {
  return `${prefix}${encodeURIComponent(artifactId)}`;
}

/** Returns the field at `fieldPath`, failing the test when the comparison has none. */
export function fieldAt(comparison: Comparison, fieldPath: string): FieldChange {
  const found = comparison.fields.find((f) => f.path === fieldPath);
  assert.ok(found, `comparison has a field ${fieldPath}; it has ${comparison.fields.map((f) => f.path).join(', ')}`);

  return found;
}

/** Run ids of the store that make-store.py writes. */
export const GENERATED_RUN_A = '0a0a0a0a-1111-4111-8111-000000000001';
export const GENERATED_RUN_B = '0b0b0b0b-2222-4222-8222-000000000002';
export const HOSTILE_NAME = 'evil|<script>alert(1)</script>`x';

/** Returns the ids of one output of the generated store in run A and run B. */
export function generatedPair(stepOutput: string): [string, string] {
  return [metaId(`${GENERATED_RUN_A}_${stepOutput}`), metaId(`${GENERATED_RUN_B}_${stepOutput}`)];
}

/** Why the generated store cannot be written here, or undefined when python3 with sqlite3 is available. */
export function pythonMissing(): string | undefined {
  const result = spawnSync(process.env.PYTHON ?? 'python3', ['-c', 'import sqlite3'], { encoding: 'utf8' });
  if (result.error) return `python3 could not be started: ${result.error.message}`;
  if (result.status !== 0) return `python3 has no sqlite3 module: ${result.stderr.trim()}`;

  return undefined;
}

/** Writes the generated store into a new temporary workspace and returns its folder. */
export function makeGeneratedWorkspace(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'flowyml-compare-'));
  const script = path.join(__dirname, 'make-store.py');
  const result = spawnSync(process.env.PYTHON ?? 'python3', [script, root], { encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0) throw new Error(`make-store.py failed with status ${result.status}: ${result.stderr}`);

  return root;
}
