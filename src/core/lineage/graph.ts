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
import type { AssetVersion, RunInfo, StepInfo } from '../model/types';

const KIND_ASSET = 1;
const KIND_RUN = 2;
const KIND_STEP = 3;
const KIND_MISSING = 4;
const EDGE_KINDS: readonly LineageEdge['kind'][] = ['parent', 'produced', 'consumed'];
const EDGE_PARENT = 0;
const EDGE_PRODUCED = 1;
const EDGE_CONSUMED = 2;

export class LineageIndex {
  private built: LineageGraphIndex | undefined;

  /**
   * Stores the lists without indexing them. The index is built on the first
   * query, so loading a workspace to list its versions does not pay for
   * lineage it may never show. The lists must not change afterwards.
   */
  constructor(private readonly versions: AssetVersion[], private readonly runs: RunInfo[]) {}

  private get index(): LineageGraphIndex {
    this.built ??= new LineageGraphIndex(this.versions, this.runs);
    return this.built;
  }

  /** Version ids that list `id` as a parent, stored or derived. */
  children(id: string): string[] {
    return this.index.children(id);
  }

  has(id: string): boolean {
    return this.index.has(id);
  }

  /**
   * Returns the subgraph around `focus`. Depth counts asset generations: a parent
   * edge is one hop, and so is a version → step → version path, so depth 1
   * upstream shows the direct inputs whichever way they were recorded.
   * `both` is the union of the upstream and downstream walks, not a walk
   * that turns around, which would pull in siblings.
   */
  subgraph(focus: string, options: { depth?: number; direction?: LineageDirection } = {}): LineageGraph {
    return this.index.subgraph(focus, options);
  }
}

/**
 * Nodes are numbered in the order they are first met, and edges are stored
 * once, with each node's outgoing and incoming edges as ranges of one
 * Int32Array (compressed sparse rows). Node and edge objects are made only
 * for the subgraph a caller asks for. On the generated 100k store (75k
 * versions) this index takes 11 MB of heap after garbage collection and
 * about 0.5 s of CPU to build, where a map of edge-object lists per node id
 * took 67 MB and 0.8 s.
 */
class LineageGraphIndex {
  /** Node number by id, for every id that is a node or an edge end. */
  private readonly numberOf = new Map<string, number>();
  private readonly ids: string[] = [];
  /** KIND_*, or 0 for an id that only appears as an edge end. */
  private kinds: Uint8Array;
  /** The version, run or step a node shows, or a missing node's name. */
  private readonly payload: (AssetVersion | RunInfo | StepInfo | string | undefined)[] = [];
  /** For a step node: the number of its run's node, else -1. */
  private stepRun: Int32Array;
  private readonly edgeFrom: Int32Array;
  private readonly edgeTo: Int32Array;
  private readonly edgeKind: Uint8Array;
  private readonly edgeDerived: Uint8Array;
  private readonly outStart: Int32Array;
  private readonly outEdges: Int32Array;
  private readonly inStart: Int32Array;
  private readonly inEdges: Int32Array;

  constructor(versions: AssetVersion[], runs: RunInfo[]) {
    this.kinds = new Uint8Array(Math.max(16, versions.length * 2));
    this.stepRun = new Int32Array(this.kinds.length).fill(-1);
    const from: number[] = [];
    const to: number[] = [];
    const kind: number[] = [];
    const derivedFlags: number[] = [];
    const addEdge = (a: number, b: number, edgeKind: number, derived: boolean) => {
      from.push(a);
      to.push(b);
      kind.push(edgeKind);
      derivedFlags.push(derived ? 1 : 0);
    };

    for (const v of versions) this.setNode(v.id, KIND_ASSET, v);
    for (const run of runs) {
      const runNode = this.setNode(run.id, KIND_RUN, run);
      for (const step of run.steps) {
        const stepNode = this.setNode(step.id, KIND_STEP, step);
        this.stepRun[stepNode] = runNode;
        for (const versionId of step.produced) addEdge(stepNode, this.node(versionId), EDGE_PRODUCED, false);
        for (const versionId of step.consumed) addEdge(this.node(versionId), stepNode, EDGE_CONSUMED, true);
      }
    }
    for (const v of versions) {
      const child = this.node(v.id);
      const derived = v.derivedParents.length > 0 ? new Set(v.derivedParents) : undefined;
      for (const parent of v.parents) {
        let parentNode = this.numberOf.get(parent);
        if (parentNode === undefined || this.kinds[parentNode] === 0) {
          parentNode = this.setNode(parent, KIND_MISSING, decodeURIComponent(parent.replace(/^missing:/, '')));
        }
        addEdge(parentNode, child, EDGE_PARENT, derived?.has(parent) === true);
      }
    }

    const count = this.ids.length;
    this.kinds = this.kinds.slice(0, count);
    this.stepRun = this.stepRun.slice(0, count);
    this.edgeFrom = Int32Array.from(from);
    this.edgeTo = Int32Array.from(to);
    this.edgeKind = Uint8Array.from(kind);
    this.edgeDerived = Uint8Array.from(derivedFlags);
    [this.outStart, this.outEdges] = compressedRows(count, this.edgeFrom);
    [this.inStart, this.inEdges] = compressedRows(count, this.edgeTo);
  }

  /** Returns the number of an id, numbering it on first sight. */
  private node(id: string): number {
    let n = this.numberOf.get(id);
    if (n === undefined) {
      n = this.ids.length;
      this.numberOf.set(id, n);
      this.ids.push(id);
      this.payload.push(undefined);
      if (n >= this.kinds.length) {
        const kinds = new Uint8Array(this.kinds.length * 2);
        kinds.set(this.kinds);
        this.kinds = kinds;
        const stepRun = new Int32Array(kinds.length).fill(-1);
        stepRun.set(this.stepRun);
        this.stepRun = stepRun;
      }
    }
    return n;
  }

  /** Makes an id a node; a later call for the same id replaces what it shows, as Map.set would. */
  private setNode(id: string, kind: number, payload: AssetVersion | RunInfo | StepInfo | string): number {
    const n = this.node(id);
    this.kinds[n] = kind;
    this.payload[n] = payload;
    return n;
  }

  children(id: string): string[] {
    const n = this.numberOf.get(id);
    const result: string[] = [];
    if (n === undefined) return result;
    for (let i = this.outStart[n]; i < this.outStart[n + 1]; i++) {
      const edge = this.outEdges[i];
      if (this.edgeKind[edge] === EDGE_PARENT) result.push(this.ids[this.edgeTo[edge]]);
    }
    return result;
  }

  has(id: string): boolean {
    const n = this.numberOf.get(id);
    return n !== undefined && this.kinds[n] !== 0;
  }

  subgraph(focus: string, options: { depth?: number; direction?: LineageDirection }): LineageGraph {
    const depth = options.depth ?? Number.POSITIVE_INFINITY;
    const direction = options.direction ?? 'both';
    const nodeIds = new Set<string>([focus]);
    const edges = new Map<string, number>();
    const focusNode = this.numberOf.get(focus);

    if (focusNode !== undefined) {
      if (direction === 'up' || direction === 'both') this.walk(focusNode, depth, 'up', nodeIds, edges);
      if (direction === 'down' || direction === 'both') this.walk(focusNode, depth, 'down', nodeIds, edges);
    }

    // Each step shown brings its run along, so a reader can see which run it belongs to.
    for (const id of [...nodeIds]) {
      const n = this.numberOf.get(id);
      if (n !== undefined && this.stepRun[n] >= 0) nodeIds.add(this.ids[this.stepRun[n]]);
    }

    const nodes: LineageNode[] = [];
    for (const id of nodeIds) {
      const n = this.numberOf.get(id);
      if (n !== undefined && this.kinds[n] !== 0) nodes.push(this.lineageNode(n));
    }
    return { nodes, edges: [...edges.values()].map((edge) => this.lineageEdge(edge)) };
  }

  private lineageNode(n: number): LineageNode {
    const id = this.ids[n];
    const payload = this.payload[n];
    switch (this.kinds[n]) {
      case KIND_ASSET: {
        const v = payload as AssetVersion;
        return { id, kind: 'asset', name: v.name, type: v.type, version: v.label };
      }
      case KIND_RUN: {
        const run = payload as RunInfo;
        return { id, kind: 'run', name: run.pipeline ?? run.runId };
      }
      case KIND_STEP: {
        const runNode = this.stepRun[n];
        return { id, kind: 'step', name: (payload as StepInfo).name, run: runNode >= 0 ? this.ids[runNode] : undefined };
      }
      default:
        return { id, kind: 'missing', name: payload as string };
    }
  }

  private lineageEdge(edge: number): LineageEdge {
    return {
      from: this.ids[this.edgeFrom[edge]],
      to: this.ids[this.edgeTo[edge]],
      kind: EDGE_KINDS[this.edgeKind[edge]],
      derived: this.edgeDerived[edge] === 1,
    };
  }

  private walk(focus: number, maxDepth: number, direction: 'up' | 'down', nodeIds: Set<string>, edges: Map<string, number>): void {
    const bestDepth = new Map<number, number>([[focus, 0]]);
    let frontier = [focus];
    const start = direction === 'up' ? this.inStart : this.outStart;
    const list = direction === 'up' ? this.inEdges : this.outEdges;
    const otherEnd = direction === 'up' ? this.edgeFrom : this.edgeTo;

    while (frontier.length > 0) {
      const next: number[] = [];
      for (const n of frontier) {
        const here = bestDepth.get(n)!;
        for (let i = start[n]; i < start[n + 1]; i++) {
          const edge = list[i];
          const other = otherEnd[edge];
          // Entering a step costs nothing; leaving it for a version costs the hop.
          const cost = this.kinds[other] === KIND_STEP ? 0 : 1;
          const depth = here + cost;
          if (depth > maxDepth) continue;
          const otherId = this.ids[other];
          edges.set(`${this.ids[this.edgeFrom[edge]]}\u0000${this.ids[this.edgeTo[edge]]}\u0000${EDGE_KINDS[this.edgeKind[edge]]}`, edge);
          nodeIds.add(otherId);
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

/** Groups edge numbers by one end: row n of the result lists the edges whose end is n, in edge order. */
function compressedRows(count: number, ends: Int32Array): [Int32Array, Int32Array] {
  const start = new Int32Array(count + 1);
  for (let e = 0; e < ends.length; e++) start[ends[e] + 1]++;
  for (let n = 0; n < count; n++) start[n + 1] += start[n];
  const fill = start.slice(0, count);
  const edges = new Int32Array(ends.length);
  for (let e = 0; e < ends.length; e++) edges[fill[ends[e]]++] = e;
  return [start, edges];
}
