/**
 * The layered layout as a pure function. No two boxes overlap, whatever the
 * edge order, and every distinct edge comes back once. Cycles, self-loops,
 * repeated edges and edges to unknown nodes are survived and counted.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isotonicPlacement, layoutLayered, type LayoutBox, type LayoutInputEdge, type LayoutInputNode } from '../../../src/core/lineage/layout';

function nodes(count: number, size = { width: 120, height: 30 }): LayoutInputNode[] {
  return Array.from({ length: count }, (_, i) => ({ id: `n${i}`, width: size.width + (i % 3) * 20, height: size.height + (i % 2) * 10 }));
}

function randomDag(count: number, edgeCount: number, seed: number): LayoutInputEdge[] {
  let state = seed;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const edges: LayoutInputEdge[] = [];
  for (let i = 0; i < edgeCount; i++) {
    const a = Math.floor(random() * count);
    const b = Math.floor(random() * count);
    if (a !== b) edges.push({ from: `n${Math.min(a, b)}`, to: `n${Math.max(a, b)}` });
  }

  return edges;
}

function shuffled<T>(items: T[], seed: number): T[] {
  const copy = [...items];
  let state = seed;
  for (let i = copy.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const j = state % (i + 1);
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }

  return copy;
}

function overlapping(boxes: LayoutBox[]): [string, string] | undefined {
  const sorted = [...boxes].sort((a, b) => a.x - b.x || a.y - b.y);
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length && sorted[j].x < sorted[i].x + sorted[i].width; j++) {
      const a = sorted[i];
      const b = sorted[j];
      if (a.y < b.y + b.height && b.y < a.y + a.height) return [a.id, b.id];
    }
  }

  return undefined;
}

function edgeKeys(edges: { from: string; to: string }[]): string[] {
  return edges.map((edge) => `${edge.from}>${edge.to}`).sort();
}

describe('layered layout', () => {
  it('places a chain left to right', () => {
    const result = layoutLayered(nodes(3), [{ from: 'n1', to: 'n2' }, { from: 'n0', to: 'n1' }]);
    const [a, b, c] = result.nodes;

    assert.deepEqual(result.nodes.map((node) => node.layer), [0, 1, 2]);
    assert.ok(a.x + a.width < b.x, 'n0 ends before n1 starts');
    assert.ok(b.x + b.width < c.x, 'n1 ends before n2 starts');
  });

  it('returns nodes in input order with their sizes', () => {
    const input = nodes(5);
    const result = layoutLayered(input, randomDag(5, 6, 3));

    assert.deepEqual(result.nodes.map((node) => node.id), input.map((node) => node.id));
    assert.deepEqual(result.nodes.map((node) => [node.width, node.height]), input.map((node) => [node.width, node.height]));
  });

  for (const seed of [1, 2, 3, 4, 5]) {
    it(`never overlaps boxes in any edge order (seed ${seed})`, () => {
      const input = nodes(300);
      const edges = randomDag(300, 600, seed);
      for (const order of [edges, [...edges].reverse(), shuffled(edges, seed)]) {
        const result = layoutLayered(input, order);

        assert.equal(overlapping(result.nodes), undefined);
      }
    });
  }

  it('keeps sizes apart by the node gap', () => {
    const result = layoutLayered(nodes(40), Array.from({ length: 39 }, (_, i) => ({ from: 'n0', to: `n${i + 1}` })), { nodeGap: 10 });
    const column = result.nodes.filter((node) => node.layer === 1).sort((a, b) => a.y - b.y);

    assert.equal(column.length, 39);
    for (let i = 1; i < column.length; i++) assert.ok(column[i].y >= column[i - 1].y + column[i - 1].height + 10 - 1e-6, `${column[i].id} gap`);
  });

  it('returns each distinct edge once', () => {
    const edges = randomDag(200, 500, 9);
    const repeated = [...edges, ...edges.slice(0, 50)];
    const result = layoutLayered(nodes(200), repeated);
    const expected = [...new Set(edgeKeys(edges))];

    assert.deepEqual(edgeKeys(result.edges), expected);
    assert.equal(result.skippedEdges, repeated.length - expected.length);
  });

  it('lays out cycles with every edge kept', () => {
    const edges = [{ from: 'n0', to: 'n1' }, { from: 'n1', to: 'n2' }, { from: 'n2', to: 'n0' }, { from: 'n2', to: 'n3' }];
    const result = layoutLayered(nodes(4), edges);

    assert.deepEqual(edgeKeys(result.edges), edgeKeys(edges));
    assert.equal(result.edges.filter((edge) => edge.reversed).length, 1);
    assert.equal(overlapping(result.nodes), undefined);
  });

  it('draws a reversed edge from its source to its target', () => {
    const result = layoutLayered(nodes(2), [{ from: 'n0', to: 'n1' }, { from: 'n1', to: 'n0' }]);
    const back = result.edges.find((edge) => edge.reversed)!;
    const from = result.nodes.find((node) => node.id === back.from)!;
    const to = result.nodes.find((node) => node.id === back.to)!;

    assert.equal(back.points[0].x, from.x);
    assert.equal(back.points[back.points.length - 1].x, to.x + to.width);
  });

  it('skips self-loops and edges to unknown nodes', () => {
    const result = layoutLayered(nodes(2), [{ from: 'n0', to: 'n0' }, { from: 'missing', to: 'n1' }, { from: 'n0', to: 'n1' }]);

    assert.equal(result.edges.length, 1);
    assert.equal(result.skippedEdges, 2);
  });

  it('routes long edges through every layer between', () => {
    const edges = [{ from: 'n0', to: 'n1' }, { from: 'n1', to: 'n2' }, { from: 'n2', to: 'n3' }, { from: 'n0', to: 'n3' }];
    const result = layoutLayered(nodes(4), edges);
    const long = result.edges.find((edge) => edge.from === 'n0' && edge.to === 'n3')!;

    assert.equal(long.points.length, 4);
    for (let i = 1; i < long.points.length; i++) assert.ok(long.points[i].x > long.points[i - 1].x, `point ${i} moves right`);
  });

  it('handles a 6,000-child fan-out and a 300-deep chain', () => {
    const fan = nodes(6001);
    const fanResult = layoutLayered(fan, fan.slice(1).map((node) => ({ from: 'n0', to: node.id })));
    const chain = nodes(300);
    const chainResult = layoutLayered(chain, chain.slice(1).map((node, i) => ({ from: `n${i}`, to: node.id })));

    assert.equal(overlapping(fanResult.nodes), undefined);
    assert.equal(fanResult.edges.length, 6000);
    assert.equal(Math.max(...chainResult.nodes.map((node) => node.layer)), 299);
  });

  it('places an empty graph', () => {
    const result = layoutLayered([], []);

    assert.deepEqual([result.nodes.length, result.width, result.height], [0, 0, 0]);
  });
});

describe('isotonic placement', () => {
  it('keeps reachable positions', () => {
    assert.deepEqual(isotonicPlacement([0, 50, 100], [10, 10, 10], 5), [0, 50, 100]);
  });

  it('spreads colliding boxes around their mean', () => {
    assert.deepEqual(isotonicPlacement([20, 20], [10, 10], 0), [15, 25]);
  });
});
