// Malformed JSON in single rows: artifacts.metadata and runs.metadata in the
// root store, parent_ids and tags in the catalog. Each bad row gets a problem
// that names the file and the row, and every other row and fact still loads.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadWorkspace, type WorkspaceIndex } from '../../../src/core/index';
import {
  BASELINE_COUNTS, BASIC_RUNS, CATALOG_IDS, STACK_TRACE_LINE, STORE, countByStore, ensureCliBuilt, executeSql,
  hashTree, makeWorkspace, parseJsonOutput, runCli, versionIdOf, type CliResult, type HostileWorkspace,
} from '../../helpers/hostile-stores';

const BROKEN_ARTIFACT = `${BASIC_RUNS[0]}_train_model_model/logreg`;
const BROKEN_RUN = BASIC_RUNS[1];
const INTACT_METRICS = `${BASIC_RUNS[0]}_evaluate_metrics`;

describe('malformed JSON rows', () => {
  let workspace: HostileWorkspace;
  let hashesBefore: Map<string, string>;
  let index: WorkspaceIndex;
  let list: CliResult;
  let show: CliResult;

  before(async () => {
    ensureCliBuilt();
    workspace = makeWorkspace('malformed-json');
    executeSql(workspace.file(STORE.metadata), [
      // Cut inside the properties object, as a writer killed mid-row would leave it.
      { sql: 'UPDATE artifacts SET metadata = ? WHERE artifact_id = ?', params: [`{"artifact_id": "${BROKEN_ARTIFACT}", "name": "iris_logreg", "type": "Model", "properties": {"framework": "sklearn", "model_class": "Logis`, BROKEN_ARTIFACT] },
      { sql: 'UPDATE runs SET metadata = ? WHERE run_id = ?', params: [`{"run_id": "${BROKEN_RUN}", "steps": {"load_data": {"success": true,, }}}`, BROKEN_RUN] },
    ]);
    executeSql(workspace.file(STORE.catalog), [
      { sql: 'UPDATE artifacts SET parent_ids = ? WHERE artifact_id = ?', params: [`["${CATALOG_IDS.raw}"`, CATALOG_IDS.clean] },
      { sql: 'UPDATE artifacts SET tags = ? WHERE artifact_id = ?', params: ['{"layer": gold}', CATALOG_IDS.features] },
    ]);
    hashesBefore = hashTree(workspace.root);
    index = await loadWorkspace(workspace.root);
    list = runCli(['list', '--json', workspace.root]);
    show = runCli(['show', '--json', versionIdOf(STORE.metadata, BROKEN_ARTIFACT), workspace.root]);
  }, { timeout: 120_000 });

  after(() => {
    index?.dispose();
    workspace?.remove();
  });

  function problemAbout(text: string) {
    return index.problems.filter((p) => p.message.includes(text));
  }

  test('artifact metadata problem names row', () => {
    const found = problemAbout(BROKEN_ARTIFACT);
    assert.equal(found.length, 1, JSON.stringify(index.problems));
    assert.equal(found[0].file, STORE.metadata);
    assert.equal(found[0].code, 'malformed-json');
    assert.ok(found[0].message.includes(STORE.metadata), found[0].message);
  });

  test('run metadata problem names run', () => {
    const found = problemAbout(BROKEN_RUN);
    assert.equal(found.length, 1, JSON.stringify(index.problems));
    assert.equal(found[0].file, STORE.metadata);
    assert.equal(found[0].code, 'malformed-json');
    assert.ok(found[0].message.includes(STORE.metadata), found[0].message);
  });

  test('parent_ids problem names catalog row', () => {
    const found = problemAbout(CATALOG_IDS.clean);
    assert.equal(found.length, 1, JSON.stringify(index.problems));
    assert.equal(found[0].file, STORE.catalog);
    assert.equal(found[0].code, 'malformed-json');
    assert.match(found[0].message, /parent_ids/);
    assert.ok(found[0].message.includes(STORE.catalog), found[0].message);
  });

  test('tags problem names catalog row', () => {
    const found = problemAbout(CATALOG_IDS.features);
    assert.equal(found.length, 1, JSON.stringify(index.problems));
    assert.equal(found[0].file, STORE.catalog);
    assert.equal(found[0].code, 'malformed-json');
    assert.match(found[0].message, /tags/);
  });

  test('only the four bad rows reported', () => {
    assert.equal(index.problems.length, 4, JSON.stringify(index.problems));
  });

  test('every row still loads', () => {
    assert.deepEqual(countByStore(index.versions), BASELINE_COUNTS);
    assert.equal(index.runs.length, 7);
  });

  test('bad artifact keeps its column facts', () => {
    const version = index.getVersion(versionIdOf(STORE.metadata, BROKEN_ARTIFACT));
    assert.ok(version, 'the version is listed');
    assert.equal(version.name, 'iris_logreg');
    assert.equal(version.type, 'Model');
    assert.equal(version.runId, BASIC_RUNS[0]);
    // The step comes from the artifact id and the run's step names when the JSON cannot be read.
    assert.equal(version.step, 'train_model');
  });

  test('bad artifact details report problem', async () => {
    const details = await index.details(versionIdOf(STORE.metadata, BROKEN_ARTIFACT));
    assert.ok(details.problem?.includes(BROKEN_ARTIFACT), details.problem);
    assert.deepEqual(details.properties.typed, {});
  });

  test('neighbour artifact details load', async () => {
    const details = await index.details(versionIdOf(STORE.metadata, INTACT_METRICS));
    assert.equal(details.problem, undefined);
    assert.equal(details.properties.typed.accuracy, 0.9555555555555556);
    assert.equal(details.properties.typed.n_test, 45);
  });

  test('bad run keeps row, loses steps', () => {
    const run = index.runs.find((r) => r.runId === BROKEN_RUN);
    assert.ok(run, 'the run is listed');
    assert.equal(run.status, 'completed');
    assert.equal(run.pipeline, 'iris_training');
    assert.deepEqual(run.steps, []);
  });

  test('other runs keep their steps', () => {
    for (const runId of [BASIC_RUNS[0], BASIC_RUNS[2]]) {
      const run = index.runs.find((r) => r.runId === runId);
      assert.deepEqual(run?.steps.map((s) => s.name), ['load_data', 'preprocess', 'train_model', 'evaluate'], runId);
    }
  });

  test('bad parent_ids leave row parentless', () => {
    const clean = index.getVersion(versionIdOf(STORE.catalog, CATALOG_IDS.clean));
    assert.ok(clean, 'the row is listed');
    assert.deepEqual(clean.parents, []);
    assert.deepEqual(clean.tags, { layer: 'silver' });
  });

  test('bad tags keep parents', () => {
    const features = index.getVersion(versionIdOf(STORE.catalog, CATALOG_IDS.features));
    assert.ok(features, 'the row is listed');
    assert.deepEqual(features.tags, {});
    assert.deepEqual(features.parents, [versionIdOf(STORE.catalog, CATALOG_IDS.clean)]);
  });

  test('other catalog rows fully intact', () => {
    const model = index.getVersion(versionIdOf(STORE.catalog, CATALOG_IDS.model));
    assert.deepEqual(model?.parents, [versionIdOf(STORE.catalog, CATALOG_IDS.features)]);
    assert.deepEqual(model?.tags, { stage: 'production' });
    assert.equal(model?.storedVersion, 'v2.0.0');
    const raw = index.getVersion(versionIdOf(STORE.catalog, CATALOG_IDS.raw));
    assert.deepEqual(raw?.tags, { layer: 'bronze' });
  });

  test('CLI list exits 1 naming rows', () => {
    assert.equal(list.signal, null, 'list finished within its time limit');
    assert.equal(list.status, 1, list.stderr);
    assert.doesNotMatch(list.stderr, STACK_TRACE_LINE);
    for (const text of [BROKEN_ARTIFACT, BROKEN_RUN, CATALOG_IDS.clean, CATALOG_IDS.features]) {
      assert.ok(list.stderr.includes(text), `stderr names ${text}`);
    }
    assert.deepEqual(countByStore(parseJsonOutput<{ store: string }[]>(list)), BASELINE_COUNTS);
  });

  test('CLI show prints bad row', () => {
    assert.equal(show.signal, null, 'show finished within its time limit');
    assert.equal(show.status, 1, 'show exits 1 because the workspace has load errors');
    assert.doesNotMatch(show.stderr, STACK_TRACE_LINE);
    const printed = parseJsonOutput<{ name: string; problem: string | null }>(show);
    assert.equal(printed.name, 'iris_logreg');
    assert.ok(printed.problem?.includes(BROKEN_ARTIFACT), `problem field: ${printed.problem}`);
  });

  test('store files stay byte-identical', () => {
    assert.deepEqual(hashTree(workspace.root), hashesBefore);
  });
});
