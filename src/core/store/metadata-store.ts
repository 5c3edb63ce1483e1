/**
 * Reads a FlowyML metadata.db (1.7 or newer): runs with their step graphs, and
 * one light record per artifact row. Each artifact row is one output of one
 * step in one run. Its typed facts stay in the metadata JSON until a
 * version's details are requested.
 */
import { LONG_INTEGER_PART, MAX_JSON_DEPTH, tryParseTolerantJson } from '../json/tolerant';
import { isPlainObject } from '../model/properties';
import type { LoadProblem } from '../model/types';
import type { ReadConnection, SqlRow, SqlValue } from '../sqlite/types';
import { numberOf, requiredText, text, type RawMetadataArtifact, type RawRun } from './rows';
import { assertRowidOrder } from './integrity';
import { readInBatches } from '../sqlite/connection';
import { optionalColumn } from './schema';

/** Rows up to this size have their step and creation time read with json_extract. */
export const SMALL_JSON_BYTES = 65_536;
/** runs.metadata up to this size is parsed whole; larger ones are parsed without step source code. */
const RUN_METADATA_MAX_BYTES = 4 * 1024 * 1024;

export interface MetadataStoreRows {
  runs: RawRun[];
  artifacts: RawMetadataArtifact[];
  problems: LoadProblem[];
}

export function readMetadataStore(conn: ReadConnection, file: string, columns: Record<string, Set<string>>): MetadataStoreRows {
  const problems: LoadProblem[] = [];
  const runs = readRuns(conn, file, columns.runs, problems);
  const artifacts = readArtifacts(conn, file, columns.artifacts, problems);
  return { runs, artifacts, problems };
}

function readRuns(conn: ReadConnection, file: string, columns: Set<string>, problems: LoadProblem[]): RawRun[] {
  const runs: RawRun[] = [];
  const order = new RowidOrder(file, 'runs');
  readInBatches(conn, runsQuery(columns), (rows) => {
    order.check(rows);
    for (const run of mapRunRows(rows, file, problems)) runs.push(run);
  });
  return runs;
}

/** assertRowidOrder over a scan read in batches, including the step from one batch to the next. */
export class RowidOrder {
  private last: SqlRow | undefined;

  constructor(private readonly file: string, private readonly table: string) {}

  check(rows: SqlRow[]): void {
    assertRowidOrder(this.last === undefined ? rows : [this.last, ...rows], this.file, this.table);
    this.last = rows[rows.length - 1];
  }
}

function runsQuery(columns: Set<string>): string {
  return `
    SELECT rowid AS row_id, run_id,
      ${optionalColumn(columns, 'pipeline_name')}, ${optionalColumn(columns, 'status')},
      ${optionalColumn(columns, 'start_time')}, ${optionalColumn(columns, 'end_time')},
      ${optionalColumn(columns, 'duration')}, ${optionalColumn(columns, 'project')},
      ${optionalColumn(columns, 'created_at')},
      octet_length(metadata) AS metadata_bytes,
      CASE WHEN octet_length(metadata) <= ${RUN_METADATA_MAX_BYTES} THEN metadata END AS metadata,
      CASE WHEN octet_length(metadata) > ${RUN_METADATA_MAX_BYTES} AND json_valid(metadata, 2)
        THEN json_remove(metadata, '$.dag') END AS metadata_reduced
    FROM runs ORDER BY rowid`;
}

/**
 * Maps rows of the runs query to RawRun records. Another engine's query must
 * return the same column names: `metadata` (or `metadata_reduced`) and the
 * optional columns under their own names.
 */
export function mapRunRows(rows: SqlRow[], file: string, problems: LoadProblem[]): RawRun[] {
  return rows.map((row) => {
    const runId = requiredText(row, 'run_id');
    const source = text(row.metadata) ?? text(row.metadata_reduced);
    const parsed = parseRunMetadata(source);
    let whole: Record<string, unknown> | undefined;
    if (parsed.error) {
      problems.push({ file, severity: 'error', code: 'malformed-json', message: `${file}: runs row "${runId}" has malformed metadata JSON (${parsed.error}); its steps are not shown.` });
    } else if (isPlainObject(parsed.value)) {
      whole = parsed.value;
    }
    checkReplacementCharacter(file, 'runs', runId, problems);
    return {
      runId,
      pipeline: text(row.pipeline_name) ?? stringField(whole, 'pipeline_name'),
      status: text(row.status) ?? stringField(whole, 'status'),
      startTime: text(row.start_time) ?? stringField(whole, 'start_time'),
      endTime: text(row.end_time) ?? stringField(whole, 'end_time'),
      duration: numberOf(row.duration),
      project: text(row.project) ?? stringField(whole, 'project'),
      createdAt: text(row.created_at),
      metadata: whole === undefined ? undefined : modelFieldsOf(whole),
    };
  });
}

const STEP_FIELDS = ['inputs', 'outputs', 'success', 'cached', 'error', 'duration'];

/**
 * Returns the parts of runs.metadata that buildModel reads: `context`, and
 * for each step its inputs, outputs, success, cached, error and duration.
 * The rest (each step's source code, the DAG) becomes garbage once the batch
 * is mapped, instead of staying with every run until the model is built. A
 * step that is not an object becomes null, which the model treats as an
 * empty step, as it did the original value.
 */
function modelFieldsOf(metadata: Record<string, unknown>): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  if (Object.hasOwn(metadata, 'context')) kept.context = metadata.context;
  const steps = metadata.steps;
  if (Object.hasOwn(metadata, 'steps') && isPlainObject(steps)) {
    const keptSteps: Record<string, unknown> = {};
    for (const [name, step] of Object.entries(steps)) {
      let value: Record<string, unknown> | null = null;
      if (isPlainObject(step)) {
        value = {};
        for (const field of STEP_FIELDS) if (Object.hasOwn(step, field)) value[field] = step[field];
      }
      // defineProperty, because a step named __proto__ would otherwise set the prototype.
      Object.defineProperty(keptSteps, name, { value, enumerable: true, writable: true, configurable: true });
    }
    kept.steps = keptSteps;
  }
  return kept;
}

/**
 * Parses runs.metadata. Text with no long integer part is parsed by JSON.parse
 * and its nesting is counted on the parsed value, which is faster than the
 * tolerant parser's character scan of a long text for nesting. Anything else
 * (NaN, Infinity, big integers, malformed or too deep JSON) goes to the
 * tolerant parser, which gives the same value or the same error.
 */
function parseRunMetadata(source: string | undefined): { value: unknown; error?: string } {
  if (source !== undefined && source !== '' && !LONG_INTEGER_PART.test(source)) {
    let value: unknown;
    try {
      value = JSON.parse(source);
    } catch {
      return tryParseTolerantJson(source, undefined);
    }
    if (!nestedDeeperThan(value, MAX_JSON_DEPTH)) return { value };
  }
  return tryParseTolerantJson(source, undefined);
}

/** Tells whether arrays and objects in a parsed value nest deeper than `limit`, counted without recursion. */
function nestedDeeperThan(root: unknown, limit: number): boolean {
  if (typeof root !== 'object' || root === null) return false;
  const stack: unknown[] = [root];
  const depths: number[] = [1];
  while (stack.length > 0) {
    const value = stack.pop() as object;
    const depth = depths.pop()!;
    if (depth > limit) return true;
    const children = Array.isArray(value) ? value : Object.values(value);
    for (const child of children) {
      if (typeof child === 'object' && child !== null) {
        stack.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return false;
}

function readArtifacts(conn: ReadConnection, file: string, columns: Set<string>, problems: LoadProblem[]): RawMetadataArtifact[] {
  const artifacts: RawMetadataArtifact[] = [];
  const order = new RowidOrder(file, 'artifacts');
  readInBatches(conn, artifactsQuery(columns), (rows) => {
    order.check(rows);
    for (const artifact of mapArtifactScan(conn, rows, file, problems)) artifacts.push(artifact);
  });
  return artifacts;
}

/** Maps rows of the artifacts query, as both the full read and the reload's row ranges do. */
function mapArtifactScan(conn: ReadConnection, rows: SqlRow[], file: string, problems: LoadProblem[]): RawMetadataArtifact[] {
  for (const row of rows) splitSmallFields(conn, row);
  return mapArtifactRows(rows, file, problems, (rowid) => reparseMetadata(conn, rowid));
}

function artifactsQuery(columns: Set<string>): string {
  // json_valid(X, 2) accepts JSON5, which covers Python's bare NaN and
  // Infinity, so one malformed row yields 0 instead of failing the query.
  // One json_extract with both paths returns them as a JSON array: on the
  // generated 100k store this query took 1.1 s of CPU, against 2.4 s for one
  // json_extract per field, each behind its own json_valid.
  return `
    SELECT rowid AS row_id, artifact_id, name, type, run_id, ${optionalColumn(columns, 'path')},
      octet_length(metadata) AS metadata_bytes,
      CASE WHEN octet_length(metadata) < ${SMALL_JSON_BYTES} THEN
        CASE WHEN json_valid(metadata, 2) THEN json_extract(metadata, '$.step', '$.created_at') ELSE 0 END
      END AS small_fields
    FROM artifacts ORDER BY rowid`;
}

/**
 * Sets the step, created_local and json_ok columns that mapArtifactRows
 * reads, from the small_fields column of the artifacts query: NULL for a
 * row too big to read, 0 for a malformed one, else the JSON array of
 * metadata.step and metadata.created_at. A value that is neither text nor
 * null (a number, an object) is read again on its own, so it keeps the exact
 * form a single json_extract gives it.
 */
function splitSmallFields(conn: ReadConnection, row: SqlRow): void {
  const fields = row.small_fields;
  if (fields === null || fields === undefined) {
    row.json_ok = null;
    row.step = null;
    row.created_local = null;
    return;
  }
  if (fields === 0) {
    row.json_ok = 0;
    row.step = null;
    row.created_local = null;
    return;
  }
  row.json_ok = 1;
  const pair = typeof fields === 'string' ? parseOrUndefined(fields) : undefined;
  if (Array.isArray(pair) && pair.length === 2 && isTextOrNull(pair[0]) && isTextOrNull(pair[1])) {
    row.step = pair[0] as string | null;
    row.created_local = pair[1] as string | null;
    return;
  }
  const exact = conn.get(`SELECT json_extract(metadata, '$.step') AS step, json_extract(metadata, '$.created_at') AS created_local
    FROM artifacts WHERE rowid = ?`, [row.row_id]);
  row.step = exact?.step ?? null;
  row.created_local = exact?.created_local ?? null;
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isTextOrNull(value: unknown): boolean {
  return value === null || typeof value === 'string';
}

/**
 * Maps rows of the artifacts query to light records. Another engine's query
 * must return the same column names: row_id, artifact_id, name, type,
 * run_id, path, metadata_bytes, step, created_local and json_ok (0 for a
 * malformed small row, NULL when not checked).
 */
export function mapArtifactRows(
  rows: SqlRow[],
  file: string,
  problems: LoadProblem[],
  reparse: (rowid: number) => MetadataRecheck = () => ({ error: 'the database rejected it as JSON' }),
): RawMetadataArtifact[] {
  return rows.map((row) => {
    const artifactId = requiredText(row, 'artifact_id');
    if (row.json_ok === 0 && row.metadata_bytes !== null) {
      // json_valid gives no reason, and it also rejects JSON nested more than
      // 1,000 levels deep, so the row is parsed again for the message.
      const recheck = reparse(numberOf(row.row_id) ?? 0);
      if (recheck.error === undefined) {
        row.step = recheck.step ?? null;
        row.created_local = recheck.createdLocal ?? null;
      } else {
        problems.push({ file, severity: 'error', code: 'malformed-json', message: `${file}: artifacts row "${artifactId}" has malformed metadata JSON (${recheck.error}); its properties cannot be shown.` });
      }
    }
    const name = requiredText(row, 'name');
    if (name.includes('\uFFFD') || artifactId.includes('\uFFFD')) {
      problems.push({ file, severity: 'warning', code: 'invalid-utf8', message: `${file}: artifacts row ${String(row.row_id)} contains bytes that are not valid UTF-8; they are shown as U+FFFD.` });
    }
    return {
      rowid: numberOf(row.row_id) ?? 0,
      artifactId,
      name,
      type: requiredText(row, 'type'),
      runId: requiredText(row, 'run_id'),
      path: text(row.path),
      step: text(row.step),
      createdLocal: text(row.created_local),
      metadataBytes: numberOf(row.metadata_bytes) ?? 0,
    };
  });
}

/** The outcome of parsing a rejected row's metadata again: the reason it is malformed, or the fields read from it. */
interface MetadataRecheck {
  error?: string;
  step?: string;
  createdLocal?: string;
}

/** Parses one small row's metadata with the tolerant parser, for rows that SQLite's json_valid rejected. */
function reparseMetadata(conn: ReadConnection, rowid: number): MetadataRecheck {
  const source = text(conn.get('SELECT metadata FROM artifacts WHERE rowid = ?', [rowid])?.metadata);
  if (source === undefined || source.trim() === '') return { error: 'the text is empty' };
  const parsed = tryParseTolerantJson(source, undefined);
  if (parsed.error !== undefined) return { error: parsed.error };
  if (!isPlainObject(parsed.value)) return {};
  return { step: stringField(parsed.value, 'step'), createdLocal: stringField(parsed.value, 'created_at') };
}

function stringField(object: Record<string, unknown> | undefined, key: string): string | undefined {
  const value = object?.[key];
  return typeof value === 'string' ? value : undefined;
}

function checkReplacementCharacter(file: string, table: string, key: string, problems: LoadProblem[]): void {
  if (!key.includes('\uFFFD')) return;
  problems.push({ file, severity: 'warning', code: 'invalid-utf8', message: `${file}: a ${table} row contains bytes that are not valid UTF-8; they are shown as U+FFFD.` });
}

/** Loads the metadata JSON of one artifact row; big rows are loaded without their copies of the data unless `full`. */
export function readArtifactMetadata(conn: ReadConnection, rowid: number, full: boolean, capBytes: number): { text: string | undefined; truncated: boolean; bytes: number } {
  // By rowid: an id holding bytes that are not UTF-8 decodes to text that no longer matches the stored key.
  const size = conn.get('SELECT octet_length(metadata) AS n FROM artifacts WHERE rowid = ?', [rowid]);
  if (!size) return { text: undefined, truncated: false, bytes: 0 };
  const bytes = numberOf(size.n) ?? 0;
  if (full || bytes <= capBytes) {
    const row = conn.get('SELECT metadata FROM artifacts WHERE rowid = ?', [rowid]);
    return { text: text(row?.metadata), truncated: false, bytes };
  }
  const row = conn.get(`SELECT CASE WHEN json_valid(metadata, 2)
      THEN json_remove(metadata, '$.properties._full_data', '$.data') END AS reduced
    FROM artifacts WHERE rowid = ?`, [rowid]);
  return { text: text(row?.reduced), truncated: true, bytes };
}

// ---------------------------------------------------------------------------
// Row ranges for the incremental reload (src/core/store/incremental.ts). These
// run the same queries and mappings as the full read, limited by a condition,
// so a change to either applies to both paths.

/** Reads the runs rows that `where` selects (bound with `params`) with the full read's query and mapping. */
export function readRunsWhere(conn: ReadConnection, file: string, columns: Set<string>, where: string, params: SqlValue[], problems: LoadProblem[]): RawRun[] {
  const rows = conn.all(restrictQuery(runsQuery(columns), 'runs', where), params);
  assertRowidOrder(rows, file, 'runs');
  return mapRunRows(rows, file, problems);
}

/** Reads the artifacts rows that `where` selects with the full read's query and mapping; the rows keep their rowids. */
export function readArtifactsWhere(conn: ReadConnection, file: string, columns: Set<string>, where: string, params: SqlValue[], problems: LoadProblem[]): RawMetadataArtifact[] {
  const rows = conn.all(restrictQuery(artifactsQuery(columns), 'artifacts', where), params);
  assertRowidOrder(rows, file, 'artifacts');
  return mapArtifactScan(conn, rows, file, problems);
}

function restrictQuery(sql: string, table: string, where: string): string {
  const tail = `FROM ${table} ORDER BY rowid`;
  if (!sql.includes(tail)) throw new Error(`The ${table} query no longer ends with "${tail}"; update restrictQuery.`);
  return sql.replace(tail, `FROM ${table} WHERE ${where} ORDER BY rowid`);
}
