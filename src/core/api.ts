/**
 * The read API that every surface (extension, language server, command line)
 * uses. `loadWorkspace` in src/core/index.ts returns a WorkspaceIndex.
 */
import type { AssetTypeName, AssetVersion, LoadProblem, RunInfo, StoreInfo } from './model/types';

/** All versions of one (type, name), oldest first. */
export interface AssetSummary {
  type: AssetTypeName;
  name: string;
  versions: AssetVersion[];
  latest: AssetVersion;
}

/** A property value after tolerant JSON parsing: NaN and Infinity stay numbers, big integers are bigint. */
export type PropertyValue = unknown;

export interface TypedProperties {
  /** Properties under the seed's names (`num_samples`, `framework`, `epoch`, …). */
  typed: Record<string, PropertyValue>;
  /** Every stored key that has no seed name, kept as stored. */
  extra: Record<string, PropertyValue>;
}

export interface VersionDetails {
  version: AssetVersion;
  properties: TypedProperties;
  /** The stored metadata JSON, parsed; undefined when it was too big and not requested in full. */
  raw: unknown;
  /** True when `raw` was cut at the preview cap. */
  rawTruncated: boolean;
  /** The preview cap in bytes: metadata above it is previewed unless details are requested in full. */
  rawCapBytes?: number;
  /** A parse problem with the stored JSON, shown beside the other facts. */
  problem?: string;
  children: string[];
}

export type LineageDirection = 'up' | 'down' | 'both';

export interface LineageNode {
  id: string;
  kind: 'asset' | 'step' | 'run' | 'missing';
  name: string;
  type?: AssetTypeName;
  version?: string;
  /** For a step: the id of its run node. */
  run?: string;
}

export interface LineageEdge {
  from: string;
  to: string;
  kind: 'parent' | 'produced' | 'consumed';
  /** True when the edge comes from a step's declared inputs, not from a stored parent list. */
  derived: boolean;
}

export interface LineageGraph {
  nodes: LineageNode[];
  edges: LineageEdge[];
}

export interface WorkspaceIndex {
  readonly root: string;
  readonly stores: StoreInfo[];
  readonly versions: AssetVersion[];
  readonly runs: RunInfo[];
  readonly problems: LoadProblem[];
  /** Accepts a version id or a catalog alias. */
  getVersion(id: string): AssetVersion | undefined;
  assets(): AssetSummary[];
  children(id: string): string[];
  details(id: string, options?: { full?: boolean }): Promise<VersionDetails>;
  lineage(id: string, options?: { depth?: number; direction?: LineageDirection }): LineageGraph;
  dispose(): void;
}
