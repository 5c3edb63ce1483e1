import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openSnapshotDatabase } from '../../../src/core/sqlite';
import { WriterProcess, pythonUnavailable, runPython, runWriter } from '../../helpers/python-writer';
import { temporaryDir } from './support';

const PAGE_SIZE = 4096;
const FRAME_SIZE = 24 + PAGE_SIZE;

/** Rewrites a WAL with big-endian checksums (magic 0x377f0683), as SQLite on a big-endian machine writes it. */
const TO_BIG_ENDIAN_WAL = `
import struct, sys
path = sys.argv[1]
data = bytearray(open(path, "rb").read())
def checksum(buf, s1, s2):
    for i in range(0, len(buf), 8):
        a, b = struct.unpack(">II", buf[i:i + 8])
        s1 = (s1 + a + s2) & 0xFFFFFFFF
        s2 = (s2 + b + s1) & 0xFFFFFFFF
    return s1, s2
struct.pack_into(">I", data, 0, 0x377F0683)
s1, s2 = checksum(data[0:24], 0, 0)
struct.pack_into(">II", data, 24, s1, s2)
page_size = struct.unpack(">I", data[8:12])[0]
offset = 32
while offset + 24 + page_size <= len(data):
    s1, s2 = checksum(data[offset:offset + 8], s1, s2)
    s1, s2 = checksum(data[offset + 24:offset + 24 + page_size], s1, s2)
    struct.pack_into(">II", data, offset + 16, s1, s2)
    offset += 24 + page_size
open(path, "wb").write(data)
`;

interface Generations {
  gens: string;
  meta: unknown;
}

async function readGenerations(file: string, wholeFileMaxBytes?: number): Promise<Generations> {
  const db = await openSnapshotDatabase(file, { wholeFileMaxBytes });
  try {
    return await db.read('read generations', (conn) => ({
      gens: conn.all('SELECT gen, count(*) AS n FROM t GROUP BY gen').map((row) => `${row.gen}x${row.n}`).join(','),
      meta: conn.get('SELECT gen FROM meta')?.gen,
    }));
  } finally {
    db.close();
  }
}

async function assertGeneration(file: string, generation: number, rows: number): Promise<void> {
  for (const wholeFileMaxBytes of [0, undefined]) {
    const mode = wholeFileMaxBytes === 0 ? 'lazy' : 'whole-file';
    assert.deepEqual(await readGenerations(file, wholeFileMaxBytes), { gens: `${generation}x${rows}`, meta: generation }, mode);
  }
}

/** Copies the store and its WAL into a new folder, applying `edit` to the WAL copy. */
function copyStore(source: string, name: string, edit?: (wal: Buffer) => Buffer): string {
  const file = path.join(temporaryDir(name), 'store.db');
  fs.copyFileSync(source, file);
  const wal = fs.readFileSync(`${source}-wal`);
  fs.writeFileSync(`${file}-wal`, edit ? edit(wal) : wal);

  return file;
}

const python = pythonUnavailable();

describe('WAL stores', { skip: python ?? false }, () => {
  const ROWS = 60;
  const file = path.join(temporaryDir('wal-held'), 'store.db');
  let writer: WriterProcess;

  before(async () => {
    // The writer keeps its connection open with automatic checkpoints off, so generations 1 to 3 exist only in the WAL.
    writer = new WriterProcess([
      'hold', file, '--rows', String(ROWS), '--journal-mode', 'wal', '--autocheckpoint', '0', '--generations', '3',
    ]);
    await writer.waitForLine(/^committed 3$/);
  });

  after(async () => {
    await writer.stop();
  });

  test('newest commits only in the WAL', async () => {
    assert.ok(fs.statSync(`${file}-wal`).size > 3 * FRAME_SIZE);
    await assertGeneration(file, 3, ROWS);

    const db = await openSnapshotDatabase(file);
    try {
      await db.read('read', (conn) => conn.get('SELECT 1'));
      assert.equal(db.state?.wal?.size, fs.statSync(`${file}-wal`).size);
      assert.equal(db.state?.wal?.commitFrames, 3);
    } finally {
      db.close();
    }
  });

  test('main file alone is stale', async () => {
    const mainOnly = path.join(temporaryDir('main-only'), 'store.db');
    fs.copyFileSync(file, mainOnly);
    await assertGeneration(mainOnly, 0, ROWS);
  });

  test('torn last frame ends at previous commit', async () => {
    await assertGeneration(copyStore(file, 'torn', (wal) => wal.subarray(0, wal.length - 100)), 2, ROWS);
  });

  test('bad checksum in last frame ends at previous commit', async () => {
    const edited = copyStore(file, 'checksum', (wal) => {
      wal[wal.length - 10] ^= 0x01;
      return wal;
    });
    await assertGeneration(edited, 2, ROWS);
  });

  test('wrong salt in last frame ends at previous commit', async () => {
    const edited = copyStore(file, 'salt', (wal) => {
      wal[wal.length - FRAME_SIZE + 8] ^= 0x01;
      return wal;
    });
    await assertGeneration(edited, 2, ROWS);
  });

  test('big-endian checksums', async () => {
    const bigEndian = copyStore(file, 'big-endian');
    runPython(TO_BIG_ENDIAN_WAL, [`${bigEndian}-wal`]);
    assert.equal(fs.readFileSync(`${bigEndian}-wal`).readUInt32BE(0), 0x377f0683);
    await assertGeneration(bigEndian, 3, ROWS);

    // SQLite itself accepts the rewritten WAL, which shows the test's encoder is right.
    const check = copyStore(bigEndian, 'big-endian-check');
    const output = runPython('import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT gen FROM meta").fetchone()[0])', [check]);
    assert.equal(output.trim(), '3');
  });

  test('invalid WAL header ignores the WAL', async () => {
    // Another magic without a new header checksum: SQLite ignores such a WAL and so must the reader.
    const edited = copyStore(file, 'bad-header', (wal) => {
      wal.writeUInt32BE(0x377f0683, 0);
      return wal;
    });
    await assertGeneration(edited, 0, ROWS);
  });
});

describe('WAL store lifecycle', { skip: python ?? false }, () => {
  test('uncommitted frames are ignored', { timeout: 60_000 }, async () => {
    const file = path.join(temporaryDir('wal-uncommitted'), 'store.db');
    const writer = new WriterProcess([
      'hold', file, '--rows', '60', '--journal-mode', 'wal', '--autocheckpoint', '0', '--generations', '2', '--uncommitted',
    ]);
    try {
      const spilled = await writer.waitForLine(/^spilled /);
      assert.ok(Number(/wal-size=(\d+)/.exec(spilled)?.[1]) > 0);
      await assertGeneration(file, 2, 60);
    } finally {
      await writer.stop();
    }
  });

  test('checkpoint on close reopens', { timeout: 60_000 }, async () => {
    const file = path.join(temporaryDir('wal-close'), 'store.db');
    const writer = new WriterProcess([
      'hold', file, '--rows', '60', '--journal-mode', 'wal', '--autocheckpoint', '0', '--generations', '2',
    ]);
    const db = await (async () => {
      await writer.waitForLine(/^committed 2$/);
      return openSnapshotDatabase(file, { wholeFileMaxBytes: 0 });
    })();
    try {
      const read = (): Promise<unknown> => db.read('read', (conn) => conn.get('SELECT gen FROM meta')?.gen);
      assert.equal(await read(), 2);
      assert.ok(db.state?.wal);

      // Closing the last connection checkpoints the WAL into the main file and deletes it.
      await writer.stop();
      assert.equal(fs.existsSync(`${file}-wal`), false);
      assert.equal(await read(), 2);
      assert.equal(db.state?.wal, undefined);
      assert.equal(db.stats.reopens, 1);
    } finally {
      db.close();
      await writer.stop();
    }
  });

  test('WAL header without a WAL file', async () => {
    const file = path.join(temporaryDir('wal-closed'), 'store.db');
    runWriter(['create', file, '--rows', '20', '--journal-mode', 'wal']);
    assert.equal(fs.existsSync(`${file}-wal`), false);
    const header = fs.readFileSync(file).subarray(18, 20);
    assert.deepEqual([...header], [2, 2]);

    await assertGeneration(file, 0, 20);
    assert.deepEqual([...fs.readFileSync(file).subarray(18, 20)], [2, 2], 'the reader must not change the file');
  });
});
