// Byte counts are what the reader read from disk to list the newest 500
// versions after opening; they are deterministic for a given file and the
// reader's 16 KiB chunk size. Row values were read with the sqlite3 shell.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { openSnapshotDatabase } from '../../../src/core/sqlite/index';
import { readVersionPage } from '../../../src/core/store/page';
import { sharedFixture } from '../../helpers/paths';

async function measureFirstPage(file: string, kind: 'metadata' | 'catalog') {
  const db = await openSnapshotDatabase(file);
  try {
    const before = db.stats.bytesRead;
    const page = await readVersionPage(db, kind, { limit: 500 });
    return { page, bytes: db.stats.bytesRead - before, size: fs.statSync(file).size };
  } finally {
    db.close();
  }
}

const MEASURED_BYTES_17_BIG = 835_784;
const MEASURED_BYTES_CATALOG_BIG = 250_056;

const big17 = sharedFixture('flowyml-1.7-big');
const catalogBig = sharedFixture('flowyml-2.1-catalog-big');

describe('first page of 500 versions reads few bytes', () => {
  test('flowyml-1.7-big metadata.db', { skip: big17.skip }, async () => {
    const { page, bytes, size } = await measureFirstPage(path.join(big17.dir, '.flowyml/metadata.db'), 'metadata');
    assert.equal(page.entries.length, 500);
    assert.equal(page.entries[0].rowid, 19992);
    assert.equal(page.entries[0].artifactId, '9343585f-afc4-41fc-96f1-22721ecb8e35_publish_summary');
    assert.equal(page.entries[0].step, 'publish');
    assert.equal(page.entries[0].createdRaw, '2026-12-04T19:34:18.320127');
    assert.equal(page.entries[499].rowid, 19493);
    assert.equal(page.nextBeforeRowid, 19493);
    assert.equal(bytes, MEASURED_BYTES_17_BIG);
    assert.ok(bytes < size / 20, `${bytes} bytes read of ${size}`);
  });

  test('flowyml-2.1-catalog-big catalog.db', { skip: catalogBig.skip }, async () => {
    const { page, bytes, size } = await measureFirstPage(path.join(catalogBig.dir, '.flowyml/catalog.db'), 'catalog');
    assert.equal(page.entries.length, 500);
    assert.equal(page.entries[0].rowid, 49238);
    assert.equal(page.entries[0].name, 'float_metric');
    assert.equal(page.entries[499].rowid, 48739);
    assert.equal(bytes, MEASURED_BYTES_CATALOG_BIG);
    assert.ok(bytes < size / 20, `${bytes} bytes read of ${size}`);
  });

  test('the next page continues below the last rowid', { skip: catalogBig.skip }, async () => {
    const db = await openSnapshotDatabase(path.join(catalogBig.dir, '.flowyml/catalog.db'));
    try {
      const first = await readVersionPage(db, 'catalog', { limit: 3 });
      const second = await readVersionPage(db, 'catalog', { limit: 3, beforeRowid: first.nextBeforeRowid });
      assert.deepEqual(first.entries.map((e) => e.rowid), [49238, 49237, 49236]);
      assert.deepEqual(second.entries.map((e) => e.rowid), [49235, 49234, 49233]);
    } finally {
      db.close();
    }
  });
});
