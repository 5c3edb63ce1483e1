/**
 * The asset model every surface shows: versions of typed assets, the runs and
 * steps that produced them, and the stores they were read from.
 */

/** The nine asset classes FlowyML defines. Any other class name is kept as "Other". */
export const ASSET_TYPES = [
  'Asset', 'Dataset', 'Model', 'Metrics', 'FeatureSet', 'Report', 'Artifact', 'Prompt', 'Checkpoint',
] as const;
export type SeedAssetType = (typeof ASSET_TYPES)[number];

/** Either a seed type, or `Other: <class name>` for plain values such as `dict` or `DataFrame`. */
export type AssetTypeName = SeedAssetType | `Other: ${string}`;

export type StoreKind = 'metadata' | 'catalog';

/** One SQLite database of a workspace. */
export interface StoreInfo {
  /** Path relative to the workspace folder, with forward slashes (`.flowyml/catalog.db`). */
  path: string;
  absolutePath: string;
  kind: StoreKind;
  /** `flowyml-1.7` (9 tables), `flowyml-2.x` (12 tables) or `catalog`. */
  schema: 'flowyml-1.7' | 'flowyml-2.x' | 'catalog';
  /** Project name for `.flowyml/projects/<p>/metadata.db`. */
  project?: string;
  /** Set for a team store outside the folder: a PostgreSQL metadata store or a remote catalog API. */
  remote?: 'postgresql' | 'catalog-api';
}

/** A time as stored, with the instant it stands for. */
export interface Instant {
  /** ISO 8601 UTC (`2026-12-04T19:25:54.731Z`), or undefined when the text is not a time. */
  iso: string | undefined;
  /** The text as stored. */
  raw: string;
  /** Source of the zone: stored with an offset, UTC by convention, derived from the run, or guessed local. */
  zone: 'explicit' | 'utc' | 'derived-offset' | 'assumed-local';
}

export interface AssetVersion {
  /** `<store path>:<table>:<percent-encoded primary key>`, safe to pass unquoted in a shell. */
  id: string;
  /** Catalog ids of catalog rows merged into this version. */
  aliases: string[];
  name: string;
  type: AssetTypeName;
  /** The class name as stored (`Dataset`, `dict`, ``). */
  storedType: string;
  /** The stored version string, when the store has one. */
  storedVersion: string | undefined;
  /** Place among the versions of the same (type, name) by creation time, from 1. */
  ordinal: number;
  /** `v2.0.0 (#5)`, or `#5` with no stored version. */
  label: string;
  store: string;
  runId: string | undefined;
  step: string | undefined;
  /** Output name declared by the step (metadata.db rows). */
  outputName: string | undefined;
  pipeline: string | undefined;
  project: string | undefined;
  createdAt: Instant | undefined;
  /** Ids of parent versions: stored parents first, then derived ones. */
  parents: string[];
  /** Parents that came from a step's declared inputs rather than a stored parent list. */
  derivedParents: string[];
  tags: Record<string, string>;
  uri: string | undefined;
  path: string | undefined;
  contentHash: string | undefined;
  /** Byte length of the stored metadata JSON, so callers can decide before loading it. */
  metadataBytes: number;
}

export type RunStatus = 'completed' | 'failed' | 'running' | string;

export interface StepInfo {
  /** `step:<run id>:<step name>`. */
  id: string;
  runId: string;
  name: string;
  inputs: string[];
  outputs: string[];
  success: boolean | undefined;
  cached: boolean | undefined;
  /** True for a step after a failure: `success` false and no error recorded. */
  notRun: boolean;
  error: string | undefined;
  durationSeconds: number | undefined;
  /** Ids of versions the step produced. */
  produced: string[];
  /** Ids of versions the step consumed, resolved within the run. */
  consumed: string[];
  /** Catalog ids of automatic `<step>_output` rows that did not merge into one version. */
  catalogRecords: string[];
}

export interface RunInfo {
  /** `run:<run id>`. */
  id: string;
  runId: string;
  pipeline: string | undefined;
  project: string | undefined;
  status: RunStatus;
  store: string;
  startTime: Instant | undefined;
  endTime: Instant | undefined;
  durationSeconds: number | undefined;
  steps: StepInfo[];
  context: Record<string, unknown>;
}

/** One problem met while loading, attached to the file it concerns. Loading goes on. */
export interface LoadProblem {
  file: string;
  severity: 'error' | 'warning';
  code: string;
  message: string;
}
