// Runs that did not complete. One was left `running` by a killed process: its
// end_time and duration are NULL, its metadata is the newer orchestrator's
// start row, and one automatic catalog row comes from its finished step. The
// other failed, and its later steps never ran: success false with error null
// means "not run".
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadWorkspace, type RunInfo, type WorkspaceIndex } from '../../../src/core/index';
import {
  BASELINE_COUNTS, BASIC_RUNS, STACK_TRACE_LINE, STORE, countByStore, ensureCliBuilt, executeSql, hashTree,
  makeWorkspace, parseJsonOutput, runCli, versionIdOf, type CliResult, type HostileWorkspace,
} from '../../helpers/hostile-stores';

const FAILED_RUN = BASIC_RUNS[1];
const RUNNING_RUN = '9e658802-4c1a-4b7e-9d2f-5a1b3c4d5e6f';
const RUNNING_CATALOG_ID = 'd906c9c9-1111-4222-8333-444455556666';
const ERROR_TEXT = 'ValueError: feature matrix has NaN rows; refusing to split\nTraceback (most recent call last):\n  File "/srv/flowyml/core/executor.py", line 340, in execute_step\n';

function stepEntry(inputs: string[], outputs: string[], state: { success: boolean; error: string | null; duration: number; retries: number }) {
  return {
    success: state.success, duration: state.duration, cached: false, retries: state.retries, error: state.error,
    source_code: '@step(...)\ndef f(): ...', inputs, outputs, tags: {}, execution_group: null, resources: null,
  };
}

/** runs.metadata of a failed 1.7 run, in the key order Pipeline._save_run writes. */
const FAILED_METADATA = {
  run_id: FAILED_RUN,
  pipeline_name: 'iris_training',
  status: 'failed',
  start_time: '2026-12-04T19:25:54.768019',
  end_time: '2026-12-04T19:25:54.776397',
  duration: 0.008378,
  success: false,
  context: { seed: 1, test_size: 0.2, C: 1.0, max_iter: 200 },
  steps: {
    load_data: stepEntry([], ['data/raw'], { success: true, error: null, duration: 0.0181, retries: 0 }),
    preprocess: stepEntry(['data/raw'], ['data/train', 'data/test'], { success: false, error: ERROR_TEXT, duration: 1.006, retries: 1 }),
    train_model: stepEntry(['data/train'], ['model/logreg'], { success: false, error: null, duration: 0, retries: 0 }),
    evaluate: stepEntry(['model/logreg', 'data/test'], ['metrics'], { success: false, error: null, duration: 0, retries: 0 }),
  },
  dag: { nodes: [], edges: [] },
  resources: null,
  docker: null,
  remote_job_id: null,
  project: null,
};

/** The row the newer orchestrator upserts when a run starts; a killed process never replaces it. */
const RUNNING_METADATA = {
  run_id: RUNNING_RUN,
  pipeline_name: 'churn_scoring',
  status: 'running',
  start_time: '2026-12-04T20:07:14.861234',
  project: null,
  context: { batch_size: 25 },
};

describe('running and failed runs', () => {
  let workspace: HostileWorkspace;
  let hashesBefore: Map<string, string>;
  let index: WorkspaceIndex;
  let list: CliResult;
  let stepLineage: CliResult;
  let runLineage: CliResult;

  before(async () => {
    ensureCliBuilt();
    workspace = makeWorkspace('runs');
    executeSql(workspace.file(STORE.metadata), [
      { sql: "UPDATE runs SET status = 'failed', metadata = ? WHERE run_id = ?", params: [JSON.stringify(FAILED_METADATA), FAILED_RUN] },
      // A failed 1.7 run keeps only the outputs of the steps that succeeded.
      { sql: "DELETE FROM artifacts WHERE run_id = ? AND artifact_id NOT LIKE '%\\_load\\_data\\_%' ESCAPE '\\'", params: [FAILED_RUN] },
      {
        sql: `INSERT INTO runs (run_id, pipeline_name, status, start_time, end_time, duration, metadata, project, created_at)
          VALUES (?, 'churn_scoring', 'running', '2026-12-04T20:07:14.861234', NULL, NULL, ?, NULL, '2026-12-04 20:07:14')`,
        params: [RUNNING_RUN, JSON.stringify(RUNNING_METADATA)],
      },
    ]);
    executeSql(workspace.file(STORE.catalog), [{
      sql: `INSERT INTO artifacts (artifact_id, name, artifact_type, content_hash, source_step, source_run_id, source_pipeline,
        parent_ids, tags, metadata, uri, created_at, version)
        VALUES (?, 'load_batch_output', 'DataFrame', 'ad11bf71', 'load_batch', ?, 'churn_scoring', '[]', '{}', '{}', '', '2026-12-04T20:07:14.902113', NULL)`,
      params: [RUNNING_CATALOG_ID, RUNNING_RUN],
    }]);
    hashesBefore = hashTree(workspace.root);
    index = await loadWorkspace(workspace.root);
    list = runCli(['list', '--json', workspace.root]);
    stepLineage = runCli(['lineage', `step:${FAILED_RUN}:train_model`, workspace.root]);
    runLineage = runCli(['lineage', `run:${RUNNING_RUN}`, workspace.root]);
  }, { timeout: 120_000 });

  after(() => {
    index?.dispose();
    workspace?.remove();
  });

  function run(runId: string): RunInfo {
    const found = index.runs.find((r) => r.runId === runId);
    assert.ok(found, `run ${runId} is listed`);
    return found;
  }

  function step(runId: string, name: string) {
    const found = run(runId).steps.find((s) => s.name === name);
    assert.ok(found, `step ${name} of ${runId} is listed`);
    return found;
  }

  test('both runs load without problems', () => {
    assert.deepEqual(index.problems, []);
    assert.equal(index.runs.length, 8);
    assert.deepEqual(countByStore(index.versions), { ...BASELINE_COUNTS, [STORE.metadata]: 11 });
  });

  test('running run status and times', () => {
    const running = run(RUNNING_RUN);
    assert.equal(running.status, 'running');
    assert.equal(running.endTime, undefined);
    assert.equal(running.durationSeconds, undefined);
    assert.equal(running.startTime?.raw, '2026-12-04T20:07:14.861234');
    assert.deepEqual(running.context, { batch_size: 25 });
  });

  test('running run keeps catalog step', () => {
    const loadBatch = step(RUNNING_RUN, 'load_batch');
    assert.equal(loadBatch.success, undefined);
    assert.equal(loadBatch.notRun, false);
    assert.deepEqual(loadBatch.catalogRecords, [RUNNING_CATALOG_ID]);
  });

  test('failed run status', () => {
    assert.equal(run(FAILED_RUN).status, 'failed');
  });

  test('step before failure succeeded', () => {
    const loadData = step(FAILED_RUN, 'load_data');
    assert.equal(loadData.success, true);
    assert.equal(loadData.notRun, false);
    assert.equal(loadData.error, undefined);
    assert.deepEqual(loadData.produced, [versionIdOf(STORE.metadata, `${FAILED_RUN}_load_data_data/raw`)]);
  });

  test('failing step keeps its error', () => {
    const preprocess = step(FAILED_RUN, 'preprocess');
    assert.equal(preprocess.success, false);
    assert.equal(preprocess.notRun, false);
    assert.equal(preprocess.error, ERROR_TEXT);
    assert.deepEqual(preprocess.produced, []);
  });

  test('later steps marked not run', () => {
    for (const name of ['train_model', 'evaluate']) {
      const later = step(FAILED_RUN, name);
      assert.equal(later.success, false, name);
      assert.equal(later.notRun, true, name);
      assert.equal(later.error, undefined, name);
      assert.deepEqual(later.produced, [], name);
    }
  });

  test('completed runs stay completed', () => {
    for (const runId of [BASIC_RUNS[0], BASIC_RUNS[2]]) {
      const completed = run(runId);
      assert.equal(completed.status, 'completed', runId);
      assert.ok(completed.steps.every((s) => s.success === true && !s.notRun), runId);
    }
  });

  test('CLI list exits 0', () => {
    assert.equal(list.status, 0, list.stderr);
    assert.deepEqual(countByStore(parseJsonOutput<{ store: string }[]>(list)), { ...BASELINE_COUNTS, [STORE.metadata]: 11 });
  });

  test('CLI lineage of not-run step', () => {
    assert.equal(stepLineage.signal, null, 'lineage finished within its time limit');
    assert.equal(stepLineage.status, 0, stepLineage.stderr);
    assert.doesNotMatch(stepLineage.stderr, STACK_TRACE_LINE);
    const graph = parseJsonOutput<{ nodes: { id: string; kind: string }[] }>(stepLineage);
    assert.ok(graph.nodes.some((n) => n.id === `step:${FAILED_RUN}:train_model` && n.kind === 'step'));
    assert.ok(graph.nodes.some((n) => n.id === `run:${FAILED_RUN}` && n.kind === 'run'));
  });

  test('CLI lineage of running run', () => {
    assert.equal(runLineage.status, 0, runLineage.stderr);
    const graph = parseJsonOutput<{ nodes: { id: string }[] }>(runLineage);
    assert.ok(graph.nodes.some((n) => n.id === `run:${RUNNING_RUN}`));
  });

  test('store files stay byte-identical', () => {
    assert.deepEqual(hashTree(workspace.root), hashesBefore);
  });
});
