/**
 * Raw rows as the store readers return them, before merging. Only light
 * columns are read here: metadata JSON is loaded per version on demand.
 */
import type { SqlRow, SqlValue } from '../sqlite/types';

export interface RawRun {
  runId: string;
  pipeline: string | undefined;
  status: string | undefined;
  startTime: string | undefined;
  endTime: string | undefined;
  duration: number | undefined;
  project: string | undefined;
  createdAt: string | undefined;
  /**
   * The parts of runs.metadata the model reads (`context`, and each step's
   * inputs, outputs, success, cached, error and duration), or undefined when
   * it is missing or invalid.
   */
  metadata: Record<string, unknown> | undefined;
}

export interface RawMetadataArtifact {
  rowid: number;
  artifactId: string;
  name: string;
  type: string;
  runId: string;
  path: string | undefined;
  /** Producer step from metadata.step, when the row was small enough to read it. */
  step: string | undefined;
  /** metadata.created_at (naive local), when read. */
  createdLocal: string | undefined;
  metadataBytes: number;
}

export interface RawCatalogRow {
  rowid: number;
  artifactId: string;
  name: string;
  type: string;
  contentHash: string | undefined;
  sourceStep: string | undefined;
  sourceRunId: string | undefined;
  sourcePipeline: string | undefined;
  parentIds: string[];
  tags: Record<string, string>;
  /** True when metadata is `{}` (automatic rows). */
  metadataEmpty: boolean;
  metadataBytes: number;
  uri: string | undefined;
  createdAt: string | undefined;
  version: string | undefined;
}

export function text(value: SqlValue | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  return String(value);
}

export function numberOf(value: SqlValue | undefined): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
  return undefined;
}

export function requiredText(row: SqlRow, column: string): string {
  return text(row[column]) ?? '';
}
