// Lineage diffs of Model versions of the sample workspace (a copy of the
// catalog-lineage fixture). The expected ancestors and parameters were read
// from the runs' step records and contexts in metadata.db.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadWorkspace, provenance } from '../../../src/core/index';
import { SAMPLE_WORKSPACE, sharedFixture } from '../../helpers/paths';

const MODEL_V1 = '.flowyml/catalog.db:artifacts:cde232e1-6be5-461c-9e2b-bce60d6f48e6';
const MODEL_V2 = '.flowyml/catalog.db:artifacts:b2366405-6ef7-4648-a541-9a9ad04ffd68';
const MODEL_V3 = '.flowyml/catalog.db:artifacts:25ab0bfb-f079-4b30-b586-dfce9e52de2f';
const FEATURES_3 = '.flowyml/metadata.db:artifacts:67cdd6d6-49fc-4f58-a727-66a40bf51245_load_features_features%2Fchurn';
const FEATURES_4 = '.flowyml/metadata.db:artifacts:3b719cb5-68f2-4062-8982-6f28fdf4051b_load_features_features%2Fchurn';

function rows(diff: provenance.LineageDiff): string[] {
  const side = (list: provenance.VersionRef[]) => list.map((ref) => ref.label).join('+') || '-';
  return diff.differences.map((d) => `${d.distance} ${d.type} ${d.name}: ${side(d.a)} | ${side(d.b)}`);
}

describe('lineage diff of churn_model versions', () => {
  test('v1.0.0 against v2.0.0', async () => {
    const index = await loadWorkspace(SAMPLE_WORKSPACE);
    try {
      const diff = provenance.diffLineage(index, MODEL_V1, MODEL_V2);
      assert.equal(diff.sameAsset, true);
      assert.equal(diff.a.label, 'v1.0.0 (#1)');
      assert.equal(diff.b.label, 'v2.0.0 (#2)');
      assert.deepEqual(rows(diff), [
        '1 FeatureSet churn_features: #3 | #4',
        '1 Checkpoint churn_model_v1.0.0_epoch1: v1.0.0 (#1) | -',
        '1 Checkpoint churn_model_v1.0.0_epoch2: v1.0.0 (#1) | -',
        '1 Checkpoint churn_model_v1.0.0_epoch3: v1.0.0 (#1) | -',
        '1 Checkpoint churn_model_v2.0.0_epoch1: - | v2.0.0 (#1)',
        '1 Checkpoint churn_model_v2.0.0_epoch2: - | v2.0.0 (#1)',
        '1 Checkpoint churn_model_v2.0.0_epoch3: - | v2.0.0 (#1)',
      ]);
      // Both were trained on churn_features v1.0.0 from the same raw data.
      assert.equal(diff.commonAncestors, 4);
      assert.deepEqual(diff.differences[0].comparePairs, [[FEATURES_3, FEATURES_4]]);
      assert.deepEqual(diff.parameters.map((p) => [p.key, p.a, p.b]), [['C', '0.05', '1'], ['model_version', '"v1.0.0"', '"v2.0.0"']]);
      assert.deepEqual(diff.missing, []);
    } finally {
      index.dispose();
    }
  });

  test('v2.0.0 against v3.0.0 names the other parameters', async () => {
    const index = await loadWorkspace(SAMPLE_WORKSPACE);
    try {
      const diff = provenance.diffLineage(index, MODEL_V2, MODEL_V3);
      assert.deepEqual(diff.parameters.map((p) => [p.key, p.a, p.b]), [['C', '1', '20'], ['model_version', '"v2.0.0"', '"v3.0.0"']]);
      assert.equal(diff.differences.length, 7);
    } finally {
      index.dispose();
    }
  });

  test('a version against itself differs nowhere', async () => {
    const index = await loadWorkspace(SAMPLE_WORKSPACE);
    try {
      const diff = provenance.diffLineage(index, MODEL_V2, MODEL_V2);
      assert.deepEqual(diff.differences, []);
      assert.deepEqual(diff.parameters, []);
      assert.equal(diff.commonAncestors, 8);
    } finally {
      index.dispose();
    }
  });
});

const big = sharedFixture('flowyml-2.1-catalog-big');

describe('lineage diff with dangling parents', { skip: big.skip }, () => {
  test('orphan_child lists both missing parents', async () => {
    const index = await loadWorkspace(big.dir);
    try {
      const ranker = '.flowyml/catalog.db:artifacts:ca533a36-edc9-416a-ac23-7642479bd719';
      const diff = provenance.diffLineage(index, '.flowyml/catalog.db:artifacts:orphan-child', ranker);
      assert.equal(diff.sameAsset, false);
      assert.deepEqual(diff.missing, [
        { id: '00000000-0000-4000-8000-000000000000', side: 'a' },
        { id: 'deleted-parent-id', side: 'a' },
      ]);
    } finally {
      index.dispose();
    }
  });
});
