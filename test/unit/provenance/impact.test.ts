// Impact sets on the sample workspace (a copy of the catalog-lineage
// fixture) and on the 6,018-child fan-out of the big catalog fixture.
// Expected counts were read from the stores' parent_ids and step records.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadWorkspace, provenance, StoreError } from '../../../src/core/index';
import { SAMPLE_WORKSPACE, sharedFixture } from '../../helpers/paths';

const RAW_V1 = '.flowyml/catalog.db:artifacts:be124dbd-6f94-4fae-b9a2-384be199dbc0';
const MODEL_V2 = '.flowyml/catalog.db:artifacts:b2366405-6ef7-4648-a541-9a9ad04ffd68';
const RANKER_V17 = '.flowyml/catalog.db:artifacts:ca533a36-edc9-416a-ac23-7642479bd719';

function summary(report: provenance.ImpactReport): string[] {
  return report.groups.map((group) => `${group.distance} ${group.type} ${group.versions.map((v) => `${v.name} ${v.label}`).join(', ')}`);
}

describe('impact on the sample workspace', () => {
  test('production model reaches its four outputs', async () => {
    const index = await loadWorkspace(SAMPLE_WORKSPACE);
    try {
      const report = provenance.impactOf(index, MODEL_V2);
      assert.equal(report.focus.name, 'churn_model');
      assert.equal(report.focus.label, 'v2.0.0 (#2)');
      assert.equal(report.total, 4);
      assert.deepEqual(summary(report), [
        '1 Metrics churn_eval v2.0.0 (#2)',
        '1 Report churn_model_card v2.0.0 (#2)',
        '1 Other: LogisticRegression model/sklearn #2',
        '1 Other: ndarray model/coef #2',
      ]);
    } finally {
      index.dispose();
    }
  });

  test('raw dataset reaches every training run', async () => {
    const index = await loadWorkspace(SAMPLE_WORKSPACE);
    try {
      const report = provenance.impactOf(index, RAW_V1);
      assert.equal(report.total, 33);
      assert.deepEqual(report.byType, {
        Dataset: 1, FeatureSet: 1, Model: 4, Metrics: 3, Report: 3, Checkpoint: 12,
        'Other: DataFrame': 1, 'Other: LogisticRegression': 4, 'Other: ndarray': 4,
      });
      assert.deepEqual(summary(report).slice(0, 3), [
        '1 Dataset customers_clean v1.0.0 (#1)',
        '2 FeatureSet churn_features v1.0.0 (#1)',
        '2 Other: DataFrame frames/features #1',
      ]);
      const models = report.groups.find((group) => group.type === 'Model');
      assert.equal(models?.distance, 3);
      assert.deepEqual(models?.versions.map((v) => v.label), ['v1.0.0 (#1)', 'v2.0.0 (#2)', 'v3.0.0 (#3)', 'v4.0.0 (#4)']);
      assert.equal(Math.max(...report.groups.map((group) => group.distance)), 4);
    } finally {
      index.dispose();
    }
  });

  test('a leaf version has no impact', async () => {
    const index = await loadWorkspace(SAMPLE_WORKSPACE);
    try {
      const report = provenance.impactOf(index, '.flowyml/metadata.db:artifacts:3b719cb5-68f2-4062-8982-6f28fdf4051b_model_card_report%2Fmodel_card');
      assert.equal(report.total, 0);
      assert.deepEqual(report.groups, []);
    } finally {
      index.dispose();
    }
  });

  test('unknown id raises not-found', async () => {
    const index = await loadWorkspace(SAMPLE_WORKSPACE);
    try {
      assert.throws(() => provenance.impactOf(index, '.flowyml/catalog.db:artifacts:no-such-id'), (error: unknown) => error instanceof StoreError && error.code === 'not-found' && /no-such-id/.test(error.message));
    } finally {
      index.dispose();
    }
  });
});

const big = sharedFixture('flowyml-2.1-catalog-big');

describe('impact on the big catalog', { skip: big.skip }, () => {
  test('ranker v17 fan-out by distance and type', async () => {
    const index = await loadWorkspace(big.dir);
    try {
      const report = provenance.impactOf(index, RANKER_V17);
      assert.equal(report.focus.name, 'ranker');
      assert.equal(report.focus.label, 'v17.0.0 (#17)');
      assert.equal(report.total, 6408);
      assert.deepEqual(report.byType, { Dataset: 6000, Model: 24, Metrics: 384 });

      const first = report.groups.filter((group) => group.distance === 1).map((group) => [group.type, group.versions.length]);
      assert.deepEqual(first, [['Dataset', 6000], ['Model', 2], ['Metrics', 16]]);
      // The fine-tune chain continues v18 … v40: one Model and 16 Metrics per generation.
      for (let distance = 2; distance <= 23; distance++) {
        const at = report.groups.filter((group) => group.distance === distance).map((group) => [group.type, group.versions.length]);
        assert.deepEqual(at, [['Model', 1], ['Metrics', 16]], `distance ${distance}`);
      }
      assert.deepEqual(report.groups.filter((group) => group.distance === 24).map((group) => [group.type, group.versions.length]), [['Metrics', 16]]);
      assert.equal(new Set(report.groups.flatMap((group) => group.versions.map((v) => v.id))).size, 6408);
    } finally {
      index.dispose();
    }
  });
});
