/**
 * A FlowyML metadata store on PostgreSQL (FlowyML's `db_url`): the tables of
 * metadata.db, written through SQLAlchemy. Rows are read in read-only
 * transactions, page by page over the primary key, with a server-side
 * statement timeout, and mapped by the same functions that map SQLite rows,
 * so the schema detection and the asset model are the core's own.
 */
import pg from 'pg';
import { tryParseTolerantJson } from '../json/tolerant';
import type { RowRef } from '../model/build';
import { isPlainObject } from '../model/properties';
import type { LoadProblem, StoreInfo } from '../model/types';
import type { SqlRow } from '../sqlite/types';
import { mapArtifactRows, mapRunRows, SMALL_JSON_BYTES } from '../store/metadata-store';
import { numberOf, text } from '../store/rows';
import { detectSchema, optionalColumn } from '../store/schema';
import type { LoadedSource, StoreDetailsReader, StoreSource } from '../store/workspace';
import { DEFAULT_PAGE_SIZE, resolvePostgresConfig, type PostgresSourceOptions, type ResolvedPostgresConfig } from './postgres-config';
import { postgresError } from './postgres-errors';
import { scrubSecrets } from './redact';
import type { SourceLog } from './log';

/** runs.metadata above this size is not loaded; the SQLite reader strips the DAG instead, which PostgreSQL cannot do on Python's JSON. */
const RUN_METADATA_MAX_BYTES = 4 * 1024 * 1024;

/** Row counts and the latest creation times, compared by polling because FlowyML sends no notifications. */
export interface PostgresFingerprint {
  runs: number;
  runsEnded: number;
  runsLatest: string | null;
  artifacts: number;
  artifactsLatest: string | null;
}

export class PostgresSource implements StoreSource {
  readonly label: string;
  private readonly config: ResolvedPostgresConfig;
  private readonly pageSize: number;
  private pool: pg.Pool | undefined;

  constructor(options: PostgresSourceOptions, private readonly log: SourceLog = {}) {
    this.config = resolvePostgresConfig(options);
    this.label = this.config.label;
    this.pageSize = Math.max(1, options.pageSize ?? DEFAULT_PAGE_SIZE);
  }

  /** Reads the runs and the light artifact rows in one read-only snapshot. */
  async load(): Promise<LoadedSource> {
    const started = Date.now();
    const { info, rows, problems, pages } = await this.readOnly('load the store', async (client) => {
      const schema = await readSchema(client);
      const detected = detectSchema(schema, this.label, 'metadata');
      const info: StoreInfo = { path: this.label, absolutePath: this.label, kind: 'metadata', schema: detected.schema, remote: 'postgresql' };
      const problems: LoadProblem[] = [];

      const runPage = await this.readPages(client, 'runs', 'run_id', runsSelect(detected.columns.runs));
      const artifactPage = await this.readPages(client, 'artifacts', 'artifact_id', artifactsSelect(detected.columns.artifacts));
      const runs = mapRunRows(sortByCreation(runPage.rows, 'created_at', 'start_time', 'run_id'), this.label, problems);
      const artifactRows = sortByCreation(artifactPage.rows.map(withSmallMetadataFields), 'row_created_at', 'created_local', 'artifact_id')
        .map((row, index) => ({ ...row, row_id: index + 1 }));
      const artifacts = mapArtifactRows(artifactRows, this.label, problems);
      return { info, rows: { store: info, runs, artifacts }, problems, pages: runPage.pages + artifactPage.pages };
    });
    this.log.info?.(`Read ${rows.runs?.length ?? 0} runs and ${rows.artifacts?.length ?? 0} artifact rows from ${this.label} in ${pages} pages, ${Date.now() - started} ms`);
    // No close: an index may be disposed after the next load started on the same pool. The pool's
    // idle connections let the process exit, and close() ends them for good.
    return { info, rows, problems, reader: this.detailsReader() };
  }

  /** Counts rows and reads the latest creation times: one cheap query, for polling. */
  async fingerprint(): Promise<PostgresFingerprint> {
    return this.readOnly('check the store for changes', async (client) => {
      const result = await client.query(`SELECT
          (SELECT count(*) FROM runs) AS runs,
          (SELECT count(end_time) FROM runs) AS runs_ended,
          (SELECT max(created_at) FROM runs) AS runs_latest,
          (SELECT count(*) FROM artifacts) AS artifacts,
          (SELECT max(created_at) FROM artifacts) AS artifacts_latest`);
      const row = result.rows[0] as Record<string, unknown>;
      return {
        runs: Number(row.runs),
        runsEnded: Number(row.runs_ended),
        runsLatest: row.runs_latest === null ? null : String(row.runs_latest),
        artifacts: Number(row.artifacts),
        artifactsLatest: row.artifacts_latest === null ? null : String(row.artifacts_latest),
      };
    });
  }

  /** Ends the pooled connections. */
  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await pool?.end().catch(() => undefined);
  }

  private detailsReader(): StoreDetailsReader {
    return {
      artifactMetadata: (ref, full, capBytes) => this.readOnly('load version details', (client) => readArtifactMetadata(client, ref, full, capBytes)),
      catalogMetadata: () => Promise.resolve(undefined),
    };
  }

  /** Runs `work` in a read-only, repeatable-read transaction on a pooled connection, and maps every failure. */
  private async readOnly<T>(operation: string, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const secrets = [this.config.password];
    let client: pg.PoolClient | undefined;
    try {
      client = await this.getPool().connect();
    } catch (error) {
      throw postgresError(error, operation, this.label, { user: this.config.user, statementTimeoutMs: this.config.statementTimeoutMs, secrets });
    }
    let failed: unknown;
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      await client.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.floor(this.config.statementTimeoutMs))}`);
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      failed = error;
      await client.query('ROLLBACK').catch(() => undefined);
      throw postgresError(error, operation, this.label, { user: this.config.user, statementTimeoutMs: this.config.statementTimeoutMs, secrets });
    } finally {
      // A connection whose query failed may be mid-protocol: drop it rather than reuse it.
      client.release(failed instanceof Error ? failed : undefined);
    }
  }

  private getPool(): pg.Pool {
    if (this.pool) return this.pool;
    const pool = new pg.Pool({ ...this.config.client, max: 2, idleTimeoutMillis: 10_000, allowExitOnIdle: true });
    pool.on('error', (error) => {
      this.log.warn?.(`${this.label}: an idle connection failed: ${scrubSecrets(error.message, [this.config.password])}`);
    });
    this.pool = pool;
    return pool;
  }

  /** Reads a table in pages ordered by its primary key, which PostgreSQL indexes, so each page is an index range scan. */
  private async readPages(client: pg.PoolClient, table: string, key: string, select: string): Promise<{ rows: SqlRow[]; pages: number }> {
    const rows: SqlRow[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const result: pg.QueryResult = await client.query(
        `${select} FROM ${table} WHERE ($1::text IS NULL OR ${key} > $1) ORDER BY ${key} LIMIT $2`,
        [after, this.pageSize],
      );
      pages += 1;
      for (const row of result.rows) rows.push(row as SqlRow);
      if (result.rows.length < this.pageSize) break;
      after = String((result.rows[result.rows.length - 1] as Record<string, unknown>)[key]);
    }
    return { rows, pages };
  }
}

async function readSchema(client: pg.PoolClient): Promise<{ tables(): string[]; columns(table: string): string[] }> {
  const result = await client.query<{ table_name: string; column_name: string }>(`
    SELECT c.table_name, c.column_name
    FROM information_schema.columns c
    WHERE c.table_schema = current_schema()
    ORDER BY c.table_name, c.ordinal_position`);
  const byTable = new Map<string, string[]>();
  for (const row of result.rows) {
    const list = byTable.get(row.table_name) ?? [];
    list.push(row.column_name);
    byTable.set(row.table_name, list);
  }
  return { tables: () => [...byTable.keys()].sort(), columns: (table) => byTable.get(table) ?? [] };
}

function runsSelect(columns: Set<string>): string {
  return `SELECT run_id,
      ${optionalColumn(columns, 'pipeline_name')}, ${optionalColumn(columns, 'status')},
      ${optionalColumn(columns, 'start_time')}, ${optionalColumn(columns, 'end_time')},
      ${optionalColumn(columns, 'duration')}, ${optionalColumn(columns, 'project')},
      ${optionalColumn(columns, 'created_at')},
      octet_length(metadata) AS metadata_bytes,
      CASE WHEN octet_length(metadata) <= ${RUN_METADATA_MAX_BYTES} THEN metadata END AS metadata`;
}

function artifactsSelect(columns: Set<string>): string {
  return `SELECT artifact_id, name, type, run_id, ${optionalColumn(columns, 'path')},
      ${optionalColumn(columns, 'created_at', 'row_created_at')},
      octet_length(metadata) AS metadata_bytes,
      CASE WHEN octet_length(metadata) < ${SMALL_JSON_BYTES} THEN metadata END AS small_metadata`;
}

/**
 * Orders rows the way they were inserted, as far as PostgreSQL can tell. It
 * has no rowid, so rows go by the created_at column, which is set on insert
 * to the second in FlowyML's stores. Ties go by the finer time FlowyML wrote
 * into the row (start_time of a run, metadata.created_at of an artifact), then by key.
 */
function sortByCreation(rows: SqlRow[], ...columns: string[]): SqlRow[] {
  return rows.sort((a, b) => {
    for (const column of columns) {
      const ca = text(a[column]) ?? '';
      const cb = text(b[column]) ?? '';
      if (ca !== cb) return ca < cb ? -1 : 1;
    }
    return 0;
  });
}

/**
 * Adds the columns the SQLite query computes with json_extract: the step and
 * creation time of a small row, and whether its JSON parses. PostgreSQL's
 * own JSON parser rejects Python's bare NaN, so the tolerant parser reads them here.
 */
function withSmallMetadataFields(row: SqlRow): SqlRow {
  const small = text(row.small_metadata);
  let step: string | null = null;
  let created: string | null = null;
  let jsonOk: number | null = null;
  if (small !== undefined) {
    const parsed = tryParseTolerantJson(small, undefined);
    jsonOk = parsed.error ? 0 : 1;
    if (!parsed.error && isPlainObject(parsed.value)) {
      step = scalarText(parsed.value.step);
      created = scalarText(parsed.value.created_at);
    }
  }
  return { ...row, step, created_local: created, json_ok: jsonOk, metadata_bytes: numberOf(row.metadata_bytes) ?? null };
}

/** Text of a JSON scalar as SQLite's json_extract returns it. */
function scalarText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return null;
}

async function readArtifactMetadata(client: pg.PoolClient, ref: RowRef, full: boolean, capBytes: number): Promise<{ text: string | undefined; truncated: boolean; bytes: number }> {
  const size = await client.query('SELECT octet_length(metadata) AS n FROM artifacts WHERE artifact_id = $1', [ref.artifactId]);
  if (size.rows.length === 0) return { text: undefined, truncated: false, bytes: 0 };
  const bytes = numberOf((size.rows[0] as SqlRow).n) ?? 0;
  if (full || bytes <= capBytes) {
    const row = await client.query('SELECT metadata FROM artifacts WHERE artifact_id = $1', [ref.artifactId]);
    return { text: text((row.rows[0] as SqlRow | undefined)?.metadata), truncated: false, bytes };
  }
  // The preview drops the two copies of a Dataset's rows. jsonb cannot hold
  // Python's NaN, so such a row is previewed as nothing rather than failing.
  const row = await client.query(`SELECT CASE WHEN metadata !~ '\\m(NaN|Infinity)\\M'
      THEN ((metadata::jsonb #- '{properties,_full_data}') - 'data')::text END AS reduced
    FROM artifacts WHERE artifact_id = $1`, [ref.artifactId]);
  return { text: text((row.rows[0] as SqlRow | undefined)?.reduced), truncated: true, bytes };
}
