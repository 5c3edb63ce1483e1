/**
 * Impact analysis: every version downstream of one version, grouped by
 * distance in generations and by asset type, nearest first.
 */
import type { WorkspaceIndex } from '../api';
import { ASSET_TYPES, type AssetTypeName, type AssetVersion } from '../model/types';
import { walkLineage } from './walk';

/** The facts of a version every provenance result repeats, as plain data. */
export interface VersionRef {
  id: string;
  name: string;
  type: AssetTypeName;
  label: string;
  /** The stored version string; undefined when the label is a derived ordinal. */
  storedVersion?: string;
}

export interface ImpactGroup {
  /** Generations below the focus: 1 for its children. */
  distance: number;
  type: AssetTypeName;
  versions: VersionRef[];
}

export interface ImpactReport {
  focus: VersionRef;
  /** Number of downstream versions, the focus not counted. */
  total: number;
  /** Downstream versions per type. */
  byType: Partial<Record<AssetTypeName, number>>;
  groups: ImpactGroup[];
}

export function versionRef(version: AssetVersion): VersionRef {
  const ref: VersionRef = { id: version.id, name: version.name, type: version.type, label: version.label };
  if (version.storedVersion !== undefined) ref.storedVersion = version.storedVersion;

  return ref;
}

/** Compares by UTF-16 code units, which is locale-independent and so gives the same order on every machine. */
export function compareText(a: string, b: string): number {
  if (a === b) return 0;

  return a < b ? -1 : 1;
}

/** Orders the nine FlowyML types as FlowyML lists them, then every other class name by code point. */
export function compareTypeNames(a: AssetTypeName, b: AssetTypeName): number {
  const rank = (type: AssetTypeName) => {
    const position = (ASSET_TYPES as readonly string[]).indexOf(type);
    return position === -1 ? ASSET_TYPES.length : position;
  };

  return rank(a) - rank(b) || compareText(a, b);
}

/** Orders versions by name, then by ordinal, then by id, so every listing is stable across runs. */
export function compareVersionRefs(a: AssetVersion, b: AssetVersion): number {
  return compareText(a.name, b.name) || a.ordinal - b.ordinal || compareText(a.id, b.id);
}

export function impactOf(index: WorkspaceIndex, id: string): ImpactReport {
  const walk = walkLineage(index, id, 'down');
  const groups = new Map<string, { distance: number; type: AssetTypeName; versions: AssetVersion[] }>();
  const byType: Partial<Record<AssetTypeName, number>> = {};
  let total = 0;

  for (const [nodeId, distance] of walk.distance) {
    if (nodeId === walk.focus.id || walk.nodes.get(nodeId)?.kind !== 'asset') continue;
    const version = index.getVersion(nodeId);
    if (!version) continue;

    const key = `${distance}\u0000${version.type}`;
    let group = groups.get(key);
    if (!group) {
      group = { distance, type: version.type, versions: [] };
      groups.set(key, group);
    }
    group.versions.push(version);
    byType[version.type] = (byType[version.type] ?? 0) + 1;
    total++;
  }

  const ordered = [...groups.values()].sort((a, b) => a.distance - b.distance || compareTypeNames(a.type, b.type));

  const sortedByType: Partial<Record<AssetTypeName, number>> = {};
  for (const type of (Object.keys(byType) as AssetTypeName[]).sort(compareTypeNames)) sortedByType[type] = byType[type];

  return {
    focus: versionRef(walk.focus),
    total,
    byType: sortedByType,
    groups: ordered.map((group) => ({
      distance: group.distance,
      type: group.type,
      versions: group.versions.sort(compareVersionRefs).map(versionRef),
    })),
  };
}
