import { StoreError } from '../errors';
import { toStoreError } from './connection';
import { type DatabaseHeader, HEADER_SIZE, checkFileSize, checkWholePages, integrityCheckHint, parseHeader } from './header';
import { ChunkedReader, FileSource, LazyDatabaseImage, type ReadCounter, type ReadFaults } from './lazy-source';
import { type OpenedFile, ioError } from './probe';
import type { SqlEngine, SqlJsDatabase } from './sqljs';
import type { SnapshotStats } from './types';
import { type WalIndex, readWalIndex } from './wal';

/** The files one read attempt opened, and the database image they make up. */
export interface Observation {
  db: OpenedFile;
  wal: OpenedFile | undefined;
  /** The WAL's committed frames; undefined when there is no WAL or its header is invalid. */
  walIndex: WalIndex | undefined;
  /** The header as SQLite will see it: from the newest committed copy of page 1. */
  header: DatabaseHeader;
  /** Size of the database image in bytes. */
  length: number;
  /** Equal keys mean equal images, so an open sql.js database can be reused. */
  key: string;
}

/**
 * Works out the committed database image from the files opened for one
 * attempt. With committed WAL frames, the image is the main file overlaid
 * with the newest copy of each page in the WAL, cut to the size the last
 * commit frame records, which is what a SQLite reader would see.
 */
export function observe(
  path: string,
  db: OpenedFile,
  wal: OpenedFile | undefined,
  counter: ReadCounter,
  previousWal: WalIndex | undefined,
): Observation {
  const mainHeader = parseHeader(db.header, db.size, path);
  const walSource = new FileSource(`${path}-wal`);
  walSource.fd = wal?.fd;
  let walIndex: WalIndex | undefined;
  try {
    walIndex = wal ? readWalIndex(walSource, wal.header, wal.size, counter, previousWal) : undefined;
  } catch (error) {
    throw ioError(`${path}-wal`, 'read', error, path);
  }
  const mainKey = `${db.size}:${db.mtimeNs}:${db.ino}:${db.dev}:${hex(db.header)}`;

  if (!walIndex || walIndex.commitFrames === 0) {
    checkFileSize(mainHeader, db.size, path);

    return { db, wal, walIndex, header: mainHeader, length: db.size, key: `${mainKey}|main` };
  }

  const pageSize = mainHeader.pageSize;
  if (walIndex.pageSize !== pageSize) {
    throw new StoreError(
      'corrupt',
      `${path} is corrupt: its WAL has pages of ${walIndex.pageSize} bytes but the database has pages of ${pageSize} bytes. `
        + integrityCheckHint(path),
      path,
    );
  }
  checkWholePages(pageSize, db.size, path);

  const length = walIndex.databasePages * pageSize;
  let header = mainHeader;
  const pageOne = walIndex.pages.get(1);
  if (pageOne !== undefined) {
    const bytes = new Uint8Array(HEADER_SIZE);
    try {
      counter.bytesRead += walSource.read(bytes, pageOne);
    } catch (error) {
      throw ioError(`${path}-wal`, 'read', error, path);
    }
    header = parseHeader(bytes, length, path);
  }

  return { db, wal, walIndex, header, length, key: `${mainKey}|wal:${hex(walIndex.header)}:${walIndex.committedEnd}` };
}

/** The sql.js database of the current image, with the file sources it reads through. */
interface OpenImage {
  key: string;
  database: SqlJsDatabase;
  mainSource: FileSource;
  walSource: FileSource;
  /** Kept in lazy mode only, where pages are read during queries. */
  image: LazyDatabaseImage | undefined;
}

/**
 * Owns the sql.js database of the newest image and keeps it, with SQLite's
 * page cache and the chunk caches, while the files stay unchanged. Between
 * read attempts the sources hold no file descriptor.
 */
export class ImageCache {
  private current: OpenImage | undefined;
  private openedBefore = false;
  /**
   * Set while a writer keeps changing the files during lazy reads: the next
   * image is then loaded whole (up to busyWholeMaxBytes), which narrows the
   * window a writer can hit from the whole query to one file read.
   */
  preferWhole = false;
  /** Faults met while loading a whole file, reported with the attempt that loaded it. */
  private loadFaults: ReadFaults = {};
  /**
   * The current read's deadline (Date.now()), checked on each page read in
   * lazy mode. A whole image is one read and then runs in memory, so there
   * is nothing to stop.
   */
  deadline: number | undefined;

  constructor(
    private readonly path: string,
    private readonly engine: SqlEngine,
    private readonly wholeFileMaxBytes: number,
    private readonly stats: SnapshotStats,
    private readonly busyWholeMaxBytes: number,
  ) {}

  /** Returns the database for `observation`, reopening when the image changed, with its sources attached. */
  databaseFor(observation: Observation): SqlJsDatabase {
    if (this.current?.key !== observation.key) this.open(observation);
    const current = this.current as OpenImage;
    if (current.image) current.image.deadline = this.deadline;
    current.mainSource.fd = observation.db.fd;
    current.walSource.fd = observation.wal?.fd;

    return current.database;
  }

  /** True when the current image was loaded whole, so queries on it read no file. */
  holdsWholeImage(): boolean {
    return this.current !== undefined && this.current.image === undefined;
  }

  detach(): void {
    if (!this.current) return;
    this.current.mainSource.fd = undefined;
    this.current.walSource.fd = undefined;
  }

  /** Returns the read faults since the last call, and clears them. */
  takeFaults(): ReadFaults {
    const load = this.loadFaults;
    const lazy = this.current?.image?.takeFaults() ?? {};
    this.loadFaults = {};

    return { ioError: load.ioError ?? lazy.ioError, shortRead: load.shortRead || lazy.shortRead, timedOut: lazy.timedOut };
  }

  /** Closes the database, for example because a failed attempt may have cached torn pages. */
  discard(): void {
    this.current?.database.close();
    this.current = undefined;
  }

  close(): void {
    this.discard();
  }

  private open(observation: Observation): void {
    this.discard();
    if (this.openedBefore) this.stats.reopens += 1;
    this.openedBefore = true;

    const whole = observation.length <= this.wholeFileMaxBytes
      || (this.preferWhole && observation.length <= this.busyWholeMaxBytes)
      || this.engine.lazyPagesFailure !== undefined;
    const mainSource = new FileSource(this.path);
    const walSource = new FileSource(`${this.path}-wal`);
    mainSource.fd = observation.db.fd;
    walSource.fd = observation.wal?.fd;

    const { walIndex, header } = observation;
    const useWal = walIndex !== undefined && walIndex.commitFrames > 0;
    const main = new ChunkedReader(mainSource, observation.db.size, this.stats, !whole);
    const wal = useWal
      ? { reader: new ChunkedReader(walSource, walIndex.committedEnd, this.stats, !whole), offsets: walIndex.pages }
      : undefined;
    const image = new LazyDatabaseImage(main, observation.length, header.pageSize, wal);

    let database: SqlJsDatabase;
    if (whole) {
      // NOTE: after a failed lazy-page self-test this loads files of any size whole, costing their size in memory.
      const bytes = image.subarray(0, observation.length);
      this.loadFaults = image.takeFaults();
      database = this.create(bytes);
    } else {
      image.deadline = this.deadline;
      try {
        database = this.create(image);
      } catch (error) {
        // Keeps a time-limit or read fault for the attempt, so the attempt reports it rather than damage.
        this.loadFaults = image.takeFaults();
        throw error;
      }
    }

    this.current = { key: observation.key, database, mainSource, walSource, image: whole ? undefined : image };
    this.stats.mode = whole ? 'whole-file' : 'lazy';
  }

  private create(data: Uint8Array | LazyDatabaseImage): SqlJsDatabase {
    let database: SqlJsDatabase | undefined;
    try {
      database = new this.engine.sql.Database(data);
      // The reader must never write: with query_only SQLite rejects any statement that would.
      database.run('PRAGMA query_only = 1');
      // Damaged stores are expected, so SQLite checks each b-tree page's cell layout as it loads the page,
      // and a damaged cell count or cell pointer fails as "malformed" instead of yielding garbage rows.
      database.run('PRAGMA cell_size_check = 1');

      return database;
    } catch (error) {
      database?.close();
      throw toStoreError(error, 'open', this.path);
    }
  }
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex');
}
