// The impact, why and export commands in-process: output, JSON, exit codes
// and usage errors, on the sample workspace (a copy of the catalog-lineage
// fixture).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { run } from '../../../src/cli/main';
import { loadWorkspace } from '../../../src/core';
import { StaleChecker } from '../../../src/core/provenance/stale';
import { SAMPLE_WORKSPACE } from '../../helpers/paths';
import { temporaryFolder } from '../../helpers/register-files';

const MODEL_V1 = '.flowyml/catalog.db:artifacts:cde232e1-6be5-461c-9e2b-bce60d6f48e6';
const MODEL_V2 = '.flowyml/catalog.db:artifacts:b2366405-6ef7-4648-a541-9a9ad04ffd68';

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('provenance commands', () => {
  test('impact prints a table with stale marks', async () => {
    const { code, out, err } = await cli('impact', MODEL_V2, SAMPLE_WORKSPACE, '--stale');
    assert.equal(code, 0, err);
    const lines = out.split('\n');
    assert.equal(lines[0], '4 versions downstream of Model churn_model v2.0.0 (#2)');
    assert.equal(lines[1], 'by type: Metrics 1, Report 1, Other: LogisticRegression 1, Other: ndarray 1');
    assert.match(lines[3], /^DISTANCE\s+TYPE\s+NAME\s+VERSION\s+STALE\s+ID$/);
    assert.match(lines[4], /^1\s+Metrics\s+churn_eval\s+v2\.0\.0 \(#2\)\s+stale\s+\.flowyml\/metadata\.db:artifacts:3b719cb5/);
  });

  test('impact --stale marks match check', async () => {
    // The command marks stale versions in one topological pass; each mark must agree with the per-version walk.
    for (const focus of [MODEL_V1, MODEL_V2]) {
      const { code, out } = await cli('impact', focus, SAMPLE_WORKSPACE, '--stale', '--json');
      assert.equal(code, 0);
      const report = JSON.parse(out) as { groups: { versions: { id: string; stale: boolean }[] }[] };
      const marks = report.groups.flatMap((group) => group.versions.map((version) => [version.id, version.stale]));
      const index = await loadWorkspace(SAMPLE_WORKSPACE);
      try {
        const checker = new StaleChecker(index);
        assert.deepEqual(marks, marks.map(([id]) => [id, checker.check(id as string) !== undefined]));
        assert.ok(marks.length > 0);
      } finally {
        index.dispose();
      }
    }
  });

  test('impact --json groups by distance and type', async () => {
    const { code, out } = await cli('impact', MODEL_V2, SAMPLE_WORKSPACE, '--json');
    assert.equal(code, 0);
    const report = JSON.parse(out) as { total: number; groups: { distance: number; type: string }[] };
    assert.equal(report.total, 4);
    assert.deepEqual(report.groups.map((g) => `${g.distance} ${g.type}`), ['1 Metrics', '1 Report', '1 Other: LogisticRegression', '1 Other: ndarray']);
  });

  test('why prints differing ancestors and parameters', async () => {
    const { code, out, err } = await cli('why', MODEL_V1, MODEL_V2, SAMPLE_WORKSPACE);
    assert.equal(code, 0, err);
    assert.match(out, /^7 upstream assets differ, 4 ancestor versions are shared\.$/m);
    assert.match(out, /^1\s+FeatureSet\s+churn_features\s+#3\s+#4$/m);
    assert.match(out, /^C\s+0\.05\s+1\s+67cdd6d6 \/ 3b719cb5$/m);
    const json = await cli('why', MODEL_V1, MODEL_V2, SAMPLE_WORKSPACE, '--json');
    assert.equal((JSON.parse(json.out) as { differences: unknown[] }).differences.length, 7);
  });

  test('export writes four files and reports gaps', async () => {
    const out = path.join(temporaryFolder('cli-export'), 'audit');
    const result = await cli('export', MODEL_V2, SAMPLE_WORKSPACE, '--out', out, '--export-time', '2026-01-31T12:00:00Z', '--json');
    assert.equal(result.code, 0, result.err);
    const parsed = JSON.parse(result.out) as { exportTime: string; files: { name: string }[]; gaps: Record<string, number> };
    assert.equal(parsed.exportTime, '2026-01-31T12:00:00.000Z');
    assert.deepEqual(parsed.files.map((f) => f.name), ['provenance.json', 'openlineage.json', 'README.md', 'manifest.sha256']);
    assert.deepEqual(fs.readdirSync(out).sort(), ['README.md', 'manifest.sha256', 'openlineage.json', 'provenance.json']);
    assert.equal(parsed.gaps.missingFiles, 1);
  });

  test('bad arguments exit 1 or 2 with a message', async () => {
    const noOut = await cli('export', MODEL_V2, SAMPLE_WORKSPACE);
    assert.equal(noOut.code, 2);
    assert.match(noOut.err, /^Missing --out FOLDER/);
    const badTime = await cli('export', MODEL_V2, SAMPLE_WORKSPACE, '--out', temporaryFolder('cli-bad'), '--export-time', 'yesterday');
    assert.equal(badTime.code, 2, 'a malformed option is a usage error');
    assert.match(badTime.err, /Invalid export time "yesterday"/);
    const unknown = await cli('impact', 'no-such-id', SAMPLE_WORKSPACE);
    assert.equal(unknown.code, 1);
    assert.match(unknown.err, /No asset version with id "no-such-id".*Run "flowyml-assets list"/);
    const oneId = await cli('why', MODEL_V1);
    assert.equal(oneId.code, 2);
    assert.match(oneId.err, /^Missing ID_A and ID_B\./);
  });
});
