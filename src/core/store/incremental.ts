/**
 * Reloads a workspace from the index of the previous load, reading only what
 * changed in each store file. FlowyML appends rows, and rowid order is
 * insertion order, so a commit usually adds rows after the last rowid read.
 * Each store takes one of three paths:
 *
 * - unchanged: same file (device and inode), and the snapshot state after
 *   opening (size, mtime, header change counter, schema cookie, WAL size,
 *   salts and commit frames) equals the one of the previous read. Its rows
 *   are reused as they are.
 * - appended: the checks below pass. Only rows after the last known rowid
 *   are read, plus the runs table when a run row was rewritten in place and
 *   catalog rows whose tags changed in place.
 * - full: any check fails, and the store is read whole, as loadWorkspace
 *   reads it.
 *
 * Every read of a store runs in one snapshot of the consistent-snapshot
 * reader (src/core/sqlite). The checks, and the rewrite each one catches:
 *
 * - another inode at the path: the file was replaced (a copy or a restore
 *   moved over it);
 * - the file is smaller than before: rows were removed and the file truncated
 *   (VACUUM, or a restore of an older copy);
 * - `PRAGMA schema_version` moved, or the detected columns differ: a schema
 *   change (ALTER TABLE, CREATE or DROP) or a VACUUM, which increments the
 *   schema cookie and may renumber rowids;
 * - the row at the last known rowid is gone, or a value the model reads
 *   from it differs: the last row was deleted, replaced or updated in place.
 *   `INSERT OR REPLACE` of the last row deletes it, so its replacement takes
 *   the same rowid;
 * - `count(*)` of a table differs from the previous count plus the rows
 *   after the last known rowid: rows were deleted, or an older row was
 *   replaced (`INSERT OR REPLACE` gives the new row a rowid past the last
 *   one and deletes the old one, so the count stays while an old rowid
 *   disappears: the count of rows up to the last known rowid drops);
 * - the runs table's rowids up to the last known one differ: a run row was
 *   deleted or replaced;
 * - an earlier problem list, with rows that changed in place: the order of
 *   problems could differ from a full read, so the store is read whole.
 *
 * Updates in place that FlowyML makes are followed without a full read:
 *
 * - a run row rewritten at the end of a run (status, end_time, duration,
 *   metadata): the light columns of every runs row, with the size of its
 *   metadata, are compared with the previous read; when one differs, the
 *   runs table is read again whole (it holds one row per run). The artifact
 *   rows of a rewritten run, found through the primary-key index by their
 *   `<run_id>_` prefix, must be unchanged, or the store is read whole: a
 *   run saved again under its id rewrites its artifact rows too;
 * - `ArtifactCatalog.tag()` updating catalog tags: the raw tags text of every
 *   catalog row is compared, and changed rows are read again.
 *
 * NOTE: an UPDATE in place of an older artifacts row of metadata.db that no
 * runs row change accompanies, or an UPDATE of catalog columns other than
 * tags in an older row, is not seen until the next full load: finding it
 * would read every page of the table, which is the cost this module avoids.
 * FlowyML makes neither. Rows inserted with an explicit rowid below the last
 * known one are not seen either; FlowyML never chooses rowids.
 *
 * The model is then updated for the changed runs only (model/incremental-build.ts),
 * or built from all rows when a store was read whole, so the index equals
 * the one loadWorkspace would return for the same files.
 */
import type { WorkspaceIndex } from '../api';
import { buildModel, type StoreRows } from '../model/build';
import { updateModel, type StoreDelta } from '../model/incremental-build';
import type { RawCatalogRow, RawMetadataArtifact, RawRun } from './rows';
import type { LoadProblem, StoreInfo } from '../model/types';
import { openSnapshotDatabase } from '../sqlite/index';
import type { FileState, ReadConnection, SnapshotDatabase } from '../sqlite/types';
import { readCatalogWhere } from './catalog-store';
import type { StoreCandidate } from './discover';
import { quickCheckSmallStore } from './integrity';
import { columnsKey, fileIdentity, readCatalogTags, readRunLight, schemaVersionOf, type StoreCache } from './marks';
import { readArtifactsWhere, readRunsWhere } from './metadata-store';
import { numberOf } from './rows';
import { detectSchema } from './schema';
import { assembleWorkspace, loadStore, loadWorkspace, openStoreOf, reloadBasisOf, type LoadedStore, type LoadOptions } from './workspace';

/** The path one store took in a reload, with the counts of rows it read. */
export interface StoreReloadOutcome {
  path: string;
  mode: 'unchanged' | 'appended' | 'full';
  /** For `full`: which check failed, or why there was nothing to compare with. */
  reason?: string;
  /** Rows read after the last known rowid, over all tables. */
  appendedRows: number;
  /** Rows read again because they changed in place (runs rows, catalog tags). */
  rereadRows: number;
}

/** The paths of a reload: per store, and for the model. */
export interface ReloadReport {
  stores: StoreReloadOutcome[];
  /** `updated`: only the changed runs were built again; `built`: the whole model was built. */
  model: 'updated' | 'built';
}

const reports = new WeakMap<WorkspaceIndex, ReloadReport>();

/** Returns the report of an index made by reloadWorkspace, or undefined for an index from loadWorkspace. */
export function reloadReport(index: WorkspaceIndex): ReloadReport | undefined {
  return reports.get(index);
}

/**
 * Returns a new index of `previous.root` that reflects the files now. The
 * previous index is left open and valid: the caller disposes it once the new
 * one has replaced it. An index that loadWorkspace did not make is ignored,
 * and the workspace is loaded whole.
 */
export async function reloadWorkspace(previous: WorkspaceIndex | undefined, root: string, options: LoadOptions = {}): Promise<WorkspaceIndex> {
  const basis = previous && previous.root === root ? reloadBasisOf(previous) : undefined;
  if (!basis) return loadWorkspace(root, options);
  const report: ReloadReport = { stores: [], model: 'built' };
  const deltas = new Map<StoreRows, StoreDelta>();
  const index = await assembleWorkspace(root, options, async (candidate) => {
    const cache = basis.caches.get(candidate.absolutePath);
    const loaded = cache ? await reloadStore(candidate, cache, options) : undefined;
    if (loaded && 'store' in loaded) {
      report.stores.push(loaded.outcome);
      deltas.set(loaded.storeRows, loaded.delta);
      return loaded;
    }
    report.stores.push({ path: candidate.path, mode: 'full', reason: loaded?.reason ?? 'not in the previous index', appendedRows: 0, rereadRows: 0 });
    return loadStore(candidate, options.open, options.sizeGuard);
  }, (rows, external) => {
    const storeDeltas = rows.map((r) => deltas.get(r));
    if (!external && !basis.external && storeDeltas.every((d) => d !== undefined)) {
      const updated = updateModel(basis.model, basis.rows, rows, storeDeltas as StoreDelta[]);
      if (updated) {
        report.model = 'updated';
        return updated;
      }
    }
    return buildModel(rows);
  });
  reports.set(index, report);
  return index;
}

type Attempt = (LoadedStore & { outcome: StoreReloadOutcome; delta: StoreDelta }) | { reason: string };

async function reloadStore(candidate: StoreCandidate, cache: StoreCache, options: LoadOptions): Promise<Attempt> {
  const identity = fileIdentity(candidate.absolutePath);
  if (!identity || !cache.identity || identity.dev !== cache.identity.dev || identity.ino !== cache.identity.ino) {
    return { reason: 'another file is at the path' };
  }
  if (!cache.state) return { reason: 'no state of the previous read' };

  let db: SnapshotDatabase;
  try {
    db = await openSnapshotDatabase(candidate.absolutePath, options.open);
  } catch {
    // The full read reports the error with the same wording as a first load.
    return { reason: 'the file did not open' };
  }
  try {
    const attempt = await readChanges(db, candidate, cache);
    if ('reason' in attempt) {
      db.close();
      return attempt;
    }
    const after = fileIdentity(candidate.absolutePath);
    const stable = after !== undefined && after.dev === identity.dev && after.ino === identity.ino;
    const next: StoreCache = { ...attempt.cache, identity: stable ? identity : undefined, state: db.state };
    return { store: openStoreOf(next.rows.store, db), storeRows: next.rows, storeProblems: next.problems, cache: next, outcome: attempt.outcome, delta: attempt.delta };
  } catch (error) {
    db.close();
    return { reason: `the incremental read failed (${error instanceof Error ? error.message : String(error)})` };
  }
}

type Changes = { cache: Omit<StoreCache, 'identity' | 'state'>; outcome: StoreReloadOutcome; delta: StoreDelta } | { reason: string };

function emptyDelta(): StoreDelta {
  return { runIds: new Set(), artifactRunIds: new Set(), catalogRows: [] };
}

async function readChanges(db: SnapshotDatabase, candidate: StoreCandidate, cache: StoreCache): Promise<Changes> {
  const before = cache.state!;
  const now = db.state;
  const listed = cache.rows.store;
  if (listed.kind !== candidate.kind || listed.path !== candidate.path || listed.project !== candidate.project) {
    return { reason: 'the store is listed under another path, kind or project' };
  }
  if (now && sameFileState(now, before)) {
    // A new object, so the model update can tell this store's rows from another index's.
    return { cache: { ...cache, rows: { ...cache.rows } }, outcome: { path: candidate.path, mode: 'unchanged', appendedRows: 0, rereadRows: 0 }, delta: emptyDelta() };
  }
  if (now && now.size < before.size) return { reason: 'the file shrank' };

  return db.read('reload store', (conn): Changes => {
    if (schemaVersionOf(conn) !== cache.schemaVersion) return { reason: 'the schema version moved (schema change or VACUUM)' };
    quickCheckSmallStore(conn, candidate.path);
    const detected = detectSchema(conn, candidate.path, candidate.kind);
    if (columnsKey(detected.columns) !== cache.columns) return { reason: 'the columns changed' };
    const info: StoreInfo = { ...cache.rows.store, schema: detected.schema };
    return candidate.kind === 'catalog'
      ? catalogChanges(conn, candidate, cache, info, detected.columns.artifacts)
      : metadataChanges(conn, candidate, cache, info, detected.columns);
  });
}

function metadataChanges(conn: ReadConnection, candidate: StoreCandidate, cache: StoreCache, info: StoreInfo, columns: Record<string, Set<string>>): Changes {
  const file = candidate.path;
  const previousRuns = cache.rows.runs ?? [];
  const previousArtifacts = cache.rows.artifacts ?? [];
  const previousLight = cache.runLight ?? [];

  // Runs: compare the light columns of every row with the previous read.
  const light = readRunLight(conn, columns.runs);
  if (light.length < previousLight.length) return { reason: 'runs rows were deleted' };
  const rewritten: string[] = [];
  for (let i = 0; i < previousLight.length; i++) {
    if (light[i].rowid !== previousLight[i].rowid) return { reason: 'runs rows were deleted or replaced' };
    if (light[i].signature !== previousLight[i].signature || light[i].runId !== previousLight[i].runId) rewritten.push(previousLight[i].runId);
  }
  const runProblems: LoadProblem[] = [];
  const delta = emptyDelta();
  let runs: RawRun[];
  let rereadRows = 0;
  if (rewritten.length > 0) {
    // Problems of the previous read would have to be placed between the runs'
    // and the artifacts'; a full read keeps their order exact.
    if (cache.problems.length > 0) return { reason: 'runs rows changed in a store with problems' };
    runs = readRunsWhere(conn, file, columns.runs, '1', [], runProblems);
    rereadRows = runs.length;
    if (runs.length !== light.length) return { reason: 'the runs table changed during the read' };
    // Every run whose row reads differently now is built again, not only those the light columns flagged.
    runs.forEach((run, i) => {
      if (i >= previousRuns.length || JSON.stringify(run) !== JSON.stringify(previousRuns[i])) delta.runIds.add(run.runId);
    });
  } else {
    const lastRunRowid = previousLight.at(-1)?.rowid ?? 0;
    const appendedRuns = light.length > previousLight.length ? readRunsWhere(conn, file, columns.runs, 'rowid > ?', [lastRunRowid], runProblems) : [];
    if (appendedRuns.length !== light.length - previousLight.length) return { reason: 'the runs table changed during the read' };
    if (runProblems.length > 0 && cache.problems.length > 0) return { reason: 'new runs rows have problems in a store with problems' };
    runs = appendedRuns.length > 0 ? previousRuns.concat(appendedRuns) : previousRuns;
    for (const run of appendedRuns) delta.runIds.add(run.runId);
  }

  // Artifacts: the last known row must be unchanged, and every other row still there.
  const artifactProblems: LoadProblem[] = [];
  const tail = appendedAfter(conn, previousArtifacts, (where, params) => readArtifactsWhere(conn, file, columns.artifacts, where, params, artifactProblems), sameArtifact);
  if ('reason' in tail) return tail;

  // A run saved again under its id rewrites its artifact rows in place.
  for (const runId of rewritten) {
    const fresh = readArtifactsWhere(conn, file, columns.artifacts, 'artifact_id >= ? AND artifact_id < ? AND rowid <= ?', [`${runId}_`, `${runId}\``, tail.lastRowid], []);
    const known = previousArtifacts.filter((a) => a.artifactId.startsWith(`${runId}_`));
    if (fresh.length !== known.length || fresh.some((row, i) => !sameArtifact(row, known[i]))) return { reason: `artifact rows of the rewritten run "${runId}" changed in place` };
  }

  const artifacts = tail.appended.length > 0 ? previousArtifacts.concat(tail.appended) : previousArtifacts;
  for (const artifact of tail.appended) delta.artifactRunIds.add(artifact.runId);
  const problems = rewritten.length > 0
    ? [...runProblems, ...artifactProblems]
    : [...cache.problems, ...runProblems, ...artifactProblems];
  const next = { ...cache, rows: { store: info, runs, artifacts }, problems, runLight: light };
  return { cache: next, outcome: { path: file, mode: 'appended', appendedRows: (light.length - previousLight.length) + tail.appended.length, rereadRows }, delta };
}

function catalogChanges(conn: ReadConnection, candidate: StoreCandidate, cache: StoreCache, info: StoreInfo, columns: Set<string>): Changes {
  const file = candidate.path;
  const previous = cache.rows.catalog ?? [];
  const problems: LoadProblem[] = [];
  const tail = appendedAfter(conn, previous, (where, params) => {
    const read = readCatalogWhere(conn, file, columns, where, params);
    problems.push(...read.problems);
    return read.rows;
  }, sameCatalogRow);
  if ('reason' in tail) return tail;

  // ArtifactCatalog.tag() rewrites tags in place: compare the raw text of every older row.
  const delta = emptyDelta();
  let rows = previous;
  let rereadRows = 0;
  const tags = readCatalogTags(conn, columns, tail.lastRowid);
  let catalogTags = cache.catalogTags;
  if (tags && cache.catalogTags) {
    if (tags.rowids.length !== previous.length) return { reason: 'catalog rows were deleted or replaced' };
    const changed: number[] = [];
    for (let i = 0; i < previous.length; i++) {
      if (tags.rowids[i] !== previous[i].rowid) return { reason: 'catalog rowids moved' };
      if (tags.tags[i] !== cache.catalogTags[i]) changed.push(i);
    }
    if (changed.length > 0) {
      if (cache.problems.length > 0) return { reason: 'catalog tags changed in a store with problems' };
      const reread = readCatalogWhere(conn, file, columns, `rowid IN (${changed.map(() => '?').join(',')})`, changed.map((i) => previous[i].rowid));
      if (reread.problems.length > 0) return { reason: 'catalog rows with changed tags have problems' };
      if (reread.rows.length !== changed.length) return { reason: 'catalog rows changed during the read' };
      rows = previous.slice();
      changed.forEach((i, k) => {
        rows[i] = reread.rows[k];
        // The row as it was is needed too: its run owned the version the old tags were merged into.
        delta.catalogRows.push(previous[i], reread.rows[k]);
      });
      rereadRows = changed.length;
    }
    catalogTags = tags.tags;
  } else if (tags || cache.catalogTags) {
    return { reason: 'the tags column appeared or disappeared' };
  }

  if (tail.appended.length > 0) {
    rows = rows.concat(tail.appended);
    delta.catalogRows.push(...tail.appended);
    if (catalogTags) {
      const appendedTags = readCatalogTagsAfter(conn, tail.lastRowid);
      if (appendedTags.length !== tail.appended.length) return { reason: 'catalog rows changed during the read' };
      catalogTags = catalogTags.concat(appendedTags);
    }
  }
  const next = { ...cache, rows: { store: info, catalog: rows }, problems: [...cache.problems, ...problems], catalogTags };
  return { cache: next, outcome: { path: file, mode: 'appended', appendedRows: tail.appended.length, rereadRows }, delta };
}

function readCatalogTagsAfter(conn: ReadConnection, afterRowid: number): (string | undefined)[] {
  return conn.all('SELECT tags FROM artifacts WHERE rowid > ? ORDER BY rowid', [afterRowid]).map((row) => (row.tags === null ? undefined : String(row.tags)));
}

/**
 * Reads the rows from the last known rowid on. The first must be the last
 * known row, unchanged; the rest are appended. The table's count must equal
 * the previous count plus the appended rows.
 */
function appendedAfter<T extends { rowid: number }>(
  conn: ReadConnection,
  previous: readonly T[],
  read: (where: string, params: number[]) => T[],
  same: (a: T, b: T) => boolean,
): { appended: T[]; lastRowid: number } | { reason: string } {
  const last = previous.at(-1);
  const lastRowid = last?.rowid ?? 0;
  const rows = last ? read('rowid >= ?', [lastRowid]) : read('rowid > ?', [0]);
  let appended = rows;
  if (last) {
    const first = rows[0];
    if (!first || first.rowid !== lastRowid) return { reason: 'the last known row is gone (deleted or replaced)' };
    if (!same(first, last)) return { reason: 'the last known row changed (replaced or updated)' };
    appended = rows.slice(1);
  }
  // SQLite computes count(*) without a condition from the smallest index, which is far smaller than the table.
  const count = numberOf(conn.get('SELECT count(*) AS n FROM artifacts')?.n) ?? -1;
  if (count !== previous.length + appended.length) return { reason: 'rows were deleted or replaced (the row count differs)' };
  return { appended, lastRowid };
}

function sameArtifact(a: RawMetadataArtifact, b: RawMetadataArtifact): boolean {
  return a.rowid === b.rowid && a.artifactId === b.artifactId && a.name === b.name && a.type === b.type && a.runId === b.runId
    && a.path === b.path && a.step === b.step && a.createdLocal === b.createdLocal && a.metadataBytes === b.metadataBytes;
}

function sameCatalogRow(a: RawCatalogRow, b: RawCatalogRow): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function sameFileState(a: FileState, b: FileState): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.changeCounter === b.changeCounter && a.schemaCookie === b.schemaCookie
    && a.wal?.size === b.wal?.size && a.wal?.salt1 === b.wal?.salt1 && a.wal?.salt2 === b.wal?.salt2 && a.wal?.commitFrames === b.wal?.commitFrames;
}
