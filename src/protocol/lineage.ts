/**
 * The protocol between the lineage panel (webview/lineage) and its host
 * (src/extension/lineage). The host sends the lineage subgraph around one
 * focus version. The webview collapses, lays out and draws it, and requests
 * other depths, a new focus, details and exports from the host.
 */
import type { LineageGraph } from '../core/api';
import { isReadyMessage, isRecord, isWebviewLogMessage, type ReadyMessage, type WebviewLogMessage } from './common';

/** Generations to follow from the focus version; `null` follows every generation. */
export interface LineageDepth {
  up: number | null;
  down: number | null;
}

export const DEFAULT_LINEAGE_DEPTH: LineageDepth = { up: 2, down: 2 };

export type LineageExportFormat = 'svg' | 'png' | 'json' | 'dot' | 'mermaid';

export const LINEAGE_EXPORT_FORMATS: readonly LineageExportFormat[] = ['svg', 'png', 'json', 'dot', 'mermaid'];

/** The panel's fixed texts, localised by the host. */
export interface LineageStrings {
  upstream: string;
  downstream: string;
  /** Label of the depth option that follows every generation. */
  allGenerations: string;
  pathOnly: string;
  search: string;
  noMatches: string;
  export: string;
  fit: string;
  /** Makes the selected version the new focus. */
  refocus: string;
  focusedPath: string;
  /** `{0}` is the number of hidden versions or steps. */
  clusterLabel: string;
  expandCluster: string;
  filterCluster: string;
  /** `{0}` is the node count. */
  sizeCheck: string;
  drawAnyway: string;
  showLess: string;
  derivedVersion: string;
  derivedEdge: string;
  missingNode: string;
  step: string;
  run: string;
  openDetails: string;
  /** Summary of the graph for screen readers: `{0}` nodes, `{1}` edges. */
  graphSummary: string;
  layingOut: string;
}

export type HostToLineageMessage =
  /** A new or updated graph; `focusId` is the resolved id of the focus version. */
  | { type: 'graph'; focusId: string; graph: LineageGraph; depth: LineageDepth; strings: LineageStrings; staleIds?: string[] }
  | { type: 'error'; message: string };

export type LineageToHostMessage =
  | ReadyMessage
  | WebviewLogMessage
  | { type: 'setDepth'; depth: LineageDepth }
  | { type: 'refocus'; id: string }
  | { type: 'openDetails'; id: string }
  /** Double-click on a step node: open the Python function that defines it. */
  | { type: 'openStepCode'; id: string }
  /** `content` carries the drawing for `svg` (markup) and `png` (base64); the host writes the other formats from its graph. */
  | { type: 'export'; format: LineageExportFormat; content?: string };

/** View state the webview keeps through `setState`, and that the panel serializer revives. */
export interface LineageViewState {
  focusId: string;
  depth: LineageDepth;
  selectedId?: string;
  /** The d3-zoom transform. */
  zoom?: { x: number; y: number; k: number };
  pathOnly: boolean;
  /** Cluster ids the user expanded. */
  expanded: string[];
  /** Node ids taken out of their cluster by search or by the cluster's list. */
  revealed: string[];
  /** The node count the user agreed to draw after the size check. */
  confirmedSize?: number;
}

export function isLineageDepth(value: unknown): value is LineageDepth {
  const isDepth = (depth: unknown) => depth === null || (typeof depth === 'number' && Number.isInteger(depth) && depth >= 0);

  return isRecord(value) && isDepth(value.up) && isDepth(value.down);
}

export function isLineageToHostMessage(value: unknown): value is LineageToHostMessage {
  if (isReadyMessage(value) || isWebviewLogMessage(value)) return true;
  if (!isRecord(value)) return false;

  switch (value.type) {
    case 'setDepth':
      return isLineageDepth(value.depth);
    case 'refocus':
    case 'openDetails':
    case 'openStepCode':
      return typeof value.id === 'string';
    case 'export':
      return LINEAGE_EXPORT_FORMATS.includes(value.format as LineageExportFormat)
        && (value.content === undefined || typeof value.content === 'string');
    default:
      return false;
  }
}

export function isHostToLineageMessage(value: unknown): value is HostToLineageMessage {
  if (!isRecord(value)) return false;

  switch (value.type) {
    case 'graph':
      return typeof value.focusId === 'string' && isRecord(value.graph) && Array.isArray(value.graph.nodes)
        && Array.isArray(value.graph.edges) && isLineageDepth(value.depth) && isRecord(value.strings);
    case 'error':
      return typeof value.message === 'string';
    default:
      return false;
  }
}

export function isLineageViewState(value: unknown): value is LineageViewState {
  return isRecord(value) && typeof value.focusId === 'string' && isLineageDepth(value.depth)
    && typeof value.pathOnly === 'boolean' && Array.isArray(value.expanded) && Array.isArray(value.revealed);
}
