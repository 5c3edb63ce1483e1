/**
 * The lineage panel host's message contents, without `vscode`, so the
 * Chromium tests build exactly the same messages. They are the subgraph
 * around a version for separate upstream and downstream depths, the export
 * text and the panel's localised strings.
 */
import { stringifyJson } from '../../core';
import type { LineageEdge, LineageGraph, LineageNode, WorkspaceIndex } from '../../core/api';
import { lineageToDot, lineageToMermaid } from '../../core/lineage/export';
import type { LineageDepth, LineageExportFormat, LineageStrings } from '../../protocol/lineage';
import type { Localizer } from '../details/detailsView';

/**
 * Returns the lineage around a version: the upstream walk to `depth.up`
 * generations joined with the downstream walk to `depth.down`, or undefined
 * when the id is not a version of this workspace. `focusId` is the version's
 * own id, also when it was found by a catalog alias.
 */
export function lineageAround(index: WorkspaceIndex, id: string, depth: LineageDepth): { focusId: string; graph: LineageGraph } | undefined {
  const version = index.getVersion(id);
  if (!version) return undefined;

  const upstream = index.lineage(version.id, { direction: 'up', depth: depth.up ?? undefined });
  const downstream = index.lineage(version.id, { direction: 'down', depth: depth.down ?? undefined });
  const nodes = new Map<string, LineageNode>();
  const edges = new Map<string, LineageEdge>();
  for (const graph of [upstream, downstream]) {
    for (const node of graph.nodes) nodes.set(node.id, node);
    for (const edge of graph.edges) edges.set(`${edge.from}\u0000${edge.to}\u0000${edge.kind}`, edge);
  }

  return { focusId: version.id, graph: { nodes: [...nodes.values()], edges: [...edges.values()] } };
}

/** Export text for the host-written formats, in the command line's shapes (`flowyml-assets lineage --format`). */
export function lineageExportText(graph: LineageGraph, format: Exclude<LineageExportFormat, 'svg' | 'png'>): string {
  if (format === 'dot') return lineageToDot(graph);
  if (format === 'mermaid') return lineageToMermaid(graph);

  return stringifyJson(graph, 2);
}

/** Builds the panel's strings. The webview fills the `{0}` and `{1}` placeholders, so they pass through unchanged. */
export function lineageStrings(l10n: Localizer): LineageStrings {
  return {
    upstream: l10n.t('Upstream'),
    downstream: l10n.t('Downstream'),
    allGenerations: l10n.t('All'),
    pathOnly: l10n.t('Selected path only'),
    search: l10n.t('Search by name or ID'),
    noMatches: l10n.t('No node matches.'),
    export: l10n.t('Export'),
    fit: l10n.t('Fit'),
    refocus: l10n.t('Focus Selection'),
    focusedPath: l10n.t('Path through the selection'),
    clusterLabel: l10n.t('{0} more', '{0}'),
    expandCluster: l10n.t('Expand all'),
    filterCluster: l10n.t('Filter this cluster'),
    sizeCheck: l10n.t('This graph has {0} nodes, which may be slow to draw.', '{0}'),
    drawAnyway: l10n.t('Draw All'),
    showLess: l10n.t('Show 2 Generations'),
    derivedVersion: l10n.t('derived'),
    derivedEdge: l10n.t('derived from step inputs'),
    missingNode: l10n.t('not in the store'),
    step: l10n.t('Step'),
    run: l10n.t('Run'),
    openDetails: l10n.t('Open details'),
    graphSummary: l10n.t('Lineage graph: {0} nodes, {1} edges', '{0}', '{1}'),
    layingOut: l10n.t('Laying out…'),
  };
}
