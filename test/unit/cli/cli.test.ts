// Runs the command line in-process against committed fixtures; expected ids
// and edges were worked out from sqlite3 queries of the same files.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { run } from '../../../src/cli/main';
import { SAMPLE_WORKSPACE, SMALL_FIXTURES } from '../../helpers/paths';

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const REPORT_DIR = path.join(SMALL_FIXTURES, 'flowyml-1.7-featureset-report');
const R1 = '281c6f20-6755-4bd1-9043-4be6f92b5231';
const META = '.flowyml/metadata.db:artifacts:';
const id = (artifactId: string) => `${META}${encodeURIComponent(artifactId)}`;

test('list --json prints the contract fields', async () => {
  const { code, out } = await cli('list', REPORT_DIR, '--json', '--type', 'Model');
  assert.equal(code, 0);
  const entries = JSON.parse(out) as Record<string, unknown>[];
  assert.equal(entries.length, 2);
  assert.deepEqual(entries[0], {
    id: id(`${R1}_train_model/tree`),
    name: 'churn_tree',
    type: 'Model',
    version: '#1',
    versionDerived: true,
    ordinal: 1,
    label: '#1',
    store: '.flowyml/metadata.db',
    runId: R1,
    step: 'train',
    pipeline: 'churn_features',
    createdAt: entries[0].createdAt,
    parents: [id(`${R1}_build_features_features/train`)],
    derivedParents: [id(`${R1}_build_features_features/train`)],
    aliases: [],
  });
  assert.match(String(entries[0].createdAt), /^2026-12-04T\d\d:\d\d:\d\d\.\d{3}Z$/);
});

test('list --name filters one asset', async () => {
  const { code, out } = await cli('list', REPORT_DIR, '--json', '--name', 'churn_model_card');
  assert.equal(code, 0);
  assert.deepEqual((JSON.parse(out) as { name: string }[]).map((e) => e.name), ['churn_model_card', 'churn_model_card']);
});

test('lineage up one generation from a report', async () => {
  const { code, out } = await cli('lineage', id(`${R1}_model_card_report/model_card`), REPORT_DIR, '--direction', 'up', '--depth', '1');
  assert.equal(code, 0);
  const graph = JSON.parse(out) as { nodes: { id: string; kind: string }[]; edges: { from: string; to: string; kind: string; derived: boolean }[] };
  assert.deepEqual(graph.nodes.map((n) => `${n.kind} ${n.id}`).sort(), [
    `asset ${id(`${R1}_model_card_report/model_card`)}`,
    `asset ${id(`${R1}_train_model/tree`)}`,
    `run run:${R1}`,
    `step step:${R1}:model_card`,
    `step step:${R1}:train`,
  ]);
  assert.deepEqual(graph.edges.map((e) => `${e.kind} ${e.from} -> ${e.to} ${e.derived ? 'derived' : 'stored'}`).sort(), [
    `consumed ${id(`${R1}_train_model/tree`)} -> step:${R1}:model_card derived`,
    `parent ${id(`${R1}_train_model/tree`)} -> ${id(`${R1}_model_card_report/model_card`)} derived`,
    `produced step:${R1}:model_card -> ${id(`${R1}_model_card_report/model_card`)} stored`,
    `produced step:${R1}:train -> ${id(`${R1}_train_model/tree`)} stored`,
  ]);
});

test('lineage down from the raw dataset of the sample', async () => {
  const { code, out } = await cli('lineage', '.flowyml/catalog.db:artifacts:be124dbd-6f94-4fae-b9a2-384be199dbc0', SAMPLE_WORKSPACE, '--direction', 'down', '--depth', '1');
  assert.equal(code, 0);
  const graph = JSON.parse(out) as { nodes: { id: string; name: string; kind: string }[] };
  const assets = graph.nodes.filter((n) => n.kind === 'asset').map((n) => n.name).sort();
  assert.deepEqual(assets, ['customers_clean', 'customers_raw']);
});

test('lineage dot and mermaid name every edge', async () => {
  const focus = id(`${R1}_model_card_report/model_card`);
  const dot = await cli('lineage', focus, REPORT_DIR, '--direction', 'up', '--depth', '1', '--format', 'dot');
  assert.equal(dot.code, 0);
  assert.match(dot.out, /^digraph lineage \{/);
  assert.equal((dot.out.match(/ -> /g) ?? []).length, 4);
  const mermaid = await cli('lineage', focus, REPORT_DIR, '--direction', 'up', '--depth', '1', '--format', 'mermaid');
  assert.equal(mermaid.code, 0);
  assert.match(mermaid.out, /^flowchart LR/);
  assert.equal((mermaid.out.match(/-\.?->\|/g) ?? []).length, 4);
});

test('show accepts a catalog alias', async () => {
  const { code, out } = await cli('show', '.flowyml/catalog.db:artifacts:b2366405-6ef7-4648-a541-9a9ad04ffd68', SAMPLE_WORKSPACE, '--json');
  assert.equal(code, 0);
  const details = JSON.parse(out) as { id: string; version: string; tags: Record<string, string>; properties: { typed: Record<string, unknown> } };
  assert.equal(details.id, `${META}${encodeURIComponent('3b719cb5-68f2-4062-8982-6f28fdf4051b_train_model_model/churn')}`);
  assert.equal(details.version, 'v2.0.0');
  assert.deepEqual(details.tags, { stage: 'production', promoted_by: 'ml-platform' });
  assert.equal(details.properties.typed.framework, 'sklearn');
});

test('a folder without a store exits 1 with a message', async () => {
  const { code, err } = await cli('list', SMALL_FIXTURES);
  assert.equal(code, 1);
  assert.match(err, /no FlowyML store found under .*fixtures/);
});

test('a missing folder exits 1 naming it', async () => {
  const { code, err } = await cli('list', path.join(SMALL_FIXTURES, 'no-such-workspace'));
  assert.equal(code, 1);
  assert.match(err, /error: .*no-such-workspace does not exist; pass the folder that contains \.flowyml\./);
});
