/**
 * Lineage diff ("why do these differ?"): walks the upstream graphs of two
 * versions and lists the ancestor assets whose versions differ between the
 * two, side by side, with the run parameters that differ between the runs
 * that produced them.
 */
import type { WorkspaceIndex } from '../api';
import { stringifyJson } from '../json/tolerant';
import type { AssetTypeName, AssetVersion, RunInfo } from '../model/types';
import { compareText, compareTypeNames, compareVersionRefs, versionRef, type VersionRef } from './impact';
import { walkLineage, type Walk } from './walk';

export interface AncestorDifference {
  type: AssetTypeName;
  name: string;
  /** Versions of this asset upstream of A only; empty when only B has the asset upstream. */
  a: VersionRef[];
  /** Versions of this asset upstream of B only. */
  b: VersionRef[];
  /** The smaller of the two generation distances, for ordering. */
  distance: number;
  /** Pairs (A side, B side) to open in the compare panel: versions paired oldest to oldest. */
  comparePairs: [string, string][];
}

export interface ParameterDifference {
  /** Run ids as stored. */
  runA: string;
  runB: string;
  key: string;
  /** JSON text of the value, or undefined when that run has no such parameter. */
  a?: string;
  b?: string;
}

export interface MissingParent {
  /** The parent id as stored, which no store contains. */
  id: string;
  side: 'a' | 'b';
}

export interface LineageDiff {
  a: VersionRef;
  b: VersionRef;
  /** True when A and B are versions of one asset (same type and name). */
  sameAsset: boolean;
  differences: AncestorDifference[];
  parameters: ParameterDifference[];
  missing: MissingParent[];
  /** Ancestor versions both share. */
  commonAncestors: number;
}

export function diffLineage(index: WorkspaceIndex, idA: string, idB: string): LineageDiff {
  const walkA = walkLineage(index, idA, 'up');
  const walkB = walkLineage(index, idB, 'up');
  const sideA = ancestorsByAsset(index, walkA);
  const sideB = ancestorsByAsset(index, walkB);

  const differences: AncestorDifference[] = [];
  let commonAncestors = 0;
  for (const key of new Set([...sideA.keys(), ...sideB.keys()])) {
    const a = sideA.get(key) ?? [];
    const b = sideB.get(key) ?? [];
    const idsB = new Set(b.map((entry) => entry.version.id));
    const onlyA = a.filter((entry) => !idsB.has(entry.version.id));
    const idsA = new Set(a.map((entry) => entry.version.id));
    const onlyB = b.filter((entry) => !idsA.has(entry.version.id));
    commonAncestors += a.length - onlyA.length;
    if (onlyA.length === 0 && onlyB.length === 0) continue;

    const sample = (onlyA[0] ?? onlyB[0]).version;
    const versionsA = onlyA.map((entry) => entry.version).sort(compareVersionRefs);
    const versionsB = onlyB.map((entry) => entry.version).sort(compareVersionRefs);
    differences.push({
      type: sample.type,
      name: sample.name,
      a: versionsA.map(versionRef),
      b: versionsB.map(versionRef),
      distance: Math.min(...[...onlyA, ...onlyB].map((entry) => entry.distance)),
      comparePairs: pairVersions(versionsA, versionsB),
    });
  }
  differences.sort((x, y) => x.distance - y.distance || compareTypeNames(x.type, y.type) || compareText(x.name, y.name));

  const runPairs: [RunInfo, RunInfo][] = [];
  const runA = runOf(index, walkA.focus);
  const runB = runOf(index, walkB.focus);
  if (runA && runB) runPairs.push([runA, runB]);
  for (const difference of differences) {
    for (const [a, b] of difference.comparePairs) {
      const pairA = runOf(index, index.getVersion(a));
      const pairB = runOf(index, index.getVersion(b));
      if (pairA && pairB) runPairs.push([pairA, pairB]);
    }
  }

  return {
    a: versionRef(walkA.focus),
    b: versionRef(walkB.focus),
    sameAsset: walkA.focus.type === walkB.focus.type && walkA.focus.name === walkB.focus.name,
    differences,
    parameters: parameterDifferences(runPairs),
    missing: [...missingParents(walkA, 'a'), ...missingParents(walkB, 'b')],
    commonAncestors,
  };
}

interface Ancestor {
  version: AssetVersion;
  distance: number;
}

function ancestorsByAsset(index: WorkspaceIndex, walk: Walk): Map<string, Ancestor[]> {
  const byAsset = new Map<string, Ancestor[]>();
  for (const [id, distance] of walk.distance) {
    if (id === walk.focus.id || walk.nodes.get(id)?.kind !== 'asset') continue;
    const version = index.getVersion(id);
    if (!version) continue;
    const key = `${version.type}\u0000${version.name}`;
    const list = byAsset.get(key);
    if (list) list.push({ version, distance });
    else byAsset.set(key, [{ version, distance }]);
  }

  return byAsset;
}

/** Pairs versions oldest to oldest; with unequal counts the newest of each side pair up as well. */
function pairVersions(a: AssetVersion[], b: AssetVersion[]): [string, string][] {
  if (a.length === 0 || b.length === 0) return [];
  if (a.length === b.length) return a.map((version, i) => [version.id, b[i].id]);

  return [[a[a.length - 1].id, b[b.length - 1].id]];
}

function runOf(index: WorkspaceIndex, version: AssetVersion | undefined): RunInfo | undefined {
  if (!version?.runId) return undefined;

  return index.runs.find((run) => run.runId === version.runId);
}

function parameterDifferences(pairs: [RunInfo, RunInfo][]): ParameterDifference[] {
  const seen = new Set<string>();
  const differences: ParameterDifference[] = [];
  for (const [runA, runB] of pairs) {
    const pairKey = `${runA.runId}\u0000${runB.runId}`;
    if (runA.runId === runB.runId || seen.has(pairKey)) continue;
    seen.add(pairKey);

    const keys = [...new Set([...Object.keys(runA.context), ...Object.keys(runB.context)])].sort();
    for (const key of keys) {
      const a = key in runA.context ? stringifyJson(runA.context[key]) : undefined;
      const b = key in runB.context ? stringifyJson(runB.context[key]) : undefined;
      if (a === b) continue;
      const difference: ParameterDifference = { runA: runA.runId, runB: runB.runId, key };
      if (a !== undefined) difference.a = a;
      if (b !== undefined) difference.b = b;
      differences.push(difference);
    }
  }

  return differences;
}

function missingParents(walk: Walk, side: 'a' | 'b'): MissingParent[] {
  return walk.graph.nodes
    .filter((node) => node.kind === 'missing')
    .map((node) => ({ id: node.name, side }))
    .sort((x, y) => compareText(x.id, y.id));
}
