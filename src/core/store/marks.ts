/**
 * The marks a load keeps about each store file, so that the next reload can
 * tell an append from a rewrite (see incremental.ts). They are taken in the
 * same snapshot read as the rows, so marks and rows describe one state.
 */
import fs from 'node:fs';
import type { StoreRows } from '../model/build';
import type { LoadProblem } from '../model/types';
import type { FileState, ReadConnection } from '../sqlite/types';
import { numberOf, text } from './rows';

/** The identity of the file behind a path: another file moved in its place has another inode. */
export interface FileIdentity {
  dev: number;
  ino: number;
}

/** One store as a load read it: its rows, its problems and the marks of the state they came from. */
export interface StoreCache {
  absolutePath: string;
  rows: StoreRows;
  problems: LoadProblem[];
  identity: FileIdentity | undefined;
  /** The snapshot's file state after the read: size, mtime, change counter, schema cookie, WAL. */
  state: FileState | undefined;
  /** `PRAGMA schema_version` in the snapshot: moves with every schema change and with VACUUM. */
  schemaVersion: number;
  /** Table → sorted column names, as detected. */
  columns: string;
  /** metadata.db only: rowid and light columns of each runs row, in rowid order. */
  runLight?: RunLight[];
  /** catalog.db only: the raw tags text of each row, aligned with rows.catalog. */
  catalogTags?: (string | undefined)[];
}

export interface RunLight {
  rowid: number;
  runId: string;
  /** The columns a run's end rewrites (status, end_time, duration, pipeline, start, metadata size), joined. */
  signature: string;
}

export function fileIdentity(path: string): FileIdentity | undefined {
  const stat = fs.statSync(path, { throwIfNoEntry: false });
  return stat ? { dev: stat.dev, ino: stat.ino } : undefined;
}

export function schemaVersionOf(conn: ReadConnection): number {
  return numberOf(conn.get('PRAGMA schema_version')?.schema_version) ?? -1;
}

export function columnsKey(columns: Record<string, Set<string>>): string {
  return Object.keys(columns).sort().map((table) => `${table}(${[...columns[table]].sort().join(',')})`).join(';');
}

/**
 * Reads the light columns of every runs row. The runs table holds one row
 * per run, so this stays small next to the artifacts table. `metadata` is
 * measured with octet_length, which SQLite answers from the record header.
 * `project` and `created_at` sit after `metadata`, so reading them would walk
 * the overflow pages of every run's metadata; they are left out. FlowyML's
 * end-of-run rewrite changes status, end_time, duration and metadata with
 * them, and keeps created_at.
 */
export function readRunLight(conn: ReadConnection, columns: Set<string>): RunLight[] {
  const optional = ['pipeline_name', 'status', 'start_time', 'end_time', 'duration']
    .map((name) => (columns.has(name) ? `quote("${name}")` : "'-'"));
  const rows = conn.all(`SELECT rowid AS row_id, run_id, ${optional.join(` || '|' || `)} || '|' || ifnull(octet_length(metadata), -1) AS signature FROM runs ORDER BY rowid`);
  return rows.map((row) => ({ rowid: numberOf(row.row_id) ?? 0, runId: text(row.run_id) ?? '', signature: text(row.signature) ?? '' }));
}

/** Reads the raw tags text of every catalog row in rowid order, with the rowids, or undefined when the column is absent. */
export function readCatalogTags(conn: ReadConnection, columns: Set<string>, maxRowid = Number.MAX_SAFE_INTEGER): { rowids: number[]; tags: (string | undefined)[] } | undefined {
  if (!columns.has('tags')) return undefined;
  const rows = conn.all('SELECT rowid AS row_id, tags FROM artifacts WHERE rowid <= ? ORDER BY rowid', [maxRowid]);
  return { rowids: rows.map((row) => numberOf(row.row_id) ?? 0), tags: rows.map((row) => text(row.tags)) };
}
