import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { StoreError, type StoreErrorCode } from '../../../src/core/errors';
import { openSnapshotDatabase } from '../../../src/core/sqlite';
import { pythonUnavailable, runWriter } from '../../helpers/python-writer';
import { temporaryDir } from './support';

const PAGE_SIZE = 4096;
const python = pythonUnavailable();
const dir = temporaryDir('bad-files');
const valid = path.join(dir, 'valid.db');

/** Writes a copy of the valid store, changed by `edit`, and returns its path. */
function variant(name: string, edit: (bytes: Buffer) => Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, edit(fs.readFileSync(valid)));

  return file;
}

async function assertStoreError(file: string, code: StoreErrorCode, lazy = false): Promise<StoreError> {
  let caught: unknown;
  try {
    const db = await openSnapshotDatabase(file, { busyTimeoutMs: 200, wholeFileMaxBytes: lazy ? 0 : undefined });
    try {
      await db.read('count rows', (conn) => conn.get('SELECT count(*) AS n, sum(length(payload)) AS bytes FROM t'));
    } finally {
      db.close();
    }
  } catch (error) {
    caught = error;
  }

  assert.ok(caught instanceof StoreError, `expected a StoreError, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  assert.ok(caught.message.includes(file), `the message names the file: ${caught.message}`);
  assert.equal(caught.file, file);

  return caught;
}

function flipBit(offset: number, bit: number): (bytes: Buffer) => Buffer {
  return (bytes) => {
    bytes[offset] ^= 1 << bit;
    return bytes;
  };
}

describe('bad files', { skip: python ?? false }, () => {
  before(() => {
    runWriter(['create', valid, '--rows', '40']);
  });

  test('valid store reads', async () => {
    const db = await openSnapshotDatabase(valid);
    try {
      const row = await db.read('count rows', (conn) => conn.get('SELECT count(*) AS n FROM t'));
      assert.deepEqual(row, { n: 40 });
    } finally {
      db.close();
    }
  });

  test('missing file', async () => {
    await assertStoreError(path.join(dir, 'absent.db'), 'missing');
  });

  test('directory in place of a file', async () => {
    const folder = path.join(dir, 'folder.db');
    fs.mkdirSync(folder);
    await assertStoreError(folder, 'not-sqlite');
  });

  test('random text', async () => {
    const file = path.join(dir, 'text.db');
    fs.writeFileSync(file, 'artifact_id,name\n1,model\n'.repeat(400));
    await assertStoreError(file, 'not-sqlite');
  });

  test('zero-byte file', async () => {
    const file = path.join(dir, 'empty.db');
    fs.writeFileSync(file, '');
    await assertStoreError(file, 'truncated');
  });

  test('shorter than the header', async () => {
    await assertStoreError(variant('header-only.db', (bytes) => bytes.subarray(0, 60)), 'truncated');
  });

  test('truncated mid-page', async () => {
    const error = await assertStoreError(variant('mid-page.db', (bytes) => bytes.subarray(0, bytes.length - 1000)), 'truncated');
    assert.match(error.message, /not a multiple of its page size/);
  });

  test('truncated at a page boundary', async () => {
    const file = variant('page-boundary.db', (bytes) => bytes.subarray(0, bytes.length - 3 * PAGE_SIZE));
    const error = await assertStoreError(file, 'truncated');
    assert.match(error.message, /header counts \d+ pages/);
    await assertStoreError(file, 'truncated', true);
  });

  const flips: [string, number, number, StoreErrorCode][] = [
    ['magic string', 0, 0, 'not-sqlite'],
    ['page size', 16, 0, 'corrupt'],
    ['read version', 19, 1, 'corrupt'],
    ['write version', 18, 2, 'corrupt'],
    ['payload fraction', 21, 0, 'corrupt'],
    ['page count', 28, 7, 'truncated'],
    ['schema format', 47, 3, 'corrupt'],
    ['text encoding', 59, 6, 'corrupt'],
  ];
  for (const [field, offset, bit, code] of flips) {
    test(`header bit flip in ${field}`, async () => {
      await assertStoreError(variant(`flip-${offset}-${bit}.db`, flipBit(offset, bit)), code);
    });
  }

  test('garbage schema page', async () => {
    const file = variant('schema-page.db', (bytes) => {
      bytes.fill(0xff, 100, 200);
      return bytes;
    });
    const error = await assertStoreError(file, 'corrupt');
    assert.match(error.message, /malformed|not a database/);
  });

  test('garbage table page, lazy and whole', async () => {
    const file = variant('table-page.db', (bytes) => {
      // Page 4 onwards hold the rows of t; overwrite one page in the middle.
      bytes.fill(0x5a, 8 * PAGE_SIZE, 9 * PAGE_SIZE);
      return bytes;
    });
    await assertStoreError(file, 'corrupt', true);
    await assertStoreError(file, 'corrupt', false);
  });

  test('raised leaf cell count', async () => {
    const file = variant('cell-count.db', (bytes) => {
      // The first table leaf page (type 0x0d) of t claims three more cells than it has. Leaves of t
      // have two or more rows, unlike the single-row leaf of meta.
      for (let index = 1; index < bytes.length / PAGE_SIZE; index++) {
        const page = index * PAGE_SIZE;
        if (bytes[page] === 0x0d && bytes.readUInt16BE(page + 3) >= 2) {
          bytes[page + 4] += 3;
          break;
        }
      }
      return bytes;
    });
    const error = await assertStoreError(file, 'corrupt', true);
    assert.match(error.message, /malformed/);
  });

  test('reader works after errors', async () => {
    const db = await openSnapshotDatabase(valid, { wholeFileMaxBytes: 0 });
    try {
      const row = await db.read('sum values', (conn) => conn.get('SELECT count(*) AS n FROM t WHERE gen = 0'));
      assert.deepEqual(row, { n: 40 });
    } finally {
      db.close();
    }
  });
});
