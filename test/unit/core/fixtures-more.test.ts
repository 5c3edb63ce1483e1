// Expected values come from sqlite3 queries of the fixture files, written here
// as literals; none is produced by the code under test.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadWorkspace, type WorkspaceIndex } from '../../../src/core/index';
import { SMALL_FIXTURES, sharedFixture } from '../../helpers/paths';

const META = '.flowyml/metadata.db:artifacts:';
const enc = encodeURIComponent;

function countsByType(ws: WorkspaceIndex): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of ws.versions) counts[v.type] = (counts[v.type] ?? 0) + 1;
  return counts;
}

describe('flowyml-1.7-featureset-report', () => {
  let ws: WorkspaceIndex;
  before(async () => { ws = await loadWorkspace(path.join(SMALL_FIXTURES, 'flowyml-1.7-featureset-report')); });
  after(() => ws.dispose());

  test('counts per type', () => {
    assert.deepEqual(countsByType(ws), {
      Dataset: 2, 'Other: dict': 2, FeatureSet: 2, Artifact: 4, Model: 2, 'Other: float': 2, Report: 2, 'Other: str': 2,
    });
  });

  test('model parents skip the dict output of a multi-output step', () => {
    const tree = ws.getVersion(`${META}${enc('281c6f20-6755-4bd1-9043-4be6f92b5231_train_model/tree')}`)!;
    assert.equal(tree.step, 'train');
    assert.equal(tree.outputName, 'model/tree');
    assert.deepEqual(tree.parents, [`${META}${enc('281c6f20-6755-4bd1-9043-4be6f92b5231_build_features_features/train')}`]);
  });

  test('a short str output keeps its path', () => {
    const file = ws.getVersion(`${META}${enc('281c6f20-6755-4bd1-9043-4be6f92b5231_publish_report_report/model_card_file')}`)!;
    assert.equal(file.path, 'reports/model_card_a.html');
    assert.equal(file.type, 'Other: str');
  });

  test('tree model properties', async () => {
    const details = await ws.details(`${META}${enc('281c6f20-6755-4bd1-9043-4be6f92b5231_train_model/tree')}`);
    assert.equal(details.properties.typed.framework, 'sklearn');
    assert.equal(details.properties.typed.model_class, 'DecisionTreeClassifier');
    assert.equal((details.properties.typed.hyperparameters as Record<string, unknown>).max_depth, 3);
    assert.deepEqual(details.properties.extra.feature_importances, [0.4491503446820417, 0.052966527971155676, 0.3711558048676673, 0.12672732247913532]);
  });
});

describe('flowyml-1.7-local-stack', () => {
  let ws: WorkspaceIndex;
  before(async () => { ws = await loadWorkspace(path.join(SMALL_FIXTURES, 'flowyml-1.7-local-stack')); });
  after(() => ws.dispose());

  test('counts per type keep plain class names', () => {
    assert.deepEqual(countsByType(ws), {
      'Other: DataFrame': 2, 'Other: ndarray': 4, 'Other: Ridge': 2, Metrics: 2, Model: 2, Dataset: 2,
    });
  });

  test('ridge versions in run order', () => {
    const asset = ws.assets().find((a) => a.name === 'ridge')!;
    assert.deepEqual(asset.versions.map((v) => [v.runId, v.label]), [
      ['52735367-2a0e-4087-8c51-7e94ee86b40b', '#1'], ['1f4e6a6a-d504-46db-bff6-6e9a8b1e8806', '#2'],
    ]);
  });
});

const big = sharedFixture('flowyml-1.7-big');

describe('flowyml-1.7-big', { skip: big.skip }, () => {
  let ws: WorkspaceIndex;
  before(async () => { ws = await loadWorkspace(big.dir); });
  after(() => ws.dispose());

  test('counts per type', () => {
    assert.deepEqual(countsByType(ws), {
      Metrics: 3978, Report: 1938, Artifact: 2040, 'Other: str': 1938, FeatureSet: 2040, Dataset: 2040, Model: 2040,
      'Other: dict': 1938, 'Other: float': 2040,
    });
    assert.equal(ws.runs.filter((r) => r.status === 'failed').length, 102);
  });

  test('a 791 KB row is listed from its run without loading it', () => {
    const v = ws.getVersion(`${META}${enc('8928ca8e-b480-4804-8687-e9e99470e998_ingest_data/raw')}`)!;
    assert.equal(v.metadataBytes, 791349);
    assert.equal(v.step, 'ingest');
    assert.equal(v.outputName, 'data/raw');
    // Too big to read metadata.created_at while listing, so the run's end time is used instead.
    assert.equal(v.createdAt?.raw, '2026-12-04T19:29:50.380248');
  });

  test('details of the big row leave the data copies out unless asked', async () => {
    const id = `${META}${enc('8928ca8e-b480-4804-8687-e9e99470e998_ingest_data/raw')}`;
    const preview = await ws.details(id);
    assert.equal(preview.rawTruncated, true);
    assert.equal(preview.properties.typed.num_samples, 20000);
    const full = await ws.details(id, { full: true });
    assert.equal(full.rawTruncated, false);
    assert.equal(((full.raw as Record<string, Record<string, unknown>>).properties._full_data as Record<string, unknown[]>) !== undefined, true);
  });

  test('failed run marks the steps that never ran', () => {
    const run = ws.runs.find((r) => r.runId === '74783b64-aead-4694-9910-54a3e3494404')!;
    assert.equal(run.status, 'failed');
    const evaluate = run.steps.find((s) => s.name === 'evaluate')!;
    const publish = run.steps.find((s) => s.name === 'publish')!;
    assert.equal(evaluate.notRun, false);
    assert.match(evaluate.error ?? '', /^evaluation backend unavailable \(run 7\)/);
    assert.equal(publish.notRun, true);
    assert.equal(run.steps.find((s) => s.name === 'train')!.produced.length, 2);
  });
});
