/**
 * A layered (Sugiyama-style) left-to-right layout of a directed graph, as a
 * pure function: it reads boxes and edges and returns coordinates, with no
 * DOM, so Node tests and a web worker run the same code.
 *
 * The phases are: break cycles by reversing DFS back edges, assign layers by
 * longest path, and split edges that span layers with dummy points. Then
 * barycenter sweeps order each layer, and boxes move as close to their
 * neighbours as the no-overlap constraint allows (isotonic regression by
 * pool-adjacent-violators). Every phase is linear or n·log n in nodes plus
 * edges, because lineage graphs reach tens of thousands of nodes.
 */

export interface LayoutInputNode {
  id: string;
  width: number;
  height: number;
}

export interface LayoutInputEdge {
  from: string;
  to: string;
}

export interface LayoutOptions {
  /** Horizontal space between layers, in pixels. */
  layerGap?: number;
  /** Vertical space between boxes of one layer, in pixels. */
  nodeGap?: number;
  /** Barycenter ordering passes; each pass sweeps forward and back once. */
  orderingPasses?: number;
}

/** A placed box; x and y are its top-left corner. */
export interface LayoutBox {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
  layer: number;
}

/** A placed edge: from the source box's right side, through dummy points, to the target box's left side. */
export interface LayoutEdgePath {
  from: string;
  to: string;
  points: { x: number; y: number }[];
  /** True when cycle breaking reversed the edge for layering; its points still run from `from` to `to`. */
  reversed: boolean;
}

export interface LayoutResult {
  nodes: LayoutBox[];
  edges: LayoutEdgePath[];
  width: number;
  height: number;
  /** Input edges left out: self-loops, repeats and edges naming an unknown node. */
  skippedEdges: number;
}

const DEFAULTS = { layerGap: 64, nodeGap: 14, orderingPasses: 4 };

/** Height of the placeholder that carries a long edge through a layer. */
const DUMMY_HEIGHT = 2;

interface WorkNode {
  index: number;
  width: number;
  height: number;
  layer: number;
  /** Position within the layer after ordering. */
  order: number;
  /** The barycenter that the current ordering sweep sorts by. */
  key: number;
  y: number;
  up: number[];
  down: number[];
}

export function layoutLayered(
  inputNodes: readonly LayoutInputNode[],
  inputEdges: readonly LayoutInputEdge[],
  options: LayoutOptions = {},
): LayoutResult {
  const settings = { ...DEFAULTS, ...options };
  const indexById = new Map<string, number>();
  const work: WorkNode[] = [];
  for (const node of inputNodes) {
    if (indexById.has(node.id)) continue;
    indexById.set(node.id, work.length);
    work.push({ index: work.length, width: node.width, height: node.height, layer: 0, order: 0, key: 0, y: 0, up: [], down: [] });
  }
  const realCount = work.length;

  const { edges, skipped } = uniqueEdges(inputEdges, indexById);
  const reversed = findBackEdges(realCount, edges);
  const oriented = edges.map(([from, to], i) => (reversed[i] ? [to, from] : [from, to]) as [number, number]);

  assignLayers(work, oriented);
  const chains = splitLongEdges(work, oriented);
  const layers = orderLayers(work, settings.orderingPasses);
  const layerX = placeLayers(work, layers, settings.layerGap);
  placeInLayers(work, layers, settings.nodeGap);

  const nodes: LayoutBox[] = inputNodes.length === realCount
    ? inputNodes.map((node, i) => box(node.id, work[i], layerX))
    : [...indexById.entries()].map(([id, i]) => box(id, work[i], layerX));
  const paths: LayoutEdgePath[] = edges.map(([from, to], i) => {
    const last = chains[i].length - 1;
    const chain = chains[i].map((index, position) => anchor(work[index], layerX, anchorSide(position, last)));
    return { from: nodes[from].id, to: nodes[to].id, points: reversed[i] ? reverseEnds(chain, work[from], work[to], layerX) : chain, reversed: reversed[i] };
  });

  let width = 0;
  let height = 0;
  for (const node of nodes) {
    width = Math.max(width, node.x + node.width);
    height = Math.max(height, node.y + node.height);
  }

  return { nodes, edges: paths, width, height, skippedEdges: skipped };
}

function box(id: string, node: WorkNode, layerX: number[]): LayoutBox {
  return { id, x: layerX[node.layer], y: node.y, width: node.width, height: node.height, layer: node.layer };
}

type Side = 'left' | 'right' | 'middle';

/** Returns where an edge touches the node at `position` of its chain: it leaves the source's right side and enters the target's left side. */
function anchorSide(position: number, last: number): Side {
  if (position === 0) return 'right';
  if (position === last) return 'left';

  return 'middle';
}

function anchor(node: WorkNode, layerX: number[], side: Side): { x: number; y: number } {
  let x = layerX[node.layer];
  if (side === 'right') x += node.width;
  else if (side === 'middle') x += node.width / 2;

  return { x, y: node.y + node.height / 2 };
}

/** Turns a reversed edge's chain around, so it leaves its source's left side and enters its target's right side. */
function reverseEnds(chain: { x: number; y: number }[], from: WorkNode, to: WorkNode, layerX: number[]): { x: number; y: number }[] {
  const points = [...chain].reverse();
  points[0] = anchor(from, layerX, 'left');
  points[points.length - 1] = anchor(to, layerX, 'right');

  return points;
}

function uniqueEdges(inputEdges: readonly LayoutInputEdge[], indexById: Map<string, number>): { edges: [number, number][]; skipped: number } {
  const seen = new Set<string>();
  const edges: [number, number][] = [];
  let skipped = 0;
  for (const edge of inputEdges) {
    const from = indexById.get(edge.from);
    const to = indexById.get(edge.to);
    const key = `${from}>${to}`;
    if (from === undefined || to === undefined || from === to || seen.has(key)) {
      skipped++;
      continue;
    }
    seen.add(key);
    edges.push([from, to]);
  }

  return { edges, skipped };
}

/** Marks the edges that close a cycle in an iterative depth-first search, so reversing them leaves a DAG. */
function findBackEdges(count: number, edges: [number, number][]): boolean[] {
  const out: number[][] = Array.from({ length: count }, () => []);
  edges.forEach(([from], i) => out[from].push(i));
  const state = new Uint8Array(count); // 0 unvisited, 1 on the stack, 2 done
  const back = new Array<boolean>(edges.length).fill(false);

  for (let start = 0; start < count; start++) {
    if (state[start] !== 0) continue;
    const stack: [number, number][] = [[start, 0]];
    state[start] = 1;
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const [node, next] = top;
      if (next >= out[node].length) {
        state[node] = 2;
        stack.pop();
        continue;
      }
      top[1]++;
      const edge = out[node][next];
      const target = edges[edge][1];
      if (state[target] === 1) back[edge] = true;
      else if (state[target] === 0) {
        state[target] = 1;
        stack.push([target, 0]);
      }
    }
  }

  return back;
}

/**
 * Longest-path layering in topological order, then each source moves right
 * to just before its nearest successor, so an input box sits beside the step
 * that reads it rather than in the first column.
 */
function assignLayers(work: WorkNode[], edges: [number, number][]): void {
  const count = work.length;
  const out: number[][] = Array.from({ length: count }, () => []);
  const indegree = new Uint32Array(count);
  for (const [from, to] of edges) {
    out[from].push(to);
    indegree[to]++;
  }

  const order: number[] = [];
  for (let i = 0; i < count; i++) if (indegree[i] === 0) order.push(i);
  for (let head = 0; head < order.length; head++) {
    const node = order[head];
    for (const target of out[node]) {
      work[target].layer = Math.max(work[target].layer, work[node].layer + 1);
      if (--indegree[target] === 0) order.push(target);
    }
  }

  const hasPredecessor = new Uint8Array(count);
  for (const [, to] of edges) hasPredecessor[to] = 1;
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i];
    if (hasPredecessor[node] || out[node].length === 0) continue;
    work[node].layer = out[node].reduce((min, target) => Math.min(min, work[target].layer), Number.POSITIVE_INFINITY) - 1;
  }
}

/** Replaces each edge spanning several layers by a chain through dummy nodes; returns each edge's chain of node indexes. */
function splitLongEdges(work: WorkNode[], edges: [number, number][]): number[][] {
  return edges.map(([from, to]) => {
    const chain = [from];
    let previous = from;
    for (let layer = work[from].layer + 1; layer < work[to].layer; layer++) {
      const dummy: WorkNode = { index: work.length, width: 0, height: DUMMY_HEIGHT, layer, order: 0, key: 0, y: 0, up: [previous], down: [] };
      work.push(dummy);
      work[previous].down.push(dummy.index);
      chain.push(dummy.index);
      previous = dummy.index;
    }
    work[previous].down.push(to);
    work[to].up.push(previous);
    chain.push(to);

    return chain;
  });
}

/** Orders nodes in each layer by the mean position of their neighbours, sweeping forward and back. */
function orderLayers(work: WorkNode[], passes: number): WorkNode[][] {
  const layers: WorkNode[][] = [];
  for (const node of work) (layers[node.layer] ??= []).push(node);
  for (let i = 0; i < layers.length; i++) layers[i] ??= [];
  for (const layer of layers) layer.forEach((node, i) => { node.order = i; });

  const sortBy = (layer: WorkNode[], neighbours: (node: WorkNode) => number[]) => {
    for (const node of layer) {
      const list = neighbours(node);
      let sum = 0;
      for (const n of list) sum += work[n].order;
      node.key = list.length === 0 ? node.order : sum / list.length;
    }
    layer.sort((a, b) => a.key - b.key || a.order - b.order);
    layer.forEach((node, i) => { node.order = i; });
  };

  for (let pass = 0; pass < passes; pass++) {
    for (let i = 1; i < layers.length; i++) sortBy(layers[i], (node) => node.up);
    for (let i = layers.length - 2; i >= 0; i--) sortBy(layers[i], (node) => node.down);
  }

  return layers;
}

/** Returns the x of each layer: layers are as wide as their widest box. */
function placeLayers(work: WorkNode[], layers: WorkNode[][], gap: number): number[] {
  const xs: number[] = [];
  let x = 0;
  for (const layer of layers) {
    xs.push(x);
    const width = layer.reduce((max, node) => Math.max(max, node.width), 0);
    x += width + gap;
  }

  return xs;
}

/**
 * Packs each layer top to bottom, then moves boxes toward the centres of
 * their neighbours in the previous layer (forward) or the next (back),
 * keeping order and gaps.
 */
function placeInLayers(work: WorkNode[], layers: WorkNode[][], gap: number): void {
  for (const layer of layers) {
    let y = 0;
    for (const node of layer) {
      node.y = y;
      y += node.height + gap;
    }
  }

  const centre = (n: number) => work[n].y + work[n].height / 2;
  const align = (layer: WorkNode[], neighbours: (node: WorkNode) => number[]) => {
    const desired = layer.map((node) => {
      const list = neighbours(node);
      if (list.length === 0) return node.y;
      const centres = list.map(centre).sort((a, b) => a - b);
      const middle = centres.length >> 1;
      const median = centres.length % 2 ? centres[middle] : (centres[middle - 1] + centres[middle]) / 2;
      return median - node.height / 2;
    });
    const ys = isotonicPlacement(desired, layer.map((node) => node.height), gap);
    layer.forEach((node, i) => { node.y = ys[i]; });
  };

  for (let pass = 0; pass < 2; pass++) {
    for (let i = 1; i < layers.length; i++) align(layers[i], (node) => node.up);
    for (let i = layers.length - 2; i >= 0; i--) align(layers[i], (node) => node.down);
  }

  // Shift everything so the top box starts at y = 0.
  let top = Number.POSITIVE_INFINITY;
  for (const node of work) top = Math.min(top, node.y);
  if (Number.isFinite(top)) for (const node of work) node.y -= top;
}

/**
 * Returns the ys closest (least squares) to `desired` with each box at least
 * `gap` below the one before it. Subtracting each box's packed offset turns
 * the constraint into "non-decreasing", which pool-adjacent-violators solves
 * in one pass.
 */
export function isotonicPlacement(desired: number[], heights: number[], gap: number): number[] {
  const offsets: number[] = [];
  let offset = 0;
  for (let i = 0; i < desired.length; i++) {
    offsets.push(offset);
    offset += heights[i] + gap;
  }

  const blockValue: number[] = [];
  const blockSize: number[] = [];
  for (let i = 0; i < desired.length; i++) {
    let value = desired[i] - offsets[i];
    let size = 1;
    while (blockValue.length > 0 && blockValue[blockValue.length - 1] > value) {
      const previousSize = blockSize.pop()!;
      value = (blockValue.pop()! * previousSize + value * size) / (previousSize + size);
      size += previousSize;
    }
    blockValue.push(value);
    blockSize.push(size);
  }

  const ys: number[] = [];
  blockValue.forEach((value, block) => {
    for (let k = 0; k < blockSize[block]; k++) ys.push(value + offsets[ys.length]);
  });

  return ys;
}
