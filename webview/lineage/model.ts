/**
 * The lineage panel's drawn graph as pure functions of the host's graph and
 * the view state. They cover sibling clusters, the selected-path filter, run
 * links, upstream and downstream sets, the focused path and search. The
 * module has no DOM, so Node tests cover it.
 */
import type { LineageEdge, LineageGraph, LineageNode } from '../../src/core/api';

/** More siblings than this on one side of a node collapse into a cluster. */
export const CLUSTER_THRESHOLD = 25;

/** Above this many drawn nodes the panel requests confirmation before laying out. */
export const SIZE_CHECK_NODES = 3000;

export interface ViewNode {
  id: string;
  kind: LineageNode['kind'] | 'cluster';
  name: string;
  type?: string;
  version?: string;
  /** For a cluster: the ids it hides. */
  members?: string[];
}

export interface ViewEdge {
  from: string;
  to: string;
  /** `run` links a run to its steps; `cluster` edges stand for the edges of hidden members. */
  kind: LineageEdge['kind'] | 'run' | 'cluster';
  derived: boolean;
}

export interface ViewGraph {
  nodes: ViewNode[];
  edges: ViewEdge[];
  /** Which cluster hides each hidden node. */
  clusterOf: Map<string, string>;
}

export interface ViewOptions {
  focusId: string;
  selectedId?: string;
  pathOnly: boolean;
  expanded: ReadonlySet<string>;
  revealed: ReadonlySet<string>;
  threshold?: number;
}

export function edgeKey(edge: { from: string; to: string; kind: string }): string {
  return `${edge.from}\u0000${edge.to}\u0000${edge.kind}`;
}

/**
 * Builds the drawn graph. Nodes are visited breadth-first from the focus,
 * and a node with more than `threshold` neighbours on one side hides the
 * ones not yet shown in a cluster `cluster:<side>:<node id>`, unless the
 * user expanded it. The focus, the selection and revealed nodes are never
 * hidden. Edges of hidden nodes move to their cluster, once each.
 */
export function buildView(graph: LineageGraph, options: ViewOptions): ViewGraph {
  const threshold = options.threshold ?? CLUSTER_THRESHOLD;
  const byId = new Map(graph.nodes.map((node) => [node.id, node]));
  const edges: ViewEdge[] = graph.edges.filter((edge) => byId.has(edge.from) && byId.has(edge.to));
  for (const node of graph.nodes) {
    if (node.kind === 'step' && node.run && byId.has(node.run)) edges.push({ from: node.run, to: node.id, kind: 'run', derived: false });
  }

  const out = adjacency(edges, 'out');
  const incoming = adjacency(edges, 'in');
  const keep = new Set<string>([options.focusId, ...options.revealed]);
  if (options.selectedId) keep.add(options.selectedId);

  const clusterOf = new Map<string, string>();
  const clusters = new Map<string, ViewNode>();
  const settled = new Set<string>();
  for (const id of visitOrder(graph.nodes, options.focusId, out, incoming)) {
    if (clusterOf.has(id)) continue;
    for (const [side, list] of [['out', out.get(id) ?? []], ['in', incoming.get(id) ?? []]] as const) {
      const clusterId = `cluster:${side}:${id}`;
      if (list.length <= threshold || options.expanded.has(clusterId)) continue;
      const members = list.filter((other) => !settled.has(other) && !clusterOf.has(other) && !keep.has(other));
      if (members.length < 2) continue;
      for (const member of members) clusterOf.set(member, clusterId);
      const types = new Set(members.map((member) => byId.get(member)?.type ?? byId.get(member)?.kind));
      clusters.set(clusterId, { id: clusterId, kind: 'cluster', name: id, type: types.size === 1 ? [...types][0] : undefined, members });
    }
    settled.add(id);
  }

  const nodes: ViewNode[] = graph.nodes.filter((node) => !clusterOf.has(node.id));
  nodes.push(...clusters.values());
  const mapped = new Map<string, ViewEdge>();
  for (const edge of edges) {
    const from = clusterOf.get(edge.from) ?? edge.from;
    const to = clusterOf.get(edge.to) ?? edge.to;
    if (from === to) continue;
    const kind = from === edge.from && to === edge.to ? edge.kind : 'cluster';
    const viewEdge = { from, to, kind, derived: edge.derived };
    const key = edgeKey(viewEdge);
    const known = mapped.get(key);
    if (known) known.derived = known.derived && edge.derived;
    else mapped.set(key, viewEdge);
  }
  let view: ViewGraph = { nodes, edges: [...mapped.values()], clusterOf };
  if (options.pathOnly) view = selectedPath(view, options.selectedId ?? options.focusId);

  return view;
}

/** Keeps the node, its ancestors and its descendants, and the runs of the steps kept. */
function selectedPath(view: ViewGraph, id: string): ViewGraph {
  const { upstream, downstream } = relatives(view, id);
  const keep = new Set([id, ...upstream, ...downstream]);
  for (const edge of view.edges) if (edge.kind === 'run' && keep.has(edge.to)) keep.add(edge.from);

  return {
    nodes: view.nodes.filter((node) => keep.has(node.id)),
    edges: view.edges.filter((edge) => keep.has(edge.from) && keep.has(edge.to)),
    clusterOf: view.clusterOf,
  };
}

/** Returns every node reachable against the edges (upstream) and along them (downstream), leaving run links out. */
export function relatives(view: Pick<ViewGraph, 'edges'>, id: string): { upstream: Set<string>; downstream: Set<string> } {
  const lineageEdges = view.edges.filter((edge) => edge.kind !== 'run');

  return { upstream: reach(adjacency(lineageEdges, 'in'), id), downstream: reach(adjacency(lineageEdges, 'out'), id) };
}

/**
 * Returns the path a reader follows through a node: from a root, through the first
 * upstream neighbour at each step, to the node, then on through the first
 * downstream neighbour to a leaf. Neighbours are taken in `order`, which is
 * the drawing's top-to-bottom order, so the list matches what is on screen.
 */
export function focusedPath(view: Pick<ViewGraph, 'edges'>, id: string, order: (a: string, b: string) => number): string[] {
  const lineageEdges = view.edges.filter((edge) => edge.kind !== 'run');
  const up = adjacency(lineageEdges, 'in');
  const down = adjacency(lineageEdges, 'out');
  const path = [id];
  const onPath = new Set(path);
  const follow = (from: string, neighbours: Map<string, string[]>, add: (next: string) => void) => {
    let current = from;
    for (;;) {
      const next = [...(neighbours.get(current) ?? [])].sort(order).find((candidate) => !onPath.has(candidate));
      if (!next) return;
      onPath.add(next);
      add(next);
      current = next;
    }
  };
  follow(id, up, (next) => path.unshift(next));
  follow(id, down, (next) => path.push(next));

  return path;
}

/** Nodes whose name or id contains the query, names before ids, at most `limit`. */
export function searchNodes(nodes: readonly LineageNode[], query: string, limit = 50): LineageNode[] {
  const needle = query.trim().toLowerCase();
  if (!needle) return [];
  const byName = nodes.filter((node) => node.name.toLowerCase().includes(needle));
  const named = new Set(byName);
  const byId = nodes.filter((node) => !named.has(node) && node.id.toLowerCase().includes(needle));

  return [...byName, ...byId].slice(0, limit);
}

/** Node ids breadth-first from the focus over edges in both directions, then every node not reached, in input order. */
function visitOrder(nodes: readonly LineageNode[], focusId: string, out: Map<string, string[]>, incoming: Map<string, string[]>): string[] {
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (start: string) => {
    if (seen.has(start)) return;
    seen.add(start);
    order.push(start);
    for (let head = order.length - 1; head < order.length; head++) {
      const id = order[head];
      for (const next of [...(out.get(id) ?? []), ...(incoming.get(id) ?? [])]) {
        if (seen.has(next)) continue;
        seen.add(next);
        order.push(next);
      }
    }
  };
  if (nodes.some((node) => node.id === focusId)) visit(focusId);
  for (const node of nodes) visit(node.id);

  return order;
}

function adjacency(edges: readonly ViewEdge[], side: 'in' | 'out'): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const edge of edges) {
    const [key, value] = side === 'out' ? [edge.from, edge.to] : [edge.to, edge.from];
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
  }

  return map;
}

function reach(neighbours: Map<string, string[]>, start: string): Set<string> {
  const found = new Set<string>();
  const stack = [start];
  while (stack.length > 0) {
    for (const next of neighbours.get(stack.pop()!) ?? []) {
      if (next === start || found.has(next)) continue;
      found.add(next);
      stack.push(next);
    }
  }

  return found;
}
