/**
 * The chain as a W3C PROV-JSON document (the PROV-JSON member submission of
 * 2013). Entities are versions, and dangling parent ids; activities are runs
 * and steps; agents are pipelines and the people that tags name. All names
 * live under the `fa` prefix, a URN, because FlowyML defines no namespace.
 */
import { encodeIdPart } from '../model/build';
import type { RunInfo, StepInfo } from '../model/types';
import { compareText, type ChainVersion, type ProvenanceChain } from './chain';

export const PROV_NAMESPACE = 'urn:flowyml-assets:';

/** Tag keys whose value names a person: the value becomes a `prov:Person` agent. */
export const PERSON_TAG_KEYS = ['approved_by', 'author', 'created_by', 'owner', 'promoted_by', 'registered_by', 'reviewed_by', 'user'];

type Attribute = string | number | boolean | { $: string; type: string };
type Record_ = Record<string, Attribute>;

export interface ProvDocument {
  prefix: Record<string, string>;
  entity: Record<string, Record_>;
  activity: Record<string, Record_>;
  agent: Record<string, Record_>;
  wasGeneratedBy: Record<string, Record_>;
  used: Record<string, Record_>;
  wasDerivedFrom: Record<string, Record_>;
  wasAssociatedWith: Record<string, Record_>;
  wasAttributedTo: Record<string, Record_>;
}

export function versionQName(id: string): string {
  return `fa:version/${encodeIdPart(id)}`;
}

export function runQName(runId: string): string {
  return `fa:run/${encodeIdPart(runId)}`;
}

export function stepQName(step: StepInfo): string {
  return `fa:step/${encodeIdPart(step.runId)}/${encodeIdPart(step.name)}`;
}

function qname(value: string): Attribute {
  return { $: value, type: 'xsd:QName' };
}

function dateTime(iso: string): Attribute {
  return { $: iso, type: 'xsd:dateTime' };
}

export function toProvJson(chain: ProvenanceChain): ProvDocument {
  const document: ProvDocument = {
    prefix: { fa: PROV_NAMESPACE, xsd: 'http://www.w3.org/2001/XMLSchema#', prov: 'http://www.w3.org/ns/prov#' },
    entity: {}, activity: {}, agent: {}, wasGeneratedBy: {}, used: {}, wasDerivedFrom: {}, wasAssociatedWith: {}, wasAttributedTo: {},
  };
  const relations = { generation: 0, usage: 0, derivation: 0, association: 0, attribution: 0 };
  const inChain = new Set(chain.versions.map((entry) => entry.version.id));
  const stepsById = new Map(chain.runs.flatMap(({ steps }) => steps.map((step) => [step.id, step] as const)));

  for (const entry of [...chain.versions].sort((a, b) => compareText(a.version.id, b.version.id))) {
    document.entity[versionQName(entry.version.id)] = entityOf(entry);
  }
  for (const entry of chain.versions) {
    for (const parent of entry.parents) {
      if (parent.missing) {
        document.entity[`fa:missing/${encodeIdPart(parent.id)}`] = {
          'prov:type': qname('fa:MissingVersion'),
          'prov:label': `parent id ${parent.id} (no store contains it)`,
        };
      }
    }
  }

  for (const { run, steps } of chain.runs) {
    document.activity[runQName(run.runId)] = runActivity(run);
    for (const step of steps) document.activity[stepQName(step)] = stepActivity(step);
    if (run.pipeline !== undefined) {
      const agent = `fa:pipeline/${encodeIdPart(run.pipeline)}`;
      document.agent[agent] = { 'prov:type': qname('prov:SoftwareAgent'), 'prov:label': `FlowyML pipeline ${run.pipeline}`, 'fa:pipeline': run.pipeline };
      for (const activity of [runQName(run.runId), ...steps.map(stepQName)]) {
        document.wasAssociatedWith[`_:association${++relations.association}`] = { 'prov:activity': activity, 'prov:agent': agent };
      }
    }
  }

  for (const entry of [...chain.versions].sort((a, b) => compareText(a.version.id, b.version.id))) {
    const entity = versionQName(entry.version.id);
    for (const stepId of entry.producedBy) {
      const step = stepsById.get(stepId);
      if (!step) continue;
      const generation: Record_ = { 'prov:entity': entity, 'prov:activity': stepQName(step) };
      if (entry.version.createdAt?.iso) generation['prov:time'] = entry.version.createdAt.iso;
      document.wasGeneratedBy[`_:generation${++relations.generation}`] = generation;
    }
    if (entry.producedBy.length === 0 && entry.version.runId !== undefined && chain.runs.some(({ run }) => run.runId === entry.version.runId)) {
      document.wasGeneratedBy[`_:generation${++relations.generation}`] = { 'prov:entity': entity, 'prov:activity': runQName(entry.version.runId) };
    }
    for (const parent of entry.parents) {
      const used = parent.missing ? `fa:missing/${encodeIdPart(parent.id)}` : versionQName(parent.id);
      if (!parent.missing && !inChain.has(parent.id)) continue;
      document.wasDerivedFrom[`_:derivation${++relations.derivation}`] = {
        'prov:generatedEntity': entity,
        'prov:usedEntity': used,
        'fa:derivedFromStepInputs': parent.derived,
      };
    }
    for (const [key, value] of Object.entries(entry.version.tags).sort(([a], [b]) => compareText(a, b))) {
      if (!PERSON_TAG_KEYS.includes(key) || value === '') continue;
      const agent = `fa:person/${encodeIdPart(value)}`;
      document.agent[agent] = { 'prov:type': qname('prov:Person'), 'prov:label': value };
      document.wasAttributedTo[`_:attribution${++relations.attribution}`] = { 'prov:entity': entity, 'prov:agent': agent, 'fa:role': key };
    }
  }

  for (const { steps } of chain.runs) {
    for (const step of steps) {
      for (const consumed of [...step.consumed].sort(compareText)) {
        if (!inChain.has(consumed)) continue;
        document.used[`_:usage${++relations.usage}`] = { 'prov:activity': stepQName(step), 'prov:entity': versionQName(consumed) };
      }
    }
  }

  return document;
}

function entityOf(entry: ChainVersion): Record_ {
  const version = entry.version;
  const entity: Record_ = {
    'prov:type': qname(`fa:${version.type.replace(/[^A-Za-z0-9_.-]/g, '_')}`),
    'prov:label': `${version.type} ${version.name} ${version.label}`,
    'fa:versionId': version.id,
    'fa:name': version.name,
    'fa:assetType': version.type,
    'fa:storedType': version.storedType,
    'fa:version': version.label,
    'fa:versionDerived': version.storedVersion === undefined,
    'fa:store': version.store,
  };
  if (version.storedVersion !== undefined) entity['fa:storedVersion'] = version.storedVersion;
  if (version.createdAt?.iso) entity['fa:createdAt'] = dateTime(version.createdAt.iso);
  if (version.contentHash) entity['fa:contentHash'] = version.contentHash;
  if (version.runId !== undefined) entity['fa:runId'] = version.runId;
  if (version.step !== undefined) entity['fa:step'] = version.step;
  if (version.pipeline !== undefined) entity['fa:pipeline'] = version.pipeline;
  if (entry.file) {
    entity['prov:location'] = entry.file.stored;
    entity['fa:fileState'] = entry.file.state;
    if (entry.file.sha256) entity['fa:fileSha256'] = entry.file.sha256;
    if (entry.file.kind) entity['fa:fileKind'] = entry.file.kind;
    if (entry.file.reason) entity['fa:fileNotRead'] = entry.file.reason;
  }
  for (const alias of version.aliases) entity[`fa:alias/${encodeIdPart(alias)}`] = alias;
  for (const [key, value] of Object.entries(version.tags).sort(([a], [b]) => compareText(a, b))) entity[`fa:tag/${encodeIdPart(key)}`] = value;

  return entity;
}

function runActivity(run: RunInfo): Record_ {
  const activity: Record_ = {
    'prov:type': qname('fa:Run'),
    'prov:label': `run ${run.runId} of ${run.pipeline ?? '(no pipeline)'}`,
    'fa:runId': run.runId,
    'fa:status': run.status,
    'fa:store': run.store,
  };
  if (run.startTime?.iso) activity['prov:startTime'] = run.startTime.iso;
  if (run.endTime?.iso) activity['prov:endTime'] = run.endTime.iso;
  if (run.pipeline !== undefined) activity['fa:pipeline'] = run.pipeline;
  if (run.project !== undefined) activity['fa:project'] = run.project;
  if (run.durationSeconds !== undefined) activity['fa:durationSeconds'] = run.durationSeconds;
  for (const [key, value] of Object.entries(run.context).sort(([a], [b]) => compareText(a, b))) {
    activity[`fa:parameter/${encodeIdPart(key)}`] = parameterValue(value);
  }

  return activity;
}

function stepActivity(step: StepInfo): Record_ {
  const activity: Record_ = {
    'prov:type': qname('fa:Step'),
    'prov:label': `step ${step.name} of run ${step.runId}`,
    'fa:run': runQName(step.runId),
    'fa:step': step.name,
  };
  if (step.success !== undefined) activity['fa:success'] = step.success;
  if (step.cached !== undefined) activity['fa:cached'] = step.cached;
  if (step.notRun) activity['fa:notRun'] = true;
  if (step.error !== undefined) activity['fa:error'] = step.error;
  if (step.durationSeconds !== undefined) activity['fa:durationSeconds'] = step.durationSeconds;

  return activity;
}

/** Keeps strings, finite numbers and booleans; writes anything else as its JSON text. */
export function parameterValue(value: unknown): Attribute {
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'bigint' || typeof value === 'number') return String(value);

  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? 'null';
}
