/** A value as sql.js returns it. INTEGER values beyond 2^53 come back as bigint. */
export type SqlValue = string | number | bigint | Uint8Array | null;
export type SqlRow = Record<string, SqlValue>;

/** Synchronous read access to one consistent snapshot of a database. */
export interface ReadConnection {
  /** Runs a query and returns every row as an object keyed by column name. */
  all(sql: string, params?: readonly SqlValue[]): SqlRow[];
  /** Runs a query and returns its first row, or undefined. */
  get(sql: string, params?: readonly SqlValue[]): SqlRow | undefined;
  /** Names of the user tables (sqlite_% tables excluded). */
  tables(): string[];
  /** Column names of a table, in declaration order; [] when the table is missing. */
  columns(table: string): string[];
}

/** File facts that change whenever a writer commits. */
export interface FileState {
  size: number;
  mtimeMs: number;
  /** Header offset 24: incremented by every commit in rollback-journal mode. */
  changeCounter: number;
  /** Header offset 40: incremented when the schema changes. */
  schemaCookie: number;
  /** For WAL stores: the size and salts of the -wal file that were applied. */
  wal?: { size: number; salt1: number; salt2: number; commitFrames: number };
}

export interface SnapshotStats {
  /** Bytes read from the database and WAL files since open. */
  bytesRead: number;
  /** Read attempts that were thrown away because a writer changed the file. */
  retries: number;
  /** Times the underlying sql.js database was reopened after a change. */
  reopens: number;
  /** 'lazy' when pages are read on demand, 'whole-file' after the fallback. */
  mode: 'lazy' | 'whole-file';
}

/**
 * A database file read without locks. Every `read` runs against one committed
 * state: the callback may run more than once, so it must not have side effects.
 */
export interface SnapshotDatabase {
  readonly path: string;
  /** `options.timeoutMs` replaces the store's read time limit for this read (0: none). */
  read<T>(operation: string, fn: (conn: ReadConnection) => T, options?: ReadOptions): Promise<T>;
  /** The state of the last successful read. */
  readonly state: FileState | undefined;
  readonly stats: SnapshotStats;
  close(): void;
}

export interface ReadOptions {
  timeoutMs?: number;
}

export interface OpenOptions {
  /**
   * Time limit of one read, in milliseconds (default 30 s; 0: none). Pages
   * read page by page stop at the limit, and the read fails with a StoreError
   * of code `timeout` that names the file and the limit. A store loaded
   * whole (up to 1 MiB) is one file read and is not cut.
   */
  readTimeoutMs?: number;
  /** Appended to the time-limit message, to say where the limit is set (a setting, an option). */
  readTimeoutHint?: string;
  /** Maximum time to keep retrying while a writer is busy, in milliseconds. */
  busyTimeoutMs?: number;
  /**
   * How long a valid journal must stay unchanged before it counts as left by a crash, in ms.
   * While it stays unchanged, a read keeps waiting for this verdict even past busyTimeoutMs.
   */
  hotJournalMs?: number;
  /** Files up to this size are loaded whole; larger ones are read page by page. */
  wholeFileMaxBytes?: number;
  /**
   * When a writer keeps changing the files during page-by-page reads, files up
   * to this size are loaded whole for the next attempts (default 64 MiB).
   */
  busyWholeMaxBytes?: number;
  /** Skips the journal and header checks. Only for tests that prove the checks matter. */
  unsafeSkipConsistencyChecks?: boolean;
}
