/**
 * Previews of materialized files and the integrity check, on the fixture's
 * real files and on files registered through the real write path (Python's
 * sqlite3 engine), then changed or deleted.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { loadWorkspace } from '../../../src/core';
import { findWriteEngine, planRegistration, writeRegistration } from '../../../src/core/register/index';
import { checkWorkspaceFiles, integrityCounts, integrityMarkdown, previewFile, readStackFile } from '../../../src/core/stack';
import { SAMPLE_WORKSPACE } from '../../helpers/paths';
import { copySampleWorkspace, PYTHON, pythonAvailable, temporaryFolder } from '../../helpers/register-files';

const FEATURES_CSV = path.join(SAMPLE_WORKSPACE, '.flowyml/artifacts/735883f5-2c8d-4ebb-8396-a04fd41bec3c/build_features/frames/features/data.csv');
const COEF_NPY = path.join(SAMPLE_WORKSPACE, '.flowyml/artifacts/67cdd6d6-49fc-4f58-a727-66a40bf51245/export_model/model/coef/array.npy');
const MODEL_PKL = path.join(SAMPLE_WORKSPACE, '.flowyml/artifacts/67cdd6d6-49fc-4f58-a727-66a40bf51245/export_model/model/sklearn/model.pkl');

describe('file previews', () => {
  test('CSV head rows', async () => {
    const result = await previewFile(FEATURES_CSV, { rows: 5 });
    const lines = fs.readFileSync(FEATURES_CSV, 'utf8').trim().split('\n');
    assert.equal(result.preview.kind, 'table');
    if (result.preview.kind !== 'table') return;

    assert.deepEqual(result.preview.columns, lines[0].split(','));
    assert.deepEqual(result.preview.rows, lines.slice(1, 6).map((line) => line.split(',')));
    assert.equal(result.preview.totalRows, lines.length - 1);
    assert.equal(result.preview.truncated, true);
  });

  test('Parquet head rows', async () => {
    const { parquetWriteFile } = await import('hyparquet-writer');
    const file = path.join(temporaryFolder('stack-parquet'), 'data.parquet');
    const ids = Array.from({ length: 120 }, (_, i) => i + 1);
    parquetWriteFile({ filename: file, columnData: [{ name: 'id', data: ids, type: 'INT32' }, { name: 'city', data: ids.map((i) => `c${i % 7}`), type: 'STRING' }] });

    const result = await previewFile(file, { rows: 3 });
    assert.deepEqual(result.preview, { kind: 'table', format: 'Parquet', columns: ['id', 'city'], rows: [['1', 'c1'], ['2', 'c2'], ['3', 'c3']], totalRows: 120, truncated: true });
  });

  test('npy header and sidecar', async () => {
    const result = await previewFile(COEF_NPY);
    const sidecar = JSON.parse(fs.readFileSync(path.join(path.dirname(COEF_NPY), 'metadata.json'), 'utf8')) as { shape: number[] };
    assert.equal(result.preview.kind, 'summary');
    if (result.preview.kind !== 'summary') return;

    const facts = Object.fromEntries(result.preview.facts.map((fact) => [fact.label, fact.value]));
    assert.equal(facts.shape, `(${sidecar.shape.join(', ')})`);
    assert.equal(facts['metadata.json type'], 'numpy_array');
  });

  test('pickle model summary', async () => {
    const result = await previewFile(MODEL_PKL);
    assert.equal(result.preview.kind, 'summary');
    if (result.preview.kind !== 'summary') return;

    const facts = Object.fromEntries(result.preview.facts.map((fact) => [fact.label, fact.value]));
    assert.equal(facts.file_size, String(fs.statSync(MODEL_PKL).size));
    assert.equal(facts['metadata.json class_name'], 'LogisticRegression');
    assert.ok(result.preview.warnings.some((warning) => warning.includes('never unpickled')));
  });

  test('JSON, text and image', async () => {
    const dir = temporaryFolder('stack-preview');
    fs.writeFileSync(path.join(dir, 'm.json'), '{"auc": NaN, "n": 3}');
    fs.writeFileSync(path.join(dir, 'notes.md'), '# Notes\nline');
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
    fs.writeFileSync(path.join(dir, 'pixel.png'), png);

    assert.deepEqual((await previewFile(path.join(dir, 'm.json'))).preview, { kind: 'json', text: '{\n  "auc": null,\n  "n": 3\n}', truncated: false });
    assert.deepEqual((await previewFile(path.join(dir, 'notes.md'))).preview, { kind: 'text', text: '# Notes\nline', truncated: false });
    assert.deepEqual((await previewFile(path.join(dir, 'pixel.png'))).preview, { kind: 'image', mime: 'image/png', base64: png.toString('base64') });
  });

  test('cancelled preview rejects', async () => {
    const controller = new AbortController();
    controller.abort();

    await assert.rejects(previewFile(FEATURES_CSV, { signal: controller.signal }), /cancelled/);
  });
});

describe('integrity check', () => {
  test('fixture: missing config, no hashable files', async () => {
    const index = await loadWorkspace(SAMPLE_WORKSPACE);
    try {
      const file = readStackFile(path.join(SAMPLE_WORKSPACE, 'flowyml.yaml'), { env: {} });
      const report = await checkWorkspaceFiles(index, file, 'local');
      const counts = integrityCounts(report);

      assert.equal(report.versionsChecked, index.versions.length);
      assert.deepEqual(report.entries.filter((entry) => entry.status === 'missing').map((entry) => [entry.name, entry.location]), [
        ['feature_config', 'configs/features.yaml'], ['feature_config', 'configs/features.yaml'],
      ]);
      assert.deepEqual(report.versionsWithFilesGone.map((version) => `${version.name} ${version.label}`), ['feature_config v1.0.0 (#1)', 'feature_config #2']);
      assert.equal(counts.modified, 0);
      assert.equal(counts.matches, 0);
      const checkpoint = report.entries.find((entry) => entry.location === '.flowyml/checkpoints/churn_model_v1.0.0_epoch1.ckpt');
      assert.equal(checkpoint?.status, 'present');
      assert.match(checkpoint?.detail ?? '', /not of this file/);
      assert.match(integrityMarkdown(report), /## Missing, modified and unreadable files\n\n\| Version \| Type \| Location/);
    } finally {
      index.dispose();
    }
  });

  test('registered file: matches, modified, missing', { skip: pythonAvailable() }, async () => {
    const root = copySampleWorkspace();
    const data = path.join(root, 'exports', 'scores.csv');
    fs.mkdirSync(path.dirname(data));
    fs.writeFileSync(data, 'id,score\n1,0.5\n2,0.7\n');
    const index = await loadWorkspace(root);
    try {
      const plan = await planRegistration({ workspace: index, source: { kind: 'file', path: data }, type: 'Dataset', name: 'scores' });
      await writeRegistration(plan, findWriteEngine({ only: 'python', pythonCandidates: [PYTHON] }));
    } finally {
      index.dispose();
    }

    const check = async () => {
      const reloaded = await loadWorkspace(root);
      try {
        const report = await checkWorkspaceFiles(reloaded, undefined, undefined);
        return { entry: report.entries.find((entry) => entry.name === 'scores'), gone: report.versionsWithFilesGone.map((version) => version.name) };
      } finally {
        reloaded.dispose();
      }
    };

    assert.equal((await check()).entry?.status, 'matches');
    fs.appendFileSync(data, '3,0.9\n');
    const modified = await check();
    assert.equal(modified.entry?.status, 'modified');
    assert.match(modified.entry?.detail ?? '', /differs from content_hash/);
    fs.rmSync(data);
    const missing = await check();
    assert.equal(missing.entry?.status, 'missing');
    assert.ok(missing.gone.includes('scores'));
  });
});
