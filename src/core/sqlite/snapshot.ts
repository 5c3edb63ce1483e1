import { setTimeout as delay } from 'node:timers/promises';
import { StoreError } from '../errors';
import { SqlJsConnection } from './connection';
import { ImageCache, type Observation, observe } from './image';
import {
  type JournalProbe,
  type OpenedFile,
  closeQuietly,
  openDatabaseFile,
  openWalFile,
  probeJournal,
  sameOpenedFile,
} from './probe';
import type { SqlEngine } from './sqljs';
import type { FileState, OpenOptions, ReadConnection, ReadOptions, SnapshotDatabase, SnapshotStats } from './types';
import type { WalIndex } from './wal';

const DEFAULT_BUSY_TIMEOUT_MS = 5000;
const DEFAULT_HOT_JOURNAL_MS = 5000;
/** Time limit of one read. */
export const DEFAULT_READ_TIMEOUT_MS = 30_000;
/**
 * Up to this size a file is read in one call and handed to sql.js whole.
 * One read is cheaper than hundreds of small ones and the memory cost stays
 * small. Such files also avoid the undocumented sql.js behaviour that lazy
 * pages rely on.
 */
const DEFAULT_WHOLE_FILE_MAX_BYTES = 1024 * 1024;
const MAX_BACKOFF_MS = 32;
/** After this many attempts spoiled by a writer, the image is loaded whole. */
const LAZY_ATTEMPTS_BEFORE_WHOLE = 3;
/** The largest image loaded whole because a writer keeps changing the files. */
const DEFAULT_BUSY_WHOLE_MAX_BYTES = 64 * 1024 * 1024;

/** The files of one read attempt, opened in the order the consistency argument needs. */
interface Probe {
  db: OpenedFile;
  journal: JournalProbe | undefined;
  wal: OpenedFile | undefined;
}

type AttemptOutcome<T> =
  | { kind: 'done'; value: T }
  | { kind: 'journal'; journal: JournalProbe; db: OpenedFile }
  | { kind: 'changed' };

/** A hot-journal sighting: the journal and database stamps, and when they were first seen unchanged. */
interface JournalSighting {
  key: string;
  since: number;
}

export class Snapshot implements SnapshotDatabase {
  readonly stats: SnapshotStats = { bytesRead: 0, retries: 0, reopens: 0, mode: 'lazy' };
  private currentState: FileState | undefined;
  private readonly images: ImageCache;
  private previousWal: WalIndex | undefined;
  private journalSighting: JournalSighting | undefined;
  private closed = false;
  private readonly busyTimeoutMs: number;
  private readonly hotJournalMs: number;
  private readonly unsafe: boolean;
  private readonly readTimeoutMs: number;
  private readonly readTimeoutHint: string | undefined;

  constructor(readonly path: string, engine: SqlEngine, options: OpenOptions = {}) {
    this.busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
    this.readTimeoutMs = options.readTimeoutMs ?? DEFAULT_READ_TIMEOUT_MS;
    this.readTimeoutHint = options.readTimeoutHint;
    this.hotJournalMs = options.hotJournalMs ?? DEFAULT_HOT_JOURNAL_MS;
    this.unsafe = options.unsafeSkipConsistencyChecks ?? false;
    this.images = new ImageCache(
      path,
      engine,
      options.wholeFileMaxBytes ?? DEFAULT_WHOLE_FILE_MAX_BYTES,
      this.stats,
      options.busyWholeMaxBytes ?? DEFAULT_BUSY_WHOLE_MAX_BYTES,
    );
  }

  get state(): FileState | undefined {
    return this.currentState;
  }

  async read<T>(operation: string, fn: (conn: ReadConnection) => T, options: ReadOptions = {}): Promise<T> {
    const started = Date.now();
    const limitMs = options.timeoutMs ?? this.readTimeoutMs;
    const deadline = limitMs > 0 ? started + limitMs : undefined;

    for (let attempt = 0; ; attempt++) {
      this.assertOpen(operation);
      let outcome: AttemptOutcome<T>;
      this.images.deadline = deadline;
      try {
        outcome = this.unsafe ? this.attemptUnchecked(operation, fn) : this.attempt(operation, fn, limitMs);
      } finally {
        this.images.deadline = undefined;
      }
      if (outcome.kind === 'done') {
        this.images.preferWhole = false;
        return outcome.value;
      }
      if (outcome.kind === 'changed' && attempt + 1 >= LAZY_ATTEMPTS_BEFORE_WHOLE) this.images.preferWhole = true;

      this.stats.retries += 1;
      this.checkDeadline(outcome, started, attempt);
      if (deadline !== undefined && Date.now() > deadline) throw this.timeoutError(operation, limitMs);
      // Jitter keeps the retries from falling into step with a writer that commits at a steady pace.
      await delay(Math.min(2 ** attempt, MAX_BACKOFF_MS) * (0.5 + Math.random()));
    }
  }

  /** Builds the error of a read stopped at its time limit, naming the file, the operation and the limit. */
  private timeoutError(operation: string, limitMs: number): StoreError {
    const limit = limitMs >= 1000 ? `${Number((limitMs / 1000).toFixed(1))} s` : `${limitMs} ms`;
    const hint = this.readTimeoutHint ? ` ${this.readTimeoutHint}` : '';
    return new StoreError(
      'timeout',
      `Stopped reading ${this.path}: "${operation}" took longer than the store read time limit of ${limit}.${hint}`,
      this.path,
    );
  }

  close(): void {
    this.closed = true;
    this.images.close();
  }

  /**
   * Runs `fn` once and returns its result only when no writer touched the
   * files meanwhile. The checks before the query run database first, then
   * journal, then WAL; the checks after it run journal, then WAL, then
   * database. Any page a writer changes during the query is then caught:
   * either its journal is still there at the end, or the commit or rollback
   * has changed the header or the stamps. A query error is reported only when
   * the files were unchanged, because a torn read can look like corruption.
   *
   * NOTE: two cases stay undetected. A writer in journal_mode MEMORY or OFF
   * writes no journal file. A transaction that spills pages during the query
   * and rolls back before its end changes only the modification time, which
   * can be missed when the file system's timestamps are coarser than that.
   */
  private attempt<T>(operation: string, fn: (conn: ReadConnection) => T, limitMs: number): AttemptOutcome<T> {
    const before = this.probe();
    try {
      if (before.journal?.valid) return { kind: 'journal', journal: before.journal, db: before.db };

      let result: { value: T; observation: Observation } | { error: unknown };
      let checked = false;
      try {
        const observation = observe(this.path, before.db, before.wal, this.stats, this.previousWal);
        this.previousWal = observation.walIndex;
        const database = this.images.databaseFor(observation);
        if (this.images.holdsWholeImage()) {
          // The whole image is in memory now, so the query reads no file and the
          // check can close the window here. A writer that commits often would
          // otherwise change the files during every query of a busy store.
          const outcome = this.checkUnchanged(before, operation, limitMs);
          if (outcome) return outcome;
          checked = true;
        }
        const value = fn(new SqlJsConnection(database, this.path, operation));
        rejectPromise(value, operation, this.path);
        result = { value, observation };
      } catch (error) {
        result = { error };
      }

      if (!checked) {
        const outcome = this.checkUnchanged(before, operation, limitMs);
        if (outcome) return outcome;
      }
      if ('error' in result) {
        if (result.error instanceof StoreError && result.error.code === 'corrupt') this.images.discard();
        throw result.error;
      }

      this.currentState = fileStateOf(result.observation);
      return { kind: 'done', value: result.value };
    } finally {
      this.images.detach();
      closeQuietly(before.db);
      closeQuietly(before.wal);
    }
  }

  /**
   * Returns `changed` when a writer touched the files since `before` or a read
   * came back short, throws on a read error or a read past its time limit,
   * and returns undefined when the image read so far is a committed state.
   */
  private checkUnchanged(before: Probe, operation: string, limitMs: number): { kind: 'changed' } | undefined {
    const faults = this.images.takeFaults();
    if (faults.timedOut) {
      // The pages served after the deadline were zeros: the image and SQLite's page cache must go.
      this.images.discard();
      throw this.timeoutError(operation, limitMs);
    }
    if (!this.unchangedSince(before) || faults.shortRead) {
      this.images.discard();
      return { kind: 'changed' };
    }

    this.journalSighting = undefined;
    if (faults.ioError) {
      this.images.discard();
      throw new StoreError('io', `Couldn't ${operation} in ${this.path}: a read failed: ${faults.ioError.message}`, this.path, {
        cause: faults.ioError,
      });
    }
    return undefined;
  }

  /** Runs `fn` once on a freshly opened image, with none of the checks: only for tests that prove the checks matter. */
  private attemptUnchecked<T>(operation: string, fn: (conn: ReadConnection) => T): AttemptOutcome<T> {
    const db = openDatabaseFile(this.path, this.stats);
    let wal: OpenedFile | undefined;
    try {
      wal = openWalFile(this.path, this.stats);
      const observation = observe(this.path, db, wal, this.stats, undefined);
      this.images.discard();
      const database = this.images.databaseFor(observation);
      const value = fn(new SqlJsConnection(database, this.path, operation));
      rejectPromise(value, operation, this.path);
      this.currentState = fileStateOf(observation);

      return { kind: 'done', value };
    } finally {
      this.images.detach();
      closeQuietly(db);
      closeQuietly(wal);
    }
  }

  private probe(): Probe {
    const db = openDatabaseFile(this.path, this.stats);
    try {
      const journal = probeJournal(this.path);
      const wal = openWalFile(this.path, this.stats);

      return { db, journal, wal };
    } catch (error) {
      closeQuietly(db);
      throw error;
    }
  }

  /** Probes again, by path so that a replaced file counts as changed, in the order journal, WAL, database. */
  private unchangedSince(before: Probe): boolean {
    const journal = probeJournal(this.path);
    if (journal?.valid) return false;

    const wal = openWalFile(this.path, this.stats);
    closeQuietly(wal);
    if (!sameOpenedFile(before.wal, wal)) return false;

    const db = openDatabaseFile(this.path, this.stats);
    closeQuietly(db);

    return sameOpenedFile(before.db, db);
  }

  /**
   * Decides whether to keep retrying. A valid journal whose stamps and the
   * database's stay unchanged for hotJournalMs was left by a writer that
   * died: no live writer keeps a transaction open that long without writing,
   * and only a read-write connection can roll it back.
   */
  private checkDeadline(outcome: AttemptOutcome<unknown>, started: number, attempt: number): void {
    const now = Date.now();
    let journalUnchanged = false;

    if (outcome.kind === 'journal') {
      const key = sightingKey(outcome.journal, outcome.db);
      journalUnchanged = this.journalSighting?.key === key;
      if (!this.journalSighting || !journalUnchanged) this.journalSighting = { key, since: now };

      if (now - this.journalSighting.since >= this.hotJournalMs) {
        throw new StoreError(
          'needs-recovery',
          `${this.path} needs recovery: its journal ${this.path}-journal holds an interrupted write that has not changed `
            + `for ${now - this.journalSighting.since} ms. Opening the store once with FlowyML or sqlite3 `
            + `(for example \`sqlite3 "${this.path}" "PRAGMA quick_check"\`) rolls the interrupted write back.`,
          this.path,
        );
      }
    } else {
      this.journalSighting = undefined;
    }

    // While the journal stays unchanged, wait to tell a crashed writer from a slow one.
    if (now - started >= this.busyTimeoutMs && !journalUnchanged) {
      throw new StoreError(
        'busy',
        `Timed out after ${now - started} ms waiting for a consistent read of ${this.path}: a writer kept changing it `
          + `through ${attempt + 1} attempts. Try again when the pipeline has finished writing.`,
        this.path,
      );
    }
  }

  private assertOpen(operation: string): void {
    if (this.closed) {
      throw new StoreError('invalid-input', `Couldn't ${operation} in ${this.path}: the database was closed.`, this.path);
    }
  }
}

/**
 * Throws when a read callback returned a promise: its work would run after
 * the consistency check, on a snapshot that may have changed.
 */
function rejectPromise(value: unknown, operation: string, path: string): void {
  const then = (value as { then?: unknown } | null)?.then;
  if (typeof then === 'function') {
    // The promise is dropped, so a later rejection must not become an unhandled one.
    then.call(value, undefined, () => undefined);
    throw new StoreError(
      'invalid-input',
      `Couldn't ${operation} in ${path}: the read callback returned a promise. Read callbacks must be synchronous.`,
      path,
    );
  }
}

function sightingKey(journal: JournalProbe, db: OpenedFile): string {
  return `${journal.size}:${journal.mtimeNs}:${journal.ino}:${db.size}:${db.mtimeNs}`;
}

function fileStateOf(observation: Observation): FileState {
  const { db, header, walIndex, wal } = observation;
  const state: FileState = {
    size: db.size,
    mtimeMs: db.mtimeMs,
    changeCounter: header.changeCounter,
    schemaCookie: header.schemaCookie,
  };
  if (walIndex && wal) {
    state.wal = { size: wal.size, salt1: walIndex.salt1, salt2: walIndex.salt2, commitFrames: walIndex.commitFrames };
  }

  return state;
}
