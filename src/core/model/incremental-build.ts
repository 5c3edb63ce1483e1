/**
 * Updates a built model for rows appended (or re-read) since it was built,
 * with the same result as buildModel over all rows. Only the runs the change
 * touches are built again: buildModel runs over the rows of those runs, and
 * the result replaces their part of the previous model.
 *
 * A run's part of the model depends on its own rows only (its runs row, the
 * artifact rows with its run id, the catalog rows with its source_run_id),
 * except for four links to the rest, each handled here:
 *
 * - stored parents may name catalog or artifact ids outside the touched
 *   runs: they are resolved again against the whole model, in buildModel's
 *   order (catalog ids first, then metadata artifact ids);
 * - other versions may name the touched runs' ids as parents: if an id they
 *   resolved to disappears, changes target, or appears for a parent they
 *   held as missing, the whole model is built again;
 * - ordinals number the versions of one (type, name) across runs, so they
 *   are numbered again for every name the change touches. An untouched
 *   version whose number moves is copied, never changed, because the
 *   previous index stays in use until it is disposed;
 * - the order of versions and runs follows the store order, then rowid:
 *   both parts are merged in that order.
 *
 * `updateModel` returns undefined when a condition it relies on does not
 * hold (problems in either model, a run created from catalog rows only, an
 * id seen twice), and the caller builds the whole model instead.
 */
import { buildModel, missingId, versionId, type BuiltModel, type StoreRows, type VersionSource } from './build';
import type { RawCatalogRow } from '../store/rows';
import type { AssetVersion, RunInfo } from './types';
import { instantMs } from './time';
import { versionLabel } from './versions';

/** The changes in one store since the previous model, as the store reader found them. */
export interface StoreDelta {
  /** Run ids whose runs row is new or changed. */
  runIds: Set<string>;
  /** Run ids of the new artifact rows. */
  artifactRunIds: Set<string>;
  /** Catalog rows that are new or were read again. */
  catalogRows: RawCatalogRow[];
}

export function updateModel(previous: BuiltModel, previousInput: StoreRows[], input: StoreRows[], deltas: StoreDelta[]): BuiltModel | undefined {
  if (previous.problems.length > 0) return undefined;
  if (previousInput.length !== input.length || input.some((rows, i) => rows.store.path !== previousInput[i].store.path)) return undefined;

  // The touched runs, and catalog rows without a run that are new or changed.
  const touched = new Set<string>();
  const loose = new Set<RawCatalogRow>();
  for (const delta of deltas) {
    for (const id of delta.runIds) touched.add(id);
    for (const id of delta.artifactRunIds) touched.add(id);
    for (const row of delta.catalogRows) {
      if (row.sourceRunId) touched.add(row.sourceRunId);
      else loose.add(row);
    }
  }
  if (touched.has('')) return undefined;
  const looseKeys = new Set<string>();
  input.forEach((rows) => {
    for (const row of rows.catalog ?? []) if (loose.has(row)) looseKeys.add(rowKey(rows.store.path, row.rowid));
  });

  const subsetInput: StoreRows[] = input.map((rows) => ({
    store: rows.store,
    runs: rows.runs?.filter((r) => touched.has(r.runId)),
    artifacts: rows.artifacts?.filter((a) => touched.has(a.runId)),
    catalog: rows.catalog?.filter((c) => (c.sourceRunId ? touched.has(c.sourceRunId) : loose.has(c))),
  }));
  const subset = buildModel(subsetInput);
  if (subset.problems.length > 0) return undefined;

  // Runs created from catalog rows alone are ordered after every runs row; rebuild in that case.
  const rawRunIds = new Map<string, [number, number]>();
  input.forEach((rows, storeIndex) => rows.runs?.forEach((run, i) => {
    if (!rawRunIds.has(run.runId)) rawRunIds.set(run.runId, [storeIndex, i]);
  }));
  if (subset.runs.some((run) => !rawRunIds.has(run.runId))) return undefined;
  if (previous.runs.some((run) => touched.has(run.runId) && !rawRunIds.has(run.runId))) return undefined;

  const storeIndex = new Map(input.map((rows, i) => [rows.store.path, i]));
  const isRemoved = (v: AssetVersion): boolean => {
    if (v.runId !== undefined) return touched.has(v.runId);
    const own = previous.sources.get(v.id)?.catalog[0];
    return own !== undefined && previous.sources.get(v.id)?.metadata === undefined && looseKeys.has(rowKey(own.store, own.rowid));
  };

  const untouched: AssetVersion[] = [];
  const removed: AssetVersion[] = [];
  for (const v of previous.versions) (isRemoved(v) ? removed : untouched).push(v);
  const removedIds = new Set(removed.map((v) => v.id));
  /** A version id of the previous model that the change leaves in place. */
  const isUntouchedId = (id: string): boolean => previous.sources.has(id) && !removedIds.has(id);

  // Ids must not collide between the untouched part and the rebuilt part, as buildModel checks them.
  for (const v of subset.versions) if (isUntouchedId(v.id)) return undefined;
  const untouchedCatalogIndex = new Map(previous.catalogIndex);
  for (const v of removed) for (const ref of previous.sources.get(v.id)?.catalog ?? []) untouchedCatalogIndex.delete(ref.artifactId);
  for (const id of subset.catalogIndex.keys()) if (untouchedCatalogIndex.has(id)) return undefined;

  // buildModel resolves a parent through the first metadata version with that artifact id, in store order.
  const metadataStores = input.filter((rows) => rows.artifacts !== undefined).map((rows) => rows.store.path);
  const untouchedMetadataVersion = (artifactId: string): string | undefined => {
    for (const store of metadataStores) {
      const id = versionId(store, 'artifacts', artifactId);
      if (isUntouchedId(id) && previous.sources.get(id)?.metadata) return id;
    }
    return undefined;
  };
  const subsetMetadataIndex = new Map<string, string>();
  for (const v of subset.versions) {
    const source = subset.sources.get(v.id);
    if (source?.metadata && !subsetMetadataIndex.has(source.metadata.artifactId)) subsetMetadataIndex.set(source.metadata.artifactId, v.id);
  }

  // Untouched versions' parents must mean the same: none may vanish, move to another target or newly resolve.
  const watched = new Set<string>();
  const subsetIds = new Set(subset.versions.map((v) => v.id));
  for (const id of removedIds) if (!subsetIds.has(id)) watched.add(id);
  for (const v of removed) {
    for (const ref of previous.sources.get(v.id)?.catalog ?? []) {
      const before = previous.catalogIndex.get(ref.artifactId);
      if (before !== undefined && subset.catalogIndex.get(ref.artifactId) !== before) watched.add(before);
    }
  }
  for (const [catalogId, target] of subset.catalogIndex) {
    watched.add(missingId(catalogId));
    const before = previous.catalogIndex.get(catalogId);
    if (before !== undefined && before !== target) watched.add(before);
    // A new catalog id takes precedence over a metadata artifact id that untouched parents resolved through.
    if (untouchedMetadataVersion(catalogId) !== undefined) return undefined;
  }
  for (const artifactId of subsetMetadataIndex.keys()) {
    if (untouchedMetadataVersion(artifactId) !== undefined) return undefined;
    watched.add(missingId(artifactId));
  }
  for (const v of untouched) for (const p of v.parents) if (watched.has(p)) return undefined;

  // Stored parents of rebuilt versions, resolved against the whole model.
  const catalogRowByRef = new Map<string, RawCatalogRow>();
  subsetInput.forEach((rows) => {
    for (const row of rows.catalog ?? []) catalogRowByRef.set(rowKey(rows.store.path, row.rowid), row);
  });
  const subsetRuns = new Map(subset.runs.map((run) => [run.runId, run]));
  const resolve = (id: string): string => subset.catalogIndex.get(id) ?? untouchedCatalogIndex.get(id)
    ?? subsetMetadataIndex.get(id) ?? untouchedMetadataVersion(id) ?? missingId(id);
  for (const v of subset.versions) {
    const refs = subset.sources.get(v.id)?.catalog ?? [];
    const raw = refs.flatMap((ref) => catalogRowByRef.get(rowKey(ref.store, ref.rowid))?.parentIds ?? []);
    if (raw.length === 0) continue;
    const stored: string[] = [];
    for (const parentCatalogId of raw) {
      const parentId = resolve(parentCatalogId);
      if (parentId !== v.id && !stored.includes(parentId)) stored.push(parentId);
    }
    const step = v.step !== undefined && subset.sources.get(v.id)?.metadata
      ? subsetRuns.get(v.runId ?? '')?.steps.find((s) => s.name === v.step)
      : undefined;
    const derived: string[] = [];
    for (const parent of step?.consumed ?? []) {
      if (parent === v.id || stored.includes(parent) || derived.includes(parent)) continue;
      derived.push(parent);
    }
    v.parents = [...stored, ...derived];
    v.derivedParents = derived;
  }

  // Versions in buildModel's order: metadata rows of each store, then catalog rows of each store, by rowid.
  const versionKey = (v: AssetVersion, sources: Map<string, VersionSource>): number[] => {
    const source = sources.get(v.id)!;
    const ref = source.metadata ?? source.catalog[0];
    return [source.metadata ? 0 : 1, storeIndex.get(ref.store) ?? -1, ref.rowid];
  };
  const versions = insertSorted(untouched, subset.versions, (v) => versionKey(v, previous.sources), (v) => versionKey(v, subset.sources));

  // Runs in buildModel's order: runs rows by store and position, then runs created from catalog rows.
  const untouchedRuns = previous.runs.filter((run) => !touched.has(run.runId));
  const runKey = (run: RunInfo): number[] => {
    const at = rawRunIds.get(run.runId);
    return at ? [0, at[0], at[1]] : [1, 0, 0];
  };
  const runs = insertSorted(untouchedRuns, subset.runs, runKey, runKey);

  // Ordinals of every (type, name) the change touched, numbered again over all versions.
  const groups = new Set<string>();
  const names = new Set<string>();
  for (const v of [...removed, ...subset.versions]) {
    groups.add(groupKey(v));
    names.add(v.name);
  }
  const members = new Map<string, number[]>();
  versions.forEach((v, i) => {
    if (!names.has(v.name)) return;
    const key = groupKey(v);
    if (!groups.has(key)) return;
    const list = members.get(key);
    if (list) list.push(i);
    else members.set(key, [i]);
  });
  const rebuilt = new Set(subset.versions);
  for (const list of members.values()) {
    const created = list.map((i) => instantMs(versions[i].createdAt) ?? Number.POSITIVE_INFINITY);
    const order = list.map((_, k) => k).sort((a, b) => (created[a] !== created[b] ? (created[a] < created[b] ? -1 : 1) : list[a] - list[b]));
    order.forEach((k, rank) => {
      const i = list[k];
      const v = versions[i];
      const ordinal = rank + 1;
      const label = versionLabel(v.storedVersion, ordinal);
      if (v.ordinal === ordinal && v.label === label) return;
      versions[i] = rebuilt.has(v) ? Object.assign(v, { ordinal, label }) : { ...v, ordinal, label };
    });
  }

  const sources = new Map(previous.sources);
  for (const v of removed) sources.delete(v.id);
  for (const [id, source] of subset.sources) sources.set(id, source);
  const catalogIndex = untouchedCatalogIndex;
  for (const [id, target] of subset.catalogIndex) catalogIndex.set(id, target);

  return { versions, runs, catalogIndex, sources, problems: [] };
}

function rowKey(store: string, rowid: number): string {
  return `${store}\u0000${rowid}`;
}

function groupKey(v: AssetVersion): string {
  return `${v.type}\u0000${v.name}`;
}

function compareKeys(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/**
 * Inserts `right` (in key order, usually a few items) into `left` (in key
 * order, usually long), keeping key order; on equal keys `left`'s item comes
 * first. Binary search keeps the key calls to a few per inserted item.
 */
function insertSorted<T>(left: T[], right: T[], leftKey: (item: T) => number[], rightKey: (item: T) => number[]): T[] {
  if (right.length === 0) return left.slice();
  const result: T[] = [];
  let from = 0;
  for (const item of right) {
    const key = rightKey(item);
    let lo = from;
    let hi = left.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareKeys(leftKey(left[mid]), key) <= 0) lo = mid + 1;
      else hi = mid;
    }
    for (let i = from; i < lo; i++) result.push(left[i]);
    result.push(item);
    from = lo;
  }
  for (let i = from; i < left.length; i++) result.push(left[i]);
  return result;
}
