/**
 * The catalog.db schema exactly as FlowyML's LocalCatalogBackend creates it
 * (Python's sqlite3, FlowyML 1.8 – 2.1). SQLite keeps each statement's text
 * in sqlite_master, without `IF NOT EXISTS`, so the whitespace here is what a
 * store created by FlowyML shows.
 */

export const CATALOG_DDL: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS artifacts (
                    artifact_id TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    artifact_type TEXT NOT NULL,
                    content_hash TEXT,
                    source_step TEXT,
                    source_run_id TEXT,
                    source_pipeline TEXT,
                    parent_ids TEXT DEFAULT '[]',
                    tags TEXT DEFAULT '{}',
                    metadata TEXT DEFAULT '{}',
                    uri TEXT,
                    created_at TEXT NOT NULL,
                    version TEXT
                )`,
  `CREATE INDEX IF NOT EXISTS idx_content_hash
                ON artifacts(content_hash)
            `,
  `CREATE INDEX IF NOT EXISTS idx_source_pipeline
                ON artifacts(source_pipeline)
            `,
  `CREATE INDEX IF NOT EXISTS idx_artifact_type
                ON artifacts(artifact_type)
            `,
];

/** The columns of one row, in the order FlowyML's INSERT lists them. */
export const CATALOG_COLUMNS = [
  'artifact_id', 'name', 'artifact_type', 'content_hash', 'source_step', 'source_run_id', 'source_pipeline',
  'parent_ids', 'tags', 'metadata', 'uri', 'created_at', 'version',
] as const;

export const INSERT_ROW = `INSERT INTO artifacts (${CATALOG_COLUMNS.join(', ')}) VALUES (${CATALOG_COLUMNS.map(() => '?').join(', ')})`;

export type CatalogRow = Record<(typeof CATALOG_COLUMNS)[number], string>;
