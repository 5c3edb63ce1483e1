/**
 * The nodes of the Assets tree and how one level's children are grouped.
 * Each node carries the versions below it, already filtered, so a level is
 * computed from its parent alone. Ids are stable across reloads, which lets
 * VS Code keep expansion and selection when the tree refreshes.
 */
import { ASSET_TYPES, type AssetSummary, type AssetTypeName, type AssetVersion, type LoadProblem } from '../../core';
import type { GroupBy } from '../ids';
import type { StoreRoot } from '../stores/storeService';

export interface AssetFilter {
  /** Case-insensitive substring of the asset name; empty matches every name. */
  text: string;
  /** Types to show; empty shows every type. */
  types: AssetTypeName[];
  /** When set, only these version ids are shown: the "stale only" filter. */
  staleIds?: ReadonlySet<string>;
}

export const NO_FILTER: AssetFilter = { text: '', types: [] };

interface NodeBase {
  /** Stable id: the path of keys from the top of the tree. */
  id: string;
  root: StoreRoot;
}

export type AssetsNode =
  | (NodeBase & { kind: 'folder'; versions: AssetVersion[] })
  | (NodeBase & { kind: 'store'; store: string; versions: AssetVersion[] })
  | (NodeBase & { kind: 'problem'; problem: LoadProblem })
  | (NodeBase & { kind: 'pipeline'; pipeline: string | undefined; versions: AssetVersion[] })
  | (NodeBase & { kind: 'run'; runId: string | undefined; versions: AssetVersion[] })
  | (NodeBase & { kind: 'type'; type: AssetTypeName; assets: AssetSummary[] })
  | (NodeBase & { kind: 'asset'; asset: AssetSummary })
  | (NodeBase & { kind: 'version'; version: AssetVersion; showName: boolean })
  | (NodeBase & { kind: 'more'; parentId: string; remaining: number })
  | (NodeBase & { kind: 'empty' });


const nameCollator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

export function matchesFilter(version: AssetVersion, filter: AssetFilter): boolean {
  if (filter.types.length > 0 && !filter.types.includes(version.type)) return false;
  if (filter.staleIds && !filter.staleIds.has(version.id)) return false;
  if (filter.text === '') return true;

  return version.name.toLowerCase().includes(filter.text.toLowerCase());
}

/** Builds the top level: one node per folder when several folders have stores, else that folder's level. */
export function topLevel(roots: readonly StoreRoot[], filter: AssetFilter, groupBy: GroupBy): AssetsNode[] {
  if (roots.length === 1) return folderChildren(roots[0], filter, groupBy);

  return roots.map((root) => ({
    kind: 'folder',
    id: folderKey(root),
    root,
    versions: filteredVersions(root, filter),
  }));
}

/** Builds a folder's level: load problems first, then one node per store when it has several, else the grouping. */
export function folderChildren(root: StoreRoot, filter: AssetFilter, groupBy: GroupBy): AssetsNode[] {
  const prefix = folderKey(root);
  const problems: AssetsNode[] = (root.index?.problems ?? [])
    .filter((problem) => problem.severity === 'error')
    .map((problem, position) => ({ kind: 'problem', id: `${prefix}/problem:${position}:${problem.file}`, root, problem }));
  if (!root.index) {
    const problem: LoadProblem = { file: root.root, severity: 'error', code: 'load', message: root.error ?? '' };
    return [{ kind: 'problem', id: `${prefix}/problem:load`, root, problem }];
  }

  const versions = filteredVersions(root, filter);
  // A store whose rows all merged into another store's versions (a catalog.db
  // beside its metadata.db) has no versions of its own and gets no node.
  const loadedStores = root.index.stores
    .map((store) => store.path)
    .filter((store) => versions.some((version) => version.store === store));
  if (loadedStores.length > 1) {
    const stores: AssetsNode[] = loadedStores.map((store) => ({
      kind: 'store',
      id: `${prefix}/store:${store}`,
      root,
      store,
      versions: versions.filter((version) => version.store === store),
    }));
    return [...problems, ...stores];
  }

  return [...problems, ...groupVersions(prefix, root, versions, groupBy)];
}

/** Groups versions by the chosen level: types (then names), pipelines, or runs. */
export function groupVersions(prefix: string, root: StoreRoot, versions: AssetVersion[], groupBy: GroupBy): AssetsNode[] {
  switch (groupBy) {
    case 'type':
      return typeNodes(prefix, root, versions);
    case 'pipeline':
      return pipelineNodes(prefix, root, versions);
    case 'run':
      return runNodes(prefix, root, versions);
    default: {
      const unhandled: never = groupBy;
      throw new Error(`Unknown grouping: ${String(unhandled)}`);
    }
  }
}

export function typeNodes(prefix: string, root: StoreRoot, versions: AssetVersion[]): AssetsNode[] {
  const byType = new Map<AssetTypeName, AssetVersion[]>();
  for (const version of versions) {
    const list = byType.get(version.type);
    if (list) list.push(version);
    else byType.set(version.type, [version]);
  }

  return [...byType.entries()]
    .sort(([a], [b]) => compareTypes(a, b))
    .map(([type, list]) => ({ kind: 'type', id: `${prefix}/type:${type}`, root, type, assets: summarize(list) }));
}

export function assetNodes(parent: Extract<AssetsNode, { kind: 'type' }>): AssetsNode[] {
  return parent.assets.map((asset) => ({ kind: 'asset', id: `${parent.id}/asset:${asset.name}`, root: parent.root, asset }));
}

/** Versions of one asset, newest first. */
export function versionNodes(parent: Extract<AssetsNode, { kind: 'asset' }>): AssetsNode[] {
  return [...parent.asset.versions].reverse().map((version) => ({
    kind: 'version',
    id: `${parent.id}/version:${version.id}`,
    root: parent.root,
    version,
    showName: false,
  }));
}

function pipelineNodes(prefix: string, root: StoreRoot, versions: AssetVersion[]): AssetsNode[] {
  const byPipeline = new Map<string | undefined, AssetVersion[]>();
  for (const version of versions) {
    const list = byPipeline.get(version.pipeline);
    if (list) list.push(version);
    else byPipeline.set(version.pipeline, [version]);
  }

  return [...byPipeline.entries()]
    .sort(([a], [b]) => compareOptionalNames(a, b))
    .map(([pipeline, list]) => ({ kind: 'pipeline', id: `${prefix}/pipeline:${pipeline ?? ''}`, root, pipeline, versions: list }));
}

/** Runs newest first, by the creation time of their newest version. */
function runNodes(prefix: string, root: StoreRoot, versions: AssetVersion[]): AssetsNode[] {
  const byRun = new Map<string | undefined, AssetVersion[]>();
  for (const version of versions) {
    const list = byRun.get(version.runId);
    if (list) list.push(version);
    else byRun.set(version.runId, [version]);
  }
  const newest = (list: AssetVersion[]) => Math.max(...list.map((version) => createdMs(version)));

  return [...byRun.entries()]
    .sort(([, a], [, b]) => newest(b) - newest(a))
    .map(([runId, list]) => ({ kind: 'run', id: `${prefix}/run:${runId ?? ''}`, root, runId, versions: list }));
}

/** Lists the versions of one run, each row named after its asset. */
export function runVersionNodes(parent: Extract<AssetsNode, { kind: 'run' }>): AssetsNode[] {
  return [...parent.versions]
    .sort((a, b) => compareTypes(a.type, b.type) || nameCollator.compare(a.name, b.name))
    .map((version) => ({ kind: 'version', id: `${parent.id}/version:${version.id}`, root: parent.root, version, showName: true }));
}

/** Groups versions into assets by (type, name), each asset's versions oldest first, assets sorted by name. */
export function summarize(versions: AssetVersion[]): AssetSummary[] {
  const byName = new Map<string, AssetVersion[]>();
  for (const version of versions) {
    const key = `${version.type}\u0000${version.name}`;
    const list = byName.get(key);
    if (list) list.push(version);
    else byName.set(key, [version]);
  }

  return [...byName.values()]
    .map((list) => {
      const sorted = [...list].sort((a, b) => a.ordinal - b.ordinal);
      return { type: sorted[0].type, name: sorted[0].name, versions: sorted, latest: sorted[sorted.length - 1] };
    })
    .sort((a, b) => nameCollator.compare(a.name, b.name));
}

/** Orders the nine FlowyML types as FlowyML lists them, then every other class name alphabetically. */
export function compareTypes(a: AssetTypeName, b: AssetTypeName): number {
  const rank = (type: AssetTypeName) => {
    const position = (ASSET_TYPES as readonly string[]).indexOf(type);
    return position === -1 ? ASSET_TYPES.length : position;
  };

  return rank(a) - rank(b) || nameCollator.compare(a, b);
}

export function createdMs(version: AssetVersion): number {
  const iso = version.createdAt?.iso;
  const parsed = iso ? Date.parse(iso) : NaN;

  return Number.isNaN(parsed) ? 0 : parsed;
}

function filteredVersions(root: StoreRoot, filter: AssetFilter): AssetVersion[] {
  return (root.index?.versions ?? []).filter((version) => matchesFilter(version, filter));
}

function compareOptionalNames(a: string | undefined, b: string | undefined): number {
  if (a === undefined) return b === undefined ? 0 : 1;
  if (b === undefined) return -1;

  return nameCollator.compare(a, b);
}

function folderKey(root: StoreRoot): string {
  return `folder:${root.folder?.uri.toString() ?? root.root}`;
}
