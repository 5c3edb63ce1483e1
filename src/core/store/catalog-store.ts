/**
 * Reads a FlowyML catalog.db: one `artifacts` table written by
 * `ArtifactCatalog.register`. Automatic rows (`<step>_output`) carry no
 * lineage; explicitly registered rows carry parents, tags, a version and a uri.
 */
import { stringifyJson, tryParseTolerantJson } from '../json/tolerant';
import { isPlainObject } from '../model/properties';
import type { LoadProblem } from '../model/types';
import type { ReadConnection, SqlRow, SqlValue } from '../sqlite/types';
import { numberOf, requiredText, text, type RawCatalogRow } from './rows';
import { readInBatches } from '../sqlite/connection';
import { RowidOrder } from './metadata-store';
import { assertRowidOrder } from './integrity';
import { optionalColumn } from './schema';
import { setOwn } from '../json/records';

/** parent_ids and tags larger than this are not parsed; a registered row never comes near it. */
const SMALL_COLUMN_BYTES = 1024 * 1024;

export function readCatalogStore(conn: ReadConnection, file: string, columns: Set<string>): { rows: RawCatalogRow[]; problems: LoadProblem[] } {
  const result: { rows: RawCatalogRow[]; problems: LoadProblem[] } = { rows: [], problems: [] };
  const order = new RowidOrder(file, 'artifacts');
  // Mapped batch by batch, so only one batch of sql.js row objects is alive at a time.
  readInBatches(conn, catalogQuery(columns), (rows) => {
    order.check(rows);
    const mapped = mapCatalogRows(rows, file);
    for (const row of mapped.rows) result.rows.push(row);
    for (const problem of mapped.problems) result.problems.push(problem);
  });
  return result;
}

function catalogQuery(columns: Set<string>): string {
  return `
    SELECT rowid AS row_id, artifact_id, name, artifact_type,
      ${optionalColumn(columns, 'content_hash')}, ${optionalColumn(columns, 'source_step')},
      ${optionalColumn(columns, 'source_run_id')}, ${optionalColumn(columns, 'source_pipeline')},
      CASE WHEN octet_length(parent_ids) <= ${SMALL_COLUMN_BYTES} THEN parent_ids END AS parent_ids,
      octet_length(parent_ids) AS parent_ids_bytes,
      ${columns.has('tags') ? `CASE WHEN octet_length(tags) <= ${SMALL_COLUMN_BYTES} THEN tags END AS tags` : 'NULL AS tags'},
      octet_length(metadata) AS metadata_bytes,
      CASE WHEN octet_length(metadata) <= 2 THEN metadata END AS small_metadata,
      ${optionalColumn(columns, 'uri')}, created_at, ${optionalColumn(columns, 'version')}
    FROM artifacts ORDER BY rowid`;
}

/**
 * Maps rows of the catalog query to RawCatalogRow records. Another source
 * (a remote catalog) must supply the same column names, with parent_ids and
 * tags as JSON text and small_metadata set when the metadata is at most 2 bytes.
 */
export function mapCatalogRows(rows: SqlRow[], file: string): { rows: RawCatalogRow[]; problems: LoadProblem[] } {
  const problems: LoadProblem[] = [];
  const result = rows.map((row): RawCatalogRow => {
    const artifactId = requiredText(row, 'artifact_id');
    const where = `${file}: catalog row "${artifactId}"`;

    const parents = tryParseTolerantJson(text(row.parent_ids), []);
    let parentIds: string[] = [];
    if (parents.error) {
      problems.push({ file, severity: 'error', code: 'malformed-json', message: `${where} has malformed parent_ids (${parents.error}); its parents are not shown.` });
    } else if (Array.isArray(parents.value)) {
      parentIds = parents.value.filter((p): p is string => typeof p === 'string');
      if (parentIds.length < parents.value.length) {
        problems.push({ file, severity: 'warning', code: 'malformed-json', message: `${where} has parent_ids that are not text; those parents are not shown.` });
      }
    } else if (parents.value !== null) {
      problems.push({ file, severity: 'error', code: 'malformed-json', message: `${where} has parent_ids that are not a JSON list (${jsonKind(parents.value)}); its parents are not shown.` });
    }
    if ((numberOf(row.parent_ids_bytes) ?? 0) > SMALL_COLUMN_BYTES) {
      problems.push({ file, severity: 'error', code: 'oversized', message: `${where} has parent_ids over ${SMALL_COLUMN_BYTES} bytes; its parents are not shown.` });
    }

    const tagsParsed = tryParseTolerantJson(text(row.tags), {});
    const tags: Record<string, string> = {};
    if (tagsParsed.error) {
      problems.push({ file, severity: 'error', code: 'malformed-json', message: `${where} has malformed tags (${tagsParsed.error}).` });
    } else if (isPlainObject(tagsParsed.value)) {
      for (const [k, v] of Object.entries(tagsParsed.value)) setOwn(tags, k, typeof v === 'string' ? v : stringifyJson(v) ?? String(v));
    } else if (tagsParsed.value !== null) {
      problems.push({ file, severity: 'error', code: 'malformed-json', message: `${where} has tags that are not a JSON object (${jsonKind(tagsParsed.value)}); its tags are not shown.` });
    }

    const small = text(row.small_metadata);
    const name = requiredText(row, 'name');
    if (name.includes('\uFFFD') || artifactId.includes('\uFFFD')) {
      problems.push({ file, severity: 'warning', code: 'invalid-utf8', message: `${file}: catalog row ${String(row.row_id)} contains bytes that are not valid UTF-8; they are shown as U+FFFD.` });
    }
    return {
      rowid: numberOf(row.row_id) ?? 0,
      artifactId,
      name,
      type: requiredText(row, 'artifact_type'),
      contentHash: emptyToUndefined(text(row.content_hash)),
      sourceStep: emptyToUndefined(text(row.source_step)),
      sourceRunId: emptyToUndefined(text(row.source_run_id)),
      sourcePipeline: emptyToUndefined(text(row.source_pipeline)),
      parentIds,
      tags,
      metadataEmpty: small === undefined ? row.metadata_bytes === null : small.trim() === '{}' || small.trim() === '',
      metadataBytes: numberOf(row.metadata_bytes) ?? 0,
      uri: emptyToUndefined(text(row.uri)),
      createdAt: text(row.created_at),
      version: emptyToUndefined(text(row.version)),
    };
  });
  return { rows: result, problems };
}

/** Names the JSON kind of a parsed value, for messages. */
function jsonKind(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object' && value !== null) return 'an object';
  if (typeof value === 'string') return 'text';
  if (typeof value === 'number' || typeof value === 'bigint') return 'a number';
  if (typeof value === 'boolean') return 'a boolean';
  return 'null';
}

function emptyToUndefined(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/**
 * Tells whether a row is automatic, that is, what FlowyML's executor registers after each step:
 * named `<step>_output`, with no parents, metadata, uri or version. Tags are
 * allowed, because `ArtifactCatalog.tag()` can add them later.
 */
export function isAutomaticCatalogRow(row: RawCatalogRow): boolean {
  return row.sourceStep !== undefined
    && row.name === `${row.sourceStep}_output`
    && row.parentIds.length === 0
    && row.metadataEmpty
    && row.uri === undefined
    && row.version === undefined;
}

export function readCatalogMetadata(conn: ReadConnection, rowid: number): string | undefined {
  return text(conn.get('SELECT metadata FROM artifacts WHERE rowid = ?', [rowid])?.metadata);
}

// ---------------------------------------------------------------------------
// Row ranges for the incremental reload (src/core/store/incremental.ts). This
// runs the same query and mapping as the full read, limited by a condition,
// so a change to either applies to both paths.

/** Reads the catalog rows that `where` selects (bound with `params`) with the full read's query and mapping. */
export function readCatalogWhere(conn: ReadConnection, file: string, columns: Set<string>, where: string, params: SqlValue[]): { rows: RawCatalogRow[]; problems: LoadProblem[] } {
  const tail = 'FROM artifacts ORDER BY rowid';
  const sql = catalogQuery(columns);
  if (!sql.includes(tail)) throw new Error(`The catalog query no longer ends with "${tail}"; update readCatalogWhere.`);
  const rows = conn.all(sql.replace(tail, `FROM artifacts WHERE ${where} ORDER BY rowid`), params);
  assertRowidOrder(rows, file, 'artifacts');
  return mapCatalogRows(rows, file);
}
