import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, test } from 'node:test';
import { openSnapshotDatabase } from '../../../src/core/sqlite';
import type { SqlRow } from '../../../src/core/sqlite';
import { fixturePath } from './support';

// The expected rows and counts come from the sqlite3 3.40.1 command-line shell on the same files.
// The byte counts are what this reader read for the query after open, with 16 KiB chunks: they change
// with the chunk size and the read-ahead, and stay far below the file sizes.

const metadata = fixturePath('flowyml-1.7-big/.flowyml/metadata.db');
const catalog = fixturePath('flowyml-2.1-catalog-big/.flowyml/catalog.db');

/** Counts rows per value of `column`, as "value=count" pairs sorted by value in code-unit order like SQLite's. */
function countBy(rows: SqlRow[], column: string): string {
  const counts = new Map<string, number>();
  for (const row of rows) {
    const value = String(row[column]);
    counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  const values = [...counts.keys()].sort();

  return values.map((value) => `${value}=${counts.get(value)}`).join(',');
}

async function listNewest(file: string, sql: string): Promise<{ rows: SqlRow[]; bytesRead: number; size: number; mode: string }> {
  const db = await openSnapshotDatabase(file);
  try {
    const before = db.stats.bytesRead;
    const rows = await db.read('list the newest artifacts', (conn) => conn.all(sql));

    return { rows, bytesRead: db.stats.bytesRead - before, size: fs.statSync(file).size, mode: db.stats.mode };
  } finally {
    db.close();
  }
}

describe('lazy reads of the big fixtures', () => {
  test('metadata.db newest 500 artifacts', { skip: 'skip' in metadata && metadata.skip }, async () => {
    const file = (metadata as { file: string }).file;
    const { rows, bytesRead, size, mode } = await listNewest(
      file,
      'SELECT rowid, artifact_id, name, type, run_id FROM artifacts ORDER BY rowid DESC LIMIT 500',
    );

    assert.equal(mode, 'lazy');
    assert.equal(bytesRead, 835_784);
    assert.ok(bytesRead < size / 20, `read ${bytesRead} of ${size} bytes`);

    assert.equal(rows.length, 500);
    assert.deepEqual(rows[0], {
      rowid: 19992,
      artifact_id: '9343585f-afc4-41fc-96f1-22721ecb8e35_publish_summary',
      name: 'summary',
      type: 'dict',
      run_id: '9343585f-afc4-41fc-96f1-22721ecb8e35',
    });
    assert.deepEqual(rows[499], {
      rowid: 19493,
      artifact_id: '154b33af-bebc-4c6b-b894-913eebecfab0_featurize_features/sales',
      name: 'sales_features',
      type: 'FeatureSet',
      run_id: '154b33af-bebc-4c6b-b894-913eebecfab0',
    });
    assert.equal(rows.reduce((total, row) => total + String(row.artifact_id).length, 0), 27_959);
    assert.equal(new Set(rows.map((row) => row.run_id)).size, 51);
    assert.equal(countBy(rows, 'type'), 'Artifact=51,Dataset=50,FeatureSet=51,Metrics=99,Model=51,Report=49,dict=49,float=51,str=49');
  });

  // catalog.db names the columns artifact_type and source_run_id.
  test('catalog.db newest 500 artifacts', { skip: 'skip' in catalog && catalog.skip }, async () => {
    const file = (catalog as { file: string }).file;
    const { rows, bytesRead, size, mode } = await listNewest(
      file,
      'SELECT rowid, artifact_id, name, artifact_type, source_run_id FROM artifacts ORDER BY rowid DESC LIMIT 500',
    );

    assert.equal(mode, 'lazy');
    assert.equal(bytesRead, 250_056);
    assert.ok(bytesRead < size / 20, `read ${bytesRead} of ${size} bytes`);

    assert.equal(rows.length, 500);
    assert.deepEqual(rows[0], {
      rowid: 49238,
      artifact_id: 'f25b39f0-25d4-478c-b650-0f1eadae4967',
      name: 'float_metric',
      artifact_type: 'float',
      source_run_id: '49cbc264-61f3-49d2-bd8b-0db54a6aa299',
    });
    assert.deepEqual(rows[499], {
      rowid: 48739,
      artifact_id: '8e3cb3a8-f78b-4ac1-aad9-f25effa4e4be',
      name: 'monitor_drift_output',
      artifact_type: 'dict',
      source_run_id: 'b7b23525-6bbb-45af-a09a-6c6ff3b4eef7',
    });
    assert.equal(rows.reduce((total, row) => total + String(row.artifact_id).length, 0), 17_874);
    assert.equal(new Set(rows.map((row) => row.source_run_id)).size, 93);
    assert.equal(
      countBy(rows, 'artifact_type'),
      '=1,Artifact=2,DataFrame=89,Dataset=92,Metrics=1,Model=1,dict=179,float=1,str=89,tuple=45',
    );
  });

  test('repeated read reuses the page cache', { skip: 'skip' in catalog && catalog.skip }, async () => {
    const file = (catalog as { file: string }).file;
    const db = await openSnapshotDatabase(file);
    try {
      const sql = 'SELECT rowid, name FROM artifacts ORDER BY rowid DESC LIMIT 500';
      const first = await db.read('list', (conn) => conn.all(sql));
      const before = db.stats.bytesRead;
      const second = await db.read('list again', (conn) => conn.all(sql));

      assert.deepEqual(second, first);
      // Only the two 100-byte header probes: the pages come from SQLite's cache.
      assert.equal(db.stats.bytesRead - before, 200);
      assert.equal(db.stats.reopens, 0);
      assert.equal(db.state?.size, fs.statSync(file).size);
    } finally {
      db.close();
    }
  });
});
