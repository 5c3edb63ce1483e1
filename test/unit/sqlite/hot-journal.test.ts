import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { StoreError } from '../../../src/core/errors';
import { openSnapshotDatabase } from '../../../src/core/sqlite';
import { WriterProcess, pythonUnavailable, runPython, runWriter } from '../../helpers/python-writer';
import { temporaryDir } from './support';

const JOURNAL_MAGIC = Buffer.from([0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7]);

async function readError(file: string, options: Parameters<typeof openSnapshotDatabase>[1]): Promise<StoreError> {
  try {
    const db = await openSnapshotDatabase(file, options);
    db.close();
  } catch (error) {
    assert.ok(error instanceof StoreError, `expected a StoreError, got ${String(error)}`);
    return error;
  }
  assert.fail(`${file} opened without an error`);
}

async function countGeneration(file: string, generation: number): Promise<unknown> {
  const db = await openSnapshotDatabase(file, { busyTimeoutMs: 1000 });
  try {
    return await db.read('count rows', (conn) => conn.get('SELECT count(*) AS n FROM t WHERE gen = ?', [generation]));
  } finally {
    db.close();
  }
}

const python = pythonUnavailable();

describe('hot journals', { skip: python ?? false }, () => {
  test('killed writer needs recovery', { timeout: 60_000 }, async () => {
    const file = path.join(temporaryDir('crash'), 'store.db');
    const writer = new WriterProcess(['crash', file, '--rows', '100']);
    await writer.waitForLine(/^spilled$/);
    await writer.kill();

    const journal = fs.readFileSync(`${file}-journal`);
    assert.deepEqual(journal.subarray(0, 8), JOURNAL_MAGIC);

    const started = Date.now();
    const error = await readError(file, { hotJournalMs: 300, busyTimeoutMs: 100 });
    assert.equal(error.code, 'needs-recovery', error.message);
    assert.ok(Date.now() - started >= 300, 'classified before the journal stayed unchanged for hotJournalMs');
    assert.equal(error.file, file);
    assert.match(error.message, /FlowyML/);
    assert.match(error.message, /sqlite3/);
    assert.match(error.message, /rolls the interrupted write back/);
    assert.ok(fs.existsSync(`${file}-journal`), 'the reader must leave the journal to SQLite');

    // Any read-write SQLite connection rolls the journal back on its first read.
    runPython('import sqlite3, sys; sqlite3.connect(sys.argv[1]).execute("PRAGMA quick_check").fetchall()', [file]);
    assert.deepEqual(await countGeneration(file, 0), { n: 100 });
  });

  test('crafted journal with the magic', async () => {
    const file = path.join(temporaryDir('crafted'), 'store.db');
    runWriter(['create', file, '--rows', '10']);
    const db = await openSnapshotDatabase(file, { hotJournalMs: 200, busyTimeoutMs: 5000 });
    try {
      fs.writeFileSync(`${file}-journal`, Buffer.concat([JOURNAL_MAGIC, Buffer.alloc(504)]));
      const count = (): Promise<unknown> => db.read('count rows', (conn) => conn.get('SELECT count(*) AS n FROM t'));

      const started = Date.now();
      await assert.rejects(count(), (error) => error instanceof StoreError && error.code === 'needs-recovery');
      assert.ok(Date.now() - started >= 200, 'classified before the journal stayed unchanged for hotJournalMs');

      // The same instance remembers the unchanged journal, so the next read fails at once.
      const again = Date.now();
      await assert.rejects(count(), (error) => error instanceof StoreError && error.code === 'needs-recovery');
      assert.ok(Date.now() - again < 200, `the second read took ${Date.now() - again} ms`);

      fs.rmSync(`${file}-journal`);
      assert.deepEqual(await count(), { n: 10 });
    } finally {
      db.close();
    }
  });

  test('journal without the magic is ignored', async () => {
    const file = path.join(temporaryDir('zeroed'), 'store.db');
    runWriter(['create', file, '--rows', '10']);
    // journal_mode=PERSIST leaves a journal whose header is zeroed after each commit.
    fs.writeFileSync(`${file}-journal`, Buffer.alloc(512));

    assert.deepEqual(await countGeneration(file, 0), { n: 10 });
  });

  test('writer that keeps writing is busy', { timeout: 60_000 }, async () => {
    const file = path.join(temporaryDir('busy'), 'store.db');
    const writer = new WriterProcess(['long-transaction', file, '--rows', '100']);
    try {
      await writer.waitForLine(/^spilled$/);
      const started = Date.now();
      const error = await readError(file, { busyTimeoutMs: 300, hotJournalMs: 60_000 });
      assert.equal(error.code, 'busy', error.message);
      assert.ok(Date.now() - started >= 300);
      assert.equal(error.file, file);
      assert.match(error.message, /Timed out after \d+ ms/);
    } finally {
      await writer.stop();
    }

    // The writer rolled its transaction back, so the store is readable again.
    assert.deepEqual(await countGeneration(file, 0), { n: 100 });
  });
});
