import fs from 'node:fs';
import { StoreError } from '../errors';
import { HEADER_SIZE } from './header';
import type { ReadCounter } from './lazy-source';
import { WAL_HEADER_SIZE, sameBytes } from './wal';

/** The first 8 bytes of a rollback journal whose pages may already be in the database file. */
const JOURNAL_MAGIC = Uint8Array.of(0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7);

/** Size, time and identity of a file, as fstat returned them. */
export interface FileStamp {
  size: number;
  mtimeMs: number;
  /** Nanoseconds, where the file system records them, to tell apart writes within one millisecond. */
  mtimeNs: bigint;
  ino: bigint;
  dev: bigint;
}

export interface JournalProbe extends FileStamp {
  /**
   * The journal starts with the magic. SQLite writes the magic before it
   * changes any database page, and removes, truncates or zeroes it only after
   * the last page of the transaction is written. So while there is no such
   * journal, the database file contains exactly one committed state.
   */
  valid: boolean;
}

/** An open database or WAL file with its stamp and first bytes. */
export interface OpenedFile extends FileStamp {
  fd: number;
  /** The 100-byte database header, or the 32-byte WAL header; shorter when the file is. */
  header: Uint8Array;
}

/**
 * Reads the start of `<db>-journal` without keeping it open: on Windows an
 * open handle would stop SQLite from deleting the journal at commit.
 */
export function probeJournal(databasePath: string): JournalProbe | undefined {
  const journalPath = `${databasePath}-journal`;
  let fd: number;
  try {
    fd = fs.openSync(journalPath, 'r');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw ioError(journalPath, 'open', error, databasePath);
  }

  try {
    const stamp = stampOf(fs.fstatSync(fd, { bigint: true }));
    const start = new Uint8Array(JOURNAL_MAGIC.length);
    const count = fs.readSync(fd, start, 0, start.length, 0);

    return { ...stamp, valid: count === start.length && sameBytes(start, JOURNAL_MAGIC) };
  } catch (error) {
    throw ioError(journalPath, 'read', error, databasePath);
  } finally {
    fs.closeSync(fd);
  }
}

/** Opens the database file and reads its header. A missing file is a StoreError 'missing'. */
export function openDatabaseFile(databasePath: string, counter: ReadCounter): OpenedFile {
  let fd: number;
  try {
    fd = fs.openSync(databasePath, 'r');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') {
      throw new StoreError('missing', `${databasePath} does not exist. Check the path, or run the pipeline once to create the store.`, databasePath);
    }
    throw ioError(databasePath, 'open', error);
  }

  try {
    const stats = fs.fstatSync(fd, { bigint: true });
    if (!stats.isFile()) {
      throw new StoreError('not-sqlite', `${databasePath} is not a SQLite database: it is not a regular file.`, databasePath);
    }

    return { fd, ...stampOf(stats), header: readStart(fd, HEADER_SIZE, counter, databasePath) };
  } catch (error) {
    fs.closeSync(fd);
    throw error;
  }
}

/** Opens `<db>-wal` when it exists and reads its header. */
export function openWalFile(databasePath: string, counter: ReadCounter): OpenedFile | undefined {
  const walPath = `${databasePath}-wal`;
  let fd: number;
  try {
    fd = fs.openSync(walPath, 'r');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw ioError(walPath, 'open', error, databasePath);
  }

  try {
    return { fd, ...stampOf(fs.fstatSync(fd, { bigint: true })), header: readStart(fd, WAL_HEADER_SIZE, counter, walPath, databasePath) };
  } catch (error) {
    fs.closeSync(fd);
    throw error;
  }
}

/** Re-reads the stamp and the first `headerSize` bytes of a file opened earlier in the same read attempt. */
export function restamp(
  file: OpenedFile,
  headerSize: number,
  counter: ReadCounter,
  filePath: string,
  databasePath: string,
): OpenedFile {
  try {
    const stamp = stampOf(fs.fstatSync(file.fd, { bigint: true }));

    return { fd: file.fd, ...stamp, header: readStart(file.fd, headerSize, counter, filePath, databasePath) };
  } catch (error) {
    throw error instanceof StoreError ? error : ioError(filePath, 'read', error, databasePath);
  }
}

/** Returns whether two stamps describe the same, unchanged file. */
export function sameStamp(a: FileStamp | undefined, b: FileStamp | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;

  return a.size === b.size && a.mtimeNs === b.mtimeNs && a.ino === b.ino && a.dev === b.dev;
}

export function sameOpenedFile(a: OpenedFile | undefined, b: OpenedFile | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;

  return sameStamp(a, b) && sameBytes(a.header, b.header);
}

export function closeQuietly(file: OpenedFile | undefined): void {
  if (file === undefined) return;
  try {
    fs.closeSync(file.fd);
  } catch {
    // The descriptor is only read from, so a failed close loses nothing.
  }
}

export function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

export function ioError(filePath: string, action: string, error: unknown, databasePath = filePath): StoreError {
  const reason = error instanceof Error ? error.message : String(error);

  return new StoreError('io', `Couldn't ${action} ${filePath}: ${reason}`, databasePath, { cause: error });
}

function readStart(fd: number, length: number, counter: ReadCounter, filePath: string, databasePath = filePath): Uint8Array {
  const bytes = new Uint8Array(length);
  let count: number;
  try {
    count = fs.readSync(fd, bytes, 0, length, 0);
  } catch (error) {
    throw ioError(filePath, 'read', error, databasePath);
  }
  counter.bytesRead += count;

  return bytes.subarray(0, count);
}

function stampOf(stats: fs.BigIntStats): FileStamp {
  return { size: Number(stats.size), mtimeMs: Number(stats.mtimeMs), mtimeNs: stats.mtimeNs, ino: stats.ino, dev: stats.dev };
}
