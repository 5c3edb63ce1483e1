// Bytes that are not valid UTF-8 in TEXT columns, written with
// CAST(x'…' AS TEXT) so SQLite stores them unchanged. The rows load, each
// invalid sequence is shown as U+FFFD (as a WHATWG or Python "replace"
// decoder gives it), and a warning names the file. Short and long values are
// both covered, because sql.js decodes strings of up to 16 bytes with its own
// loop and longer ones with TextDecoder.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadWorkspace, type WorkspaceIndex } from '../../../src/core/index';
import {
  BASELINE_COUNTS, BASIC_RUNS, CATALOG_IDS, STACK_TRACE_LINE, STORE, countByStore, ensureCliBuilt, executeSql,
  hashTree, makeWorkspace, parseJsonOutput, runCli, versionIdOf, type CliResult, type HostileWorkspace,
} from '../../helpers/hostile-stores';

function hex(text: string): string {
  return Buffer.from(text, 'latin1').toString('hex');
}

/** Each case: the row, the stored bytes (latin1 notation), and the name a "replace" decoder gives. */
const SHORT = { id: `${BASIC_RUNS[0]}_load_data_data/raw`, bytes: 'iris\xff_raw', shown: 'iris\uFFFD_raw' };
const LONG = {
  id: `${BASIC_RUNS[2]}_preprocess_data/train`,
  bytes: 'iris_train_\xc3(_from_the_legacy_exporter',
  shown: 'iris_train_\uFFFD(_from_the_legacy_exporter',
};
const CATALOG = { id: CATALOG_IDS.raw, bytes: 'customers_\xfe\xferaw', shown: 'customers_\uFFFD\uFFFDraw' };
/** An artifact id, the primary key that details are looked up by, with a stray byte at its end. */
const RECSYS_ID = {
  id: 'c2b2934b-8f2c-4b53-b9e7-506d15a02ae8_eval_als_metrics',
  bytes: 'c2b2934b-8f2c-4b53-b9e7-506d15a02ae8_eval_als_metrics\xff',
  shown: 'c2b2934b-8f2c-4b53-b9e7-506d15a02ae8_eval_als_metrics\uFFFD',
};

interface Listed {
  id: string;
  name: string;
  store: string;
}

describe('invalid UTF-8 in names', () => {
  let workspace: HostileWorkspace;
  let hashesBefore: Map<string, string>;
  let index: WorkspaceIndex;
  let list: CliResult;
  let listText: CliResult;
  let show: CliResult;

  before(async () => {
    ensureCliBuilt();
    workspace = makeWorkspace('utf8');
    executeSql(workspace.file(STORE.metadata), [
      { sql: `UPDATE artifacts SET name = CAST(x'${hex(SHORT.bytes)}' AS TEXT) WHERE artifact_id = ?`, params: [SHORT.id] },
      { sql: `UPDATE artifacts SET name = CAST(x'${hex(LONG.bytes)}' AS TEXT) WHERE artifact_id = ?`, params: [LONG.id] },
    ]);
    executeSql(workspace.file(STORE.recsys), [
      { sql: `UPDATE artifacts SET artifact_id = CAST(x'${hex(RECSYS_ID.bytes)}' AS TEXT) WHERE artifact_id = ?`, params: [RECSYS_ID.id] },
    ]);
    executeSql(workspace.file(STORE.catalog), [
      { sql: `UPDATE artifacts SET name = CAST(x'${hex(CATALOG.bytes)}' AS TEXT) WHERE artifact_id = ?`, params: [CATALOG.id] },
    ]);
    hashesBefore = hashTree(workspace.root);
    index = await loadWorkspace(workspace.root);
    list = runCli(['list', '--json', workspace.root]);
    listText = runCli(['list', workspace.root]);
    show = runCli(['show', '--json', versionIdOf(STORE.metadata, SHORT.id), workspace.root]);
  }, { timeout: 120_000 });

  after(() => {
    index?.dispose();
    workspace?.remove();
  });

  test('stored bytes really are invalid', () => {
    assert.throws(() => new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(SHORT.bytes, 'latin1')));
    assert.throws(() => new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(LONG.bytes, 'latin1')));
    assert.throws(() => new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(CATALOG.bytes, 'latin1')));
  });

  test('every row still loads', () => {
    assert.deepEqual(countByStore(index.versions), BASELINE_COUNTS);
    assert.equal(index.problems.filter((p) => p.severity === 'error').length, 0, JSON.stringify(index.problems));
  });

  test('short name decoded with U+FFFD', () => {
    assert.equal(index.getVersion(versionIdOf(STORE.metadata, SHORT.id))?.name, SHORT.shown);
  });

  test('long name decoded with U+FFFD', () => {
    assert.equal(index.getVersion(versionIdOf(STORE.metadata, LONG.id))?.name, LONG.shown);
  });

  test('catalog name decoded with U+FFFD', () => {
    assert.equal(index.getVersion(versionIdOf(STORE.catalog, CATALOG.id))?.name, CATALOG.shown);
  });

  test('warnings name metadata.db twice', () => {
    const warnings = index.problems.filter((p) => p.file === STORE.metadata && p.code === 'invalid-utf8');
    assert.equal(warnings.length, 2, JSON.stringify(index.problems));
    for (const warning of warnings) {
      assert.equal(warning.severity, 'warning');
      assert.ok(warning.message.includes(STORE.metadata), warning.message);
    }
  });

  test('warning names catalog.db', () => {
    const warnings = index.problems.filter((p) => p.file === STORE.catalog && p.code === 'invalid-utf8');
    assert.equal(warnings.length, 1, JSON.stringify(index.problems));
    assert.equal(warnings[0].severity, 'warning');
    assert.ok(warnings[0].message.includes(STORE.catalog), warnings[0].message);
  });

  test('invalid artifact id loads', () => {
    const version = index.getVersion(versionIdOf(STORE.recsys, RECSYS_ID.shown));
    assert.ok(version, 'the row is listed under its decoded id');
    assert.equal(version.name, 'recsys_eval');
    const warnings = index.problems.filter((p) => p.file === STORE.recsys && p.code === 'invalid-utf8');
    assert.equal(warnings.length, 1, JSON.stringify(index.problems));
  });

  test('invalid artifact id details load', async () => {
    const details = await index.details(versionIdOf(STORE.recsys, RECSYS_ID.shown));
    // The row exists, so its properties must be shown, or a problem must explain why they cannot be.
    if (details.problem === undefined) {
      assert.equal(details.properties.typed.precision_at_5, 0.28);
      assert.equal(details.properties.typed.n_interactions, 90);
    } else {
      assert.ok(details.problem.includes(STORE.recsys), details.problem);
    }
  });

  test('neighbour names stay exact', () => {
    assert.equal(index.getVersion(versionIdOf(STORE.metadata, `${BASIC_RUNS[1]}_load_data_data/raw`))?.name, 'iris_raw');
    assert.equal(index.getVersion(versionIdOf(STORE.catalog, CATALOG_IDS.clean))?.name, 'customers_clean');
  });

  test('CLI list exits 0 with warnings', () => {
    assert.equal(list.signal, null, 'list finished within its time limit');
    assert.equal(list.status, 0, list.stderr);
    assert.doesNotMatch(list.stderr, STACK_TRACE_LINE);
    assert.match(list.stderr, /warning: .*\.flowyml\/metadata\.db/);
    assert.match(list.stderr, /warning: .*\.flowyml\/catalog\.db/);
  });

  test('CLI JSON carries decoded names', () => {
    const listed = parseJsonOutput<Listed[]>(list);
    assert.equal(listed.find((v) => v.id === versionIdOf(STORE.metadata, SHORT.id))?.name, SHORT.shown);
    assert.equal(listed.find((v) => v.id === versionIdOf(STORE.metadata, LONG.id))?.name, LONG.shown);
    assert.equal(listed.find((v) => v.id === versionIdOf(STORE.catalog, CATALOG.id))?.name, CATALOG.shown);
    assert.deepEqual(countByStore(listed), BASELINE_COUNTS);
  });

  test('CLI text output stays valid', () => {
    assert.equal(listText.status, 0, listText.stderr);
    assert.ok(listText.stdout.includes(SHORT.shown), 'the short name is printed with U+FFFD');
    assert.doesNotMatch(listText.stdout, /[\uD800-\uDFFF]/, 'no lone surrogate halves');
  });

  test('CLI show prints decoded name', () => {
    assert.equal(show.status, 0, show.stderr);
    assert.equal(parseJsonOutput<{ name: string }>(show).name, SHORT.shown);
  });

  test('store files stay byte-identical', () => {
    assert.deepEqual(hashTree(workspace.root), hashesBefore);
  });
});
