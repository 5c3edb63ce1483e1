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
 * - ordinals number the versions of one (type, name) across runs: they are
 *   numbered again for every name the change touches, and an untouched
 *   version whose number moves is copied, never changed, because the
 *   previous index stays in use until it is disposed;
 * - the order of versions and runs follows the store order, then rowid:
 *   both parts are merged in that order.
 *
 * `updateModel` returns undefined when a condition it relies on does not
 * hold (problems in either model, a run created from catalog rows only, an
 * id seen twice), and the caller builds the whole model instead.
 */
import { buildModel, missingId, type BuiltModel, type StoreRows, type VersionSource } from './build';
import type { RawCatalogRow } from '../store/rows';
import type { AssetVersion, RunInfo } from './types';
import { instantMs } from './time';
import { versionLabel } from './versions';

/** What changed in one store since the previous model, as the store reader saw it. */
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

  const kept: AssetVersion[] = [];
  const removed: AssetVersion[] = [];
  for (const v of previous.versions) (isRemoved(v) ? removed : kept).push(v);

  // Ids must not collide between the kept part and the rebuilt part.
  const keptIds = new Set<string>();
  for (const v of kept) {
    keptIds.add(v.id);
    for (const alias of v.aliases) keptIds.add(alias);
  }
  for (const v of subset.versions) {
    if (keptIds.has(v.id) || v.aliases.some((a) => keptIds.has(a))) return undefined;
  }
  const keptCatalogIndex = new Map(previous.catalogIndex);
  for (const v of removed) for (const ref of previous.sources.get(v.id)?.catalog ?? []) keptCatalogIndex.delete(ref.artifactId);
  for (const id of subset.catalogIndex.keys()) if (keptCatalogIndex.has(id)) return undefined;

  // Kept versions' parents must mean the same: no parent of theirs may vanish, move or newly resolve.
  const subsetIds = new Set(subset.versions.map((v) => v.id));
  const removedIds = new Set<string>();
  for (const v of removed) if (!subsetIds.has(v.id)) removedIds.add(v.id);
  const keptMetadataIndex = new Map<string, string>();
  for (const v of kept) {
    const source = previous.sources.get(v.id);
    if (source?.metadata && !keptMetadataIndex.has(source.metadata.artifactId)) keptMetadataIndex.set(source.metadata.artifactId, v.id);
  }
  const subsetMetadataIndex = new Map<string, string>();
  for (const v of subset.versions) {
    const source = subset.sources.get(v.id);
    if (source?.metadata && !subsetMetadataIndex.has(source.metadata.artifactId)) subsetMetadataIndex.set(source.metadata.artifactId, v.id);
  }
  const keptParents = new Set<string>();
  for (const v of kept) for (const p of v.parents) keptParents.add(p);
  for (const id of removedIds) if (keptParents.has(id)) return undefined;
  for (const v of removed) {
    for (const ref of previous.sources.get(v.id)?.catalog ?? []) {
      const before = previous.catalogIndex.get(ref.artifactId);
      if (before !== undefined && subset.catalogIndex.get(ref.artifactId) !== before && keptParents.has(before)) return undefined;
    }
  }
  for (const [catalogId, target] of subset.catalogIndex) {
    if (keptParents.has(missingId(catalogId))) return undefined;
    const before = previous.catalogIndex.get(catalogId);
    if (before !== undefined && before !== target && keptParents.has(before)) return undefined;
    // A new catalog id takes precedence over a metadata artifact id that kept parents resolved through.
    if (keptMetadataIndex.has(catalogId)) return undefined;
  }
  for (const artifactId of subsetMetadataIndex.keys()) {
    if (keptParents.has(missingId(artifactId)) || keptMetadataIndex.has(artifactId)) return undefined;
  }

  // Stored parents of rebuilt versions, resolved against the whole model.
  const catalogRowByRef = new Map<string, RawCatalogRow>();
  subsetInput.forEach((rows) => {
    for (const row of rows.catalog ?? []) catalogRowByRef.set(rowKey(rows.store.path, row.rowid), row);
  });
  const subsetRuns = new Map(subset.runs.map((run) => [run.runId, run]));
  const resolve = (id: string): string => subset.catalogIndex.get(id) ?? keptCatalogIndex.get(id)
    ?? subsetMetadataIndex.get(id) ?? keptMetadataIndex.get(id) ?? missingId(id);
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
  const versions = mergeSorted(kept, subset.versions, (v) => versionKey(v, previous.sources), (v) => versionKey(v, subset.sources));

  // Runs in buildModel's order: runs rows by store and position, then runs created from catalog rows.
  const keptRuns = previous.runs.filter((run) => !touched.has(run.runId));
  const runKey = (run: RunInfo): number[] => {
    const at = rawRunIds.get(run.runId);
    return at ? [0, at[0], at[1]] : [1, 0, 0];
  };
  const runs = mergeSorted(keptRuns, subset.runs, runKey, runKey);

  // Ordinals of every (type, name) the change touched, numbered again over all versions.
  const groups = new Set<string>();
  for (const v of removed) groups.add(groupKey(v));
  for (const v of subset.versions) groups.add(groupKey(v));
  const members = new Map<string, number[]>();
  versions.forEach((v, i) => {
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
  const catalogIndex = keptCatalogIndex;
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

/** Merges two lists, each already in key order, into one in key order; on equal keys the first list's item comes first. */
function mergeSorted<T>(left: T[], right: T[], leftKey: (item: T) => number[], rightKey: (item: T) => number[]): T[] {
  const result: T[] = [];
  let i = 0;
  let j = 0;
  let nextLeft = i < left.length ? leftKey(left[i]) : undefined;
  let nextRight = j < right.length ? rightKey(right[j]) : undefined;
  while (nextLeft && nextRight) {
    if (compareKeys(nextLeft, nextRight) <= 0) {
      result.push(left[i++]);
      nextLeft = i < left.length ? leftKey(left[i]) : undefined;
    } else {
      result.push(right[j++]);
      nextRight = j < right.length ? rightKey(right[j]) : undefined;
    }
  }
  while (i < left.length) result.push(left[i++]);
  while (j < right.length) result.push(right[j++]);
  return result;
}
