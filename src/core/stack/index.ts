/**
 * flowyml.yaml and what it means for a workspace: stacks, the routing table
 * per asset type, where each version's files are, previews and an integrity
 * check of those files.
 */
import type { AssetVersion, WorkspaceIndex } from '../index';
import { checkIntegrity, type IntegrityOptions, type IntegrityReport } from './integrity';
import { locateVersion, stepLocations, stepOutputFolders, type MaterializedLocation } from './materialize';
import { localArtifactBase, routingRow, type FlowymlFamily, type RoutingRow } from './routing';
import { throwIfAborted } from '../stats/types';
import type { StackDefinition, StackFile } from './types';

export * from './types';
export { CONFIG_FILE_NAMES, DEFAULT_ROUTE_PATH, PATH_PLACEHOLDERS, findStackFile, parseStackFile, readStackFile } from './config';
export { componentText, localArtifactBase, routingMarkdown, routingRow, routingTable, ruleFor, TABLE_TYPES, type FlowymlFamily, type RoutingRow } from './routing';
export { DEFAULT_ARTIFACT_BASE, EXECUTOR_TEMPLATE, ORCHESTRATOR_TEMPLATE, isOutside, isRemoteUri, locateVersion, primaryFile, stepLocations, stepOutputFolders, type MaterializedLocation } from './materialize';
export { checkIntegrity, FAILING_STATUSES, integrityCounts, integrityMarkdown, type IntegrityEntry, type IntegrityReport, type IntegrityStatus } from './integrity';
export { previewFile, PREVIEW_ROWS, type FilePreview, type PreviewFact, type PreviewResult } from './preview';

/** The FlowyML version family that wrote a workspace's stores: 2.x when any store has the newer schema or a catalog. */
export function flowymlFamily(index: WorkspaceIndex): FlowymlFamily {
  if (index.stores.some((store) => store.schema === 'flowyml-2.x' || store.schema === 'catalog')) return '2.x';

  return index.stores.length > 0 ? '1.7' : undefined;
}

export function findStack(file: StackFile | undefined, name: string | undefined): StackDefinition | undefined {
  return file?.stacks.find((stack) => stack.name === name);
}

/** Local artifact-store folders of every stack in the file, the given stack's first. */
export function stackArtifactBases(file: StackFile | undefined, preferred: string | undefined): string[] {
  const stacks = file ? [...file.stacks].sort((a, b) => Number(b.name === preferred) - Number(a.name === preferred)) : [];
  const bases: string[] = [];
  for (const stack of stacks) {
    const base = localArtifactBase(stack);
    if (base && !bases.includes(base)) bases.push(base);
  }

  return bases;
}

export interface VersionStorage {
  locations: MaterializedLocation[];
  /** The routing row of the version's stored class name in the chosen stack, when a stack file exists. */
  routing: RoutingRow | undefined;
  stack: string | undefined;
}

/** Returns where a version's files are and where the chosen stack routes its type. */
export function versionStorage(index: WorkspaceIndex, version: AssetVersion, file: StackFile | undefined, stackName: string | undefined, properties?: Record<string, unknown>): VersionStorage {
  const run = version.runId ? index.runs.find((each) => each.runId === version.runId) : undefined;
  const locations = locateVersion(version, { root: index.root, artifactBases: stackArtifactBases(file, stackName), run, properties });
  const stack = findStack(file, stackName);
  const routing = file && stack ? routingRow(file, stack, version.storedType, flowymlFamily(index)) : undefined;

  return { locations, routing, stack: stack?.name };
}

/** The executor folders of steps that recorded no version (a killed run, an automatic catalog row), so their files are found too. */
export function unversionedStepLocations(index: WorkspaceIndex, file: StackFile | undefined, stackName: string | undefined): { runId: string; step: string; locations: MaterializedLocation[] }[] {
  const bases = stackArtifactBases(file, stackName);
  const found: { runId: string; step: string; locations: MaterializedLocation[] }[] = [];
  for (const run of index.runs) {
    for (const step of run.steps) {
      if (step.produced.length > 0) continue;
      const date = /^(\d{4}-\d{2}-\d{2})/.exec(run.startTime?.raw ?? '')?.[1];
      const options = { root: index.root, artifactBases: bases };
      const locations = [...stepOutputFolders(run.runId, step.name, options), ...stepLocations(run.runId, step.name, run.pipeline, date, options)];
      if (locations.some((location) => location.exists)) found.push({ runId: run.runId, step: step.name, locations });
    }
  }

  return found;
}

/** Runs the integrity check over every version of a workspace, reading `file_path` and `hash_basis` from each version's details. */
export async function checkWorkspaceFiles(index: WorkspaceIndex, file: StackFile | undefined, stackName: string | undefined, options: IntegrityOptions = {}): Promise<IntegrityReport> {
  const inputs = [];
  for (const version of index.versions) {
    throwIfAborted(options.signal);
    // Details hold `file_path` and `hash_basis`; large metadata is read only up to the details cap.
    const details = await index.details(version.id);
    const properties = { ...details.properties.extra, ...details.properties.typed };
    const storage = versionStorage(index, version, file, stackName, properties);
    inputs.push({ version, locations: storage.locations, hashBasis: hashBasisOf(details.raw) });
  }

  const storeProblems = index.problems.filter((problem) => problem.severity === 'error').map((problem) => problem.message);

  return checkIntegrity(index.root, inputs, { ...options, storeProblems: options.storeProblems ?? storeProblems });
}

/** Finds `hash_basis` in a version's metadata: at the top level, or in a merged catalog row's metadata. */
export function hashBasisOf(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const record = raw as Record<string, unknown>;
  if (typeof record.hash_basis === 'string') return record.hash_basis;
  if (typeof record.catalog === 'object' && record.catalog !== null) {
    for (const entry of Object.values(record.catalog as Record<string, unknown>)) {
      if (typeof entry === 'object' && entry !== null && typeof (entry as Record<string, unknown>).hash_basis === 'string') return (entry as Record<string, string>).hash_basis;
    }
  }

  return undefined;
}
