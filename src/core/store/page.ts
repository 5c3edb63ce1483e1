/**
 * Pages through one store's versions, newest first, without loading the
 * workspace. Pages follow rowid, because rowid order is insertion order and
 * so creation order. Sorting by created_at would read every row: no index
 * covers it, and in metadata.db the column sits after the large metadata
 * column, so reading it walks every overflow page.
 */
import type { SnapshotDatabase } from '../sqlite/types';
import { numberOf, requiredText, text } from './rows';
import { detectSchema, optionalColumn } from './schema';
import { SMALL_JSON_BYTES } from './metadata-store';

export interface PageEntry {
  rowid: number;
  artifactId: string;
  name: string;
  storedType: string;
  runId: string | undefined;
  step: string | undefined;
  /** The creation time as stored (naive local for both stores). */
  createdRaw: string | undefined;
  storedVersion: string | undefined;
  metadataBytes: number;
}

export interface VersionPage {
  entries: PageEntry[];
  /** Pass as `beforeRowid` to get the next page; undefined after the last page. */
  nextBeforeRowid: number | undefined;
}

export const DEFAULT_PAGE_SIZE = 500;

export async function readVersionPage(
  db: SnapshotDatabase,
  kind: 'metadata' | 'catalog',
  options: { limit?: number; beforeRowid?: number } = {},
): Promise<VersionPage> {
  const limit = options.limit ?? DEFAULT_PAGE_SIZE;
  const before = options.beforeRowid ?? Number.MAX_SAFE_INTEGER;

  return db.read('list a page of versions', (conn) => {
    const { columns } = detectSchema(conn, db.path, kind);
    const artifactColumns = columns.artifacts;
    const sql = kind === 'metadata'
      ? `SELECT rowid AS row_id, artifact_id, name, type AS stored_type, run_id, NULL AS version,
           octet_length(metadata) AS metadata_bytes,
           CASE WHEN octet_length(metadata) < ${SMALL_JSON_BYTES} AND json_valid(metadata, 2) THEN json_extract(metadata, '$.step') END AS step,
           CASE WHEN octet_length(metadata) < ${SMALL_JSON_BYTES} AND json_valid(metadata, 2) THEN json_extract(metadata, '$.created_at') END AS created
         FROM artifacts WHERE rowid < ? ORDER BY rowid DESC LIMIT ?`
      : `SELECT rowid AS row_id, artifact_id, name, artifact_type AS stored_type,
           ${optionalColumn(artifactColumns, 'source_run_id', 'run_id')}, ${optionalColumn(artifactColumns, 'source_step', 'step')},
           octet_length(metadata) AS metadata_bytes, created_at AS created, ${optionalColumn(artifactColumns, 'version')}
         FROM artifacts WHERE rowid < ? ORDER BY rowid DESC LIMIT ?`;
    const rows = conn.all(sql, [before, limit]);
    const entries = rows.map((row): PageEntry => ({
      rowid: numberOf(row.row_id) ?? 0,
      artifactId: requiredText(row, 'artifact_id'),
      name: requiredText(row, 'name'),
      storedType: requiredText(row, 'stored_type'),
      runId: text(row.run_id) || undefined,
      step: text(row.step) || undefined,
      createdRaw: text(row.created),
      storedVersion: text(row.version) || undefined,
      metadataBytes: numberOf(row.metadata_bytes) ?? 0,
    }));
    const last = entries[entries.length - 1];
    return { entries, nextBeforeRowid: entries.length === limit && last ? last.rowid : undefined };
  });
}
