/**
 * The memory guard for huge stores. Loading a store keeps a light record of
 * every version in memory, plus the model and lineage built from them, so a
 * store with millions of rows could exhaust the editor's or the command
 * line's memory. Before the rows are read, their count is taken: SQLite
 * counts a table from its b-tree pages alone, without the rows' overflow
 * pages where the metadata JSON lives. A store above the cap is not loaded.
 * It is reported with a `too-large` error that names the file, the count and
 * the cap, and each surface offers to load it anyway.
 */
import { StoreError } from '../errors';
import type { SnapshotDatabase } from '../sqlite/types';

/** The default cap on the versions of one store. */
export const DEFAULT_MAX_STORE_VERSIONS = 500_000;

export interface SizeGuardOptions {
  /** Maximum number of versions (rows of `artifacts`) of a store that loads; 0 turns the guard off. */
  maxVersions?: number;
  /** Absolute paths of stores the user chose to load anyway. */
  allow?: readonly string[];
  /** Appended to the error, to say how to load the store anyway on this surface. */
  hint?: string;
}

/** Throws a `too-large` StoreError when the store contains more versions than the cap allows. */
export async function checkStoreSize(db: SnapshotDatabase, absolutePath: string, displayPath: string, options: SizeGuardOptions = {}): Promise<void> {
  const cap = options.maxVersions ?? DEFAULT_MAX_STORE_VERSIONS;
  if (cap <= 0 || options.allow?.includes(absolutePath)) return;

  const count = await db.read('count the versions', (conn) => {
    if (!conn.tables().includes('artifacts')) return 0;
    return Number(conn.get('SELECT count(*) AS n FROM artifacts')?.n ?? 0);
  });
  if (count <= cap) return;

  const hint = options.hint ? ` ${options.hint}` : '';
  throw new StoreError(
    'too-large',
    `${displayPath} contains ${count.toLocaleString('en-US')} versions, above the limit of ${cap.toLocaleString('en-US')} versions per store, `
      + `so it was not loaded: keeping them all in memory could exhaust it.${hint}`,
    absolutePath,
  );
}
