import { StoreError, type StoreErrorCode } from '../errors';
import { integrityCheckHint } from './header';
import type { SqlJsDatabase, SqlJsStatement } from './sqljs';
import type { ReadConnection, SqlRow, SqlValue } from './types';

const MAX_SQL_IN_MESSAGE = 200;

/**
 * ReadConnection over one open sql.js database, valid for one read attempt.
 * Every statement is freed before the call returns, and anything sql.js
 * throws (an Error or a plain string) becomes a StoreError that names the
 * operation, the file and the query.
 */
export class SqlJsConnection implements ReadConnection {
  constructor(
    private readonly database: SqlJsDatabase,
    private readonly file: string,
    private readonly operation: string,
  ) {}

  all(sql: string, params?: readonly SqlValue[]): SqlRow[] {
    return this.withStatement(sql, params, (statement) => {
      const rows: SqlRow[] = [];
      const names = statement.getColumnNames();
      while (statement.step()) rows.push(readRow(statement, names));

      return rows;
    });
  }

  /**
   * Runs a query and hands its rows to `take` in batches of up to
   * `batchSize`, as all() would return them. A caller that turns each batch
   * into its own records keeps only one batch of row objects alive, so they
   * are collected young instead of all being kept until the scan ends.
   */
  batches(sql: string, params: readonly SqlValue[] | undefined, batchSize: number, take: (rows: SqlRow[]) => void): void {
    // What `take` throws is its own error, not a query failure: it is rethrown as it was.
    let failure: { error: unknown } | undefined;
    const hand = (rows: SqlRow[]) => {
      try {
        take(rows);
      } catch (error) {
        failure = { error };
        throw error;
      }
    };
    try {
      this.withStatement(sql, params, (statement) => {
        const names = statement.getColumnNames();
        let rows: SqlRow[] = [];
        while (statement.step()) {
          rows.push(readRow(statement, names));
          if (rows.length >= batchSize) {
            hand(rows);
            rows = [];
          }
        }
        if (rows.length > 0) hand(rows);
      });
    } catch (error) {
      if (failure) throw failure.error;
      throw error;
    }
  }

  get(sql: string, params?: readonly SqlValue[]): SqlRow | undefined {
    return this.withStatement(sql, params, (statement) => (statement.step() ? readRow(statement, statement.getColumnNames()) : undefined));
  }

  tables(): string[] {
    const rows = this.all(
      "SELECT name FROM sqlite_schema WHERE type = 'table' AND substr(name, 1, 7) <> 'sqlite_' ORDER BY name",
    );

    return rows.map((row) => String(row.name));
  }

  columns(table: string): string[] {
    const rows = this.all('SELECT name FROM pragma_table_info(?) ORDER BY cid', [table]);

    return rows.map((row) => String(row.name));
  }

  private withStatement<T>(sql: string, params: readonly SqlValue[] | undefined, use: (statement: SqlJsStatement) => T): T {
    let statement: SqlJsStatement | undefined;
    try {
      statement = this.database.prepare(sql);
      if (params && params.length > 0) statement.bind([...params]);

      return use(statement);
    } catch (error) {
      throw toStoreError(error, this.operation, this.file, sql);
    } finally {
      statement?.free();
    }
  }
}

/** Default batch size of readInBatches: large enough that a batch costs little, small enough to die young. */
export const ROW_BATCH = 2048;

/**
 * Hands the rows of a query to `take` in batches: through
 * SqlJsConnection.batches when the connection is one, else as one batch from
 * `all`. Errors of the query or of `take` propagate unchanged.
 */
export function readInBatches(conn: ReadConnection, sql: string, take: (rows: SqlRow[]) => void, batchSize = ROW_BATCH): void {
  if (conn instanceof SqlJsConnection) {
    conn.batches(sql, undefined, batchSize, take);
    return;
  }
  const rows = conn.all(sql);
  if (rows.length > 0) take(rows);
}

/**
 * Reads the current row, keeping INTEGER values beyond 2^53 exact as bigint.
 * The row is read as numbers first, because sql.js's bigint mode parses
 * every INTEGER from its text form: reading the 1.7 big fixture (20k versions)
 * took about 11 % more CPU that way. Only a row with an integral value beyond 2^53, which a
 * double cannot hold exactly, is read again in bigint mode.
 */
function readRow(statement: SqlJsStatement, names: string[]): SqlRow {
  let values = statement.get(null, { useBigInt: false });
  if (values.some(isUnsafeInteger)) {
    values = statement.get(null, { useBigInt: true }).map((value) =>
      typeof value === 'bigint' && value >= MIN_SAFE && value <= MAX_SAFE ? Number(value) : value);
  }
  const row: SqlRow = {};
  for (let i = 0; i < names.length; i++) row[names[i]] = values[i];

  return row;
}

function isUnsafeInteger(value: SqlValue): boolean {
  return typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value);
}

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Converts anything sql.js threw into a StoreError. sql.js throws Error
 * objects carrying sqlite3_errmsg() text, and plain strings for misuse such
 * as an empty statement. A StoreError passes through unchanged.
 */
export function toStoreError(error: unknown, operation: string, file: string, sql?: string): StoreError {
  if (error instanceof StoreError) return error;

  const message = error instanceof Error ? error.message : String(error);
  const code = classifySqliteMessage(message);
  const query = sql === undefined ? '' : ` (query: ${abbreviate(sql)})`;
  const hint = code === 'corrupt' ? ` ${integrityCheckHint(file)}` : '';

  return new StoreError(code, `Couldn't ${operation} in ${file}: ${message}${query}.${hint}`, file, { cause: error });
}

/** Maps the text of sqlite3_errmsg() to an error code. */
export function classifySqliteMessage(message: string): StoreErrorCode {
  const text = message.toLowerCase();
  if (text.includes('malformed') || text.includes('not a database') || text.includes('unsupported file format')) {
    return 'corrupt';
  }
  if (text.includes('disk i/o error')) return 'io';
  if (text.includes('no such table') || text.includes('no such column')) return 'schema';

  return 'invalid-input';
}

function abbreviate(sql: string): string {
  const compact = sql.replace(/\s+/g, ' ').trim();

  return compact.length > MAX_SQL_IN_MESSAGE ? `${compact.slice(0, MAX_SQL_IN_MESSAGE)}…` : compact;
}
