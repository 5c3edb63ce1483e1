/**
 * The chain as OpenLineage run events (core spec 2-0-2): for each run that
 * produced a version of the chain, a START event at the run's start and a
 * COMPLETE or FAIL event at its end. The job is the pipeline, the outputs
 * are the run's versions in the chain, and the inputs are the chain
 * versions its steps consumed or its outputs list as parents, produced by
 * another run.
 *
 * A run left `running` gets its START event only, because no end was
 * recorded. A run known only from catalog rows (no run record) gets one
 * OTHER event at the creation time of its first output.
 */
import crypto from 'node:crypto';
import { compareText, type ChainRun, type ChainVersion, type ProvenanceChain } from './chain';
import { parameterValue } from './prov-json';
import { setOwn } from '../json/records';

// NOTE: the tests validate the events against an older upstream copy of the spec and a fork's 2-1-0 copy,
// because the 2-0-2 text itself was not available here. test/data/schemas/README.md names both sources.
export const OPENLINEAGE_SCHEMA_URL = 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent';
const DATASET_VERSION_FACET_URL = 'https://openlineage.io/spec/facets/1-0-1/DatasetVersionDatasetFacet.json#/$defs/DatasetVersionDatasetFacet';
/** Schema URLs of this tool's own facets; they identify the facet shape and are not fetched. */
const RUN_FACET_URL = 'urn:flowyml-assets:facet:flowyml_run:1';
const DATASET_FACET_URL = 'urn:flowyml-assets:facet:flowyml_version:1';
/** The namespace of every dataset and job: FlowyML has no server address to name. */
export const OPENLINEAGE_NAMESPACE = 'flowyml';

export type OpenLineageEvent = Record<string, unknown>;

export function toOpenLineage(chain: ProvenanceChain, toolVersion: string): OpenLineageEvent[] {
  const producer = `urn:flowyml-assets:${toolVersion}`;
  const byId = new Map(chain.versions.map((entry) => [entry.version.id, entry]));
  const events: { time: string; order: number; runId: string; event: OpenLineageEvent }[] = [];

  for (const chainRun of chain.runs) {
    const { run } = chainRun;
    const outputs = outputsOf(chainRun, chain.versions);
    const inputs = inputsOf(chainRun, outputs, byId);
    const base = {
      producer,
      schemaURL: OPENLINEAGE_SCHEMA_URL,
      run: { runId: runUuid(run.runId), facets: { flowyml_run: runFacet(chainRun, producer) } },
      job: { namespace: OPENLINEAGE_NAMESPACE, name: run.pipeline ?? `(no pipeline) ${run.runId}` },
    };
    const inputDatasets = inputs.map((entry) => dataset(entry, producer));
    const outputDatasets = outputs.map((entry) => dataset(entry, producer));

    const start = run.startTime?.iso;
    const end = run.endTime?.iso;
    if (start) {
      events.push({ time: start, order: 0, runId: run.runId, event: { eventType: 'START', eventTime: start, ...base, inputs: inputDatasets, outputs: [] } });
    }
    if (run.status === 'running') continue;

    const terminal = terminalEventType(run.status);
    const time = end ?? (terminal === 'OTHER' ? firstCreated(outputs) : undefined);
    if (!time) continue;
    events.push({ time, order: 1, runId: run.runId, event: { eventType: terminal, eventTime: time, ...base, inputs: inputDatasets, outputs: outputDatasets } });
  }

  events.sort((a, b) => compareText(a.time, b.time) || compareText(a.runId, b.runId) || a.order - b.order);

  return events.map((entry) => entry.event);
}

/** The event that ends a run: COMPLETE or FAIL for those statuses, OTHER for a status OpenLineage has no name for. */
function terminalEventType(status: string): 'COMPLETE' | 'FAIL' | 'OTHER' {
  if (status === 'completed') return 'COMPLETE';
  if (status === 'failed') return 'FAIL';

  return 'OTHER';
}

function outputsOf(chainRun: ChainRun, versions: ChainVersion[]): ChainVersion[] {
  const stepIds = new Set(chainRun.steps.map((step) => step.id));

  return versions
    .filter((entry) => entry.producedBy.some((id) => stepIds.has(id)) || (entry.producedBy.length === 0 && entry.version.runId === chainRun.run.runId))
    .sort((a, b) => compareText(a.version.id, b.version.id));
}

function inputsOf(chainRun: ChainRun, outputs: ChainVersion[], byId: Map<string, ChainVersion>): ChainVersion[] {
  const produced = new Set(outputs.map((entry) => entry.version.id));
  const ids = new Set<string>();
  for (const step of chainRun.steps) for (const id of step.consumed) ids.add(id);
  for (const entry of outputs) for (const parent of entry.parents) if (!parent.missing) ids.add(parent.id);

  return [...ids]
    .filter((id) => !produced.has(id) && byId.has(id))
    .sort(compareText)
    .map((id) => byId.get(id)!);
}

function dataset(entry: ChainVersion, producer: string): Record<string, unknown> {
  const version = entry.version;
  const facet: Record<string, unknown> = {
    _producer: producer,
    _schemaURL: DATASET_FACET_URL,
    type: version.type,
    name: version.name,
    label: version.label,
    versionDerived: version.storedVersion === undefined,
    store: version.store,
  };
  if (version.contentHash) facet.contentHash = version.contentHash;
  if (entry.file) {
    facet.location = entry.file.stored;
    facet.fileState = entry.file.state;
    if (entry.file.sha256) facet.fileSha256 = entry.file.sha256;
    if (entry.file.reason) facet.fileNotRead = entry.file.reason;
  }
  if (Object.keys(version.tags).length > 0) facet.tags = sortedObject(version.tags);

  return {
    namespace: OPENLINEAGE_NAMESPACE,
    name: version.id,
    facets: {
      version: { _producer: producer, _schemaURL: DATASET_VERSION_FACET_URL, datasetVersion: version.label },
      flowyml_version: facet,
    },
  };
}

function runFacet(chainRun: ChainRun, producer: string): Record<string, unknown> {
  const { run, steps } = chainRun;
  const parameters: Record<string, unknown> = {};
  for (const key of Object.keys(run.context).sort(compareText)) setOwn(parameters, key, parameterValue(run.context[key]));

  return {
    _producer: producer,
    _schemaURL: RUN_FACET_URL,
    flowymlRunId: run.runId,
    status: run.status,
    store: run.store,
    parameters,
    steps: steps.map((step) => {
      const summary: Record<string, unknown> = { name: step.name };
      if (step.success !== undefined) summary.success = step.success;
      if (step.cached !== undefined) summary.cached = step.cached;
      if (step.error !== undefined) summary.error = step.error;

      return summary;
    }),
  };
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The URL namespace of RFC 4122 appendix C, used for name-based ids of runs whose id is not a UUID. */
const URL_NAMESPACE = Buffer.from('6ba7b8119dad11d180b400c04fd430c8', 'hex');

/**
 * Returns the run id when it is a UUID (FlowyML writes uuid4 ids), else a
 * name-based UUID (version 5, RFC 4122 section 4.3) of `urn:flowyml-assets:run:<id>`,
 * so ids such as `local` still fit OpenLineage's uuid format. The run facet keeps the id as stored.
 */
export function runUuid(runId: string): string {
  if (UUID_PATTERN.test(runId)) return runId.toLowerCase();

  const hash = crypto.createHash('sha1').update(URL_NAMESPACE).update(`urn:flowyml-assets:run:${runId}`, 'utf8').digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');

  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function firstCreated(versions: ChainVersion[]): string | undefined {
  const times = versions.map((entry) => entry.version.createdAt?.iso).filter((iso): iso is string => iso !== undefined).sort(compareText);

  return times[0];
}

function sortedObject(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => compareText(a, b)));
}
