// Ids that occur more than once. The same artifact id and run are in the root
// store and a project store, a catalog id equals a metadata.db artifact id,
// and one catalog id is stored twice in a table without its primary key.
// Both rows must be shown or the duplicate reported, and nothing may crash.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { loadWorkspace, type WorkspaceIndex } from '../../../src/core/index';
import {
  BASELINE_COUNTS, BASIC_RUNS, CATALOG_IDS, STACK_TRACE_LINE, STANDARD_CATALOG_ROWS, STORE, countByStore,
  createCatalog, ensureCliBuilt, executeSql, hashTree, makeWorkspace, parseJsonOutput, registeredRow, runCli,
  versionIdOf, type CliResult, type HostileWorkspace,
} from '../../helpers/hostile-stores';

const SHARED_ARTIFACT = `${BASIC_RUNS[0]}_evaluate_metrics`;

interface Listed {
  id: string;
  name: string;
  store: string;
}

describe('duplicate ids across stores', () => {
  let workspace: HostileWorkspace;
  let hashesBefore: Map<string, string>;
  let index: WorkspaceIndex;
  let list: CliResult;
  let showRoot: CliResult;
  let showProject: CliResult;
  let showCatalog: CliResult;
  let lineage: CliResult;

  before(async () => {
    ensureCliBuilt();
    workspace = makeWorkspace('duplicate-ids');
    // The fraud project store gets a copy of a root artifact row and of its run row.
    executeSql(workspace.file(STORE.fraud), [
      { sql: 'ATTACH DATABASE ? AS root', params: [workspace.file(STORE.metadata)] },
      { sql: 'INSERT INTO main.runs SELECT * FROM root.runs WHERE run_id = ?', params: [BASIC_RUNS[0]] },
      { sql: 'INSERT INTO main.artifacts SELECT * FROM root.artifacts WHERE artifact_id = ?', params: [SHARED_ARTIFACT] },
    ]);
    // The catalog registers a row under the same id as that metadata.db row.
    executeSql(workspace.file(STORE.catalog), [{
      sql: `INSERT INTO artifacts (artifact_id, name, artifact_type, content_hash, source_step, source_run_id, source_pipeline,
        parent_ids, tags, metadata, uri, created_at, version) VALUES (?, 'iris_eval', 'Metrics', '', '', '', '', '[]', '{}',
        '{"asset_id": "x", "asset_created_at": "2026-12-04T20:07:03.598121", "properties": {"accuracy": 0.5}}', '', '2026-12-04T20:07:05.000001', 'v9.9.9')`,
      params: [SHARED_ARTIFACT],
    }]);
    hashesBefore = hashTree(workspace.root);
    index = await loadWorkspace(workspace.root);
    list = runCli(['list', '--json', workspace.root]);
    showRoot = runCli(['show', '--json', versionIdOf(STORE.metadata, SHARED_ARTIFACT), workspace.root]);
    showProject = runCli(['show', '--json', versionIdOf(STORE.fraud, SHARED_ARTIFACT), workspace.root]);
    showCatalog = runCli(['show', '--json', versionIdOf(STORE.catalog, SHARED_ARTIFACT), workspace.root]);
    lineage = runCli(['lineage', versionIdOf(STORE.fraud, SHARED_ARTIFACT), workspace.root, '--direction', 'both']);
  }, { timeout: 120_000 });

  after(() => {
    index?.dispose();
    workspace?.remove();
  });

  test('all three rows are versions', () => {
    assert.deepEqual(countByStore(index.versions), {
      ...BASELINE_COUNTS,
      [STORE.fraud]: BASELINE_COUNTS[STORE.fraud] + 1,
      [STORE.catalog]: BASELINE_COUNTS[STORE.catalog] + 1,
    });
  });

  test('version ids stay distinct', () => {
    const ids = index.versions.map((v) => v.id);
    assert.equal(new Set(ids).size, ids.length);
    assert.equal(index.getVersion(versionIdOf(STORE.metadata, SHARED_ARTIFACT))?.store, STORE.metadata);
    assert.equal(index.getVersion(versionIdOf(STORE.fraud, SHARED_ARTIFACT))?.store, STORE.fraud);
    assert.equal(index.getVersion(versionIdOf(STORE.catalog, SHARED_ARTIFACT))?.store, STORE.catalog);
  });

  test('duplicate run is reported', () => {
    const found = index.problems.filter((p) => p.message.includes(BASIC_RUNS[0]));
    assert.equal(found.length, 1, JSON.stringify(index.problems));
    assert.equal(found[0].file, STORE.fraud);
    assert.equal(found[0].severity, 'warning');
    assert.ok(found[0].message.includes(STORE.fraud), found[0].message);
  });

  test('no load errors', () => {
    assert.deepEqual(index.problems.filter((p) => p.severity === 'error'), []);
  });

  test('CLI list shows both rows', () => {
    assert.equal(list.signal, null, 'list finished within its time limit');
    assert.equal(list.status, 0, list.stderr);
    assert.doesNotMatch(list.stderr, STACK_TRACE_LINE);
    const ids = parseJsonOutput<Listed[]>(list).map((v) => v.id);
    assert.ok(ids.includes(versionIdOf(STORE.metadata, SHARED_ARTIFACT)), 'root row listed');
    assert.ok(ids.includes(versionIdOf(STORE.fraud, SHARED_ARTIFACT)), 'project row listed');
    assert.ok(ids.includes(versionIdOf(STORE.catalog, SHARED_ARTIFACT)), 'catalog row listed');
    assert.equal(ids.length, 33);
  });

  test('CLI shows each copy', () => {
    for (const [result, store] of [[showRoot, STORE.metadata], [showProject, STORE.fraud], [showCatalog, STORE.catalog]] as const) {
      assert.equal(result.status, 0, `${store}: ${result.stderr}`);
      const printed = parseJsonOutput<{ name: string; store: string }>(result);
      assert.equal(printed.name, 'iris_eval', store);
      assert.equal(printed.store, store);
    }
  });

  test('catalog copy keeps own facts', () => {
    const printed = parseJsonOutput<{ version: string; properties: { typed: Record<string, unknown> } }>(showCatalog);
    assert.equal(printed.version, 'v9.9.9');
    assert.equal(printed.properties.typed.accuracy, 0.5);
  });

  test('CLI lineage of the copy', () => {
    assert.equal(lineage.signal, null, 'lineage finished within its time limit');
    assert.equal(lineage.status, 0, lineage.stderr);
    const graph = parseJsonOutput<{ nodes: { id: string }[] }>(lineage);
    const ids = graph.nodes.map((n) => n.id);
    assert.equal(new Set(ids).size, ids.length, 'each node once');
    assert.ok(ids.includes(versionIdOf(STORE.fraud, SHARED_ARTIFACT)));
  });

  test('store files stay byte-identical', () => {
    assert.deepEqual(hashTree(workspace.root), hashesBefore);
  });
});

describe('catalog id stored twice', () => {
  let workspace: HostileWorkspace;
  let hashesBefore: Map<string, string>;
  let index: WorkspaceIndex;
  let list: CliResult;
  let show: CliResult;

  before(async () => {
    ensureCliBuilt();
    workspace = makeWorkspace('duplicate-catalog');
    fs.rmSync(workspace.file(STORE.catalog));
    // Without the primary key SQLite accepts the same id twice, as a hand-made or repaired store may hold it.
    createCatalog(workspace.file(STORE.catalog), [
      ...STANDARD_CATALOG_ROWS,
      registeredRow(CATALOG_IDS.model, 'churn_model_shadow', 'Model', [CATALOG_IDS.raw], { version: 'v3.0.0' }),
    ], { primaryKey: false });
    hashesBefore = hashTree(workspace.root);
    index = await loadWorkspace(workspace.root);
    list = runCli(['list', '--json', workspace.root]);
    show = runCli(['show', '--json', versionIdOf(STORE.catalog, CATALOG_IDS.model), workspace.root]);
  }, { timeout: 120_000 });

  after(() => {
    index?.dispose();
    workspace?.remove();
  });

  test('duplicate catalog id reported', () => {
    const found = index.problems.filter((p) => p.message.includes(CATALOG_IDS.model));
    assert.equal(found.length, 1, JSON.stringify(index.problems));
    assert.equal(found[0].file, STORE.catalog);
    assert.equal(found[0].code, 'duplicate-id');
    assert.ok(found[0].message.includes(STORE.catalog), found[0].message);
  });

  test('first row is the version', () => {
    const model = index.getVersion(versionIdOf(STORE.catalog, CATALOG_IDS.model));
    assert.equal(model?.name, 'churn_model');
    assert.equal(model?.storedVersion, 'v2.0.0');
    assert.deepEqual(model?.parents, [versionIdOf(STORE.catalog, CATALOG_IDS.features)]);
  });

  test('other stores and rows load', () => {
    assert.deepEqual(countByStore(index.versions), BASELINE_COUNTS);
  });

  test('CLI list and show succeed', () => {
    assert.equal(list.status, 0, list.stderr);
    assert.match(list.stderr, /warning: .*\.flowyml\/catalog\.db/);
    assert.doesNotMatch(list.stderr, STACK_TRACE_LINE);
    assert.deepEqual(countByStore(parseJsonOutput<Listed[]>(list)), BASELINE_COUNTS);
    assert.equal(show.status, 0, show.stderr);
    assert.equal(parseJsonOutput<{ name: string }>(show).name, 'churn_model');
  });

  test('store files stay byte-identical', () => {
    assert.deepEqual(hashTree(workspace.root), hashesBefore);
  });
});
