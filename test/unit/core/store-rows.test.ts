// The store readers' row handling: batched reads through sql.js on a real
// fixture store, and the parsing of runs.metadata on Python-written JSON.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { openSnapshotDatabase } from '../../../src/core/sqlite';
import { readInBatches } from '../../../src/core/sqlite/connection';
import type { SqlRow } from '../../../src/core/sqlite/types';
import { readCatalogStore } from '../../../src/core/store/catalog-store';
import { mapRunRows } from '../../../src/core/store/metadata-store';
import type { LoadProblem } from '../../../src/core/model/types';
import { detectSchema } from '../../../src/core/store/schema';
import { sharedFixture } from '../../helpers/paths';

const catalogLineage = sharedFixture('flowyml-2.1-catalog-lineage');

test('batched rows equal all() rows', { skip: catalogLineage.skip }, async () => {
  const db = await openSnapshotDatabase(path.join(catalogLineage.dir, '.flowyml', 'catalog.db'));
  try {
    await db.read('test batches', (conn) => {
      const sql = 'SELECT rowid AS row_id, artifact_id, name, parent_ids FROM artifacts ORDER BY rowid';
      const whole = conn.all(sql);
      const sizes: number[] = [];
      const batched: SqlRow[] = [];
      readInBatches(conn, sql, (rows) => {
        sizes.push(rows.length);
        batched.push(...rows);
      }, 3);
      assert.ok(whole.length > 6, `the fixture has ${whole.length} catalog rows`);
      assert.deepEqual(batched, whole);
      assert.equal(sizes.length, Math.ceil(whole.length / 3));
      assert.ok(sizes.slice(0, -1).every((n) => n === 3));
    });
  } finally {
    db.close();
  }
});

test('batch handler error passes through', { skip: catalogLineage.skip }, async () => {
  const db = await openSnapshotDatabase(path.join(catalogLineage.dir, '.flowyml', 'catalog.db'));
  try {
    const own = new TypeError('handler failed');
    await assert.rejects(db.read('test batches', (conn) => {
      readInBatches(conn, 'SELECT rowid FROM artifacts', () => {
        throw own;
      }, 2);
    }), (error) => error === own);
  } finally {
    db.close();
  }
});

test('batched catalog read keeps every row', { skip: catalogLineage.skip }, async () => {
  const db = await openSnapshotDatabase(path.join(catalogLineage.dir, '.flowyml', 'catalog.db'));
  try {
    await db.read('test catalog', (conn) => {
      const count = Number(conn.get('SELECT count(*) AS n FROM artifacts')?.n);
      const parents = Number(conn.get("SELECT count(*) AS n FROM artifacts, json_each(parent_ids)")?.n);
      const { rows } = readCatalogStore(conn, 'catalog.db', new Set(detectSchema(conn, 'catalog.db', 'catalog').columns.artifacts));
      assert.equal(rows.length, count);
      assert.equal(rows.reduce((sum, row) => sum + row.parentIds.length, 0), parents);
      assert.deepEqual(rows.map((row) => row.rowid), [...rows.map((row) => row.rowid)].sort((a, b) => a - b));
    });
  } finally {
    db.close();
  }
});

function runRow(metadata: string): SqlRow {
  return { run_id: 'r1', pipeline_name: null, status: null, start_time: null, end_time: null, duration: null, project: null, created_at: null, metadata };
}

test('run metadata keeps exact values', () => {
  // As Python's json.dumps writes it: a 16-digit fraction, a 20-digit integer, NaN, and step source code.
  const text = '{"pipeline_name": "p", "context": {"lr": 0.8444218515250481, "seed": 12345678901234567890, "score": NaN},'
    + ' "steps": {"train": {"source_code": "def train():\\n    pass\\n", "inputs": ["data/raw"], "outputs": ["model/m"],'
    + ' "success": true, "cached": false, "error": null, "duration": 0.1234567890123456, "tags": {"a": "b"}},'
    + ' "__proto__": {"inputs": [], "outputs": ["x"]}, "odd": 5},'
    + ' "dag": {"nodes": [{"id": "train"}]}}';
  const problems: LoadProblem[] = [];
  const [run] = mapRunRows([runRow(text)], 'metadata.db', problems);
  assert.deepEqual(problems, []);
  assert.equal(run.pipeline, 'p');
  const context = run.metadata?.context as Record<string, unknown>;
  assert.equal(context.lr, 0.8444218515250481);
  assert.equal(context.seed, 12345678901234567890n);
  assert.ok(Number.isNaN(context.score));
  const steps = run.metadata?.steps as Record<string, unknown>;
  assert.deepEqual(Object.keys(steps), ['train', '__proto__', 'odd']);
  assert.deepEqual(steps.train, { inputs: ['data/raw'], outputs: ['model/m'], success: true, cached: false, error: null, duration: 0.1234567890123456 });
  assert.deepEqual(Object.getOwnPropertyDescriptor(steps, '__proto__')?.value, { inputs: [], outputs: ['x'] });
  assert.equal(Object.getPrototypeOf(steps), Object.prototype);
  assert.equal(steps.odd, null);
  assert.equal(run.metadata?.dag, undefined);
});

test('run metadata over 1,000 levels fails', () => {
  const deep = `{"context": ${'['.repeat(1001)}${']'.repeat(1001)}}`;
  const problems: LoadProblem[] = [];
  const [run] = mapRunRows([runRow(deep)], 'metadata.db', problems);
  assert.equal(run.metadata, undefined);
  assert.equal(problems.length, 1);
  assert.match(problems[0].message, /runs row "r1" has malformed metadata JSON \(JSON is nested too deeply: more than 1,000 levels\)/);
});

test('run metadata at 1,000 levels loads', () => {
  const deep = `{"context": ${'['.repeat(999)}${']'.repeat(999)}}`;
  const problems: LoadProblem[] = [];
  const [run] = mapRunRows([runRow(deep)], 'metadata.db', problems);
  assert.deepEqual(problems, []);
  assert.ok(Array.isArray(run.metadata?.context));
});
