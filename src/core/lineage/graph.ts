/**
 * The lineage graph of a workspace: asset versions, the steps that produced
 * and consumed them, and the runs those steps belong to. Edges follow the
 * command-line contract: `parent` from parent to child, `produced` from a
 * step to a version, `consumed` from a version to a step.
 *
 * Traversal uses visited sets, so cycles (possible with caller-chosen catalog
 * ids) never hang, and it never enumerates paths, which explode on diamonds.
 */
import type { LineageDirection, LineageEdge, LineageGraph, LineageNode } from '../api';
import type { AssetVersion, RunInfo } from '../model/types';

interface Adjacency {
  /** Outgoing edges per node id. */
  out: Map<string, LineageEdge[]>;
  /** Incoming edges per node id. */
  in: Map<string, LineageEdge[]>;
}

export class LineageIndex {
  private readonly adjacency: Adjacency = { out: new Map(), in: new Map() };
  private readonly nodes = new Map<string, LineageNode>();
  private readonly stepRun = new Map<string, string>();

  constructor(versions: AssetVersion[], runs: RunInfo[]) {
    for (const v of versions) {
      this.nodes.set(v.id, { id: v.id, kind: 'asset', name: v.name, type: v.type, version: v.label });
    }
    for (const run of runs) {
      this.nodes.set(run.id, { id: run.id, kind: 'run', name: run.pipeline ?? run.runId });
      for (const step of run.steps) {
        this.nodes.set(step.id, { id: step.id, kind: 'step', name: step.name });
        this.stepRun.set(step.id, run.id);
        for (const versionId of step.produced) this.addEdge({ from: step.id, to: versionId, kind: 'produced', derived: false });
        for (const versionId of step.consumed) this.addEdge({ from: versionId, to: step.id, kind: 'consumed', derived: true });
      }
    }
    for (const v of versions) {
      const derived = new Set(v.derivedParents);
      for (const parent of v.parents) {
        if (!this.nodes.has(parent)) {
          this.nodes.set(parent, { id: parent, kind: 'missing', name: decodeURIComponent(parent.replace(/^missing:/, '')) });
        }
        this.addEdge({ from: parent, to: v.id, kind: 'parent', derived: derived.has(parent) });
      }
    }
  }

  private addEdge(edge: LineageEdge): void {
    push(this.adjacency.out, edge.from, edge);
    push(this.adjacency.in, edge.to, edge);
  }

  has(id: string): boolean {
    return this.nodes.has(id);
  }

  /** Version ids that list `id` as a parent, stored or derived. */
  children(id: string): string[] {
    return (this.adjacency.out.get(id) ?? []).filter((e) => e.kind === 'parent').map((e) => e.to);
  }

  /**
   * Returns the subgraph around `focus`. Depth counts asset generations: a parent
   * edge is one hop, and so is a version → step → version path, so depth 1
   * upstream shows the direct inputs whichever way they were recorded.
   * `both` is the union of the upstream and downstream walks, not a walk
   * that turns around, which would pull in siblings.
   */
  subgraph(focus: string, options: { depth?: number; direction?: LineageDirection } = {}): LineageGraph {
    const depth = options.depth ?? Number.POSITIVE_INFINITY;
    const direction = options.direction ?? 'both';
    const nodeIds = new Set<string>([focus]);
    const edges = new Map<string, LineageEdge>();

    if (direction === 'up' || direction === 'both') this.walk(focus, depth, 'up', nodeIds, edges);
    if (direction === 'down' || direction === 'both') this.walk(focus, depth, 'down', nodeIds, edges);

    // Each step shown brings its run along, so a reader can see which run it belongs to.
    for (const id of [...nodeIds]) {
      const run = this.stepRun.get(id);
      if (run) nodeIds.add(run);
    }

    const nodes: LineageNode[] = [];
    for (const id of nodeIds) {
      const node = this.nodes.get(id);
      if (node) nodes.push(node.kind === 'step' ? { ...node, run: this.stepRun.get(id) } : node);
    }
    return { nodes, edges: [...edges.values()] };
  }

  private walk(focus: string, maxDepth: number, direction: 'up' | 'down', nodeIds: Set<string>, edges: Map<string, LineageEdge>): void {
    const bestDepth = new Map<string, number>([[focus, 0]]);
    let frontier = [focus];

    while (frontier.length > 0) {
      const next: string[] = [];
      for (const id of frontier) {
        const here = bestDepth.get(id)!;
        const list = direction === 'up' ? this.adjacency.in.get(id) : this.adjacency.out.get(id);
        for (const edge of list ?? []) {
          const other = direction === 'up' ? edge.from : edge.to;
          // Entering a step costs nothing; leaving it for a version costs the hop.
          const cost = this.nodes.get(other)?.kind === 'step' ? 0 : 1;
          const depth = here + cost;
          if (depth > maxDepth) continue;
          edges.set(`${edge.from}\u0000${edge.to}\u0000${edge.kind}`, edge);
          nodeIds.add(other);
          const known = bestDepth.get(other);
          if (known !== undefined && known <= depth) continue;
          bestDepth.set(other, depth);
          next.push(other);
        }
      }
      frontier = next;
    }
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
