/**
 * The native baseline: better-sqlite3 (SQLite compiled to machine code)
 * running the queries the core's store readers run, and parsing the same
 * JSON columns, without building the asset model.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** The part of better-sqlite3's API the baseline uses; the package ships no type declarations. */
interface Database {
  prepare(sql: string): { all(...params: unknown[]): unknown[]; get(...params: unknown[]): unknown };
  close(): void;
}
type Row = Record<string, unknown>;

const SMALL_JSON_BYTES = 65_536;
const DETAILS_CAP_BYTES = 256 * 1024;
const DETAIL_REPEATS = 9;
const LINEAGE_REPEATS = 9;
const COMMIT_REPEATS = 5;

function openDatabase(file: string): Database {
  // Loaded here, so the sql.js tasks never pay for loading the native module.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const BetterSqlite3 = require('better-sqlite3') as new (file: string, options: { readonly: boolean; fileMustExist: boolean }) => Database;

  return new BetterSqlite3(file, { readonly: true, fileMustExist: true });
}

/** Python writes bare NaN and Infinity; the baseline maps them to null, which JSON.parse accepts. */
function parsePythonJson(text: unknown): unknown {
  if (typeof text !== 'string' || text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return JSON.parse(text.replace(/\bNaN\b|-?\bInfinity\b/g, 'null'));
  }
}

const METADATA_PAGE = `SELECT rowid AS row_id, artifact_id, name, type AS stored_type, run_id, NULL AS version,
    octet_length(metadata) AS metadata_bytes,
    CASE WHEN octet_length(metadata) < ${SMALL_JSON_BYTES} AND json_valid(metadata, 2) THEN json_extract(metadata, '$.step') END AS step,
    CASE WHEN octet_length(metadata) < ${SMALL_JSON_BYTES} AND json_valid(metadata, 2) THEN json_extract(metadata, '$.created_at') END AS created
  FROM artifacts WHERE rowid < ? ORDER BY rowid DESC LIMIT ?`;
const CATALOG_PAGE = `SELECT rowid AS row_id, artifact_id, name, artifact_type AS stored_type, source_run_id AS run_id,
    source_step AS step, octet_length(metadata) AS metadata_bytes, created_at AS created, version
  FROM artifacts WHERE rowid < ? ORDER BY rowid DESC LIMIT ?`;

export function readAll(stores: { metadata: string; catalog: string }): Row[] {
  const out: Row[] = [];
  const metadata = openDatabase(stores.metadata);
  const runs = metadata.prepare(`SELECT run_id, pipeline_name, status, start_time, end_time, duration, project, created_at,
      octet_length(metadata) AS metadata_bytes, metadata FROM runs ORDER BY rowid`).all() as Row[];
  for (const run of runs) parsePythonJson(run.metadata);
  const artifacts = metadata.prepare(`SELECT rowid AS row_id, artifact_id, name, type, run_id, path,
      octet_length(metadata) AS metadata_bytes,
      CASE WHEN octet_length(metadata) < ${SMALL_JSON_BYTES} AND json_valid(metadata, 2) THEN json_extract(metadata, '$.step') END AS step,
      CASE WHEN octet_length(metadata) < ${SMALL_JSON_BYTES} AND json_valid(metadata, 2) THEN json_extract(metadata, '$.created_at') END AS created_local,
      CASE WHEN octet_length(metadata) < ${SMALL_JSON_BYTES} THEN json_valid(metadata, 2) END AS json_ok
    FROM artifacts ORDER BY rowid`).all() as Row[];
  for (const row of artifacts) out.push({ id: row.artifact_id, name: row.name, type: row.type, runId: row.run_id, step: row.step, created: row.created_local });
  metadata.close();

  const catalog = openDatabase(stores.catalog);
  const rows = catalog.prepare(`SELECT rowid AS row_id, artifact_id, name, artifact_type, content_hash, source_step, source_run_id,
      source_pipeline, parent_ids, octet_length(parent_ids) AS parent_ids_bytes, tags, octet_length(metadata) AS metadata_bytes,
      CASE WHEN octet_length(metadata) <= 2 THEN metadata END AS small_metadata, uri, created_at, version
    FROM artifacts ORDER BY rowid`).all() as Row[];
  for (const row of rows) {
    out.push({ id: row.artifact_id, name: row.name, type: row.artifact_type, parents: parsePythonJson(row.parent_ids), tags: parsePythonJson(row.tags), version: row.version });
  }
  catalog.close();

  return out;
}

/** The rows read so far and the marks an append is checked against, as the core's incremental reload keeps them. */
interface ReadState {
  rows: Row[];
  lastRowid: { metadata: number; catalog: number };
  counts: { metadata: number; catalog: number };
}

/**
 * Reads natively what an incremental reload reads: the same checks as
 * src/core/store/incremental.ts (light columns of every runs row, the
 * last known row, count(*), the tags of every catalog row) and only the
 * rows after the last known rowid.
 */
function readAppended(stores: { metadata: string; catalog: string }, state: ReadState): ReadState {
  const rows = state.rows.slice();
  const metadata = openDatabase(stores.metadata);
  metadata.prepare(`SELECT rowid AS row_id, run_id, quote(pipeline_name) || '|' || quote(status) || '|' || quote(start_time) || '|' || quote(end_time)
      || '|' || quote(duration) || '|' || ifnull(octet_length(metadata), -1) AS signature FROM runs ORDER BY rowid`).all();
  const appended = metadata.prepare(`SELECT rowid AS row_id, artifact_id, name, type, run_id, path,
      octet_length(metadata) AS metadata_bytes,
      CASE WHEN octet_length(metadata) < ${SMALL_JSON_BYTES} AND json_valid(metadata, 2) THEN json_extract(metadata, '$.step') END AS step,
      CASE WHEN octet_length(metadata) < ${SMALL_JSON_BYTES} AND json_valid(metadata, 2) THEN json_extract(metadata, '$.created_at') END AS created_local,
      CASE WHEN octet_length(metadata) < ${SMALL_JSON_BYTES} THEN json_valid(metadata, 2) END AS json_ok
    FROM artifacts WHERE rowid >= ? ORDER BY rowid`).all(state.lastRowid.metadata) as Row[];
  const metadataCount = (metadata.prepare('SELECT count(*) AS n FROM artifacts').get() as Row).n as number;
  for (const row of appended.slice(1)) rows.push({ id: row.artifact_id, name: row.name, type: row.type, runId: row.run_id, step: row.step, created: row.created_local });
  metadata.close();

  const catalog = openDatabase(stores.catalog);
  // The result is not compared here: the query is the read of the tags comparison's read.
  catalog.prepare('SELECT rowid AS row_id, tags FROM artifacts WHERE rowid <= ? ORDER BY rowid').all(state.lastRowid.catalog);
  const catalogRows = catalog.prepare(`SELECT rowid AS row_id, artifact_id, name, artifact_type, parent_ids, tags, version
    FROM artifacts WHERE rowid >= ? ORDER BY rowid`).all(state.lastRowid.catalog) as Row[];
  const catalogCount = (catalog.prepare('SELECT count(*) AS n FROM artifacts').get() as Row).n as number;
  for (const row of catalogRows.slice(1)) {
    rows.push({ id: row.artifact_id, name: row.name, type: row.artifact_type, parents: parsePythonJson(row.parent_ids), tags: parsePythonJson(row.tags), version: row.version });
  }
  catalog.close();

  return {
    rows,
    lastRowid: { metadata: (appended.at(-1)?.row_id as number | undefined) ?? state.lastRowid.metadata, catalog: (catalogRows.at(-1)?.row_id as number | undefined) ?? state.lastRowid.catalog },
    counts: { metadata: metadataCount, catalog: catalogCount },
  };
}

/** Returns the marks of a full read: the last rowid and count of each store's artifacts table. */
function readStateAfterFullRead(stores: { metadata: string; catalog: string }, rows: Row[]): ReadState {
  const marks = (file: string): { last: number; count: number } => {
    const database = openDatabase(file);
    const row = database.prepare('SELECT max(rowid) AS last, count(*) AS count FROM artifacts').get() as Row;
    database.close();
    return { last: (row.last as number | null) ?? 0, count: row.count as number };
  };
  const metadata = marks(stores.metadata);
  const catalog = marks(stores.catalog);
  return { rows, lastRowid: { metadata: metadata.last, catalog: catalog.last }, counts: { metadata: metadata.count, catalog: catalog.count } };
}

function details(database: Database, rowid: number): unknown {
  const size = database.prepare('SELECT octet_length(metadata) AS n FROM artifacts WHERE rowid = ?').get(rowid) as Row;
  if (Number(size.n) <= DETAILS_CAP_BYTES) {
    return parsePythonJson((database.prepare('SELECT metadata FROM artifacts WHERE rowid = ?').get(rowid) as Row).metadata);
  }
  const row = database.prepare(`SELECT CASE WHEN json_valid(metadata, 2)
      THEN json_remove(metadata, '$.properties._full_data', '$.data') END AS reduced FROM artifacts WHERE rowid = ?`).get(rowid) as Row;

  return parsePythonJson(row.reduced);
}

function timed(repeats: number, work: () => unknown): number[] {
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const started = performance.now();
    work();
    times.push(performance.now() - started);
  }

  return times;
}

export const native = {
  open(stores: { metadata: string; catalog: string }): Record<string, unknown> {
    let versions = 0;
    for (const [file, sql] of [[stores.metadata, METADATA_PAGE], [stores.catalog, CATALOG_PAGE]]) {
      const database = openDatabase(file);
      versions += database.prepare(sql).all(Number.MAX_SAFE_INTEGER, 500).length;
      database.close();
    }

    return { ms: performance.now(), versions, openRssMb: process.resourceUsage().maxRSS / 1024 };
  },

  session(stores: { metadata: string; catalog: string }, deepCatalogId: string): Record<string, unknown> {
    const started = performance.now();
    const listed = readAll(stores);
    const listMs = performance.now() - started;
    const listRssMb = process.resourceUsage().maxRSS / 1024;

    const metadata = openDatabase(stores.metadata);
    const datasets = metadata.prepare("SELECT rowid AS id, octet_length(metadata) AS n FROM artifacts WHERE type = 'Dataset' ORDER BY rowid").all() as Row[];
    const biggest = datasets.reduce((a, b) => (Number(b.n) > Number(a.n) ? b : a));
    const small = datasets[Math.floor(datasets.length / 2)];
    const catalog = openDatabase(stores.catalog);
    const model = catalog.prepare("SELECT rowid AS id FROM artifacts WHERE artifact_type = 'Model' ORDER BY rowid LIMIT 1").get() as Row | undefined;
    const detailTimes: Record<string, number[]> = {
      smallDataset: timed(DETAIL_REPEATS, () => details(metadata, Number(small.id))),
      biggestDataset: timed(DETAIL_REPEATS, () => details(metadata, Number(biggest.id))),
    };
    if (model) detailTimes.catalogModel = timed(DETAIL_REPEATS, () => details(catalog, Number(model.id)));
    metadata.close();

    // Ancestors of the deep version through the stored parent lists, walked inside SQLite.
    const ancestors = catalog.prepare(`WITH RECURSIVE up(id) AS (SELECT ? UNION
        SELECT parent.value FROM up JOIN artifacts a ON a.artifact_id = up.id, json_each(a.parent_ids) AS parent)
      SELECT a.artifact_id, a.name, a.artifact_type, a.version FROM up JOIN artifacts a ON a.artifact_id = up.id`);
    let lineageNodes = 0;
    const lineage = timed(LINEAGE_REPEATS, () => {
      lineageNodes = ancestors.all(deepCatalogId).length;
    });
    catalog.close();

    const commit: number[] = [];
    const prefix = `bench-commit-${process.pid}-`;
    let state = readStateAfterFullRead(stores, listed);
    try {
      for (let i = 0; i < COMMIT_REPEATS; i++) {
        const artifactId = `${prefix}${i}`;
        const committedMs = runCommit(stores.metadata, ['add', artifactId]);
        for (;;) {
          state = readAppended(stores, state);
          if (state.rows.some((row) => row.id === artifactId)) break;
        }
        commit.push(Date.now() - committedMs);
      }
    } finally {
      runCommit(stores.metadata, ['remove', prefix]);
    }

    return { listMs, listRssMb, versions: listed.length, details: detailTimes, lineage, lineageNodes, commit };
  },
};

function runCommit(database: string, args: string[]): number {
  const output = execFileSync('python3', [path.join(__dirname, '..', 'commit.py'), database, ...args], { encoding: 'utf8' });

  return output.trim() === '' ? 0 : (JSON.parse(output) as { committedMs: number }).committedMs;
}
