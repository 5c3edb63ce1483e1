/**
 * Compares the parents of two versions to find which input changed.
 * Parents are paired in passes, each on what is left by the one before:
 *   1. the same version id: an unchanged input;
 *   2. the same asset, produced by the same step output: a changed input;
 *   3. the same asset (type and name): a changed input;
 *   4. the same type from the same step output under another asset name,
 *      as when a checkpoint is named after the model version: a changed input.
 * Whatever is left is an input only A has (removed) or only B has (added).
 */
import type { WorkspaceIndex } from '../api';
import type { AssetVersion } from '../model/types';
import type { InputChange, InputRef } from './types';

interface Parent {
  ref: InputRef;
  version: AssetVersion | undefined;
}

function parentsOf(workspace: WorkspaceIndex, version: AssetVersion): Parent[] {
  const derived = new Set(version.derivedParents);

  return version.parents.map((id) => {
    const parent = workspace.getVersion(id);
    const ref: InputRef = {
      id: parent?.id ?? id,
      found: parent !== undefined,
      type: parent?.type ?? null,
      name: parent?.name ?? id,
      label: parent?.label ?? null,
      runId: parent?.runId ?? null,
      step: parent?.step ?? null,
      derived: derived.has(id),
    };
    return { ref, version: parent };
  });
}

type PairKey = (parent: Parent) => string | undefined;

const byId: PairKey = (p) => p.ref.id;
const byAssetAndOutput: PairKey = (p) => (p.version ? JSON.stringify([p.version.type, p.version.name, p.version.step ?? null, p.version.outputName ?? null]) : undefined);
const byAsset: PairKey = (p) => (p.version ? JSON.stringify([p.version.type, p.version.name]) : undefined);
const byOutput: PairKey = (p) => (p.version?.step !== undefined && p.version.outputName !== undefined
  ? JSON.stringify([p.version.type, p.version.step, p.version.outputName])
  : undefined);

const PASSES: { key: PairKey; matchedBy: NonNullable<InputChange['matchedBy']> }[] = [
  { key: byId, matchedBy: 'id' },
  { key: byAssetAndOutput, matchedBy: 'asset' },
  { key: byAsset, matchedBy: 'asset' },
  { key: byOutput, matchedBy: 'step-output' },
];

const KIND_ORDER: Record<InputChange['kind'], number> = { changed: 0, removed: 1, added: 2, unchanged: 3 };

export function compareInputs(workspace: WorkspaceIndex, a: AssetVersion, b: AssetVersion): InputChange[] {
  const leftA = parentsOf(workspace, a);
  const leftB = parentsOf(workspace, b);
  const changes: InputChange[] = [];

  for (const pass of PASSES) {
    for (let i = 0; i < leftA.length;) {
      const key = pass.key(leftA[i]);
      const j = key === undefined ? -1 : leftB.findIndex((candidate) => pass.key(candidate) === key);
      if (j < 0) {
        i++;
        continue;
      }
      const [parentA] = leftA.splice(i, 1);
      const [parentB] = leftB.splice(j, 1);
      changes.push({ kind: pass.matchedBy === 'id' ? 'unchanged' : 'changed', matchedBy: pass.matchedBy, a: parentA.ref, b: parentB.ref });
    }
  }
  for (const parent of leftA) changes.push({ kind: 'removed', matchedBy: null, a: parent.ref, b: null });
  for (const parent of leftB) changes.push({ kind: 'added', matchedBy: null, a: null, b: parent.ref });

  // Array.prototype.sort is stable, so inputs of one kind keep the order they were paired in.
  return changes.sort((x, y) => KIND_ORDER[x.kind] - KIND_ORDER[y.kind]);
}
