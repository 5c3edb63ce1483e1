/**
 * The lineage panel's view model in Node: sibling clusters, revealed and
 * expanded members, the selected-path filter, run links, upstream and
 * downstream sets, the focused path and search.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LineageGraph, LineageNode } from '../../../src/core/api';
import { buildView, focusedPath, relatives, searchNodes } from '../../../webview/lineage/model';

function asset(id: string, name = id, type = 'Dataset'): LineageNode {
  return { id, kind: 'asset', name, type: type as LineageNode['type'], version: '#1' };
}

function fan(children: number): LineageGraph {
  const nodes = [asset('root', 'root_data'), asset('up', 'raw_data')];
  const edges: LineageGraph['edges'] = [{ from: 'up', to: 'root', kind: 'parent', derived: false }];
  for (let i = 0; i < children; i++) {
    nodes.push(asset(`c${i}`, `child_${i}`, 'Model'));
    edges.push({ from: 'root', to: `c${i}`, kind: 'parent', derived: false });
  }
  nodes.push(asset('grandchild', 'grandchild', 'Metrics'));
  edges.push({ from: 'c3', to: 'grandchild', kind: 'parent', derived: true });

  return { nodes, edges };
}

const none = new Set<string>();

describe('lineage view model', () => {
  it('leaves small fan-outs alone', () => {
    const view = buildView(fan(25), { focusId: 'root', pathOnly: false, expanded: none, revealed: none });

    assert.equal(view.nodes.length, 28);
    assert.equal(view.clusterOf.size, 0);
  });

  it('collapses siblings beyond the threshold', () => {
    const view = buildView(fan(26), { focusId: 'root', pathOnly: false, expanded: none, revealed: none });
    const cluster = view.nodes.find((node) => node.kind === 'cluster');

    assert.deepEqual(view.nodes.map((node) => node.id).sort(), ['cluster:out:root', 'grandchild', 'root', 'up']);
    assert.equal(cluster?.members?.length, 26);
    assert.equal(cluster?.type, 'Model');
    assert.deepEqual(view.edges.map((edge) => `${edge.from}>${edge.to}:${edge.kind}`).sort(), [
      'cluster:out:root>grandchild:cluster',
      'root>cluster:out:root:cluster',
      'up>root:parent',
    ]);
  });

  it('keeps the focus, selection and revealed nodes out of clusters', () => {
    const view = buildView(fan(40), { focusId: 'c1', selectedId: 'c2', pathOnly: false, expanded: none, revealed: new Set(['c3']) });
    const ids = new Set(view.nodes.map((node) => node.id));

    for (const id of ['c1', 'c2', 'c3', 'root']) assert.ok(ids.has(id), id);
    assert.equal(view.nodes.find((node) => node.kind === 'cluster')?.members?.length, 37);
    assert.ok(view.edges.some((edge) => edge.from === 'c3' && edge.to === 'grandchild'), 'a revealed member keeps its own edges');
  });

  it('expanded clusters stay open', () => {
    const view = buildView(fan(40), { focusId: 'root', pathOnly: false, expanded: new Set(['cluster:out:root']), revealed: none });

    assert.equal(view.nodes.length, 43);
    assert.equal(view.clusterOf.size, 0);
  });

  it('collapses a fan-in too', () => {
    const nodes = [asset('merged')];
    const edges: LineageGraph['edges'] = [];
    for (let i = 0; i < 30; i++) {
      nodes.push(asset(`p${i}`));
      edges.push({ from: `p${i}`, to: 'merged', kind: 'parent', derived: false });
    }
    const view = buildView({ nodes, edges }, { focusId: 'merged', pathOnly: false, expanded: none, revealed: none });

    assert.deepEqual(view.nodes.map((node) => node.id).sort(), ['cluster:in:merged', 'merged']);
  });

  it('links runs to their steps', () => {
    const graph: LineageGraph = {
      nodes: [asset('v'), { id: 'step:r:s', kind: 'step', name: 's', run: 'run:r' }, { id: 'run:r', kind: 'run', name: 'pipeline' }],
      edges: [{ from: 'step:r:s', to: 'v', kind: 'produced', derived: false }],
    };
    const view = buildView(graph, { focusId: 'v', pathOnly: false, expanded: none, revealed: none });

    assert.ok(view.edges.some((edge) => edge.kind === 'run' && edge.from === 'run:r' && edge.to === 'step:r:s'));
    assert.deepEqual([...relatives(view, 'v').upstream], ['step:r:s'], 'run links are not lineage');
  });

  it('selected path keeps ancestors and descendants only', () => {
    const graph: LineageGraph = {
      nodes: ['a', 'b', 'c', 'd', 'sibling'].map((id) => asset(id)),
      edges: [
        { from: 'a', to: 'b', kind: 'parent', derived: false },
        { from: 'b', to: 'c', kind: 'parent', derived: false },
        { from: 'c', to: 'd', kind: 'parent', derived: false },
        { from: 'a', to: 'sibling', kind: 'parent', derived: false },
      ],
    };
    const view = buildView(graph, { focusId: 'a', selectedId: 'c', pathOnly: true, expanded: none, revealed: none });

    assert.deepEqual(view.nodes.map((node) => node.id), ['a', 'b', 'c', 'd']);
    assert.equal(view.edges.length, 3);
  });

  it('relatives survive cycles', () => {
    const edges = [
      { from: 'a', to: 'b', kind: 'parent' as const, derived: false },
      { from: 'b', to: 'a', kind: 'parent' as const, derived: false },
      { from: 'b', to: 'c', kind: 'parent' as const, derived: false },
    ];
    const { upstream, downstream } = relatives({ edges }, 'b');

    assert.deepEqual([...upstream], ['a']);
    assert.deepEqual([...downstream].sort(), ['a', 'c']);
  });

  it('focused path runs root to leaf', () => {
    const edges = [
      { from: 'a', to: 'b', kind: 'parent' as const, derived: false },
      { from: 'x', to: 'b', kind: 'parent' as const, derived: false },
      { from: 'b', to: 'c', kind: 'parent' as const, derived: false },
      { from: 'c', to: 'a', kind: 'parent' as const, derived: false },
    ];

    assert.deepEqual(focusedPath({ edges }, 'b', (p, q) => p.localeCompare(q)), ['c', 'a', 'b']);
    assert.deepEqual(focusedPath({ edges }, 'b', (p, q) => q.localeCompare(p)), ['x', 'b', 'c', 'a']);
  });

  it('search matches names before ids', () => {
    const nodes = [asset('id-with-train', 'other'), asset('x1', 'train_data'), asset('x2', 'TRAINER')];

    assert.deepEqual(searchNodes(nodes, ' train ').map((node) => node.id), ['x1', 'x2', 'id-with-train']);
    assert.deepEqual(searchNodes(nodes, '   '), []);
    assert.equal(searchNodes(nodes, 'x', 1).length, 1);
  });
});
