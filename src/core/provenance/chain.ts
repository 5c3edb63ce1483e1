/**
 * The full upstream chain of one version, gathered once for every export
 * format: the versions with their parents and files, the steps that produced
 * and consumed them, the runs those steps belong to, and the gaps a reader
 * must know about. Every list is sorted, so the same store always gives the
 * same chain.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WorkspaceIndex } from '../api';
import { describeError } from '../errors';
import type { AssetVersion, LoadProblem, RunInfo, StepInfo } from '../model/types';
import { isOutside, readFailure, specialKind } from '../files/local-file';
import { hashFile, hashFolder } from '../register/hash';
import { compareText, compareTypeNames } from './impact';

export { compareText };
import { walkLineage } from './walk';

export interface ChainParent {
  /** A version id, or the stored id of a parent that no store contains. */
  id: string;
  /** True when the edge comes from a step's declared inputs, not from a stored parent list. */
  derived: boolean;
  /** True when no store contains the parent (a dangling id). */
  missing: boolean;
}

export interface ChainFile {
  /** The path or URI as stored. */
  stored: string;
  /**
   * `present` (hashed), `missing` (a local path that does not exist), `remote` (a URI this tool does not read),
   * `outside` (outside the workspace folder after resolving links: not read), `special` (a FIFO, device or
   * socket: never opened) or `unreadable` (a read failed, and `reason` gives the cause).
   */
  state: 'present' | 'missing' | 'remote' | 'outside' | 'special' | 'unreadable';
  /** Cause of the file not being hashed, for `outside`, `special` and `unreadable`. */
  reason?: string;
  kind?: 'file' | 'folder';
  /** sha256 of the file's bytes, or of the `sha256sum` listing of a folder's files. */
  sha256?: string;
}

export interface ChainVersion {
  version: AssetVersion;
  /** Generations above the exported version: 0 for the version itself. */
  distance: number;
  parents: ChainParent[];
  /** Step ids (`step:<run id>:<step>`) that produced this version. */
  producedBy: string[];
  file?: ChainFile;
  /** Scalar properties under the seed's names, then a stored `source`, at most {@link PROPERTY_LIMIT}. */
  properties: [string, string | number | boolean][];
  /** A problem reading the version's stored metadata, which hides its properties. */
  propertyProblem?: string;
}

/** Properties per version that the export lists; the rest stay in the stores. */
export const PROPERTY_LIMIT = 12;
/** Property text longer than this is cut, so an embedded blob cannot flood the report. */
const PROPERTY_CHARS = 160;

export interface ChainRun {
  run: RunInfo;
  /** The run's steps that produced or consumed a version of the chain, in the run's order. */
  steps: StepInfo[];
}

export interface ChainGaps {
  /** Versions whose label is an ordinal because the store records no version string. */
  derivedVersions: string[];
  /** Parent edges (parent id, child id) that come from step inputs rather than a stored parent list. */
  derivedParents: [string, string][];
  /** Parent ids that no store contains, with the version that lists them. */
  danglingParents: [string, string][];
  /** Versions whose local file or folder does not exist. */
  missingFiles: string[];
  /** Versions whose file was not hashed: outside the workspace, not a regular file or folder, or unreadable. */
  unreadFiles: string[];
  /** Runs whose status is still `running`: no end was ever recorded. */
  runningRuns: string[];
  /** Runs whose status is `failed`. */
  failedRuns: string[];
  /** Runs known only from catalog rows, with no run record in a metadata.db. */
  unrecordedRuns: string[];
  /** Problems met while loading the stores. */
  loadProblems: LoadProblem[];
}

export interface ProvenanceChain {
  focus: AssetVersion;
  /** Every version of the chain, the focus included, farthest generation first. */
  versions: ChainVersion[];
  runs: ChainRun[];
  gaps: ChainGaps;
  /** The databases that were read, with the sha256 of their bytes at export time. */
  stores: { path: string; sha256: string }[];
}

export async function gatherChain(index: WorkspaceIndex, id: string): Promise<ProvenanceChain> {
  const walk = walkLineage(index, id, 'up');
  const parentsOf = new Map<string, ChainParent[]>();
  const producedBy = new Map<string, string[]>();
  const chainSteps = new Set<string>();
  for (const edge of walk.graph.edges) {
    if (edge.kind === 'parent') {
      const missing = walk.nodes.get(edge.from)?.kind === 'missing';
      push(parentsOf, edge.to, { id: missing ? walk.nodes.get(edge.from)!.name : edge.from, derived: edge.derived, missing });
    } else if (edge.kind === 'produced') {
      push(producedBy, edge.to, edge.from);
      chainSteps.add(edge.from);
    } else {
      chainSteps.add(edge.to);
    }
  }

  const versions: ChainVersion[] = [];
  for (const [nodeId, distance] of walk.distance) {
    if (walk.nodes.get(nodeId)?.kind !== 'asset') continue;
    const version = index.getVersion(nodeId);
    if (!version) continue;
    const { properties, problem } = await keyProperties(index, version.id);
    const entry: ChainVersion = {
      version,
      distance,
      parents: (parentsOf.get(nodeId) ?? []).sort((a, b) => compareText(a.id, b.id)),
      producedBy: (producedBy.get(nodeId) ?? []).sort(compareText),
      file: await describeFile(index.root, version),
      properties,
    };
    if (problem !== undefined) entry.propertyProblem = problem;
    versions.push(entry);
  }
  versions.sort((a, b) => b.distance - a.distance || compareTypeNames(a.version.type, b.version.type)
    || compareText(a.version.name, b.version.name) || a.version.ordinal - b.version.ordinal || compareText(a.version.id, b.version.id));

  const runs: ChainRun[] = [];
  for (const run of index.runs) {
    const steps = run.steps.filter((step) => chainSteps.has(step.id));
    if (steps.length > 0) runs.push({ run, steps });
  }
  runs.sort((a, b) => compareText(a.run.startTime?.iso ?? '', b.run.startTime?.iso ?? '') || compareText(a.run.runId, b.run.runId));

  return { focus: walk.focus, versions, runs, gaps: findGaps(index, versions, runs), stores: hashStores(index) };
}

function findGaps(index: WorkspaceIndex, versions: ChainVersion[], runs: ChainRun[]): ChainGaps {
  const gaps: ChainGaps = {
    derivedVersions: [], derivedParents: [], danglingParents: [], missingFiles: [], unreadFiles: [],
    runningRuns: [], failedRuns: [], unrecordedRuns: [], loadProblems: [...index.problems],
  };
  for (const entry of versions) {
    const id = entry.version.id;
    if (entry.version.storedVersion === undefined) gaps.derivedVersions.push(id);
    if (entry.file?.state === 'missing') gaps.missingFiles.push(id);
    if (entry.file?.reason !== undefined) gaps.unreadFiles.push(id);
    for (const parent of entry.parents) {
      if (parent.missing) gaps.danglingParents.push([parent.id, id]);
      else if (parent.derived) gaps.derivedParents.push([parent.id, id]);
    }
  }
  for (const { run } of runs) {
    if (run.status === 'running') gaps.runningRuns.push(run.runId);
    else if (run.status === 'failed') gaps.failedRuns.push(run.runId);
    else if (run.status === 'unknown') gaps.unrecordedRuns.push(run.runId);
  }

  return gaps;
}

/**
 * Reads the scalar typed properties of a version (rows, framework, model
 * class …) and a stored `source`, which names where raw data came from.
 * Nested values such as column statistics are left out.
 */
async function keyProperties(index: WorkspaceIndex, id: string): Promise<{ properties: [string, string | number | boolean][]; problem?: string }> {
  let details;
  try {
    details = await index.details(id);
  } catch (error) {
    return { properties: [], problem: describeError(error) };
  }

  const scalar = (value: unknown): value is string | number | boolean => typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
  const properties: [string, string | number | boolean][] = [];
  for (const [key, value] of Object.entries(details.properties.typed).sort(([a], [b]) => compareText(a, b))) {
    if (scalar(value)) properties.push([key, typeof value === 'string' ? value.slice(0, PROPERTY_CHARS) : value]);
  }
  const source = details.properties.extra.source;
  if (typeof source === 'string') properties.push(['source', source.slice(0, PROPERTY_CHARS)]);

  return { properties: properties.slice(0, PROPERTY_LIMIT), problem: details.problem };
}

/**
 * Resolves a version's path or URI (`file:` URIs and relative paths are
 * local, other schemes are remote) and hashes it. A path outside the
 * workspace folder, after resolving links, is not read, and whether it exists
 * is not reported. A FIFO, device or socket is never opened. A read failure
 * becomes the file's state, so one bad file never stops the export.
 */
async function describeFile(root: string, version: AssetVersion): Promise<ChainFile | undefined> {
  const stored = version.path ?? version.uri;
  if (!stored) return undefined;

  let local: string;
  if (stored.startsWith('file:')) {
    try {
      local = fileURLToPath(stored);
    } catch {
      return { stored, state: 'missing' };
    }
  } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(stored)) {
    return { stored, state: 'remote' };
  } else {
    local = path.resolve(root, stored);
  }

  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(local);
  } catch {
    stat = undefined;
  }
  if (isOutside(local, root, stat !== undefined)) {
    return { stored, state: 'outside', reason: 'It is outside the workspace folder (after resolving symbolic links), so it was not read.' };
  }
  if (!stat) return { stored, state: 'missing' };
  const special = specialKind(stat);
  if (special !== undefined) return { stored, state: 'special', reason: `It is ${special}, not a regular file or folder, so it was never opened.` };

  const kind = stat.isDirectory() ? 'folder' : 'file';
  try {
    return { stored, state: 'present', kind, sha256: kind === 'folder' ? await hashFolder(local) : await hashFile(local) };
  } catch (error) {
    // The reason names the file relative to the workspace, so the export's bytes do not depend on where the workspace is.
    const failure = readFailure(local, error);
    const relative = path.relative(root, failure.file).split(path.sep).join('/') || '.';
    return { stored, state: 'unreadable', kind, reason: `Can't read ${relative}: ${failure.reason}.` };
  }
}

function hashStores(index: WorkspaceIndex): { path: string; sha256: string }[] {
  return index.stores
    .map((store) => ({ path: store.path, sha256: crypto.createHash('sha256').update(fs.readFileSync(store.absolutePath)).digest('hex') }))
    .sort((a, b) => compareText(a.path, b.path));
}

function push<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
