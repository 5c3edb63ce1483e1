// Runs `flowyml-assets compare` in-process against the sample workspace and
// the 1.7 basic fixture. Expected values come from sqlite3 readings of them.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { run } from '../../../src/cli/main';
import { SAMPLE_WORKSPACE, SMALL_FIXTURES } from '../../helpers/paths';
import { generatedPair, makeGeneratedWorkspace, metaId, pythonMissing } from './support';

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const MODEL_V1 = metaId('67cdd6d6-49fc-4f58-a727-66a40bf51245_train_model_model/churn');
const MODEL_V2 = metaId('3b719cb5-68f2-4062-8982-6f28fdf4051b_train_model_model/churn');
const BASIC = path.join(SMALL_FIXTURES, 'flowyml-1.7-basic');
const EVAL_1 = metaId('e1748314-59ac-402c-be97-68ae98e4d297_evaluate_metrics');
const EVAL_3 = metaId('894d7adb-c71d-4754-a1af-2b905affe663_evaluate_metrics');

test('compare --json shape', async () => {
  const { code, out, err } = await cli('compare', MODEL_V1, MODEL_V2, SAMPLE_WORKSPACE, '--json');
  assert.equal(code, 0, err);
  const json = JSON.parse(out) as Record<string, unknown>;
  assert.deepEqual(Object.keys(json), [
    'format', 'formatVersion', 'a', 'b', 'banner', 'fields', 'counts', 'section', 'inputs', 'full', 'summarized', 'notes',
  ]);
  assert.equal(json.format, 'flowyml-assets/comparison');
  assert.deepEqual(Object.keys(json.a as object), [
    'id', 'type', 'name', 'label', 'storedVersion', 'runId', 'step', 'pipeline', 'createdAt', 'store', 'aliases',
  ]);
  assert.equal((json.b as { storedVersion: string }).storedVersion, 'v2.0.0');
  assert.equal((json.section as { kind: string }).kind, 'Model');
  const fields = json.fields as { path: string; scope: string; kind: string; a?: unknown; b?: unknown; delta?: unknown }[];
  assert.deepEqual(fields.find((f) => f.path === 'properties.hyperparameters.C'), {
    path: 'properties.hyperparameters.C', scope: 'typed', kind: 'changed', a: 0.05, b: 1,
    delta: { absolute: 0.95, relative: 18.999999999999996, direction: 'up' },
  });
  const inputs = json.inputs as { kind: string; matchedBy: string | null; a: { name: string } | null }[];
  assert.ok(inputs.some((i) => i.kind === 'changed' && i.matchedBy === 'step-output' && i.a?.name === 'churn_model_v1.0.0_epoch3'));
});

test('compare default table lists changed fields', async () => {
  const { code, out } = await cli('compare', EVAL_1, EVAL_3, BASIC);
  assert.equal(code, 0);
  const lines = out.split('\n');
  assert.equal(lines[0], 'Metrics iris_eval: #1 → #3');
  assert.ok(lines.includes('Fields: 8 changed, 0 added, 0 removed, 0 unchanged.'), out);
  assert.ok(lines.some((line) => /^properties\.n_test\s+45\s+37\s+-8 \(-17\.78%\)$/.test(line)), out);
  assert.ok(lines.some((line) => /^run\.parameters\.C\s+1\s+10\s+\+9 \(\+900%\)$/.test(line)), out);
  assert.ok(lines.some((line) => /^changed input\s+Model iris_logreg\s+#1 \(run e1748314\)\s+#3 \(run 894d7adb\)$/.test(line)), out);
});

test('compare --all adds unchanged fields', async () => {
  const changedOnly = await cli('compare', MODEL_V1, MODEL_V2, SAMPLE_WORKSPACE);
  const all = await cli('compare', MODEL_V1, MODEL_V2, SAMPLE_WORKSPACE, '--all');
  assert.equal(all.code, 0);
  const unchangedRow = /^properties\.hyperparameters\.max_iter\s+200\s+200\s+unchanged$/m;
  assert.doesNotMatch(changedOnly.out, unchangedRow);
  assert.match(all.out, unchangedRow);
  assert.match(all.out, /^extra\.asset_id\s+83a61b0c-8daf-4ba1-baad-6ed1e935e4da\s+2db36453-4544-4eee-bf3c-1ba22d1b9567\s+changed$/m);
  assert.match(all.out, /^same input\s+FeatureSet churn_features\s+v1\.0\.0 \(#1\) \(run 735883f5\)/m);
});

test('compare --markdown prints the export', async () => {
  const { code, out } = await cli('compare', MODEL_V1, MODEL_V2, SAMPLE_WORKSPACE, '--markdown');
  assert.equal(code, 0);
  assert.ok(out.startsWith('## Compare Model `churn_model`: `v1.0.0 (#1)` → `v2.0.0 (#2)`\n'));
  assert.ok(out.includes('| `properties.hyperparameters.C` | 0.05 | 1 | +0.95 (+1900%) ↑ |'));
});

test('compare missing version exits 1', async () => {
  const { code, out, err } = await cli('compare', MODEL_V1, '.flowyml/metadata.db:artifacts:missing', SAMPLE_WORKSPACE);
  assert.equal(code, 1);
  assert.equal(out, '');
  assert.match(err, /^flowyml-assets: Cannot compare: no asset version with id "\.flowyml\/metadata\.db:artifacts:missing" in /);
  assert.match(err, /Run "flowyml-assets list" on the same folder to see the version ids\.$/);
});

test('compare usage errors exit 2', async () => {
  const oneId = await cli('compare', MODEL_V1);
  assert.equal(oneId.code, 2);
  assert.match(oneId.err, /^Missing ID_A and ID_B\./);

  const both = await cli('compare', MODEL_V1, MODEL_V2, SAMPLE_WORKSPACE, '--json', '--markdown');
  assert.equal(both.code, 2);
  assert.match(both.err, /^Use either --json or --markdown, not both\./);

  const extra = await cli('compare', MODEL_V1, MODEL_V2, SAMPLE_WORKSPACE, 'surplus');
  assert.equal(extra.code, 2);
  assert.match(extra.err, /^Unexpected argument "surplus"\./);
});

test('usage text lists compare', async () => {
  const { code, out } = await cli('--help');
  assert.equal(code, 0);
  assert.match(out, /^ {2}flowyml-assets compare {2}ID_A ID_B \[DIR\] \[--json \| --markdown\] \[--all\] \[--full\]$/m);
  assert.match(out, /--markdown {8}compare: print the comparison as Markdown for a pull request/);
});

test('compare keeps store text on one line', { skip: pythonMissing() ?? false }, async () => {
  const root = makeGeneratedWorkspace();
  try {
    const { code, out } = await cli('compare', ...generatedPair('hostile_data/hostile'), root);
    assert.equal(code, 0);
    assert.match(out, /^Dataset evil\|<script>alert\(1\)<\/script>`x: #1 → #2$/m);
    assert.match(out, /^extra\.note\s+plain\s+line one\\nline two \| <b>bold<\/b>\s+changed$/m);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
