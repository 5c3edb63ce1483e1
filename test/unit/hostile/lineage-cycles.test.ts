// Catalog parent_ids are caller-chosen, so they can form cycles: a → b → a,
// a row that is its own parent, and a three-row loop that also hangs below
// the standard chain and has a child outside the loop. Lineage in both
// directions must terminate and list each node and edge once.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadWorkspace, type LineageGraph, type WorkspaceIndex } from '../../../src/core/index';
import {
  BASELINE_COUNTS, CATALOG_IDS, STACK_TRACE_LINE, STORE, countByStore, ensureCliBuilt, executeSql, hashTree,
  makeWorkspace, parseJsonOutput, registeredRow, runCli, versionIdOf, type CliResult, type HostileWorkspace,
} from '../../helpers/hostile-stores';

const CYCLE_ROWS = [
  registeredRow('cycle-a', 'cycle_a', 'Dataset', ['cycle-b']),
  registeredRow('cycle-b', 'cycle_b', 'Dataset', ['cycle-a']),
  registeredRow('self-c', 'self_c', 'Model', ['self-c']),
  registeredRow('loop-1', 'loop_1', 'FeatureSet', ['loop-3']),
  registeredRow('loop-2', 'loop_2', 'FeatureSet', ['loop-1']),
  registeredRow('loop-3', 'loop_3', 'FeatureSet', ['loop-2', CATALOG_IDS.model]),
  registeredRow('loop-tail', 'loop_tail', 'Metrics', ['loop-2']),
];

const id = (catalogId: string) => versionIdOf(STORE.catalog, catalogId);

function nodeIds(graph: LineageGraph | { nodes: { id: string }[] }): string[] {
  return graph.nodes.map((n) => n.id);
}

function edgeKeys(graph: { edges: { from: string; to: string; kind: string }[] }): string[] {
  return graph.edges.map((e) => `${e.from} -> ${e.to} (${e.kind})`);
}

describe('lineage cycles', () => {
  let workspace: HostileWorkspace;
  let hashesBefore: Map<string, string>;
  let index: WorkspaceIndex;
  const cli = new Map<string, CliResult>();

  before(async () => {
    ensureCliBuilt();
    workspace = makeWorkspace('cycles');
    executeSql(workspace.file(STORE.catalog), CYCLE_ROWS.map((row) => ({
      sql: `INSERT INTO artifacts (artifact_id, name, artifact_type, content_hash, source_step, source_run_id, source_pipeline,
        parent_ids, tags, metadata, uri, created_at, version) VALUES (?, ?, ?, '', '', '', '', ?, '{}', ?, '', ?, ?)`,
      params: [row.artifact_id, row.name, row.artifact_type, JSON.stringify(row.parent_ids), JSON.stringify(row.metadata), row.created_at, row.version],
    })));
    hashesBefore = hashTree(workspace.root);
    index = await loadWorkspace(workspace.root);
    for (const focus of ['cycle-a', 'self-c', 'loop-1']) {
      for (const format of ['json', 'dot', 'mermaid']) {
        cli.set(`${focus} ${format}`, runCli(['lineage', id(focus), workspace.root, '--direction', 'both', '--format', format]));
      }
    }
    cli.set('cycle-a depth 1', runCli(['lineage', id('cycle-a'), workspace.root, '--direction', 'up', '--depth', '1']));
    cli.set('list', runCli(['list', '--json', workspace.root]));
  }, { timeout: 300_000 });

  after(() => {
    index?.dispose();
    workspace?.remove();
  });

  test('cyclic rows all load', () => {
    assert.deepEqual(countByStore(index.versions), { ...BASELINE_COUNTS, [STORE.catalog]: BASELINE_COUNTS[STORE.catalog] + CYCLE_ROWS.length });
    assert.deepEqual(index.problems.filter((p) => p.severity === 'error'), []);
  });

  test('two-node cycle lists each once', () => {
    const graph = index.lineage(id('cycle-a'), { direction: 'both' });
    assert.deepEqual(nodeIds(graph).sort(), [id('cycle-a'), id('cycle-b')].sort());
    assert.deepEqual(edgeKeys(graph).sort(), [
      `${id('cycle-a')} -> ${id('cycle-b')} (parent)`,
      `${id('cycle-b')} -> ${id('cycle-a')} (parent)`,
    ]);
  });

  test('two-node cycle parents and children', () => {
    assert.deepEqual(index.getVersion(id('cycle-a'))?.parents, [id('cycle-b')]);
    assert.deepEqual(index.children(id('cycle-a')), [id('cycle-b')]);
  });

  test('self-parent lists node once', () => {
    const graph = index.lineage(id('self-c'), { direction: 'both' });
    assert.deepEqual(nodeIds(graph), [id('self-c')]);
    const keys = edgeKeys(graph);
    assert.equal(new Set(keys).size, keys.length, 'each edge once');
  });

  test('loop with tail lists each once', () => {
    const graph = index.lineage(id('loop-1'), { direction: 'both' });
    const ids = nodeIds(graph);
    assert.equal(new Set(ids).size, ids.length, 'each node once');
    assert.deepEqual([...ids].sort(), [
      id('loop-1'), id('loop-2'), id('loop-3'), id('loop-tail'),
      id(CATALOG_IDS.model), id(CATALOG_IDS.features), id(CATALOG_IDS.clean), id(CATALOG_IDS.raw),
    ].sort());
    const keys = edgeKeys(graph);
    assert.equal(new Set(keys).size, keys.length, 'each edge once');
  });

  test('depth bounds the cycle walk', () => {
    assert.deepEqual(nodeIds(index.lineage(id('cycle-a'), { direction: 'both', depth: 0 })), [id('cycle-a')]);
    assert.deepEqual(nodeIds(index.lineage(id('loop-1'), { direction: 'up', depth: 1 })).sort(), [id('loop-1'), id('loop-3')].sort());
  });

  test('CLI lineage terminates on cycles', () => {
    for (const [key, result] of cli) {
      assert.equal(result.signal, null, `${key}: finished within its time limit`);
      assert.equal(result.status, 0, `${key}: ${result.stderr}`);
      assert.doesNotMatch(result.stderr, STACK_TRACE_LINE, key);
    }
  });

  test('CLI JSON lists each node once', () => {
    for (const focus of ['cycle-a', 'self-c', 'loop-1']) {
      const graph = parseJsonOutput<{ nodes: { id: string }[]; edges: { from: string; to: string; kind: string }[] }>(cli.get(`${focus} json`)!);
      const ids = nodeIds(graph);
      assert.equal(new Set(ids).size, ids.length, `${focus}: each node once`);
      const keys = edgeKeys(graph);
      assert.equal(new Set(keys).size, keys.length, `${focus}: each edge once`);
    }
  });

  test('CLI JSON cycle has both nodes', () => {
    const graph = parseJsonOutput<{ nodes: { id: string }[] }>(cli.get('cycle-a json')!);
    assert.deepEqual(nodeIds(graph).sort(), [id('cycle-a'), id('cycle-b')].sort());
  });

  test('CLI DOT declares each node once', () => {
    const dot = cli.get('loop-1 dot')!.stdout;
    const declarations = dot.split('\n').filter((line) => /^ {2}"[^"]+" \[label=/.test(line));
    assert.equal(declarations.length, 8);
    assert.equal(new Set(declarations).size, declarations.length);
  });

  test('CLI depth 1 stops at parent', () => {
    const graph = parseJsonOutput<{ nodes: { id: string }[] }>(cli.get('cycle-a depth 1')!);
    assert.deepEqual(nodeIds(graph).sort(), [id('cycle-a'), id('cycle-b')].sort());
  });

  test('CLI list exits 0', () => {
    const list = cli.get('list')!;
    assert.equal(list.status, 0, list.stderr);
    assert.equal(parseJsonOutput<unknown[]>(list).length, 31 + CYCLE_ROWS.length);
  });

  test('store files stay byte-identical', () => {
    assert.deepEqual(hashTree(workspace.root), hashesBefore);
  });
});
