import fs from 'node:fs';

/** Size of one cache entry. SQLite pages are 512 B to 64 KiB; FlowyML stores use 4 KiB. */
export const CHUNK_SIZE = 16 * 1024;
/** Upper bound of the read-ahead on sequential access: 16 chunks, 256 KiB per read. */
const MAX_READ_AHEAD_CHUNKS = 16;
/** Chunks kept per file: 2 MiB, about the size of SQLite's default page cache. */
const CACHE_CAPACITY_CHUNKS = 128;
/** Requests of at least this many chunks bypass the cache, so a whole-file load does not evict it. */
const BYPASS_CHUNKS = 64;

/** Problems met while serving pages, kept until the read attempt ends. */
export interface ReadFaults {
  /** The first I/O error, for example EIO or a closed descriptor. */
  ioError?: Error;
  /** Set when the file ended before the size fixed at open: it was truncated or replaced. */
  shortRead?: boolean;
  /** Set when a page was requested after the read's deadline, so the read must stop with a time-limit error. */
  timedOut?: boolean;
}

/** Positioned reads from one file or buffer. */
export interface ByteSource {
  /** Fills `target` from `position` on and returns the count, which is short only at the end of the data. */
  read(target: Uint8Array, position: number): number;
}

/** Reads a file through a descriptor that the snapshot attaches for one read attempt at a time. */
export class FileSource implements ByteSource {
  fd: number | undefined;

  constructor(readonly path: string) {}

  read(target: Uint8Array, position: number): number {
    if (this.fd === undefined) {
      throw new Error(`${this.path} was read outside a snapshot read attempt`);
    }

    let filled = 0;
    while (filled < target.length) {
      const count = fs.readSync(this.fd, target, filled, target.length - filled, position + filled);
      if (count === 0) break;
      filled += count;
    }

    return filled;
  }
}

export class MemorySource implements ByteSource {
  constructor(private readonly bytes: Uint8Array) {}

  read(target: Uint8Array, position: number): number {
    const part = this.bytes.subarray(position, position + target.length);
    target.set(part);
    return part.length;
  }
}

/** Shared between the readers of one snapshot, so `bytesRead` covers the database and its WAL. */
export interface ReadCounter {
  bytesRead: number;
}

/**
 * Serves byte ranges of a file whose length was fixed at open, through an
 * LRU cache of aligned chunks. Errors and short reads never throw: they fill
 * zeros and are recorded in `faults`, because an exception thrown while
 * SQLite's WebAssembly code is on the stack skips SQLite's own cleanup.
 */
export class ChunkedReader {
  faults: ReadFaults = {};
  private readonly chunks = new Map<number, Uint8Array>();
  private nextSequentialChunk = -1;
  private readAheadChunks = 1;

  /** With `cached` false every request is one direct read, as suits a single whole-file load. */
  constructor(
    private readonly source: ByteSource,
    readonly length: number,
    private readonly counter: ReadCounter,
    private readonly cached = true,
  ) {}

  /** Copies bytes [start, end) of the file to `target` at `targetOffset`; bytes past `length` are left as they are. */
  copy(target: Uint8Array, targetOffset: number, start: number, end: number): void {
    const stop = Math.min(end, this.length);
    if (stop <= start) return;

    if (!this.cached || stop - start >= BYPASS_CHUNKS * CHUNK_SIZE) {
      this.readDirect(target.subarray(targetOffset, targetOffset + stop - start), start);
      return;
    }

    let position = start;
    while (position < stop) {
      const index = Math.floor(position / CHUNK_SIZE);
      const chunk = this.chunk(index);
      const from = position - index * CHUNK_SIZE;
      const count = Math.min(chunk.length - from, stop - position);
      target.set(chunk.subarray(from, from + count), targetOffset + position - start);
      position += count;
    }
  }

  /** Returns bytes [start, end) as a view into the cache when they sit in one chunk, else as a copy. */
  view(start: number, end: number): Uint8Array {
    const index = Math.floor(start / CHUNK_SIZE);
    if (this.cached && end <= this.length && Math.floor((end - 1) / CHUNK_SIZE) === index) {
      const from = start - index * CHUNK_SIZE;
      return this.chunk(index).subarray(from, from + end - start);
    }

    const result = new Uint8Array(end - start);
    this.copy(result, 0, start, end);
    return result;
  }

  private chunk(index: number): Uint8Array {
    const cached = this.chunks.get(index);
    if (cached) {
      this.chunks.delete(index);
      this.chunks.set(index, cached);
      return cached;
    }

    // A miss right after the previous miss's range is a scan: read further ahead each time.
    this.readAheadChunks = index === this.nextSequentialChunk
      ? Math.min(this.readAheadChunks * 2, MAX_READ_AHEAD_CHUNKS)
      : 1;
    const lastChunk = Math.ceil(this.length / CHUNK_SIZE);
    let count = Math.min(this.readAheadChunks, lastChunk - index);
    for (let ahead = 1; ahead < count; ahead++) {
      if (this.chunks.has(index + ahead)) {
        count = ahead;
        break;
      }
    }

    const start = index * CHUNK_SIZE;
    const buffer = new Uint8Array(Math.min(count * CHUNK_SIZE, this.length - start));
    this.readDirect(buffer, start);
    // Each chunk gets its own copy: a view would keep the whole read-ahead buffer alive until its last chunk is evicted.
    const chunks = [];
    for (let i = 0; i < count; i++) {
      const chunk = count === 1 ? buffer : buffer.slice(i * CHUNK_SIZE, (i + 1) * CHUNK_SIZE);
      this.remember(index + i, chunk);
      chunks.push(chunk);
    }
    this.nextSequentialChunk = index + count;

    return chunks[0];
  }

  private remember(index: number, chunk: Uint8Array): void {
    this.chunks.set(index, chunk);
    if (this.chunks.size > CACHE_CAPACITY_CHUNKS) {
      const oldest = this.chunks.keys().next().value;
      if (oldest !== undefined) this.chunks.delete(oldest);
    }
  }

  private readDirect(target: Uint8Array, position: number): void {
    let count = 0;
    try {
      count = this.source.read(target, position);
    } catch (error) {
      this.faults.ioError ??= error instanceof Error ? error : new Error(String(error));
    }

    this.counter.bytesRead += count;
    if (count < target.length) {
      this.faults.shortRead = true;
      target.fill(0, count);
    }
  }
}

/** The WAL file's reader and the offsets of the pages it contains. */
export interface WalPages {
  reader: ChunkedReader;
  /** Page number → file offset of that page's newest committed image in the WAL. */
  offsets: ReadonlyMap<number, number>;
}

/**
 * The object handed to `new SQL.Database(image)` in place of a Uint8Array.
 * sql.js 1.17 stores `image.slice()` as the content of its in-memory file and
 * then reads pages with `subarray(start, end)`, so SQLite reads the file page
 * by page on demand. Writes would call `set()`, which throws; the connection
 * also sets `PRAGMA query_only` so SQLite never attempts one.
 */
export class LazyDatabaseImage {
  /**
   * Time (Date.now()) after which pages are no longer read. sql.js gives no
   * progress callback, but every page SQLite reads in lazy mode passes
   * through `subarray`, so a long query meets this check within one page.
   * A page requested after it is served as zeros, which SQLite reports as
   * a malformed page at once. `timedOut` lets the caller report the time
   * limit as the cause rather than damage.
   */
  deadline: number | undefined;
  private timedOut = false;

  constructor(
    private readonly main: ChunkedReader,
    readonly length: number,
    private readonly pageSize: number,
    private readonly wal?: WalPages,
  ) {}

  slice(start = 0, end = this.length): LazyDatabaseImage | Uint8Array {
    if (start === 0 && end >= this.length) return this;

    return this.subarray(start, end).slice();
  }

  subarray(start = 0, end = this.length): Uint8Array {
    const from = Math.max(0, Math.min(start, this.length));
    const to = Math.max(from, Math.min(end, this.length));
    if (this.timedOut || (this.deadline !== undefined && Date.now() > this.deadline)) {
      this.timedOut = true;
      return new Uint8Array(to - from);
    }
    const touchesHeader = from < 20;

    if (!this.wal && !touchesHeader) return this.main.view(from, to);

    const result = new Uint8Array(to - from);
    this.copyPages(result, from, to);
    if (touchesHeader) presentAsRollbackMode(result, from);

    return result;
  }

  set(): never {
    throw new Error('The database image is read-only: sql.js attempted a write.');
  }

  /** Returns the faults met since the last call, and clears them. */
  takeFaults(): ReadFaults {
    const main = this.main.faults;
    const wal = this.wal?.reader.faults ?? {};
    const timedOut = this.timedOut;
    this.main.faults = {};
    if (this.wal) this.wal.reader.faults = {};
    this.timedOut = false;

    return { ioError: main.ioError ?? wal.ioError, shortRead: main.shortRead || wal.shortRead, timedOut };
  }

  /** Copies [from, to), taking each page from the WAL when it contains one, in runs of adjacent pages. */
  private copyPages(target: Uint8Array, from: number, to: number): void {
    let position = from;
    while (position < to) {
      const page = Math.floor(position / this.pageSize) + 1;
      const pageStart = (page - 1) * this.pageSize;
      const walOffset = this.wal?.offsets.get(page);

      if (walOffset !== undefined && this.wal) {
        const stop = Math.min(to, pageStart + this.pageSize);
        const inPage = position - pageStart;
        this.wal.reader.copy(target, position - from, walOffset + inPage, walOffset + inPage + stop - position);
        position = stop;
        continue;
      }

      let stop = Math.min(to, pageStart + this.pageSize);
      while (stop < to && !this.wal?.offsets.has(Math.floor(stop / this.pageSize) + 1)) {
        stop = Math.min(to, stop + this.pageSize);
      }
      this.main.copy(target, position - from, position, stop);
      position = stop;
    }
  }
}

/**
 * Sets the file format write and read versions (header bytes 18 and 19) to 1.
 * A value of 2 makes SQLite look for the -wal and -shm files inside sql.js's
 * in-memory file system. The WAL's committed pages are already applied here,
 * so SQLite must read the image as a plain rollback-journal database.
 */
function presentAsRollbackMode(bytes: Uint8Array, offset: number): void {
  for (const position of [18, 19]) {
    const index = position - offset;
    if (index >= 0 && index < bytes.length && bytes[index] === 2) bytes[index] = 1;
  }
}
