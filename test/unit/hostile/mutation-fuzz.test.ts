// A fixed-seed slice of the mutation fuzzer (test/reliability/fuzz.ts): 500
// damaged copies of the committed fixture stores, each loaded in a child
// process with a hard time limit beside an undamaged store. Every case must
// give the rows SQLite reads, or an error that names the damaged file; the
// undamaged store must load in full. `npm run bench:reliability` runs the
// same fuzzer over 10,000 cases and every shared fixture.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { BYTE_KINDS, Fuzzer, SQL_KINDS, smallFixtureStores, summarize, type CaseResult } from '../../reliability/fuzz';

const SEED = 20261204;
const CASES = 500;

describe('mutation fuzzing slice', () => {
  const fuzzer = new Fuzzer();
  let results: CaseResult[] = [];

  after(() => fuzzer.dispose());

  test(`${CASES} damaged stores load or fail clearly`, { timeout: 600_000 }, async (t) => {
    results = await fuzzer.run({ seed: SEED, count: CASES, fixtures: smallFixtureStores() });
    const summary = summarize(results);
    t.diagnostic(`outcomes per kind: ${JSON.stringify(summary.byKind)}`);
    t.diagnostic(`time per case: median ${summary.medianMs.toFixed(1)} ms, p99 ${summary.p99Ms.toFixed(1)} ms, max ${summary.maxMs.toFixed(1)} ms`);

    assert.equal(results.length, CASES);
    const others = summary.others.map((r) => `#${r.index} ${r.kind} on ${r.fixture} (${r.described}): ${r.reason}`);
    assert.deepEqual(others, [], 'every case gives the right data or a clear error');
  });

  test('every mutation kind is covered', () => {
    const summary = summarize(results);
    for (const kind of [...BYTE_KINDS, ...SQL_KINDS]) {
      const counts = summary.byKind[kind];
      assert.ok(counts, `no case of ${kind}`);
      assert.ok(counts['right-data'] + counts['clear-error'] >= 30, `${kind}: ${JSON.stringify(counts)}`);
    }
  });

  test('truncations always report the file', () => {
    for (const r of results.filter((c) => c.kind === 'truncate-at-page' || c.kind === 'truncate-in-page')) {
      assert.equal(r.outcome, 'clear-error', `#${r.index} ${r.described}: ${r.reason}`);
      assert.match(r.reason, /^truncated: /);
    }
  });

  test('wrong tables name the column', () => {
    for (const r of results.filter((c) => c.kind === 'wrong-table')) {
      assert.equal(r.outcome, 'clear-error', `#${r.index} ${r.described}: ${r.reason}`);
      assert.match(r.reason, /^schema: .*required column "[a-z_]+" is missing/);
    }
  });
});
