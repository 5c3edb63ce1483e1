/**
 * Checks that catch damage SQLite reads through without an error. SQLite
 * pages carry no checksum, so a leaf page of one table copied over a leaf of
 * another is read as rows of the wrong table. Two guards turn such damage into
 * an error that names the file:
 *
 * - every table scan of the listing checks that rowids rise strictly. A
 *   misplaced leaf page breaks that order unless its rowids happen to fit.
 *   The check costs nothing, because the scan reads those rows anyway;
 * - stores up to QUICK_CHECK_MAX_BYTES run `PRAGMA quick_check`, which
 *   verifies the structure of every b-tree page.
 *
 * NOTE: larger stores get only the rowid check, because quick_check reads
 * every page (about 1 s and 150 MB of reads for a 36 MB store, measured with
 * the lazy page reader on a 2-core machine).
 */
import { StoreError } from '../errors';
import type { ReadConnection, SqlRow } from '../sqlite/types';
import { numberOf } from './rows';

export const QUICK_CHECK_MAX_BYTES = 1024 * 1024;

/** Throws a `corrupt` StoreError when the rows of a rowid-ordered scan are out of order. */
export function assertRowidOrder(rows: readonly SqlRow[], file: string, table: string, column = 'row_id'): void {
  let previous = -Infinity;
  for (const row of rows) {
    const rowid = numberOf(row[column]);
    if (rowid === undefined) continue;
    if (rowid <= previous) {
      throw new StoreError(
        'corrupt',
        `${file} is corrupt: table "${table}" holds row ${rowid} after row ${previous}, so pages of the file are misplaced `
          + `and the rows read from it would be wrong. Check the file with \`sqlite3 "${file}" "PRAGMA integrity_check"\`.`,
        file,
      );
    }
    previous = rowid;
  }
}

/** Runs `PRAGMA quick_check` on a small store and throws a `corrupt` StoreError with SQLite's first finding. */
export function quickCheckSmallStore(conn: ReadConnection, file: string): void {
  const pageSize = numberOf(conn.get('PRAGMA page_size')?.page_size) ?? 0;
  const pageCount = numberOf(conn.get('PRAGMA page_count')?.page_count) ?? 0;
  if (pageSize * pageCount > QUICK_CHECK_MAX_BYTES) return;

  const findings = conn.all('PRAGMA quick_check(3)').map((row) => String(Object.values(row)[0]));
  if (findings.length === 1 && findings[0] === 'ok') return;
  const first = findings.join('; ').replace(/\s+/g, ' ').replace('*** in database main *** ', '');
  throw new StoreError(
    'corrupt',
    `${file} is corrupt: SQLite's quick_check found ${first}. Restore it from a backup, or check it with `
      + `\`sqlite3 "${file}" "PRAGMA integrity_check"\`.`,
    file,
  );
}
