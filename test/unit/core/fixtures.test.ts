// Expected values come from sqlite3 queries of the fixture files, written here
// as literals; none is produced by the code under test.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadWorkspace, type WorkspaceIndex } from '../../../src/core/index';
import { SAMPLE_WORKSPACE, SMALL_FIXTURES, sharedFixture } from '../../helpers/paths';

function countsByType(ws: WorkspaceIndex): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of ws.versions) counts[v.type] = (counts[v.type] ?? 0) + 1;
  return counts;
}

function labelsOf(ws: WorkspaceIndex, type: string, name: string): string[] {
  const asset = ws.assets().find((a) => a.type === type && a.name === name);
  assert.ok(asset, `asset ${type} ${name} exists`);
  return asset.versions.map((v) => v.label);
}

const META = '.flowyml/metadata.db:artifacts:';
const PROJECT = '.flowyml/projects/support-genai/metadata.db:artifacts:';
const CATALOG = '.flowyml/catalog.db:artifacts:';
const enc = encodeURIComponent;

describe('flowyml-1.7-basic', () => {
  let ws: WorkspaceIndex;
  before(async () => { ws = await loadWorkspace(path.join(SMALL_FIXTURES, 'flowyml-1.7-basic')); });
  after(() => ws.dispose());

  test('counts per type', () => {
    assert.deepEqual(countsByType(ws), { Dataset: 9, Metrics: 3, Model: 3 });
    assert.deepEqual(ws.problems, []);
    assert.equal(ws.stores[0].schema, 'flowyml-1.7');
  });

  test('versions of iris_train in creation order', () => {
    const asset = ws.assets().find((a) => a.name === 'iris_train')!;
    assert.deepEqual(asset.versions.map((v) => v.runId), [
      'e1748314-59ac-402c-be97-68ae98e4d297', '0f5d4615-f51f-4c49-a9c6-b8246f0a87d3', '894d7adb-c71d-4754-a1af-2b905affe663',
    ]);
    assert.deepEqual(labelsOf(ws, 'Dataset', 'iris_train'), ['#1', '#2', '#3']);
    // Naive local 19:25:54.737009 with the run's derived offset 0 (created_at 19:25:54 UTC).
    assert.equal(asset.versions[0].createdAt?.iso, '2026-12-04T19:25:54.737Z');
    assert.equal(asset.versions[0].createdAt?.zone, 'derived-offset');
  });

  test('derived lineage of the evaluate metrics', () => {
    const id = `${META}${enc('e1748314-59ac-402c-be97-68ae98e4d297_evaluate_metrics')}`;
    const v = ws.getVersion(id)!;
    assert.deepEqual(v.parents, [
      `${META}${enc('e1748314-59ac-402c-be97-68ae98e4d297_train_model_model/logreg')}`,
      `${META}${enc('e1748314-59ac-402c-be97-68ae98e4d297_preprocess_data/test')}`,
    ]);
    assert.deepEqual(v.derivedParents, v.parents);
    assert.equal(v.step, 'evaluate');
    assert.equal(v.pipeline, 'iris_training');
  });

  test('typed properties of a Dataset, Model and Metrics', async () => {
    const dataset = await ws.details(`${META}${enc('e1748314-59ac-402c-be97-68ae98e4d297_preprocess_data/train')}`);
    assert.equal(dataset.properties.typed.num_samples, 105);
    assert.equal(dataset.properties.typed.num_features, 4);
    assert.deepEqual(dataset.properties.typed.feature_columns, ['sepal_length', 'sepal_width', 'petal_length', 'petal_width']);
    assert.deepEqual((dataset.properties.typed.column_stats as Record<string, unknown>).sepal_length,
      { mean: -0.052333, std: 1.015042, min: -1.8638, max: 2.2422, median: -0.0523, count: 105, unique: 31, dtype: 'numeric' });
    assert.equal('_full_data' in dataset.properties.extra, false);

    const model = await ws.details(`${META}${enc('e1748314-59ac-402c-be97-68ae98e4d297_train_model_model/logreg')}`);
    assert.equal(model.properties.typed.framework, 'sklearn');
    assert.deepEqual(model.properties.typed.training_history, { loss: [1.1, 0.7, 0.45, 0.38], accuracy: [0.55, 0.81, 0.9, 0.93] });
    assert.equal(model.properties.typed.model_class, 'LogisticRegression');

    const metrics = await ws.details(`${META}${enc('e1748314-59ac-402c-be97-68ae98e4d297_evaluate_metrics')}`);
    assert.deepEqual(metrics.properties.typed, { accuracy: 0.9555555555555556, f1_macro: 0.9558404558404558, n_test: 45 });
  });
});

describe('flowyml-1.7-projects', () => {
  let ws: WorkspaceIndex;
  before(async () => { ws = await loadWorkspace(path.join(SMALL_FIXTURES, 'flowyml-1.7-projects')); });
  after(() => ws.dispose());

  test('reads the root and both project stores', () => {
    assert.deepEqual(ws.stores.map((s) => s.path), [
      '.flowyml/metadata.db', '.flowyml/projects/fraud/metadata.db', '.flowyml/projects/recsys/metadata.db',
    ]);
    assert.deepEqual(countsByType(ws), { 'Other: bool': 1, Dataset: 4, Metrics: 4, 'Other: dict': 2, Model: 2 });
  });

  test('New York local times become UTC instants', () => {
    const v = ws.getVersion(`.flowyml/projects/fraud/metadata.db:artifacts:${enc('915d271d-9e1f-40f6-87f0-1453800169e7_load_transactions_data/transactions')}`)!;
    assert.equal(v.createdAt?.iso, '2026-12-04T19:28:53.671Z');
    assert.equal(v.project, 'fraud');
    const run = ws.runs.find((r) => r.runId === 'c2b2934b-8f2c-4b53-b9e7-506d15a02ae8')!;
    assert.equal(run.startTime?.iso, '2026-12-04T19:28:52.964Z');
  });
});

describe('flowyml-2.1-catalog-lineage (the sample workspace)', () => {
  let ws: WorkspaceIndex;
  before(async () => { ws = await loadWorkspace(SAMPLE_WORKSPACE); });
  after(() => ws.dispose());

  test('counts per type after merging catalog rows', () => {
    assert.deepEqual(ws.stores.map((s) => [s.path, s.schema]), [
      ['.flowyml/metadata.db', 'flowyml-2.x'], ['.flowyml/projects/support-genai/metadata.db', 'flowyml-2.x'], ['.flowyml/catalog.db', 'catalog'],
    ]);
    assert.deepEqual(countsByType(ws), {
      Artifact: 2, Checkpoint: 12, 'Other: DataFrame': 2, Dataset: 5, FeatureSet: 6, 'Other: LogisticRegression': 4,
      Metrics: 4, Model: 5, Report: 3, 'Other: ndarray': 4, Prompt: 8, 'Other: dict': 3,
    });
  });

  test('churn_model versions carry the catalog versions', () => {
    assert.deepEqual(labelsOf(ws, 'Model', 'churn_model'), ['v1.0.0 (#1)', 'v2.0.0 (#2)', 'v3.0.0 (#3)', 'v4.0.0 (#4)']);
    const v2 = ws.getVersion(`${CATALOG}b2366405-6ef7-4648-a541-9a9ad04ffd68`)!;
    assert.equal(v2.id, `${META}${enc('3b719cb5-68f2-4062-8982-6f28fdf4051b_train_model_model/churn')}`);
    assert.deepEqual(v2.aliases, [`${CATALOG}c12a398f-efb0-4b09-91a9-9b43b0bca745`, `${CATALOG}b2366405-6ef7-4648-a541-9a9ad04ffd68`]);
    assert.deepEqual(v2.tags, { stage: 'production', promoted_by: 'ml-platform' });
    assert.equal(v2.uri, '.flowyml/artifacts/3b719cb5-68f2-4062-8982-6f28fdf4051b/export_model/model/sklearn');
  });

  test('ticket_summarizer versions in creation order, stored and derived', () => {
    assert.deepEqual(labelsOf(ws, 'Prompt', 'ticket_summarizer'), ['v1.0.0 (#1)', '#2', 'v1.1.0 (#3)', '#4', 'v2.0.0 (#5)']);
  });

  test('stored and derived parents of churn_model v2.0.0', () => {
    const v2 = ws.getVersion(`${CATALOG}b2366405-6ef7-4648-a541-9a9ad04ffd68`)!;
    assert.deepEqual(v2.parents, [
      `${META}${enc('735883f5-2c8d-4ebb-8396-a04fd41bec3c_build_features_features/churn')}`,
      `${META}${enc('3b719cb5-68f2-4062-8982-6f28fdf4051b_train_checkpoints_ckpt/epoch_3')}`,
      `${META}${enc('3b719cb5-68f2-4062-8982-6f28fdf4051b_load_features_features/churn')}`,
      `${META}${enc('3b719cb5-68f2-4062-8982-6f28fdf4051b_train_checkpoints_ckpt/epoch_1')}`,
      `${META}${enc('3b719cb5-68f2-4062-8982-6f28fdf4051b_train_checkpoints_ckpt/epoch_2')}`,
    ]);
    assert.deepEqual(v2.derivedParents, v2.parents.slice(2));
  });

  test('automatic tuple rows stay on their step', () => {
    const run = ws.runs.find((r) => r.runId === '3b719cb5-68f2-4062-8982-6f28fdf4051b')!;
    const step = run.steps.find((s) => s.name === 'train_checkpoints')!;
    assert.deepEqual(step.catalogRecords, ['5ad9a473-2c90-4670-b0f3-4b87ecfa0f53']);
    const killed = ws.runs.find((r) => r.runId === '9e658802-2025-4b57-b95b-cac2fc2e91f9')!;
    assert.equal(killed.status, 'running');
    assert.equal(killed.endTime, undefined);
  });

  test('prompt, checkpoint, feature set, artifact and report properties', async () => {
    const prompt = await ws.details(`${CATALOG}907d1de7-841c-4312-b030-f1171f96a256`);
    assert.equal(prompt.version.id, `${PROJECT}${enc('65a6059f-4688-43f0-b4f4-764f97df1c3f_define_summarizer_prompt/summarizer')}`);
    assert.deepEqual(prompt.properties.typed.variables, ['ticket']);
    assert.equal(prompt.properties.typed.prompt_format, 'text');
    assert.deepEqual(prompt.properties.typed.model_config, { model: 'gpt-4o-mini', temperature: 0.2, max_tokens: 256 });

    const checkpoint = await ws.details(`${META}${enc('3b719cb5-68f2-4062-8982-6f28fdf4051b_train_checkpoints_ckpt/epoch_3')}`);
    assert.deepEqual(checkpoint.properties.typed, {
      epoch: 3, step: 150, checkpoint_metrics: { loss: 0.45104, accuracy: 0.7959 }, is_best: true,
      file_path: '.flowyml/checkpoints/churn_model_v2.0.0_epoch3.ckpt',
    });

    const featureSet = await ws.details(`${META}${enc('735883f5-2c8d-4ebb-8396-a04fd41bec3c_build_features_features/churn')}`);
    assert.deepEqual(featureSet.properties.typed, { label: 'churned', feature_store: 'local' });

    const artifact = await ws.details(`${META}${enc('735883f5-2c8d-4ebb-8396-a04fd41bec3c_feature_config_config/features')}`);
    assert.deepEqual(artifact.properties.typed, { artifact_type: 'config', file_path: 'configs/features.yaml' });

    const report = await ws.details(`${META}${enc('3b719cb5-68f2-4062-8982-6f28fdf4051b_model_card_report/model_card')}`);
    assert.deepEqual(report.properties.typed, { audience: 'risk-review' });

    const metrics = await ws.details(`${META}${enc('3b719cb5-68f2-4062-8982-6f28fdf4051b_evaluate_metrics/eval')}`);
    assert.deepEqual(metrics.properties.typed, { auc: 0.71205, accuracy: 0.79587, f1: 0.07059, n_eval: 387 });
  });
});

describe('flowyml-2.1-catalog-big', { skip: sharedFixture('flowyml-2.1-catalog-big').skip }, () => {
  let ws: WorkspaceIndex;
  before(async () => { ws = await loadWorkspace(sharedFixture('flowyml-2.1-catalog-big').dir); });
  after(() => ws.dispose());

  test('registered rows are versions; automatic rows stay on their steps', () => {
    assert.deepEqual(countsByType(ws), {
      'Other: (empty)': 1, Artifact: 2, Checkpoint: 3859, Dataset: 6304, FeatureSet: 42, Metrics: 2861, Model: 641,
      Prompt: 181, Report: 20, 'Other: float': 1,
    });
    const stepRecords = ws.runs.reduce((sum, r) => sum + r.steps.reduce((n, s) => n + s.catalogRecords.length, 0), 0);
    assert.equal(stepRecords, 35326);
    assert.deepEqual(labelsOf(ws, 'Model', 'ranker').slice(0, 3), ['v1.0.0 (#1)', 'v2.0.0 (#2)', 'v3.0.0 (#3)']);
  });

  test('ranker v17 has 6,018 children', () => {
    assert.equal(ws.children(`${CATALOG}ca533a36-edc9-416a-ac23-7642479bd719`).length, 6018);
  });

  test('loads every registered row; dangling parents become placeholders', () => {
    const orphan = ws.getVersion(`${CATALOG}orphan-child`)!;
    assert.deepEqual(orphan.parents, ['missing:00000000-0000-4000-8000-000000000000', 'missing:deleted-parent-id']);
    const graph = ws.lineage(orphan.id, { direction: 'up' });
    assert.deepEqual(graph.nodes.map((n) => n.kind).sort(), ['asset', 'missing', 'missing']);
  });
});
