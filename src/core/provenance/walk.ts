/**
 * Generation distances over the lineage graph that `WorkspaceIndex.lineage`
 * returns. A parent edge is one generation, and so is a version → step →
 * version path, the same rule the lineage panel's depth uses. Entering a
 * step costs nothing, so a step sits at the distance of the version that
 * feeds it (upstream) or that it produces (downstream).
 */
import type { LineageDirection, LineageEdge, LineageGraph, LineageNode, WorkspaceIndex } from '../api';
import { StoreError } from '../errors';
import type { AssetVersion } from '../model/types';

export interface Walk {
  /** The version the walk started from (its canonical id, never an alias). */
  focus: AssetVersion;
  graph: LineageGraph;
  nodes: Map<string, LineageNode>;
  /** Shortest distance in generations from the focus, for every node reached. */
  distance: Map<string, number>;
}

/** Resolves an id or catalog alias to its version, or raises a not-found StoreError that names the id. */
export function requireVersion(index: WorkspaceIndex, id: string): AssetVersion {
  const version = index.getVersion(id);
  if (!version) throw new StoreError('not-found', `No asset version with id "${id}" in ${index.root}.`);

  return version;
}

export function walkLineage(index: WorkspaceIndex, id: string, direction: Exclude<LineageDirection, 'both'>): Walk {
  const focus = requireVersion(index, id);
  const graph = index.lineage(focus.id, { direction });
  const nodes = new Map(graph.nodes.map((node) => [node.id, node]));
  const next = new Map<string, LineageEdge[]>();
  for (const edge of graph.edges) {
    const from = direction === 'down' ? edge.from : edge.to;
    const list = next.get(from);
    if (list) list.push(edge);
    else next.set(from, [edge]);
  }

  // A node is queued again whenever a shorter distance reaches it, so a
  // zero-cost step hop found late still corrects the distances behind it.
  const distance = new Map<string, number>([[focus.id, 0]]);
  const queue: string[] = [focus.id];
  let head = 0;
  while (head < queue.length) {
    const id = queue[head++];
    const current = distance.get(id)!;
    for (const edge of next.get(id) ?? []) {
      const other = direction === 'down' ? edge.to : edge.from;
      const cost = nodes.get(other)?.kind === 'step' ? 0 : 1;
      const known = distance.get(other);
      if (known !== undefined && known <= current + cost) continue;
      distance.set(other, current + cost);
      queue.push(other);
    }
  }

  return { focus, graph, nodes, distance };
}
