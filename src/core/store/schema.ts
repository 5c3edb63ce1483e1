/**
 * Detects which FlowyML schema a database has from the tables and columns
 * present. Extra tables and columns are ignored; only a missing required
 * column is an error, because older stores lack optional ones such as
 * `project`.
 */
import { StoreError } from '../errors';
import type { ReadConnection } from '../sqlite/types';
import type { StoreInfo } from '../model/types';

export const REQUIRED_COLUMNS = {
  metadata: {
    artifacts: ['artifact_id', 'name', 'type', 'run_id', 'metadata'],
    runs: ['run_id', 'metadata'],
  },
  catalog: {
    artifacts: ['artifact_id', 'name', 'artifact_type', 'parent_ids', 'metadata', 'created_at'],
  },
} as const;

/** Tables FlowyML 1.8 and later add to metadata.db. */
const NEWER_METADATA_TABLES = ['projects', 'model_versions', 'pipeline_templates'];

export interface DetectedSchema {
  schema: StoreInfo['schema'];
  /** Columns present per table, for building queries that tolerate missing optional columns. */
  columns: Record<string, Set<string>>;
}

/** The part of a connection that schema detection needs; a PostgreSQL source implements it with information_schema. */
export type SchemaReader = Pick<ReadConnection, 'tables' | 'columns'>;

export function detectSchema(conn: SchemaReader, file: string, expected: 'metadata' | 'catalog'): DetectedSchema {
  const tables = new Set(conn.tables());
  const columns: Record<string, Set<string>> = {};
  for (const table of tables) columns[table] = new Set(conn.columns(table));

  const required = REQUIRED_COLUMNS[expected];
  for (const [table, names] of Object.entries(required)) {
    if (!tables.has(table)) {
      throw new StoreError('schema', `${file} is not a FlowyML ${expected} store: table "${table}" is missing.`, file);
    }
    for (const column of names) {
      if (!columns[table].has(column)) {
        throw new StoreError('schema', `${file}: required column "${column}" is missing from table "${table}".`, file);
      }
    }
  }

  if (expected === 'catalog') return { schema: 'catalog', columns };
  const newer = NEWER_METADATA_TABLES.some((t) => tables.has(t));
  return { schema: newer ? 'flowyml-2.x' : 'flowyml-1.7', columns };
}

/** A select-list item for an optional column: the column when present, NULL otherwise. */
export function optionalColumn(columns: Set<string>, name: string, alias = name): string {
  return columns.has(name) ? `"${name}" AS "${alias}"` : `NULL AS "${alias}"`;
}
