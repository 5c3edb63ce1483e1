/**
 * Loads the tables and rows of a FlowyML metadata.db into a PostgreSQL
 * database created for it, through the DDL in flowyml-metadata.sql, and
 * lets the reader role select from them. The SQLite file is read with
 * sql.js directly, not through the reader under test.
 */
import fs from 'node:fs';
import path from 'node:path';
import initSqlJs from 'sql.js';
import pg from 'pg';
import type { TestPostgres } from './server';

export const METADATA_DDL = fs.readFileSync(path.join(__dirname, 'flowyml-metadata.sql'), 'utf8');

/** Parents first: PostgreSQL enforces the foreign keys that SQLite leaves unchecked. */
const LOAD_ORDER = [
  'runs', 'experiments', 'projects', 'pipeline_definitions', 'pipeline_templates', 'model_versions', 'model_metrics',
  'traces', 'artifacts', 'metrics', 'parameters', 'experiment_runs',
];

export interface LoadReport {
  /** Rows inserted per table. */
  inserted: Record<string, number>;
  /** Rows left out per table because they name a run or experiment the store does not hold. */
  dangling: Record<string, number>;
}

export async function createDatabase(server: TestPostgres, database: string): Promise<void> {
  const admin = new pg.Client({ connectionString: server.url('owner', { database: 'postgres' }) });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${database}`);
  } finally {
    await admin.end();
  }
}

/** Creates `database` with the FlowyML tables and copies every row of the SQLite store into it. */
export async function loadMetadataStore(server: TestPostgres, database: string, sqlitePath: string): Promise<LoadReport> {
  await createDatabase(server, database);
  const client = new pg.Client({ connectionString: server.url('owner', { database }) });
  await client.connect();
  const SQL = await initSqlJs();
  const sqlite = new SQL.Database(fs.readFileSync(sqlitePath));
  const all = (sql: string, params: string[] = []): Record<string, unknown>[] => {
    const statement = sqlite.prepare(sql);
    try {
      statement.bind(params);
      const rows: Record<string, unknown>[] = [];
      while (statement.step()) rows.push(statement.getAsObject());
      return rows;
    } finally {
      statement.free();
    }
  };
  const report: LoadReport = { inserted: {}, dangling: {} };
  try {
    await client.query(METADATA_DDL);
    await client.query('BEGIN');
    const sqliteTables = new Set(all("SELECT name FROM sqlite_master WHERE type = 'table'").map((r) => r.name));
    const runIds = new Set<string>();
    const experimentIds = new Set<string>();

    for (const table of LOAD_ORDER) {
      if (!sqliteTables.has(table)) continue;
      const pgColumns = (await client.query<{ column_name: string }>(
        'SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1', [table],
      )).rows.map((r) => r.column_name);
      const sqliteColumns = all('SELECT name FROM pragma_table_info(?)', [table]).map((r) => String(r.name));
      const columns = sqliteColumns.filter((c) => pgColumns.includes(c));
      const rows = all(`SELECT ${columns.map((c) => `"${c}"`).join(', ')} FROM "${table}" ORDER BY rowid`);

      let inserted = 0;
      let dangling = 0;
      const batch: unknown[][] = [];
      const flush = async (): Promise<void> => {
        if (batch.length === 0) return;
        const placeholders = batch.map((_, r) => `(${columns.map((_c, i) => `$${r * columns.length + i + 1}`).join(', ')})`).join(', ');
        await client.query(`INSERT INTO ${table} (${columns.map((c) => `"${c}"`).join(', ')}) VALUES ${placeholders}`, batch.flat());
        batch.length = 0;
      };
      for (const row of rows) {
        const runId = row.run_id;
        if (table !== 'runs' && typeof runId === 'string' && columns.includes('run_id') && hasRunForeignKey(table) && !runIds.has(runId)) {
          dangling += 1;
          continue;
        }
        if (table === 'experiment_runs' && !experimentIds.has(String(row.experiment_id))) {
          dangling += 1;
          continue;
        }
        batch.push(columns.map((c) => toPostgresValue(row[c])));
        if (batch.length >= 100) await flush();
        inserted += 1;
        if (table === 'runs') runIds.add(String(row.run_id));
        if (table === 'experiments') experimentIds.add(String(row.experiment_id));
      }
      await flush();
      report.inserted[table] = inserted;
      report.dangling[table] = dangling;
    }
    await client.query('COMMIT');
    await client.query(`GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${server.reader.user}`);
  } finally {
    sqlite.close();
    await client.end();
  }
  return report;
}

function hasRunForeignKey(table: string): boolean {
  return ['artifacts', 'metrics', 'parameters', 'experiment_runs'].includes(table);
}

function toPostgresValue(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  return value;
}

/** Runs SQL as the database owner, for tests that change the store while a reader watches it. */
export async function ownerQuery(server: TestPostgres, database: string, sql: string, params: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: server.url('owner', { database }) });
  await client.connect();
  try {
    return await client.query(sql, params);
  } finally {
    await client.end();
  }
}
