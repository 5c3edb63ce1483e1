// Comparisons of real fixture versions. Every expected value was read with
// sqlite3 from the same store files (artifacts.metadata, runs.metadata and
// catalog.db rows) and is written here as a literal.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  StoreError, compareVersions, loadWorkspace,
  type CheckpointSection, type DatasetSection, type MetricsSection, type ModelSection, type PromptSection, type WorkspaceIndex,
} from '../../../src/core/index';
import { SAMPLE_WORKSPACE, SMALL_FIXTURES } from '../../helpers/paths';
import { PROJECT, fieldAt, metaId } from './support';

const RUN_V1 = '67cdd6d6-49fc-4f58-a727-66a40bf51245';
const RUN_V2 = '3b719cb5-68f2-4062-8982-6f28fdf4051b';
const MODEL_V1 = metaId(`${RUN_V1}_train_model_model/churn`);
const MODEL_V2 = metaId(`${RUN_V2}_train_model_model/churn`);

describe('compare in the sample workspace', () => {
  let ws: WorkspaceIndex;
  before(async () => { ws = await loadWorkspace(SAMPLE_WORKSPACE); });
  after(() => ws.dispose());

  test('model header facts and no banner', async () => {
    const c = await compareVersions(ws, MODEL_V1, MODEL_V2);
    assert.equal(c.format, 'flowyml-assets/comparison');
    assert.equal(c.a.id, MODEL_V1);
    assert.equal(c.b.id, MODEL_V2);
    assert.equal(c.a.type, 'Model');
    assert.equal(c.a.name, 'churn_model');
    assert.equal(c.a.label, 'v1.0.0 (#1)');
    assert.equal(c.b.label, 'v2.0.0 (#2)');
    assert.equal(c.a.runId, RUN_V1);
    assert.equal(c.a.step, 'train_model');
    assert.equal(c.a.store, '.flowyml/metadata.db');
    assert.equal(c.banner, null);
    assert.equal(c.summarized, false);
  });

  test('model hyperparameter C with its delta', async () => {
    const c = await compareVersions(ws, MODEL_V1, MODEL_V2);
    const C = fieldAt(c, 'properties.hyperparameters.C');
    assert.equal(C.kind, 'changed');
    assert.equal(C.scope, 'typed');
    assert.equal(C.a, 0.05);
    assert.equal(C.b, 1.0);
    assert.ok(C.delta);
    assert.ok(Math.abs(C.delta.absolute - 0.95) < 1e-12);
    assert.ok(Math.abs(C.delta.relative! - 19) < 1e-9);
    assert.equal(C.delta.direction, 'up');

    assert.equal(fieldAt(c, 'properties.hyperparameters.max_iter').kind, 'unchanged');
    assert.equal(fieldAt(c, 'properties.hyperparameters.solver').b, 'lbfgs');
    assert.equal(fieldAt(c, 'properties.framework').kind, 'unchanged');
    assert.equal(fieldAt(c, 'properties.model_class').a, 'LogisticRegression');
  });

  test('model section config and final metrics', async () => {
    const c = await compareVersions(ws, MODEL_V1, MODEL_V2);
    const section = c.section as ModelSection;
    assert.equal(section.kind, 'Model');
    assert.deepEqual(section.config.filter((f) => f.kind !== 'unchanged').map((f) => f.path), ['properties.hyperparameters.C']);
    assert.ok(section.config.some((f) => f.path === 'properties.framework'));

    const [loss, accuracy] = section.finalMetrics;
    assert.equal(loss.path, 'properties.training_history.loss[-1]');
    assert.equal(loss.a, 0.45131);
    assert.equal(loss.b, 0.45104);
    assert.equal(loss.delta?.direction, 'down');
    assert.ok(Math.abs(loss.delta!.absolute - -0.00027) < 1e-12);
    assert.equal(accuracy.path, 'properties.training_history.accuracy[-1]');
    assert.equal(accuracy.a, 0.7984);
    assert.equal(accuracy.b, 0.7959);
  });

  test('model training history kept whole', async () => {
    const section = (await compareVersions(ws, MODEL_V1, MODEL_V2)).section as ModelSection;
    assert.deepEqual(section.history.a, { loss: [0.45533, 0.45347, 0.45131], accuracy: [0.7933, 0.7984, 0.7984] });
    assert.deepEqual(section.history.b, { loss: [0.4552, 0.45351, 0.45104], accuracy: [0.7933, 0.7984, 0.7959] });
  });

  test('model tags and run parameters', async () => {
    const c = await compareVersions(ws, MODEL_V1, MODEL_V2);
    const stage = fieldAt(c, 'tags.stage');
    assert.equal(stage.scope, 'version');
    assert.equal(stage.a, 'archived');
    assert.equal(stage.b, 'production');
    const promotedBy = fieldAt(c, 'tags.promoted_by');
    assert.equal(promotedBy.kind, 'added');
    assert.equal(promotedBy.b, 'ml-platform');
    assert.equal(Object.hasOwn(promotedBy, 'a'), false);

    const runC = fieldAt(c, 'run.parameters.C');
    assert.equal(runC.scope, 'run');
    assert.equal(runC.a, 0.05);
    assert.equal(runC.b, 1.0);
    assert.equal(fieldAt(c, 'run.parameters.model_version').b, 'v2.0.0');
    assert.equal(fieldAt(c, 'run.parameters.steps_per_epoch').kind, 'unchanged');
    assert.equal(fieldAt(c, 'extra.best_checkpoint').b, 'churn_model_v2.0.0_epoch3');
  });

  test('model record ids are kept apart from the counts', async () => {
    const c = await compareVersions(ws, MODEL_V1, MODEL_V2);
    const assetId = fieldAt(c, 'extra.asset_id');
    assert.equal(assetId.scope, 'record');
    assert.equal(assetId.a, '83a61b0c-8daf-4ba1-baad-6ed1e935e4da');
    assert.equal(assetId.b, '2db36453-4544-4eee-bf3c-1ba22d1b9567');
    const counted = c.fields.filter((f) => f.scope !== 'record');
    assert.equal(c.counts.changed, counted.filter((f) => f.kind === 'changed').length);
    assert.equal(c.counts.added + c.counts.removed + c.counts.changed + c.counts.unchanged, counted.length);
  });

  test('model inputs: the changed checkpoint and features', async () => {
    const c = await compareVersions(ws, MODEL_V1, MODEL_V2);
    const rows = c.inputs.map((i) => `${i.kind} ${i.matchedBy} ${i.a?.name}@${i.a?.runId?.slice(0, 8)} ${i.b?.name}@${i.b?.runId?.slice(0, 8)}`);
    assert.deepEqual(rows.sort(), [
      'changed asset churn_features@67cdd6d6 churn_features@3b719cb5',
      'changed step-output churn_model_v1.0.0_epoch1@67cdd6d6 churn_model_v2.0.0_epoch1@3b719cb5',
      'changed step-output churn_model_v1.0.0_epoch2@67cdd6d6 churn_model_v2.0.0_epoch2@3b719cb5',
      'changed step-output churn_model_v1.0.0_epoch3@67cdd6d6 churn_model_v2.0.0_epoch3@3b719cb5',
      'unchanged id churn_features@735883f5 churn_features@735883f5',
    ]);

    const epoch3 = c.inputs.find((i) => i.a?.name === 'churn_model_v1.0.0_epoch3')!;
    assert.equal(epoch3.a?.id, metaId(`${RUN_V1}_train_checkpoints_ckpt/epoch_3`));
    assert.equal(epoch3.b?.id, metaId(`${RUN_V2}_train_checkpoints_ckpt/epoch_3`));
    assert.equal(epoch3.a?.type, 'Checkpoint');
    assert.equal(epoch3.a?.derived, false, 'catalog.db stores this parent');
    assert.equal(c.inputs.at(-1)?.kind, 'unchanged', 'unchanged inputs come last');
  });

  test('metrics values side by side', async () => {
    const c = await compareVersions(ws, metaId(`${RUN_V1}_evaluate_metrics/eval`), metaId(`${RUN_V2}_evaluate_metrics/eval`));
    const section = c.section as MetricsSection;
    assert.equal(section.kind, 'Metrics');
    assert.deepEqual(section.values.map((f) => [f.path, f.a, f.b, f.kind]), [
      ['properties.auc', 0.71099, 0.71205, 'changed'],
      ['properties.accuracy', 0.79845, 0.79587, 'changed'],
      ['properties.f1', 0.07143, 0.07059, 'changed'],
      ['properties.n_eval', 387, 387, 'unchanged'],
    ]);
    assert.equal(section.values[3].delta?.direction, 'none');
    assert.deepEqual(c.inputs.map((i) => `${i.kind} ${i.a?.type} ${i.a?.label} ${i.b?.label}`).sort(), [
      'changed FeatureSet #3 #4',
      'changed Model v1.0.0 (#1) v2.0.0 (#2)',
    ]);
  });

  test('checkpoints of two model versions', async () => {
    const c = await compareVersions(ws, metaId(`${RUN_V1}_train_checkpoints_ckpt/epoch_3`), metaId(`${RUN_V2}_train_checkpoints_ckpt/epoch_3`));
    assert.deepEqual(c.banner && { type: c.banner.differentType, name: c.banner.differentName }, { type: false, name: true });
    const section = c.section as CheckpointSection;
    assert.equal(section.kind, 'Checkpoint');
    const byPath = new Map(section.fields.map((f) => [f.path, f]));
    assert.equal(byPath.get('properties.epoch')?.kind, 'unchanged');
    assert.equal(byPath.get('properties.epoch')?.a, 3);
    assert.equal(byPath.get('properties.step')?.a, 150);
    assert.equal(byPath.get('properties.is_best')?.kind, 'unchanged');
    assert.equal(byPath.get('properties.is_best')?.b, true);
    assert.equal(byPath.get('properties.checkpoint_metrics.loss')?.a, 0.45131);
    assert.equal(byPath.get('properties.checkpoint_metrics.loss')?.b, 0.45104);
    assert.equal(byPath.get('properties.checkpoint_metrics.accuracy')?.b, 0.7959);
    assert.equal(byPath.get('properties.file_path')?.b, '.flowyml/checkpoints/churn_model_v2.0.0_epoch3.ckpt');
  });

  test('prompt templates, variables and model config', async () => {
    const c = await compareVersions(ws,
      metaId('65a6059f-4688-43f0-b4f4-764f97df1c3f_define_summarizer_prompt/summarizer', PROJECT),
      metaId('b3e24d76-e080-44cb-a107-074421ea2f8b_define_summarizer_prompt/summarizer', PROJECT));
    assert.equal(c.a.label, 'v1.0.0 (#1)');
    assert.equal(c.b.label, 'v2.0.0 (#5)');
    const section = c.section as PromptSection;
    assert.equal(section.kind, 'Prompt');
    assert.equal(section.template.changed, true);
    assert.equal(section.template.a.text, 'Summarize this support ticket:\n\n{ticket}');
    assert.equal(section.template.b.text,
      'You triage {product} tickets. Summarize the ticket below for an on-call engineer, then give a severity from 1-4.\n\nTicket:\n{ticket}');
    assert.equal(section.template.a.format, 'text');
    assert.deepEqual(section.template.b.variables, ['product', 'ticket']);
    assert.deepEqual(section.variables, { added: ['product'], removed: [] });
    assert.equal(section.format?.kind, 'unchanged');
    assert.equal(section.format?.a, 'text');
    assert.deepEqual(section.modelConfig.map((f) => [f.path, f.a, f.b, f.kind]), [
      ['properties.model_config.model', 'gpt-4o-mini', 'gpt-4o-mini', 'unchanged'],
      ['properties.model_config.temperature', 0.2, 0.1, 'changed'],
      ['properties.model_config.max_tokens', 256, 256, 'unchanged'],
    ]);
    assert.equal(fieldAt(c, 'extra.num_variables').b, 2);
  });

  test('report properties section', async () => {
    const c = await compareVersions(ws, metaId(`${RUN_V1}_model_card_report/model_card`), metaId(`${RUN_V2}_model_card_report/model_card`));
    assert.equal(c.section.kind, 'Properties');
    const audience = fieldAt(c, 'properties.audience');
    assert.equal(audience.kind, 'unchanged');
    assert.equal(audience.a, 'risk-review');
  });

  test('other class compares extras', async () => {
    const c = await compareVersions(ws, metaId(`${RUN_V1}_export_model_model/sklearn`), metaId(`${RUN_V2}_export_model_model/sklearn`));
    assert.equal(c.a.type, 'Other: LogisticRegression');
    assert.equal(c.banner, null);
    assert.deepEqual(c.section, { kind: 'Properties', fields: [] });
    const value = fieldAt(c, 'extra.value');
    assert.equal(value.kind, 'changed');
    assert.equal(value.a, 'LogisticRegression(C=0.05, max_iter=200)');
    assert.equal(value.b, 'LogisticRegression(max_iter=200)');
  });

  test('different types get a banner', async () => {
    const c = await compareVersions(ws, MODEL_V1, metaId(`${RUN_V1}_evaluate_metrics/eval`));
    assert.ok(c.banner);
    assert.equal(c.banner.differentType, true);
    assert.equal(c.banner.differentName, true);
    assert.match(c.banner.message, /different types \(Model and Metrics\)/);
    assert.equal(c.section.kind, 'Properties');
    assert.equal(fieldAt(c, 'properties.auc').kind, 'added');
    assert.equal(fieldAt(c, 'properties.framework').kind, 'removed');
  });

  test('a catalog alias names the same version', async () => {
    const c = await compareVersions(ws, '.flowyml/catalog.db:artifacts:cde232e1-6be5-461c-9e2b-bce60d6f48e6', MODEL_V2);
    assert.equal(c.a.id, MODEL_V1);
  });

  test('a version against itself changes nothing', async () => {
    const c = await compareVersions(ws, MODEL_V1, MODEL_V1);
    assert.equal(c.counts.changed + c.counts.added + c.counts.removed, 0);
    assert.ok(c.inputs.every((i) => i.kind === 'unchanged'));
    assert.deepEqual(c.notes, ['A and B are the same version, so nothing differs.']);
  });

  test('missing id names the id', async () => {
    await assert.rejects(compareVersions(ws, MODEL_V1, '.flowyml/metadata.db:artifacts:no-such-row'), (error: unknown) => {
      assert.ok(error instanceof StoreError);
      assert.equal(error.code, 'not-found');
      assert.match(error.message, /no asset version with id "\.flowyml\/metadata\.db:artifacts:no-such-row"/);
      assert.doesNotMatch(error.message, /train_model/, 'the id that exists is not named');
      return true;
    });
  });

  test('two missing ids are both named', async () => {
    await assert.rejects(compareVersions(ws, 'nope-a', 'nope-b'), /no asset version with id "nope-a" or "nope-b"/);
  });
});

describe('compare in flowyml-1.7-basic', () => {
  const RUN_1 = 'e1748314-59ac-402c-be97-68ae98e4d297';
  const RUN_2 = '0f5d4615-f51f-4c49-a9c6-b8246f0a87d3';
  const RUN_3 = '894d7adb-c71d-4754-a1af-2b905affe663';
  let ws: WorkspaceIndex;
  before(async () => { ws = await loadWorkspace(path.join(SMALL_FIXTURES, 'flowyml-1.7-basic')); });
  after(() => ws.dispose());

  test('iris_train rows and schema', async () => {
    const c = await compareVersions(ws, metaId(`${RUN_1}_preprocess_data/train`), metaId(`${RUN_3}_preprocess_data/train`));
    const section = c.section as DatasetSection;
    assert.equal(section.kind, 'Dataset');
    assert.equal(section.rows?.a, 105);
    assert.equal(section.rows?.b, 113);
    assert.deepEqual(section.rows?.delta, { absolute: 8, relative: 8 / 105, direction: 'up' });
    assert.equal(section.features?.kind, 'unchanged');
    assert.equal(section.features?.a, 4);
    assert.equal(section.schemaChanged, false);
    assert.equal(section.statsCompared, true);
    assert.deepEqual(section.columns.map((col) => [col.name, col.kind, col.dtypeA, col.dtypeB, col.featureA]), [
      ['sepal_length', 'changed', 'numeric', 'numeric', true],
      ['sepal_width', 'changed', 'numeric', 'numeric', true],
      ['petal_length', 'changed', 'numeric', 'numeric', true],
      ['petal_width', 'changed', 'numeric', 'numeric', true],
      ['target', 'changed', 'numeric', 'numeric', false],
    ]);
  });

  test('iris_train column statistic deltas', async () => {
    const c = await compareVersions(ws, metaId(`${RUN_1}_preprocess_data/train`), metaId(`${RUN_3}_preprocess_data/train`));
    const sepalLength = (c.section as DatasetSection).columns[0];
    const stats = new Map(sepalLength.stats.map((s) => [s.path, s]));
    assert.deepEqual([...stats.keys()], [
      'properties.column_stats.sepal_length.count',
      'properties.column_stats.sepal_length.unique',
      'properties.column_stats.sepal_length.mean',
      'properties.column_stats.sepal_length.std',
      'properties.column_stats.sepal_length.min',
      'properties.column_stats.sepal_length.max',
      'properties.column_stats.sepal_length.median',
    ]);
    const mean = stats.get('properties.column_stats.sepal_length.mean')!;
    assert.equal(mean.a, -0.052333);
    assert.equal(mean.b, -0.002104);
    assert.equal(mean.delta?.direction, 'up');
    assert.ok(Math.abs(mean.delta!.absolute - 0.050229) < 1e-12);
    assert.equal(stats.get('properties.column_stats.sepal_length.min')?.kind, 'unchanged');
    assert.equal(stats.get('properties.column_stats.sepal_length.max')?.b, 2.4837);
    assert.equal(stats.get('properties.column_stats.sepal_length.count')?.b, 113);
    assert.equal(stats.get('properties.column_stats.sepal_length.unique')?.b, 34);
    assert.equal(stats.get('properties.column_stats.sepal_length.median')?.kind, 'unchanged');
  });

  test('iris_train run parameters and input', async () => {
    const c = await compareVersions(ws, metaId(`${RUN_1}_preprocess_data/train`), metaId(`${RUN_3}_preprocess_data/train`));
    assert.deepEqual(c.fields.filter((f) => f.scope === 'run').map((f) => [f.path, f.a, f.b]), [
      ['run.parameters.seed', 1, 3],
      ['run.parameters.test_size', 0.3, 0.25],
      ['run.parameters.C', 1.0, 10.0],
      ['run.parameters.max_iter', 200, 500],
    ]);
    assert.equal(fieldAt(c, 'extra.test_size').b, 0.25);
    assert.equal(fieldAt(c, 'extra.split').kind, 'unchanged');
    assert.deepEqual(c.inputs.map((i) => [i.kind, i.matchedBy, i.a?.name, i.a?.runId, i.b?.runId]), [
      ['changed', 'asset', 'iris_raw', RUN_1, RUN_3],
    ]);
    assert.equal(c.inputs[0].a?.derived, true, 'FlowyML 1.7 stores no parents; they come from step inputs');
  });

  test('iris_eval runs 1 and 3', async () => {
    const c = await compareVersions(ws, metaId(`${RUN_1}_evaluate_metrics`), metaId(`${RUN_3}_evaluate_metrics`));
    assert.deepEqual((c.section as MetricsSection).values.map((f) => [f.path, f.a, f.b, f.kind]), [
      ['properties.accuracy', 0.9555555555555556, 0.972972972972973, 'changed'],
      ['properties.f1_macro', 0.9558404558404558, 0.9710144927536232, 'changed'],
      ['properties.n_test', 45, 37, 'changed'],
    ]);
    assert.deepEqual(fieldAt(c, 'properties.n_test').delta, { absolute: -8, relative: -8 / 45, direction: 'down' });
  });

  test('iris_eval runs 1 and 2 hold equal values', async () => {
    const c = await compareVersions(ws, metaId(`${RUN_1}_evaluate_metrics`), metaId(`${RUN_2}_evaluate_metrics`));
    assert.ok((c.section as MetricsSection).values.every((f) => f.kind === 'unchanged'));
    assert.deepEqual(c.fields.filter((f) => f.scope !== 'run' && f.kind !== 'unchanged').map((f) => f.path), []);
  });
});
