// JSON at the edges of what parsers accept, found by the mutation fuzzer.
// Integers beyond 64 bits in catalog tags made JSON.stringify throw on the
// bigint the tolerant parser returns, and the whole catalog failed to load.
// JSON nested thousands of levels deep parsed, but JSON.stringify and the
// recursive walkers then overflowed the stack. The parser now rejects nesting
// beyond SQLite's limit of 1,000 levels with a clear message.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadWorkspace, type WorkspaceIndex } from '../../../src/core/index';
import { MAX_JSON_DEPTH, parseTolerantJson } from '../../../src/core/json/tolerant';
import { jsonCell } from '../../../src/core/stats/column';
import {
  BASELINE_COUNTS, BASIC_RUNS, CATALOG_IDS, STORE, countByStore, executeSql, makeWorkspace, versionIdOf,
  type HostileWorkspace,
} from '../../helpers/hostile-stores';

const DEEP_ARTIFACT = `${BASIC_RUNS[0]}_train_model_model/logreg`;
const TOO_DEEP_ARTIFACT = `${BASIC_RUNS[1]}_train_model_model/logreg`;
const HUGE_DEEP_ARTIFACT = `${BASIC_RUNS[2]}_train_model_model/logreg`;

/** Metadata nested `depth` levels in all: the object, its properties, then arrays. */
function nested(depth: number): string {
  const inner = depth - 2;
  return `{"step": "train_model", "created_at": "2026-12-04T19:25:54.746585", "properties": {"num_layers": 3, "deep": ${'['.repeat(inner)}1${']'.repeat(inner)}}}`;
}

describe('JSON beyond parser limits', () => {
  let workspace: HostileWorkspace;
  let index: WorkspaceIndex;

  before(async () => {
    workspace = makeWorkspace('json-limits');
    executeSql(workspace.file(STORE.catalog), [{
      sql: 'UPDATE artifacts SET tags = ? WHERE artifact_id = ?',
      params: ['{"seed": 123456789012345678901234567890, "nested": {"n": 18446744073709551616}, "score": NaN}', CATALOG_IDS.model],
    }]);
    executeSql(workspace.file(STORE.metadata), [
      { sql: 'UPDATE artifacts SET metadata = ? WHERE artifact_id = ?', params: [nested(1000), DEEP_ARTIFACT] },
      { sql: 'UPDATE artifacts SET metadata = ? WHERE artifact_id = ?', params: [nested(1001), TOO_DEEP_ARTIFACT] },
      { sql: 'UPDATE artifacts SET metadata = ? WHERE artifact_id = ?', params: [nested(100_000), HUGE_DEEP_ARTIFACT] },
    ]);
    index = await loadWorkspace(workspace.root);
  }, { timeout: 120_000 });

  after(() => {
    index?.dispose();
    workspace?.remove();
  });

  test('huge integer tags keep catalog', () => {
    assert.deepEqual(countByStore(index.versions), BASELINE_COUNTS);
    const model = index.getVersion(versionIdOf(STORE.catalog, CATALOG_IDS.model));
    assert.ok(model, 'the catalog model row is listed');
    assert.equal(model.tags.seed, '123456789012345678901234567890');
    assert.equal(model.tags.nested, '{"n":18446744073709551616}');
    assert.equal(model.tags.score, '"NaN"');
  });

  test('1,000 levels is valid', async () => {
    const deepId = versionIdOf(STORE.metadata, DEEP_ARTIFACT);
    assert.equal(index.getVersion(deepId)?.step, 'train_model');
    assert.deepEqual(index.problems.filter((p) => p.message.includes(DEEP_ARTIFACT)), []);
    const details = await index.details(deepId);
    assert.equal(details.problem, undefined);
    assert.equal(details.properties.typed.num_layers, 3);
    assert.ok(JSON.stringify(details.raw).length > 2000, 'the deep value serializes');
  });

  test('1,001 levels reported on load', () => {
    const problems = index.problems.filter((p) => p.message.includes(TOO_DEEP_ARTIFACT));
    assert.equal(problems.length, 1, JSON.stringify(index.problems));
    assert.equal(problems[0].code, 'malformed-json');
    assert.equal(problems[0].file, STORE.metadata);
    assert.match(problems[0].message, /nested too deeply: more than 1,000 levels/);
  });

  test('100,000 levels reported in details', async () => {
    const details = await index.details(versionIdOf(STORE.metadata, HUGE_DEEP_ARTIFACT));
    assert.ok(details.problem, 'details report a problem');
    assert.ok(details.problem.includes(STORE.metadata), details.problem);
    assert.match(details.problem, /nested too deeply/);
  });

  test('parser depth limit', () => {
    const atLimit = '['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH);
    assert.ok(Array.isArray(parseTolerantJson(atLimit)));
    const over = '['.repeat(MAX_JSON_DEPTH + 1) + ']'.repeat(MAX_JSON_DEPTH + 1);
    assert.throws(() => parseTolerantJson(over), /nested too deeply/);
    // Brackets inside strings do not count.
    const quoted = `["${'['.repeat(5000)}"]`;
    assert.deepEqual(parseTolerantJson(quoted), ['['.repeat(5000)]);
  });

  test('JSON Lines cell with bigint', () => {
    assert.equal(jsonCell({ id: 2n ** 70n, ratio: NaN }), '{"id":1180591620717411303424,"ratio":"NaN"}');
    assert.equal(jsonCell([1n, 'a']), '[1,"a"]');
  });
});
