// Python's json.dumps writes NaN, Infinity and -Infinity as bare tokens
// (allow_nan=True is its default), in Metrics properties and in a run's
// context. They are valid values, not errors: the core keeps them as numbers
// and `--json` output writes them as the strings "NaN", "Infinity" and
// "-Infinity".
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadWorkspace, type WorkspaceIndex } from '../../../src/core/index';
import {
  BASELINE_COUNTS, BASIC_RUNS, CATALOG_IDS, STACK_TRACE_LINE, STORE, countByStore, ensureCliBuilt, executeSql,
  hashTree, makeWorkspace, parseJsonOutput, runCli, versionIdOf, type CliResult, type HostileWorkspace,
} from '../../helpers/hostile-stores';

const METRICS = `${BASIC_RUNS[0]}_evaluate_metrics`;
const METRICS_ID = versionIdOf(STORE.metadata, METRICS);
const CATALOG_MODEL_ID = versionIdOf(STORE.catalog, CATALOG_IDS.model);

// The row as FlowyML 1.7 writes a diverged run's Metrics (format notes, edge-cases `diverged_run`).
const METRICS_JSON = `{"artifact_id": "${METRICS}", "name": "iris_eval", "type": "Metrics", "run_id": "${BASIC_RUNS[0]}", `
  + '"step": "evaluate", "path": null, "value": "{\'accuracy\': nan, \'grad_norm\': inf, \'min_logit\': -inf, \'n_test\': 45}", '
  + '"created_at": "2026-12-04T19:25:54.746585", '
  + '"properties": {"accuracy": NaN, "grad_norm": Infinity, "min_logit": -Infinity, "n_test": 45, "note": "NaN in a string stays text"}}';

interface ShowOutput {
  name: string;
  properties: { typed: Record<string, unknown>; extra: Record<string, unknown> };
  problem: string | null;
}

describe('NaN and Infinity tokens', () => {
  let workspace: HostileWorkspace;
  let hashesBefore: Map<string, string>;
  let index: WorkspaceIndex;
  let showJson: CliResult;
  let showText: CliResult;
  let showCatalog: CliResult;
  let list: CliResult;

  before(async () => {
    ensureCliBuilt();
    workspace = makeWorkspace('nan');
    executeSql(workspace.file(STORE.metadata), [
      { sql: 'UPDATE artifacts SET metadata = ? WHERE artifact_id = ?', params: [METRICS_JSON, METRICS] },
      {
        sql: `UPDATE runs SET metadata = replace(metadata, '"context": {"seed": 1, "test_size": 0.3, "C": 1.0, "max_iter": 200}',
          '"context": {"seed": 1, "test_size": 0.3, "C": NaN, "max_iter": 200, "clip": Infinity, "floor": -Infinity}') WHERE run_id = ?`,
        params: [BASIC_RUNS[0]],
      },
    ]);
    executeSql(workspace.file(STORE.catalog), [{
      sql: 'UPDATE artifacts SET metadata = ? WHERE artifact_id = ?',
      params: ['{"asset_id": "a-1", "asset_created_at": "2026-12-04T20:07:03.598121", "properties": {"framework": "sklearn", "best_loss": NaN, "upper": Infinity}}', CATALOG_IDS.model],
    }]);
    hashesBefore = hashTree(workspace.root);
    index = await loadWorkspace(workspace.root);
    list = runCli(['list', '--json', workspace.root]);
    showJson = runCli(['show', '--json', METRICS_ID, workspace.root]);
    showText = runCli(['show', METRICS_ID, workspace.root]);
    showCatalog = runCli(['show', '--json', CATALOG_MODEL_ID, workspace.root]);
  }, { timeout: 120_000 });

  after(() => {
    index?.dispose();
    workspace?.remove();
  });

  test('tokens are not load problems', () => {
    assert.deepEqual(index.problems, []);
    assert.deepEqual(countByStore(index.versions), BASELINE_COUNTS);
  });

  test('metrics keep non-finite numbers', async () => {
    const details = await index.details(METRICS_ID);
    assert.equal(details.problem, undefined);
    assert.ok(Number.isNaN(details.properties.typed.accuracy), `accuracy: ${String(details.properties.typed.accuracy)}`);
    assert.equal(details.properties.typed.grad_norm, Infinity);
    assert.equal(details.properties.typed.min_logit, -Infinity);
    assert.equal(details.properties.typed.n_test, 45);
  });

  test('token inside string stays text', async () => {
    const details = await index.details(METRICS_ID);
    assert.equal(details.properties.extra.note, 'NaN in a string stays text');
  });

  test('metrics row keeps step and time', () => {
    const version = index.getVersion(METRICS_ID);
    assert.equal(version?.step, 'evaluate');
    assert.equal(version?.createdAt?.raw, '2026-12-04T19:25:54.746585');
  });

  test('run context keeps non-finite numbers', () => {
    const run = index.runs.find((r) => r.runId === BASIC_RUNS[0]);
    assert.ok(run, 'the run is listed');
    assert.ok(Number.isNaN(run.context.C), `C: ${String(run.context.C)}`);
    assert.equal(run.context.clip, Infinity);
    assert.equal(run.context.floor, -Infinity);
    assert.equal(run.context.seed, 1);
  });

  test('run with tokens keeps steps', () => {
    const run = index.runs.find((r) => r.runId === BASIC_RUNS[0]);
    assert.deepEqual(run?.steps.map((s) => s.name), ['load_data', 'preprocess', 'train_model', 'evaluate']);
  });

  test('show --json prints token strings', () => {
    assert.equal(showJson.signal, null, 'show finished within its time limit');
    assert.equal(showJson.status, 0, showJson.stderr);
    const printed = parseJsonOutput<ShowOutput>(showJson);
    assert.equal(printed.properties.typed.accuracy, 'NaN');
    assert.equal(printed.properties.typed.grad_norm, 'Infinity');
    assert.equal(printed.properties.typed.min_logit, '-Infinity');
    assert.equal(printed.properties.typed.n_test, 45);
    assert.equal(printed.problem, null);
  });

  test('show text prints NaN', () => {
    assert.equal(showText.status, 0, showText.stderr);
    // The text output quotes the tokens, as stringifyJson writes them; bare or quoted both name the value.
    assert.match(showText.stdout, /^ {2}accuracy: "?NaN"?$/m);
    assert.match(showText.stdout, /^ {2}min_logit: "?-Infinity"?$/m);
    assert.doesNotMatch(showText.stderr, STACK_TRACE_LINE);
  });

  test('catalog metadata tokens shown', () => {
    assert.equal(showCatalog.status, 0, showCatalog.stderr);
    const printed = parseJsonOutput<ShowOutput>(showCatalog);
    assert.equal(printed.properties.typed.framework, 'sklearn');
    assert.equal(printed.properties.extra.best_loss, 'NaN');
    assert.equal(printed.properties.extra.upper, 'Infinity');
  });

  test('list exits 0 with every version', () => {
    assert.equal(list.status, 0, list.stderr);
    assert.equal(list.stderr, '');
    assert.deepEqual(countByStore(parseJsonOutput<{ store: string }[]>(list)), BASELINE_COUNTS);
  });

  test('store files stay byte-identical', () => {
    assert.deepEqual(hashTree(workspace.root), hashesBefore);
  });
});
