// The audit export of the production Model of the sample workspace (a copy
// of the catalog-lineage fixture): byte-identical repeats, the manifest, the
// README's chain from raw data to the model, the gaps, and bad input.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { loadWorkspace, provenance, StoreError } from '../../../src/core/index';
import { SAMPLE_WORKSPACE } from '../../helpers/paths';
import { temporaryFolder } from '../../helpers/register-files';

const MODEL_V2 = '.flowyml/catalog.db:artifacts:b2366405-6ef7-4648-a541-9a9ad04ffd68';
const TIME = '2026-01-31T12:00:00Z';

function read(folder: string): Map<string, Buffer> {
  return new Map(fs.readdirSync(folder).sort().map((name) => [name, fs.readFileSync(path.join(folder, name))]));
}

describe('audit export', () => {
  test('same store and time give identical bytes', async () => {
    const out = temporaryFolder('export');
    const first = path.join(out, 'first');
    const second = path.join(out, 'second');
    const index = await loadWorkspace(SAMPLE_WORKSPACE);
    try {
      await provenance.exportProvenance(index, MODEL_V2, first, { exportTime: TIME, toolVersion: '0.1.0' });
    } finally {
      index.dispose();
    }
    // A fresh load, as a second export on another day would do.
    const again = await loadWorkspace(SAMPLE_WORKSPACE);
    try {
      await provenance.exportProvenance(again, MODEL_V2, second, { exportTime: TIME, toolVersion: '0.1.0' });
    } finally {
      again.dispose();
    }

    const a = read(first);
    const b = read(second);
    assert.deepEqual([...a.keys()], ['README.md', 'manifest.sha256', 'openlineage.json', 'provenance.json']);
    for (const [name, bytes] of a) assert.ok(bytes.equals(b.get(name)!), `${name} differs between two exports`);
  });

  test('another export time changes only the time', async () => {
    const out = temporaryFolder('export-time');
    const index = await loadWorkspace(SAMPLE_WORKSPACE);
    try {
      await provenance.exportProvenance(index, MODEL_V2, path.join(out, 'a'), { exportTime: TIME, toolVersion: '0.1.0' });
      await provenance.exportProvenance(index, MODEL_V2, path.join(out, 'b'), { exportTime: '2027-06-01T08:30:00+02:00', toolVersion: '0.1.0' });
    } finally {
      index.dispose();
    }
    const a = read(path.join(out, 'a'));
    const b = read(path.join(out, 'b'));
    assert.ok(a.get('provenance.json')!.equals(b.get('provenance.json')!));
    assert.ok(a.get('openlineage.json')!.equals(b.get('openlineage.json')!));
    const linesA = a.get('README.md')!.toString('utf8').split('\n');
    const linesB = b.get('README.md')!.toString('utf8').split('\n');
    const changed = linesA.map((line, i) => [line, linesB[i]]).filter(([x, y]) => x !== y);
    assert.deepEqual(changed, [['| Exported at | `2026-01-31T12:00:00.000Z` |', '| Exported at | `2027-06-01T06:30:00.000Z` |']]);
  });

  test('manifest lists the sha256 of every other file', async () => {
    const out = temporaryFolder('export-manifest');
    const index = await loadWorkspace(SAMPLE_WORKSPACE);
    try {
      const result = await provenance.exportProvenance(index, MODEL_V2, out, { exportTime: TIME, toolVersion: '0.1.0' });
      assert.equal(result.versions, 9);
      assert.equal(result.runs, 2);
      assert.deepEqual(result.gaps, { derivedVersions: 1, derivedParents: 6, danglingParents: 0, missingFiles: 1, unreadFiles: 0, runningRuns: 0, failedRuns: 0, unrecordedRuns: 0, loadProblems: 0 });
    } finally {
      index.dispose();
    }
    const lines = fs.readFileSync(path.join(out, 'manifest.sha256'), 'utf8').trimEnd().split('\n');
    const names = lines.map((line) => line.slice(66));
    assert.deepEqual(names, ['provenance.json', 'openlineage.json', 'README.md']);
    for (const line of lines) {
      const [hex, name] = [line.slice(0, 64), line.slice(66)];
      assert.equal(line.slice(64, 66), '  ');
      assert.equal(crypto.createHash('sha256').update(fs.readFileSync(path.join(out, name))).digest('hex'), hex, name);
    }
  });

  test('README walks from raw data to the model', async () => {
    const out = temporaryFolder('export-readme');
    const index = await loadWorkspace(SAMPLE_WORKSPACE);
    try {
      await provenance.exportProvenance(index, MODEL_V2, out, { exportTime: TIME, toolVersion: '0.1.0' });
    } finally {
      index.dispose();
    }
    const readme = fs.readFileSync(path.join(out, 'README.md'), 'utf8');
    assert.match(readme, /^# Provenance of Model churn_model v2\.0\.0 \(#2\)\n/);
    const brief = readme.slice(readme.indexOf('## The chain in brief'), readme.indexOf('## Newer upstream versions'));
    assert.deepEqual(brief.split('\n').filter((line) => line.startsWith('- ')).map((line) => line.replace(/\]\(#v\d+\)/g, ']')), [
      '- Generation 3: [Dataset customers_raw v1.0.0 (#1)]',
      '- Generation 2: [Dataset customers_clean v1.0.0 (#1)], [Artifact feature_config v1.0.0 (#1)]',
      '- Generation 1: [FeatureSet churn_features v1.0.0 (#1)], [FeatureSet churn_features #4], [Checkpoint churn_model_v2.0.0_epoch1 v2.0.0 (#1)], [Checkpoint churn_model_v2.0.0_epoch2 v2.0.0 (#1)], [Checkpoint churn_model_v2.0.0_epoch3 v2.0.0 (#1)]',
      '- Generation 0: [Model churn_model v2.0.0 (#2)]',
    ]);
    assert.match(readme, /\| Built from \| \[Dataset customers_clean v1\.0\.0 \(#1\)\]\(#v2\), \[Artifact feature_config v1\.0\.0 \(#1\)\]\(#v3\) \|/);
    assert.match(readme, /### Run `3b719cb5-68f2-4062-8982-6f28fdf4051b` of pipeline churn_training/);
    assert.match(readme, /\| C \| `1` \|\n\| min_auc \| `0\.5` \|\n\| model_version \| `v2\.0\.0` \|\n\| steps_per_epoch \| `50` \|/);
    assert.match(readme, /\| Tags \| promoted_by = ml-platform, stage = production \|/);
    assert.match(readme, /\| Properties \| num_features = 6, num_samples = 400, source = s3:\/\/acme-crm\/exports\/customers\.csv \|/);
    assert.match(readme, /\| Properties \| framework = sklearn, model_class = LogisticRegression \|/);
    assert.match(readme, /- \[Artifact feature_config v1\.0\.0 \(#1\)\]\(#v3\) at `configs\/features\.yaml`/);
    assert.match(readme, /\| Exported by \| flowyml-assets 0\.1\.0 \|/);
    assert.match(readme, /- built from \[FeatureSet churn_features #4\]\(#v5\); the latest is #6/);
    assert.match(readme, /\| `\.flowyml\/catalog\.db` \| `[0-9a-f]{64}` \|/);
  });

  test('bad input gets a clear error', async () => {
    const out = temporaryFolder('export-bad');
    const file = path.join(out, 'a-file');
    fs.writeFileSync(file, 'x');
    const index = await loadWorkspace(SAMPLE_WORKSPACE);
    try {
      await assert.rejects(provenance.exportProvenance(index, 'no-such-version', path.join(out, 'x'), { toolVersion: '0' }), (error: unknown) => error instanceof StoreError && error.code === 'not-found');
      await assert.rejects(provenance.exportProvenance(index, MODEL_V2, file, { toolVersion: '0' }), /it is a file, not a folder/);
      await assert.rejects(provenance.exportProvenance(index, MODEL_V2, path.join(out, 'y'), { toolVersion: '0', exportTime: '31/01/2026' }), /Invalid export time "31\/01\/2026"/);
      assert.equal(fs.existsSync(path.join(out, 'x')), false);
      assert.equal(fs.existsSync(path.join(out, 'y')), false);
    } finally {
      index.dispose();
    }
  });
});
