/**
 * The result of comparing two asset versions. It is plain data: the command
 * line prints it, the Markdown export renders it, and the compare panel
 * receives it as the text of `comparisonToJson`.
 *
 * Values are kept as stored, so they may be NaN, ±Infinity or bigint. `comparisonToJson` writes NaN and ±Infinity as the strings "NaN",
 * "Infinity" and "-Infinity", and big integers as exact integer literals.
 */
import type { AssetTypeName } from '../model/types';

export type ChangeKind = 'added' | 'removed' | 'changed' | 'unchanged';

/** The part of a version record that a compared field comes from. */
export type FieldScope =
  /** Facts of the version record: tags, URI, content hash. */
  | 'version'
  /** `properties.typed`, under the seed's names. */
  | 'typed'
  /** `properties.extra`, every stored key without a seed name. */
  | 'extra'
  /** Identifiers that differ between any two records (`asset_id`, `asset_created_at`), so renderers may hide them. */
  | 'record'
  /** The parameters (`context`) of the run that produced the version. */
  | 'run';

export interface NumericDelta {
  /** B minus A. */
  absolute: number;
  /** (B − A) / |A|, or null when A is 0. Multiply by 100 for a percentage. */
  relative: number | null;
  direction: 'up' | 'down' | 'none';
}

/** Size and SHA-256 of a value too big to compare whole. */
export interface ValueSummary {
  type: 'object' | 'array' | 'string';
  /** Bytes of the value written as JSON (UTF-8). */
  bytes: number;
  /** Keys of an object, items of an array, UTF-16 code units of a string. */
  length: number;
  /** SHA-256 of the value written as JSON, in hex. */
  sha256: string;
}

export interface FieldChange {
  /**
   * Stable path of the field: `properties.hyperparameters.C`,
   * `extra.coef_shape`, `tags.stage`, `run.parameters.C`. A key that is not
   * a plain identifier is written as a quoted index: `properties.column_stats["a.b"]`.
   */
  path: string;
  scope: FieldScope;
  kind: ChangeKind;
  /** The value in version A; absent when the kind is 'added' or the field was compared by summary. */
  a?: unknown;
  /** The value in version B; absent when the kind is 'removed' or the field was compared by summary. */
  b?: unknown;
  /** Set when both values are finite numbers or bigints, whether they differ or not. */
  delta?: NumericDelta;
  /**
   * Set when a value is larger than the comparison's size limit and was
   * compared by its SHA-256 instead of in full. Comparing with `full: true`
   * compares it whole.
   */
  summary?: { a?: ValueSummary; b?: ValueSummary };
}

/** The header facts of one compared version. */
export interface VersionFacts {
  id: string;
  type: AssetTypeName;
  name: string;
  /** `v2.0.0 (#5)`, or `#5` when the store has no version string. */
  label: string;
  storedVersion: string | null;
  runId: string | null;
  step: string | null;
  pipeline: string | null;
  /** ISO 8601 UTC creation time, or null when the store has none. */
  createdAt: string | null;
  /** The database file, relative to the workspace folder. */
  store: string;
  aliases: string[];
}

/** Shown above the comparison when the two versions are not versions of one asset. */
export interface ComparisonBanner {
  differentType: boolean;
  differentName: boolean;
  message: string;
}

export interface DatasetColumnChange {
  name: string;
  /** 'retyped' when both versions have the column with different `dtype` values. */
  kind: 'added' | 'removed' | 'retyped' | 'changed' | 'unchanged';
  dtypeA: string | null;
  dtypeB: string | null;
  /** Whether the column is listed in `feature_columns` of each version. */
  featureA: boolean;
  featureB: boolean;
  /**
   * One entry per statistic of `column_stats` except `dtype`: count, nulls,
   * unique, mean, std, min, max and median first, then any other key. Empty
   * when `column_stats` was compared by summary.
   */
  stats: FieldChange[];
}

export interface DatasetSection {
  kind: 'Dataset';
  /** `num_samples`. */
  rows: FieldChange | null;
  /** `num_features`. */
  features: FieldChange | null;
  /** True when a column was added, removed or retyped. */
  schemaChanged: boolean;
  /** Columns of A in their order, then the columns only B has. */
  columns: DatasetColumnChange[];
  /** False when `column_stats` was compared by summary, so `stats` of each column is empty; `full: true` fills them. */
  statsCompared: boolean;
}

export interface ModelSection {
  kind: 'Model';
  /** framework, model_class, parameters, num_layers, optimizer and every hyperparameter. */
  config: FieldChange[];
  /** The last value of each `training_history` series, at path `properties.training_history.<series>[-1]`. */
  finalMetrics: FieldChange[];
  /** Every series (array) of `training_history` of each version, whole, for charts. */
  history: { a: Record<string, unknown[]>; b: Record<string, unknown[]> };
}

export interface MetricsSection {
  kind: 'Metrics';
  /**
   * Every metric of either version, in stored order, except that rows where
   * a side is NaN or missing come last.
   */
  values: FieldChange[];
}

export interface CheckpointSection {
  kind: 'Checkpoint';
  /** epoch, step, is_best, file_path and each entry of checkpoint_metrics. */
  fields: FieldChange[];
}

export interface PromptTemplateSide {
  /** False when the version stores no readable template, and `note` then gives the reason. */
  available: boolean;
  format: 'text' | 'chat' | null;
  /** The template as text, for a diff editor. A chat template is written as one `[role]` block per message. */
  text: string | null;
  /** The reason the template is missing or may be incomplete (FlowyML cuts stored values at 1,000 characters). */
  note: string | null;
  /** The names the template reads, in order of first use. */
  variables: string[];
}

export interface PromptSection {
  kind: 'Prompt';
  template: { a: PromptTemplateSide; b: PromptTemplateSide; changed: boolean };
  variables: { added: string[]; removed: string[] };
  /** `prompt_format`. */
  format: FieldChange | null;
  /** Each key of `model_config` (model, temperature, max_tokens, …), or one field for the whole object when a side has none. */
  modelConfig: FieldChange[];
}

export interface PropertiesSection {
  kind: 'Properties';
  /** The typed properties of a Report, Artifact, FeatureSet, Asset or other class. */
  fields: FieldChange[];
}

export type TypeSection = DatasetSection | ModelSection | MetricsSection | CheckpointSection | PromptSection | PropertiesSection;

/** One parent of A or B, seen from the comparison. */
export interface InputRef {
  id: string;
  /** False when the parent id names no version in the workspace. */
  found: boolean;
  type: AssetTypeName | null;
  name: string;
  label: string | null;
  runId: string | null;
  step: string | null;
  /** True when the parent comes from a step's declared inputs rather than a stored parent list. */
  derived: boolean;
}

export interface InputChange {
  /**
   * 'changed': the same input at another version. 'added' / 'removed': an
   * input only B / only A has. 'unchanged': both use the same version.
   */
  kind: ChangeKind;
  /**
   * The rule that paired the two sides: the same version id, the same asset
   * (type and name), or the same output of the same step under another
   * asset name (for example a checkpoint named after the model version).
   */
  matchedBy: 'id' | 'asset' | 'step-output' | null;
  a: InputRef | null;
  b: InputRef | null;
}

export interface ComparisonCounts {
  added: number;
  removed: number;
  changed: number;
  unchanged: number;
}

export interface Comparison {
  /** Marks the JSON export; `formatVersion` grows when a field changes meaning. */
  format: 'flowyml-assets/comparison';
  formatVersion: 1;
  a: VersionFacts;
  b: VersionFacts;
  banner: ComparisonBanner | null;
  /** Every compared field, unchanged ones included: version facts, typed, extra, record and run fields in that order. */
  fields: FieldChange[];
  /** Field counts by kind, without 'record' fields. */
  counts: ComparisonCounts;
  section: TypeSection;
  /** Changed, removed and added inputs first, then unchanged ones. */
  inputs: InputChange[];
  /** True when the comparison was made with `full: true`. */
  full: boolean;
  /** True when some field was compared by summary; comparing with `full: true` compares it whole. */
  summarized: boolean;
  /** Sentences about load problems and incomplete values, for people. */
  notes: string[];
}
