// Comparisons on a store written by make-store.py with Python's sqlite3 and
// json.dumps, as FlowyML 1.7 writes it: NaN and Infinity tokens, a big
// integer, a Dataset whose schema changes, and a property over 64 KB.
// Expected values are the ones make-store.py writes.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import {
  compareVersions, comparisonToJson, loadWorkspace,
  type DatasetSection, type MetricsSection, type WorkspaceIndex,
} from '../../../src/core/index';
import { fieldAt, generatedPair, makeGeneratedWorkspace, pythonMissing } from './support';

const skip = pythonMissing() ?? false;

describe('compare a generated FlowyML 1.7 store', { skip }, () => {
  let root: string;
  let ws: WorkspaceIndex;
  before(async () => {
    root = makeGeneratedWorkspace();
    ws = await loadWorkspace(root);
  });
  after(() => {
    ws.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('store loads without problems', () => {
    assert.deepEqual(ws.problems, []);
    assert.equal(ws.versions.length, 8);
  });

  test('metrics with NaN sort last', async () => {
    const c = await compareVersions(ws, ...generatedPair('evaluate_metrics/eval'));
    const section = c.section as MetricsSection;
    assert.deepEqual(section.values.map((f) => [f.path, f.kind]), [
      ['properties.lr', 'changed'],
      ['properties.grad_norm', 'unchanged'],
      ['properties.tokens', 'changed'],
      ['properties.loss', 'changed'],
      ['properties.accuracy', 'unchanged'],
      ['properties.only_in_a', 'removed'],
      ['properties.stalled', 'changed'],
      ['properties.only_in_b', 'added'],
    ]);
  });

  test('metrics NaN equals NaN', async () => {
    const c = await compareVersions(ws, ...generatedPair('evaluate_metrics/eval'));
    const accuracy = fieldAt(c, 'properties.accuracy');
    assert.equal(accuracy.kind, 'unchanged');
    assert.ok(Number.isNaN(accuracy.a));
    assert.ok(Number.isNaN(accuracy.b));
    assert.equal(accuracy.delta, undefined);

    const loss = fieldAt(c, 'properties.loss');
    assert.equal(loss.kind, 'changed');
    assert.equal(loss.a, 0.5);
    assert.ok(Number.isNaN(loss.b));
    assert.equal(loss.delta, undefined, 'no delta to or from NaN');
  });

  test('metrics Infinity, big integers and missing values', async () => {
    const c = await compareVersions(ws, ...generatedPair('evaluate_metrics/eval'));
    const gradNorm = fieldAt(c, 'properties.grad_norm');
    assert.equal(gradNorm.kind, 'unchanged');
    assert.equal(gradNorm.a, Infinity);
    assert.equal(gradNorm.delta, undefined);

    const tokens = fieldAt(c, 'properties.tokens');
    assert.equal(tokens.a, 2n ** 60n);
    assert.equal(tokens.b, 2n ** 60n + 2n);
    assert.equal(tokens.delta?.absolute, 2, 'the difference of two big integers is exact');
    assert.equal(tokens.delta?.direction, 'up');

    const onlyInA = fieldAt(c, 'properties.only_in_a');
    assert.equal(onlyInA.a, 1);
    assert.equal(Object.hasOwn(onlyInA, 'b'), false);
    assert.equal(fieldAt(c, 'properties.only_in_b').b, 2);
  });

  test('JSON export writes NaN, Infinity and big integers', async () => {
    const c = await compareVersions(ws, ...generatedPair('evaluate_metrics/eval'));
    const text = comparisonToJson(c);
    assert.match(text, /"a": 1152921504606846976/);
    assert.match(text, /"b": 1152921504606846978/);
    const parsed = JSON.parse(text) as { fields: { path: string; a?: unknown; b?: unknown }[] };
    const byPath = new Map(parsed.fields.map((f) => [f.path, f]));
    assert.equal(byPath.get('properties.accuracy')?.a, 'NaN');
    assert.equal(byPath.get('properties.grad_norm')?.b, 'Infinity');
    assert.equal(Object.hasOwn(byPath.get('properties.only_in_b')!, 'a'), false);
  });

  test('metrics inputs name the changed dataset', async () => {
    const c = await compareVersions(ws, ...generatedPair('evaluate_metrics/eval'));
    assert.deepEqual(c.inputs.map((i) => [i.kind, i.matchedBy, i.a?.name, i.b?.name]), [['changed', 'asset', 'customers', 'customers']]);
  });

  test('dataset schema changes', async () => {
    const c = await compareVersions(ws, ...generatedPair('load_data/customers'));
    const section = c.section as DatasetSection;
    assert.equal(section.schemaChanged, true);
    assert.deepEqual(section.columns.map((col) => [col.name, col.kind, col.dtypeA, col.dtypeB, col.featureA, col.featureB]), [
      ['customer_id', 'changed', 'categorical', 'categorical', true, true],
      ['age', 'retyped', 'numeric', 'categorical', true, true],
      ['spend', 'changed', 'numeric', 'numeric', true, true],
      ['legacy_flag', 'removed', 'numeric', null, true, false],
      ['region', 'added', null, 'categorical', false, true],
    ]);
    assert.equal(section.rows?.a, 100);
    assert.equal(section.rows?.b, 120);
  });

  test('dataset nulls and stat deltas', async () => {
    const section = (await compareVersions(ws, ...generatedPair('load_data/customers'))).section as DatasetSection;
    const spend = new Map(section.columns.find((col) => col.name === 'spend')!.stats.map((s) => [s.path, s]));
    const nulls = spend.get('properties.column_stats.spend.nulls')!;
    assert.equal(nulls.kind, 'added');
    assert.equal(nulls.b, 5);
    assert.deepEqual(spend.get('properties.column_stats.spend.mean')?.delta, { absolute: 6.25, relative: 6.25 / 64, direction: 'up' });
    assert.deepEqual(spend.get('properties.column_stats.spend.max')?.delta, { absolute: 25.5, relative: 25.5 / 150, direction: 'up' });

    const age = new Map(section.columns.find((col) => col.name === 'age')!.stats.map((s) => [s.path, s.kind]));
    assert.equal(age.get('properties.column_stats.age.mean'), 'removed');
    assert.equal(age.get('properties.column_stats.age.top_values'), 'added');
    assert.equal(age.has('properties.column_stats.age.dtype'), false, 'dtype is reported as dtypeA and dtypeB');
  });

  test('huge property compared by summary', async () => {
    const c = await compareVersions(ws, ...generatedPair('audit_report/audit'));
    const log = fieldAt(c, 'properties.log');
    assert.equal(log.kind, 'changed');
    assert.equal(Object.hasOwn(log, 'a'), false, 'the value itself is left out');
    assert.equal(log.summary?.a?.type, 'array');
    assert.equal(log.summary?.a?.length, 4000);
    assert.ok(log.summary!.a!.bytes > 64 * 1024);
    assert.match(log.summary!.a!.sha256, /^[0-9a-f]{64}$/);
    assert.notEqual(log.summary?.a?.sha256, log.summary?.b?.sha256);
    assert.equal(c.summarized, true);
    assert.match(c.notes.join(' '), /1 property larger than 64 KB of JSON was compared by size and SHA-256 only/);
    assert.equal(fieldAt(c, 'properties.auditor').kind, 'unchanged');
  });

  test('huge property compared whole with full', async () => {
    const c = await compareVersions(ws, ...generatedPair('audit_report/audit'), { full: true });
    const log = fieldAt(c, 'properties.log');
    assert.equal(log.summary, undefined);
    assert.equal((log.a as string[])[1234], 'check 01234 passed');
    assert.equal((log.b as string[])[1234], 'check 01234 FAILED');
    assert.equal(c.summarized, false);
    assert.equal(c.full, true);
  });

  test('equal huge values match by hash', async () => {
    const [idA] = generatedPair('audit_report/audit');
    const c = await compareVersions(ws, idA, idA);
    const log = fieldAt(c, 'properties.log');
    assert.equal(log.kind, 'unchanged');
    assert.equal(log.summary?.a?.sha256, log.summary?.b?.sha256);
  });

  test('smaller size limit summarizes column stats', async () => {
    const c = await compareVersions(ws, ...generatedPair('load_data/customers'), { hugeValueBytes: 200 });
    const section = c.section as DatasetSection;
    assert.equal(section.statsCompared, false);
    assert.ok(section.columns.every((col) => col.stats.length === 0));
    assert.equal(section.columns.find((col) => col.name === 'age')?.kind, 'retyped', 'the schema is still compared');
  });
});
