import fs from 'node:fs';
import path from 'node:path';
import initSqlJs from 'sql.js';
import { ChunkedReader, LazyDatabaseImage, MemorySource } from './lazy-source';
import type { SqlValue } from './types';

/** The part of sql.js 1.17's Statement that the reader uses, with the BigInt option its typings lack. */
export interface SqlJsStatement {
  bind(values?: SqlValue[]): boolean;
  step(): boolean;
  /** With `useBigInt`, every INTEGER comes back as a bigint parsed from SQLite's text form, so it stays exact. */
  getAsObject(params: null, config: { useBigInt: boolean }): Record<string, SqlValue>;
  /** The current row's values in column order; without `useBigInt`, an INTEGER beyond 2^53 loses precision. */
  get(params: null, config: { useBigInt: boolean }): SqlValue[];
  getColumnNames(): string[];
  free(): boolean;
}

export interface SqlJsDatabase {
  prepare(sql: string): SqlJsStatement;
  run(sql: string): unknown;
  close(): void;
}

export interface SqlJsStatic {
  Database: new (data?: ArrayLike<number> | LazyDatabaseImage | null) => SqlJsDatabase;
}

/** sql.js with the outcome of the lazy-page self-test. */
export interface SqlEngine {
  sql: SqlJsStatic;
  /** The reason page-by-page reads are unavailable, or undefined when the self-test passed. */
  lazyPagesFailure: string | undefined;
}

let engine: Promise<SqlEngine> | undefined;

/**
 * Initialises sql.js once per process. The WebAssembly file is taken from
 * the folder of the running bundle, where build.mjs copies it, or else from
 * the installed sql.js package (when the sources run unbundled, as in tests).
 */
export async function loadSqlJs(): Promise<SqlJsStatic> {
  return (await loadSqlEngine()).sql;
}

export function loadSqlEngine(): Promise<SqlEngine> {
  engine ??= initialise().catch((error: unknown) => {
    engine = undefined;
    throw error;
  });

  return engine;
}

/** Package path of the WebAssembly file, resolved at run time only when no bundle folder has a copy. */
const PACKAGED_WASM = 'sql.js/dist/sql-wasm.wasm';

export function locateSqlJsWasm(): string {
  const besideBundle = path.join(__dirname, 'sql-wasm.wasm');
  if (fs.existsSync(besideBundle)) return besideBundle;

  // A constant rather than a literal, so esbuild leaves this fallback to Node instead of warning about it.
  return require.resolve(PACKAGED_WASM);
}

async function initialise(): Promise<SqlEngine> {
  const wasmPath = locateSqlJsWasm();
  const sql = await initSqlJs({ locateFile: () => wasmPath }) as unknown as SqlJsStatic;

  return { sql, lazyPagesFailure: testLazyPages(sql) };
}

/**
 * Opens a small database through LazyDatabaseImage and checks a query.
 * Page-by-page reads depend on how sql.js stores and reads the array given
 * to its Database constructor, which is not a documented API. sql.js is
 * pinned to 1.17.0, and this test guards against a change of that behaviour.
 * Returns the reason for a failure, or undefined when the image works.
 */
export function testLazyPages(sql: SqlJsStatic): string | undefined {
  const rowCount = 40;
  let bytes: Uint8Array;
  const builder = new sql.Database();
  try {
    builder.run('PRAGMA page_size = 1024');
    builder.run('CREATE TABLE probe(id INTEGER PRIMARY KEY, label TEXT)');
    builder.run(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${rowCount})
      INSERT INTO probe SELECT i, printf('%.100c', char(64 + i % 26)) FROM n`);
    bytes = (builder as unknown as { export(): Uint8Array }).export();
  } finally {
    builder.close();
  }

  const counter = { bytesRead: 0 };
  const image = new LazyDatabaseImage(new ChunkedReader(new MemorySource(bytes), bytes.length, counter), bytes.length, 1024);
  let database: SqlJsDatabase | undefined;
  try {
    database = new sql.Database(image);
    const statement = database.prepare('SELECT count(*) AS rows, sum(length(label)) AS chars FROM probe');
    let row: Record<string, SqlValue> | undefined;
    try {
      if (statement.step()) row = statement.getAsObject(null, { useBigInt: false });
    } finally {
      statement.free();
    }

    if (row?.rows !== rowCount || row.chars !== rowCount * 100) {
      return `the self-test query returned ${JSON.stringify(row)} instead of ${rowCount} rows of 100 characters`;
    }
    if (counter.bytesRead === 0) {
      return 'sql.js read no bytes through the lazy image, so it copied the array instead';
    }
  } catch (error) {
    return `the self-test failed: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    database?.close();
  }

  return undefined;
}
