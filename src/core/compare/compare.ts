/**
 * Compares two asset versions of a workspace: their header facts, every
 * property field, a per-type part, and the inputs that differ.
 */
import type { VersionDetails, WorkspaceIndex } from '../api';
import { StoreError } from '../errors';
import type { AssetVersion, RunInfo } from '../model/types';
import { diffRecords, type FieldDiffOptions } from './fields';
import { compareInputs } from './inputs';
import { promptSection } from './prompt';
import { checkpointSection, datasetSection, metricsSection, modelSection, propertiesSection } from './sections';
import { HUGE_VALUE_BYTES } from './summary';
import type { Comparison, ComparisonBanner, ComparisonCounts, FieldChange, TypeSection, VersionFacts } from './types';
import { leafChange } from './values';
import { setOwn } from '../json/records';

export interface CompareOptions {
  /**
   * Compare every property whole, however big, and load each stored row
   * whole. Without it, a property whose JSON is over 64 KB is compared by
   * size and SHA-256.
   */
  full?: boolean;
  /** The size above which a property is compared by summary, in bytes. Defaults to 64 KB. */
  hugeValueBytes?: number;
}

/** Stored keys that identify one record, so they differ between any two versions. */
const RECORD_KEYS = new Set(['asset_id', 'asset_created_at']);

/**
 * Compares version `idA` (the baseline) with version `idB`. Either id may be
 * a catalog alias. Throws StoreError 'not-found' naming each id that matches
 * no version.
 */
export async function compareVersions(workspace: WorkspaceIndex, idA: string, idB: string, options: CompareOptions = {}): Promise<Comparison> {
  const versionA = workspace.getVersion(idA);
  const versionB = workspace.getVersion(idB);
  const missing = [versionA ? undefined : idA, versionB ? undefined : idB].filter((id): id is string => id !== undefined);
  if (missing.length > 0) {
    const ids = [...new Set(missing)].map((id) => `"${id}"`).join(' or ');
    throw new StoreError('not-found', `Cannot compare: no asset version with id ${ids} in ${workspace.root}.`);
  }

  const full = options.full === true;
  const diffOptions: FieldDiffOptions = { full, hugeBytes: options.hugeValueBytes ?? HUGE_VALUE_BYTES };
  const detailsA = await workspace.details(versionA!.id, { full });
  const detailsB = await workspace.details(versionB!.id, { full });

  const typedFields = diffRecords('typed', 'properties', detailsA.properties.typed, detailsB.properties.typed, diffOptions);
  const [extraA, recordA] = splitRecordKeys(detailsA.properties.extra);
  const [extraB, recordB] = splitRecordKeys(detailsB.properties.extra);
  const fields = [
    ...versionFields(versionA!, versionB!, diffOptions),
    ...typedFields,
    ...diffRecords('extra', 'extra', extraA, extraB, diffOptions),
    ...diffRecords('record', 'extra', recordA, recordB, diffOptions),
    ...runFields(workspace, versionA!, versionB!, diffOptions),
  ];
  const summarizedCount = fields.filter((field) => field.summary).length;

  return {
    format: 'flowyml-assets/comparison',
    formatVersion: 1,
    a: factsOf(versionA!),
    b: factsOf(versionB!),
    banner: bannerFor(versionA!, versionB!),
    fields,
    counts: countKinds(fields),
    section: sectionFor(detailsA, detailsB, typedFields),
    inputs: compareInputs(workspace, versionA!, versionB!),
    full,
    summarized: summarizedCount > 0,
    notes: notesFor(detailsA, detailsB, summarizedCount, diffOptions.hugeBytes),
  };
}

function factsOf(version: AssetVersion): VersionFacts {
  return {
    id: version.id,
    type: version.type,
    name: version.name,
    label: version.label,
    storedVersion: version.storedVersion ?? null,
    runId: version.runId ?? null,
    step: version.step ?? null,
    pipeline: version.pipeline ?? null,
    createdAt: version.createdAt?.iso ?? null,
    store: version.store,
    aliases: version.aliases,
  };
}

function bannerFor(a: AssetVersion, b: AssetVersion): ComparisonBanner | null {
  const differentType = a.type !== b.type;
  const differentName = a.name !== b.name;
  if (!differentType && !differentName) return null;

  const parts: string[] = [];
  if (differentType) parts.push(`different types (${a.type} and ${b.type})`);
  if (differentName) parts.push(`different assets ("${a.name}" and "${b.name}")`);
  const message = `These versions belong to ${parts.join(' and ')}. `
    + (differentType ? 'Only the properties both have line up; no per-type comparison is made.' : 'Each field is compared as if they were versions of one asset.');

  return { differentType, differentName, message };
}

function splitRecordKeys(extra: Record<string, unknown>): [Record<string, unknown>, Record<string, unknown>] {
  const rest: Record<string, unknown> = {};
  const record: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(extra)) setOwn(RECORD_KEYS.has(key) ? record : rest, key, value);

  return [rest, record];
}

/** Tags, URI, path and content hash of the version records. */
function versionFields(a: AssetVersion, b: AssetVersion, options: FieldDiffOptions): FieldChange[] {
  const fields = diffRecords('version', 'tags', a.tags, b.tags, options);
  const facts: [string, string | undefined, string | undefined][] = [
    ['uri', a.uri, b.uri],
    ['path', a.path, b.path],
    ['content_hash', a.contentHash, b.contentHash],
  ];
  for (const [path, valueA, valueB] of facts) {
    if (valueA !== undefined || valueB !== undefined) fields.push(leafChange(path, 'version', valueA, valueB));
  }

  return fields;
}

function runOf(workspace: WorkspaceIndex, version: AssetVersion): RunInfo | undefined {
  if (version.runId === undefined) return undefined;
  const sameRun = workspace.runs.filter((run) => run.runId === version.runId);

  return sameRun.find((run) => run.store === version.store) ?? sameRun[0];
}

/** The parameters of the two producing runs (`runs.metadata.context`), when either version has a run. */
function runFields(workspace: WorkspaceIndex, a: AssetVersion, b: AssetVersion, options: FieldDiffOptions): FieldChange[] {
  const runA = runOf(workspace, a);
  const runB = runOf(workspace, b);
  if (!runA && !runB) return [];

  return diffRecords('run', 'run.parameters', runA?.context, runB?.context, options);
}

function countKinds(fields: FieldChange[]): ComparisonCounts {
  const counts: ComparisonCounts = { added: 0, removed: 0, changed: 0, unchanged: 0 };
  for (const field of fields) if (field.scope !== 'record') counts[field.kind]++;

  return counts;
}

function sectionFor(a: VersionDetails, b: VersionDetails, typedFields: FieldChange[]): TypeSection {
  if (a.version.type !== b.version.type) return propertiesSection(typedFields);

  switch (a.version.type) {
    case 'Dataset':
      return datasetSection(a, b, typedFields);
    case 'Model':
      return modelSection(a, b, typedFields);
    case 'Metrics':
      return metricsSection(typedFields);
    case 'Checkpoint':
      return checkpointSection(typedFields);
    case 'Prompt':
      return promptSection(a, b, typedFields);
    default:
      return propertiesSection(typedFields);
  }
}

function notesFor(a: VersionDetails, b: VersionDetails, summarizedCount: number, hugeBytes: number): string[] {
  const notes: string[] = [];
  if (a.version.id === b.version.id) notes.push('A and B are the same version, so nothing differs.');
  if (a.problem) notes.push(`A (${a.version.label}): ${a.problem}`);
  if (b.problem) notes.push(`B (${b.version.label}): ${b.problem}`);
  if (summarizedCount > 0) {
    const subject = summarizedCount === 1 ? '1 property larger than' : `${summarizedCount} properties larger than`;
    const verb = summarizedCount === 1 ? 'was' : 'were';
    notes.push(`${subject} ${Math.round(hugeBytes / 1024)} KB of JSON ${verb} compared by size and SHA-256 only. `
      + 'Load all to compare field by field.');
  }

  return notes;
}
