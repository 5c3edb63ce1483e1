// Single bit flips in the root store's header and b-tree pages. Each load
// must give either exactly the data of the undamaged store or a clear error
// naming the file. The loader runs in a child process with a time limit, so a
// hang fails one test instead of stopping the suite.
//
// Page numbers come from the dbstat table of the basic fixture (sqlite3
// 3.40.1). Page 2 is the runs leaf and page 11 the artifacts root (interior).
// Page 12 is the artifacts primary-key index, and page 23 an artifacts leaf
// with 4 cells. Page 18 is an artifacts overflow page that continues on 19.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  BASIC_RUNS, STACK_TRACE_LINE, STORE, countsWithout, ensureCliBuilt, flipBit, hashTree, makeWorkspace,
  parseJsonOutput, runCli, versionIdOf, type CliResult, type HostileWorkspace,
} from '../../helpers/hostile-stores';
import type { LoadSummary } from './load-summary';

const PAGE = 4096;
const CHILD_TIMEOUT_MS = 30_000;
const LOAD_SUMMARY = path.join(__dirname, 'load-summary.ts');
const DETAIL_ID = versionIdOf(STORE.metadata, `${BASIC_RUNS[0]}_preprocess_data/train`);

/** Codes that describe a damaged file. */
const DAMAGE_CODES = ['not-sqlite', 'truncated', 'corrupt', 'malformed-json'];

interface Flip {
  title: string;
  offset: number;
  bit: number;
  /** What the format guarantees; 'either' where SQLite may or may not notice. */
  expect: 'data' | 'error' | 'either';
}

const HEADER_FLIPS: Flip[] = [
  { title: 'magic string bit flipped', offset: 0, bit: 0, expect: 'error' },
  { title: 'page size bit flipped', offset: 16, bit: 0, expect: 'error' },
  { title: 'write version bit flipped', offset: 18, bit: 2, expect: 'error' },
  { title: 'reserved space bit flipped', offset: 20, bit: 5, expect: 'either' },
  { title: 'payload fraction bit flipped', offset: 21, bit: 0, expect: 'error' },
  { title: 'change counter bit flipped', offset: 27, bit: 0, expect: 'data' },
  { title: 'page count bit flipped', offset: 31, bit: 7, expect: 'error' },
  { title: 'schema cookie bit flipped', offset: 43, bit: 0, expect: 'data' },
  { title: 'schema format bit flipped', offset: 47, bit: 3, expect: 'error' },
  { title: 'auto-vacuum field bit flipped', offset: 55, bit: 0, expect: 'either' },
  { title: 'text encoding bit flipped', offset: 59, bit: 1, expect: 'either' },
];

const BTREE_FLIPS: Flip[] = [
  { title: 'schema cell pointer flipped', offset: 100 + 8, bit: 4, expect: 'either' },
  { title: 'runs leaf cell count flipped', offset: 1 * PAGE + 4, bit: 2, expect: 'either' },
  { title: 'artifacts root type flipped', offset: 10 * PAGE, bit: 1, expect: 'error' },
  { title: 'artifacts right child flipped', offset: 10 * PAGE + 11, bit: 6, expect: 'error' },
  { title: 'artifacts cell pointer flipped', offset: 10 * PAGE + 12, bit: 4, expect: 'either' },
  { title: 'index page type flipped', offset: 11 * PAGE, bit: 0, expect: 'either' },
  { title: 'leaf cell count zeroed', offset: 22 * PAGE + 4, bit: 2, expect: 'either' },
  { title: 'leaf cell count raised', offset: 22 * PAGE + 4, bit: 0, expect: 'either' },
  { title: 'overflow link out of range', offset: 17 * PAGE + 3, bit: 6, expect: 'either' },
  { title: 'overflow link loops back', offset: 17 * PAGE + 3, bit: 0, expect: 'either' },
];

interface Observation {
  summary: LoadSummary;
  child: { status: number | null; signal: string | null; stderr: string };
  list: CliResult;
  show: CliResult;
}

function observe(root: string): Observation {
  const child = spawnSync(process.execPath, ['--import', 'tsx', LOAD_SUMMARY, root, DETAIL_ID], {
    encoding: 'utf8',
    timeout: CHILD_TIMEOUT_MS,
    maxBuffer: 64 * 1024 * 1024,
  });
  let summary: LoadSummary = { versions: [], problems: [], runs: 0 };
  if (child.status === 0) summary = JSON.parse(child.stdout) as LoadSummary;
  return {
    summary,
    child: { status: child.status, signal: child.signal, stderr: child.stderr ?? '' },
    list: runCli(['list', '--json', root], CHILD_TIMEOUT_MS),
    show: runCli(['show', '--json', DETAIL_ID, root], CHILD_TIMEOUT_MS),
  };
}

let baseline: Observation;
let baselineWorkspace: HostileWorkspace;

before(() => {
  ensureCliBuilt();
  baselineWorkspace = makeWorkspace('flip-baseline');
  baseline = observe(baselineWorkspace.root);
  assert.equal(baseline.child.status, 0, `the undamaged workspace loads: ${baseline.child.stderr}`);
  assert.deepEqual(baseline.summary.problems, [], 'the undamaged workspace has no problems');
}, { timeout: 120_000 });

after(() => baselineWorkspace?.remove());

function checkFlip(flip: Flip): void {
  test(flip.title, { timeout: 4 * CHILD_TIMEOUT_MS }, () => {
    const workspace = makeWorkspace('flip');
    try {
      flipBit(workspace.file(STORE.metadata), flip.offset, flip.bit);
      const hashesBefore = hashTree(workspace.root);
      const seen = observe(workspace.root);

      assert.equal(seen.child.signal, null, 'the loader finished within its time limit');
      assert.equal(seen.child.status, 0, `the loader did not throw: ${seen.child.stderr}`);
      assert.equal(seen.list.signal, null, 'list finished within its time limit');
      assert.doesNotMatch(seen.list.stderr, STACK_TRACE_LINE);
      assert.doesNotMatch(seen.list.stderr, /unexpected error/);
      assert.equal(seen.show.signal, null, 'show finished within its time limit');
      assert.doesNotMatch(seen.show.stderr, STACK_TRACE_LINE);
      assert.doesNotMatch(seen.show.stderr, /unexpected error/);

      const errors = seen.summary.problems.filter((p) => p.file === STORE.metadata && p.severity === 'error');
      const outcome = errors.length > 0 ? 'error' : 'data';
      if (flip.expect !== 'either') assert.equal(outcome, flip.expect, `outcome; problems: ${JSON.stringify(seen.summary.problems)}`);

      if (outcome === 'error') {
        for (const error of errors) {
          assert.ok(DAMAGE_CODES.includes(error.code), `code ${error.code} describes damage`);
          assert.ok(error.message.includes(STORE.metadata), `message names the file: ${error.message}`);
        }
        const others = seen.summary.versions.filter((v) => v.store !== STORE.metadata);
        assert.equal(others.length, Object.values(countsWithout(STORE.metadata)).reduce((a, b) => a + b, 0), 'every other store loads');
        assert.equal(seen.list.status, 1, 'list exits 1 on a damaged store');
        assert.ok(seen.list.stderr.includes(STORE.metadata), `list names the file: ${seen.list.stderr}`);
      } else {
        assert.deepEqual(seen.summary.versions, baseline.summary.versions, 'the same versions as the undamaged store');
        assert.equal(seen.summary.runs, baseline.summary.runs, 'the same number of runs');
        assert.deepEqual(seen.summary.problems, [], 'no problem is reported');
        assert.equal(seen.list.status, 0, `list exits 0: ${seen.list.stderr}`);
        assert.deepEqual(parseJsonOutput(seen.list), parseJsonOutput(baseline.list), 'list prints the undamaged output');
      }

      const details = seen.summary.details;
      assert.ok(details, 'details were requested');
      if (details.ok) {
        assert.equal(details.name, 'iris_train', 'details give the right version');
        assert.equal(parseJsonOutput<{ name: string }>(seen.show).name, 'iris_train', 'show prints the right version');
        // show prints the version and still exits 1 when the workspace has a load error.
        assert.equal(seen.show.status, outcome === 'error' ? 1 : 0, `show exit status: ${seen.show.stderr}`);
      } else {
        assert.ok(details.message.includes(STORE.metadata), `the details error names the file: ${details.message}`);
        assert.equal(seen.show.status, 1, 'show exits 1');
        assert.ok(seen.show.stderr.includes(STORE.metadata), `show names the file: ${seen.show.stderr}`);
      }

      assert.deepEqual(hashTree(workspace.root), hashesBefore, 'no file was written');
    } finally {
      workspace.remove();
    }
  });
}

describe('header bit flips', () => {
  for (const flip of HEADER_FLIPS) checkFlip(flip);
});

describe('b-tree bit flips', () => {
  for (const flip of BTREE_FLIPS) checkFlip(flip);
});
