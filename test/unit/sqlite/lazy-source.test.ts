import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CHUNK_SIZE, ChunkedReader, LazyDatabaseImage, MemorySource } from '../../../src/core/sqlite/lazy-source';
import type { ByteSource } from '../../../src/core/sqlite/lazy-source';

/** A byte source over a pattern (byte i is i mod 251) that records every read it serves. */
class RecordingSource implements ByteSource {
  readonly reads: [number, number][] = [];

  constructor(private readonly size: number) {}

  read(target: Uint8Array, position: number): number {
    const count = Math.max(0, Math.min(target.length, this.size - position));
    for (let i = 0; i < count; i++) target[i] = (position + i) % 251;
    this.reads.push([position, count]);

    return count;
  }
}

function pattern(start: number, end: number): Uint8Array {
  return Uint8Array.from({ length: end - start }, (_, i) => (start + i) % 251);
}

describe('chunked reader', () => {
  test('serves ranges across chunks', () => {
    const counter = { bytesRead: 0 };
    const reader = new ChunkedReader(new RecordingSource(100_000), 100_000, counter);
    assert.deepEqual(reader.view(CHUNK_SIZE - 10, CHUNK_SIZE + 10), pattern(CHUNK_SIZE - 10, CHUNK_SIZE + 10));
    assert.deepEqual(reader.view(5, 25), pattern(5, 25));
    assert.deepEqual(reader.faults, {});
  });

  test('cached chunks are read once', () => {
    const source = new RecordingSource(100_000);
    const counter = { bytesRead: 0 };
    const reader = new ChunkedReader(source, 100_000, counter);
    reader.view(4096, 8192);
    reader.view(0, 4096);
    reader.view(8192, 12288);

    assert.deepEqual(source.reads, [[0, CHUNK_SIZE]]);
    assert.equal(counter.bytesRead, CHUNK_SIZE);
  });

  test('sequential misses read further ahead', () => {
    const source = new RecordingSource(4 * 1024 * 1024);
    const reader = new ChunkedReader(source, 4 * 1024 * 1024, { bytesRead: 0 });
    for (let position = 0; position < 1024 * 1024; position += 4096) reader.view(position, position + 4096);

    const sizes = source.reads.map(([, count]) => count / CHUNK_SIZE);
    assert.deepEqual(sizes.slice(0, 6), [1, 2, 4, 8, 16, 16]);
  });

  test('random access reads one chunk', () => {
    const source = new RecordingSource(4 * 1024 * 1024);
    const reader = new ChunkedReader(source, 4 * 1024 * 1024, { bytesRead: 0 });
    for (const chunk of [200, 3, 100, 50]) reader.view(chunk * CHUNK_SIZE, chunk * CHUNK_SIZE + 100);

    assert.deepEqual(source.reads.map(([, count]) => count), [CHUNK_SIZE, CHUNK_SIZE, CHUNK_SIZE, CHUNK_SIZE]);
  });

  test('large range bypasses the cache', () => {
    const size = 2 * 1024 * 1024;
    const source = new RecordingSource(size);
    const reader = new ChunkedReader(source, size, { bytesRead: 0 });
    const all = new Uint8Array(size);
    reader.copy(all, 0, 0, size);

    assert.deepEqual(source.reads, [[0, size]]);
    assert.deepEqual(all.subarray(size - 5), pattern(size - 5, size));
  });

  test('bytes past the fixed length are zeros', () => {
    const reader = new ChunkedReader(new RecordingSource(100), 100, { bytesRead: 0 });
    assert.deepEqual(reader.view(90, 110), Uint8Array.from([...pattern(90, 100), ...new Uint8Array(10)]));
    assert.equal(reader.faults.shortRead, undefined);
  });

  test('file shorter than its fixed length', () => {
    const reader = new ChunkedReader(new RecordingSource(50), 100, { bytesRead: 0 });
    const bytes = reader.view(40, 60);

    assert.deepEqual(bytes, Uint8Array.from([...pattern(40, 50), ...new Uint8Array(10)]));
    assert.equal(reader.faults.shortRead, true);
  });

  test('read errors become faults', () => {
    const failing: ByteSource = {
      read: () => {
        throw new Error('EIO: i/o error, read');
      },
    };
    const reader = new ChunkedReader(failing, 100, { bytesRead: 0 });

    assert.deepEqual(reader.view(0, 10), new Uint8Array(10));
    assert.match(reader.faults.ioError?.message ?? '', /EIO/);
  });
});

describe('lazy database image', () => {
  const PAGE = 1024;
  const mainBytes = pattern(0, 8 * PAGE);
  mainBytes[18] = 2;
  mainBytes[19] = 2;

  test('slice returns the image itself', () => {
    const image = new LazyDatabaseImage(new ChunkedReader(new MemorySource(mainBytes), mainBytes.length, { bytesRead: 0 }), 8 * PAGE, PAGE);
    assert.equal(image.slice(), image);
    assert.equal(image.slice(0, 8 * PAGE), image);
    assert.deepEqual(image.slice(PAGE, PAGE + 4), pattern(PAGE, PAGE + 4));
  });

  test('set throws', () => {
    const image = new LazyDatabaseImage(new ChunkedReader(new MemorySource(mainBytes), mainBytes.length, { bytesRead: 0 }), 8 * PAGE, PAGE);
    assert.throws(() => image.set(), /read-only/);
  });

  test('header presents rollback mode', () => {
    const image = new LazyDatabaseImage(new ChunkedReader(new MemorySource(mainBytes), mainBytes.length, { bytesRead: 0 }), 8 * PAGE, PAGE);
    assert.deepEqual([...image.subarray(16, 22)], [16, 17, 1, 1, 20, 21]);
    assert.deepEqual([...image.subarray(19, 20)], [1]);
  });

  test('WAL pages replace main pages', () => {
    // The WAL file: page 3's image at offset 100 and page 9, beyond the main file, at offset 2000.
    const walBytes = new Uint8Array(4000);
    walBytes.fill(0xaa, 100, 100 + PAGE);
    walBytes.fill(0xbb, 2000, 2000 + PAGE);
    const wal = {
      reader: new ChunkedReader(new MemorySource(walBytes), walBytes.length, { bytesRead: 0 }),
      offsets: new Map([[3, 100], [9, 2000]]),
    };
    const image = new LazyDatabaseImage(new ChunkedReader(new MemorySource(mainBytes), mainBytes.length, { bytesRead: 0 }), 9 * PAGE, PAGE, wal);

    const spanning = image.subarray(2 * PAGE - 2, 3 * PAGE + 2);
    assert.deepEqual([...spanning.subarray(0, 2)], [...pattern(2 * PAGE - 2, 2 * PAGE)]);
    assert.ok(spanning.subarray(2, 2 + PAGE).every((byte) => byte === 0xaa));
    assert.deepEqual([...spanning.subarray(2 + PAGE)], [...pattern(3 * PAGE, 3 * PAGE + 2)]);
    assert.ok(image.subarray(8 * PAGE, 9 * PAGE).every((byte) => byte === 0xbb));
    assert.equal(image.length, 9 * PAGE);
  });
});
