import { StoreError } from '../errors';

/** The database header occupies the first 100 bytes of page 1. */
export const HEADER_SIZE = 100;

const MAGIC = 'SQLite format 3\0';
const TRUNCATED_HINT = 'Restore it from a backup, or copy it again if it was copied while a pipeline was writing.';

/** The fields of the database header that the reader relies on. */
export interface DatabaseHeader {
  pageSize: number;
  writeVersion: number;
  readVersion: number;
  /** Offset 24, incremented by every commit in rollback-journal mode. */
  changeCounter: number;
  /** Offset 28, the database size in pages. */
  pageCount: number;
  /**
   * The page count is trusted only when it is non-zero and offset 92 equals
   * the change counter: SQLite before 3.7.0 did not maintain it.
   */
  pageCountValid: boolean;
  /** Offset 40, incremented by every schema change. */
  schemaCookie: number;
}

/** Returns whether the bytes start with the 16-byte SQLite magic string, as far as they go. */
export function hasSqliteMagic(bytes: Uint8Array): boolean {
  const count = Math.min(bytes.length, MAGIC.length);
  for (let i = 0; i < count; i++) {
    if (bytes[i] !== MAGIC.charCodeAt(i)) return false;
  }

  return true;
}

/**
 * Parses and checks the header of a database file of `fileSize` bytes.
 * Throws a StoreError naming `file` when the file is empty, is not SQLite,
 * is cut short or has a header SQLite would reject.
 */
export function parseHeader(bytes: Uint8Array, fileSize: number, file: string): DatabaseHeader {
  if (fileSize === 0) {
    throw new StoreError('truncated', `${file} is truncated: it is empty (0 bytes). ${TRUNCATED_HINT}`, file);
  }
  if (!hasSqliteMagic(bytes.subarray(0, fileSize))) {
    throw new StoreError('not-sqlite', `${file} is not a SQLite database: it does not start with "SQLite format 3". Check the store path.`, file);
  }
  if (fileSize < HEADER_SIZE) {
    throw new StoreError('truncated', `${file} is truncated: ${fileSize} bytes is shorter than the 100-byte SQLite header. ${TRUNCATED_HINT}`, file);
  }

  const view = new DataView(bytes.buffer, bytes.byteOffset, HEADER_SIZE);
  const rawPageSize = view.getUint16(16);
  // The value 1 stands for 65536, which does not fit in 16 bits.
  const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
  if (pageSize < 512 || (pageSize & (pageSize - 1)) !== 0) {
    throw corrupt(file, `its header gives an invalid page size of ${rawPageSize}`);
  }

  const writeVersion = bytes[18];
  const readVersion = bytes[19];
  if (writeVersion < 1 || writeVersion > 2 || readVersion < 1 || readVersion > 2) {
    throw corrupt(file, `its header gives unsupported file format versions ${writeVersion}/${readVersion} (1 or 2 expected)`);
  }
  // SQLite rejects any other payload fractions.
  if (bytes[21] !== 64 || bytes[22] !== 32 || bytes[23] !== 32) {
    throw corrupt(file, `its header gives payload fractions ${bytes[21]}/${bytes[22]}/${bytes[23]} (64/32/32 expected)`);
  }
  const schemaFormat = view.getUint32(44);
  if (schemaFormat > 4) {
    throw corrupt(file, `its header gives schema format ${schemaFormat} (0 to 4 expected)`);
  }
  const textEncoding = view.getUint32(56);
  if (textEncoding > 3) {
    throw corrupt(file, `its header gives text encoding ${textEncoding} (0 to 3 expected)`);
  }

  const changeCounter = view.getUint32(24);
  const pageCount = view.getUint32(28);

  return {
    pageSize,
    writeVersion,
    readVersion,
    changeCounter,
    pageCount,
    pageCountValid: pageCount !== 0 && view.getUint32(92) === changeCounter,
    schemaCookie: view.getUint32(40),
  };
}

/**
 * Checks that a file read without a WAL contains every page its header
 * counts. SQLite writes whole pages, so a size below the page count means
 * the file was cut short.
 */
export function checkFileSize(header: DatabaseHeader, fileSize: number, file: string): void {
  checkWholePages(header.pageSize, fileSize, file);
  if (header.pageCountValid && header.pageCount * header.pageSize > fileSize) {
    throw new StoreError(
      'truncated',
      `${file} is truncated: its header counts ${header.pageCount} pages of ${header.pageSize} bytes, `
        + `but the file has ${fileSize / header.pageSize}. ${TRUNCATED_HINT}`,
      file,
    );
  }
}

/** Throws a 'truncated' StoreError unless the file size is a multiple of the page size, as SQLite writes whole pages. */
export function checkWholePages(pageSize: number, fileSize: number, file: string): void {
  if (fileSize % pageSize !== 0) {
    throw new StoreError(
      'truncated',
      `${file} is truncated: its size of ${fileSize} bytes is not a multiple of its page size of ${pageSize} bytes. `
        + TRUNCATED_HINT,
      file,
    );
  }
}

function corrupt(file: string, reason: string): StoreError {
  return new StoreError('corrupt', `${file} is corrupt: ${reason}. ${integrityCheckHint(file)}`, file);
}

export function integrityCheckHint(file: string): string {
  return `Check the file with \`sqlite3 "${file}" "PRAGMA integrity_check"\`.`;
}
