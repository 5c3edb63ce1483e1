/**
 * Runs CPython as the oracle for differential tests: one python3 process per
 * batch, the whole batch as JSON on stdin (see python-format-oracle.py).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { PyValue } from '../../src/core/prompt';

const SCRIPT = path.join(__dirname, 'python-format-oracle.py');
const PYTHON = process.env.PYTHON ?? 'python3';

export type TaggedValue =
  | { s: string } | { i: string } | { f: string } | { b: boolean } | { n: null }
  | { l: TaggedValue[] } | { t: TaggedValue[] } | { d: [TaggedValue, TaggedValue][] };

export type OracleCase =
  | { op: 'format'; template: string; vars: [string, TaggedValue][] }
  | { op: 'format_value'; value: TaggedValue; spec: string }
  | { op: 'repr'; value: TaggedValue }
  | { op: 'literal'; text: string }
  | { op: 'json'; text: string }
  | { op: 'chat'; template: string; vars: [string, TaggedValue][] };

export type OracleResult =
  | { ok: true; text?: string; repr?: string; str?: string; ascii?: string; value?: TaggedValue }
  | { ok: false; exception: string; message: string };

/** Returns why python3 cannot run here, or undefined when it can. */
export function oracleUnavailable(): string | undefined {
  const result = spawnSync(PYTHON, ['-c', 'import sys; assert sys.version_info >= (3, 11), sys.version'], { encoding: 'utf8' });
  if (result.error) return `${PYTHON} could not be started: ${result.error.message}`;
  if (result.status !== 0) return `${PYTHON} is older than 3.11, whose str.format the tests pin: ${result.stderr.trim()}`;

  return undefined;
}

/** Runs every case in one python3 process and returns the results in the same order. */
export function runOracle(cases: OracleCase[]): OracleResult[] {
  const result = spawnSync(PYTHON, [SCRIPT], { input: JSON.stringify(cases), encoding: 'utf8', timeout: 120_000, maxBuffer: 256 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`python-format-oracle failed with status ${result.status}: ${result.stderr}`);
  const results = JSON.parse(result.stdout) as OracleResult[];
  if (results.length !== cases.length) throw new Error(`python-format-oracle returned ${results.length} results for ${cases.length} cases`);

  return results;
}

/** Encodes a value for the oracle; floats travel as their shortest round-trip text. */
export function tag(value: PyValue): TaggedValue {
  switch (value.type) {
    case 'str':
      return { s: value.value };
    case 'int':
      return { i: value.value.toString() };
    case 'float':
      return { f: Object.is(value.value, -0) ? '-0.0' : String(value.value) };
    case 'bool':
      return { b: value.value };
    case 'NoneType':
      return { n: null };
    case 'list':
      return { l: value.items.map(tag) };
    case 'tuple':
      return { t: value.items.map(tag) };
    case 'dict':
      return { d: value.entries.map(([k, v]) => [tag(k), tag(v)]) };
  }
}

/** Decodes an oracle value. */
export function untag(value: TaggedValue): PyValue {
  if ('s' in value) return { type: 'str', value: value.s };
  if ('i' in value) return { type: 'int', value: BigInt(value.i) };
  if ('f' in value) return { type: 'float', value: Number(value.f.replace('inf', 'Infinity')) };
  if ('b' in value) return { type: 'bool', value: value.b };
  if ('n' in value) return { type: 'NoneType' };
  if ('l' in value) return { type: 'list', items: value.l.map(untag) };
  if ('t' in value) return { type: 'tuple', items: value.t.map(untag) };

  return { type: 'dict', entries: value.d.map(([k, v]) => [untag(k), untag(v)] as const) };
}
