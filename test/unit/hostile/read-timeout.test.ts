// The per-read time limit on a real 37 MB store (the shared flowyml-1.7-big
// fixture), far larger than the 2 MiB chunk cache and SQLite's page cache,
// so a scan of its metadata reads pages all the way through. sql.js has no
// progress callback; the limit is checked on each page the lazy reader
// serves. A read past the limit must fail with a `timeout` error that names
// the file and the limit, never as "corrupt", and must leave the store
// readable in full afterwards. In a workspace, the store that runs out of
// time is reported and the other stores still load.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { StoreError, loadWorkspace } from '../../../src/core/index';
import { openSnapshotDatabase } from '../../../src/core/sqlite/index';
import { sharedFixture, SMALL_FIXTURES } from '../../helpers/paths';
import { PYTHON, pythonAvailable, pythonJson, temporaryFolder } from '../../helpers/register-files';

const big = sharedFixture('flowyml-1.7-big');
const BIG_STORE = path.join(big.dir, '.flowyml', 'metadata.db');
const SCAN = 'SELECT count(*) AS n, sum(length(metadata)) AS chars FROM artifacts';

describe('store read time limit', { skip: big.skip || pythonAvailable() }, () => {
  test('scan past limit: timeout, then whole read', async () => {
    const expected = pythonJson<{ n: number; chars: number }>(String.raw`
import json, sqlite3, sys
path = json.load(sys.stdin)
db = sqlite3.connect("file:" + path + "?immutable=1", uri=True)
n, chars = db.execute("SELECT count(*), sum(length(metadata)) FROM artifacts").fetchone()
print(json.dumps({"n": n, "chars": chars}))
`, BIG_STORE);
    assert.ok(PYTHON);
    const size = fs.statSync(BIG_STORE).size;

    const db = await openSnapshotDatabase(BIG_STORE);
    try {
      const before = db.stats.bytesRead;
      await assert.rejects(
        db.read('scan the metadata', (conn) => conn.get(SCAN), { timeoutMs: 1 }),
        (error: unknown) => {
          assert.ok(error instanceof StoreError, String(error));
          assert.equal(error.code, 'timeout', error.message);
          assert.equal(error.file, BIG_STORE);
          assert.match(error.message, /store read time limit of 1 ms/);
          assert.ok(error.message.includes(BIG_STORE), error.message);
          assert.ok(error.message.includes('scan the metadata'), error.message);
          return true;
        },
      );
      const readDuringTimeout = db.stats.bytesRead - before;
      assert.ok(readDuringTimeout < size / 2, `the stopped scan read ${readDuringTimeout} of ${size} bytes`);

      // Pages served as zeros after the deadline must not stay cached.
      const row = await db.read('scan the metadata', (conn) => conn.get(SCAN), { timeoutMs: 0 });
      assert.deepEqual({ n: Number(row?.n), chars: Number(row?.chars) }, expected);
    } finally {
      db.close();
    }
  });

  test('workspace: timed-out store reported, others load', async () => {
    const root = temporaryFolder('read-timeout');
    fs.mkdirSync(path.join(root, 'small', '.flowyml'), { recursive: true });
    fs.mkdirSync(path.join(root, 'big', '.flowyml'), { recursive: true });
    fs.copyFileSync(path.join(SMALL_FIXTURES, 'flowyml-1.7-basic', '.flowyml', 'metadata.db'), path.join(root, 'small', '.flowyml', 'metadata.db'));
    fs.copyFileSync(BIG_STORE, path.join(root, 'big', '.flowyml', 'metadata.db'));

    const alone = await loadWorkspace(root, { storePaths: ['small/.flowyml/metadata.db'] });
    const smallVersions = alone.versions.length;
    alone.dispose();
    assert.ok(smallVersions > 0);

    const workspace = await loadWorkspace(root, {
      storePaths: ['small/.flowyml/metadata.db', 'big/.flowyml/metadata.db'],
      open: { readTimeoutMs: 1, readTimeoutHint: 'Raise --read-timeout to allow longer reads.' },
    });
    try {
      const errors = workspace.problems.filter((p) => p.severity === 'error');
      assert.equal(errors.length, 1, JSON.stringify(errors));
      assert.equal(errors[0].code, 'timeout');
      assert.match(errors[0].file, /big/);
      assert.match(errors[0].message, /big[/\\]\.flowyml[/\\]metadata\.db/);
      assert.match(errors[0].message, /store read time limit of 1 ms\. Raise --read-timeout to allow longer reads\.$/);
      assert.equal(workspace.versions.length, smallVersions);
      assert.ok(workspace.versions.every((v) => v.store.startsWith('small/')), 'only the small store loaded');
    } finally {
      workspace.dispose();
    }
  });
});
