import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildModel, type StoreRows } from '../../../src/core/model/build';
import { LineageIndex } from '../../../src/core/lineage/graph';
import type { RawCatalogRow, RawMetadataArtifact, RawRun } from '../../../src/core/store/rows';
import type { StoreInfo } from '../../../src/core/model/types';

const metadataStore: StoreInfo = { path: '.flowyml/metadata.db', absolutePath: '/w/.flowyml/metadata.db', kind: 'metadata', schema: 'flowyml-2.x' };
const catalogStore: StoreInfo = { path: '.flowyml/catalog.db', absolutePath: '/w/.flowyml/catalog.db', kind: 'catalog', schema: 'catalog' };

function run(runId: string, steps: Record<string, { inputs: string[]; outputs: string[]; success?: boolean; error?: string | null }>): RawRun {
  return {
    runId, pipeline: 'p', status: 'completed', startTime: '2026-01-01T10:00:00', endTime: '2026-01-01T10:00:05', duration: 5,
    project: undefined, createdAt: '2026-01-01 09:00:00',
    metadata: { steps: Object.fromEntries(Object.entries(steps).map(([k, v]) => [k, { success: true, error: null, cached: false, ...v }])) },
  };
}

function artifact(rowid: number, runId: string, step: string | undefined, output: string, name: string, type: string, createdLocal?: string): RawMetadataArtifact {
  return { rowid, artifactId: `${runId}_${step ?? 'x'}_${output}`, name, type, runId, path: undefined, step, createdLocal, metadataBytes: 100 };
}

function catalogRow(rowid: number, partial: Partial<RawCatalogRow>): RawCatalogRow {
  return {
    rowid, artifactId: `c${rowid}`, name: 'n', type: 'Dataset', contentHash: undefined, sourceStep: undefined, sourceRunId: undefined,
    sourcePipeline: undefined, parentIds: [], tags: {}, metadataEmpty: true, metadataBytes: 2, uri: undefined,
    createdAt: '2026-01-01T10:00:00', version: undefined, ...partial,
  };
}

test('step inputs resolve to versions of the same run as derived parents', () => {
  const rows: StoreRows[] = [{
    store: metadataStore,
    runs: [run('r1', { load: { inputs: [], outputs: ['data/raw'] }, train_model: { inputs: ['data/raw'], outputs: ['model/m'] } })],
    artifacts: [artifact(1, 'r1', 'load', 'data/raw', 'raw', 'Dataset'), artifact(2, 'r1', 'train_model', 'model/m', 'm', 'Model')],
  }];
  const model = buildModel(rows);
  const m = model.versions.find((v) => v.name === 'm')!;
  assert.deepEqual(m.parents, ['.flowyml/metadata.db:artifacts:r1_load_data%2Fraw']);
  assert.deepEqual(m.derivedParents, m.parents);
  assert.equal(m.outputName, 'model/m');
  const step = model.runs[0].steps.find((s) => s.name === 'train_model')!;
  assert.deepEqual(step.consumed, ['.flowyml/metadata.db:artifacts:r1_load_data%2Fraw']);
  assert.deepEqual(step.produced, [m.id]);
});

test('step split by known step names', () => {
  const rows: StoreRows[] = [{
    store: metadataStore,
    runs: [run('nightly_1', { train: { inputs: [], outputs: ['a'] }, train_model_v2: { inputs: [], outputs: ['model_v2/best_model'] } })],
    artifacts: [artifact(1, 'nightly_1', undefined, 'model_v2/best_model', 'best', 'Model')],
  }];
  rows[0].artifacts![0].artifactId = 'nightly_1_train_model_v2_model_v2/best_model';
  const [version] = buildModel(rows).versions;
  assert.equal(version.step, 'train_model_v2');
  assert.equal(version.outputName, 'model_v2/best_model');
});

test('catalog row merges by run, step, name', () => {
  const rows: StoreRows[] = [
    { store: metadataStore, runs: [run('r1', { load: { inputs: [], outputs: ['d'] } })], artifacts: [artifact(1, 'r1', 'load', 'd', 'raw', 'Dataset')] },
    { store: catalogStore, catalog: [
      catalogRow(1, { artifactId: 'auto1', name: 'load_output', sourceStep: 'load', sourceRunId: 'r1' }),
      catalogRow(2, { artifactId: 'reg1', name: 'raw', sourceStep: 'load', sourceRunId: 'r1', version: 'v1.0.0', tags: { layer: 'bronze' }, metadataEmpty: false }),
    ] },
  ];
  const model = buildModel(rows);
  assert.equal(model.versions.length, 1);
  const [v] = model.versions;
  assert.deepEqual(v.aliases, ['.flowyml/catalog.db:artifacts:auto1', '.flowyml/catalog.db:artifacts:reg1']);
  assert.equal(v.storedVersion, 'v1.0.0');
  assert.equal(v.label, 'v1.0.0 (#1)');
  assert.deepEqual(v.tags, { layer: 'bronze' });
});

test('automatic row of a step with several outputs stays on the step', () => {
  const rows: StoreRows[] = [
    { store: metadataStore, runs: [run('r1', { split: { inputs: [], outputs: ['a', 'b'] } })], artifacts: [artifact(1, 'r1', 'split', 'a', 'a', 'Dataset'), artifact(2, 'r1', 'split', 'b', 'b', 'Dataset')] },
    { store: catalogStore, catalog: [catalogRow(1, { artifactId: 'auto1', name: 'split_output', type: 'tuple', sourceStep: 'split', sourceRunId: 'r1' })] },
  ];
  const model = buildModel(rows);
  assert.equal(model.versions.length, 2);
  assert.deepEqual(model.runs[0].steps[0].catalogRecords, ['auto1']);
});

test('catalog-only rows are versions with stored parents and placeholders', () => {
  const rows: StoreRows[] = [{ store: catalogStore, catalog: [
    catalogRow(1, { artifactId: 'p', name: 'parent', metadataEmpty: false, version: 'v1' }),
    catalogRow(2, { artifactId: 'c', name: 'child', parentIds: ['p', 'gone'], metadataEmpty: false, version: 'v1' }),
  ] }];
  const model = buildModel(rows);
  const child = model.versions.find((v) => v.name === 'child')!;
  assert.deepEqual(child.parents, ['.flowyml/catalog.db:artifacts:p', 'missing:gone']);
  assert.deepEqual(child.derivedParents, []);
  const graph = new LineageIndex(model.versions, model.runs).subgraph(child.id, { direction: 'up' });
  assert.deepEqual(graph.nodes.map((n) => n.kind).sort(), ['asset', 'asset', 'missing']);
});

test('a parent cycle does not hang traversal', () => {
  const rows: StoreRows[] = [{ store: catalogStore, catalog: [
    catalogRow(1, { artifactId: 'a', name: 'a', parentIds: ['b'], metadataEmpty: false, version: 'v1' }),
    catalogRow(2, { artifactId: 'b', name: 'b', parentIds: ['a'], metadataEmpty: false, version: 'v1' }),
  ] }];
  const model = buildModel(rows);
  const index = new LineageIndex(model.versions, model.runs);
  const graph = index.subgraph('.flowyml/catalog.db:artifacts:a');
  assert.equal(graph.nodes.length, 2);
  assert.equal(graph.edges.length, 2);
});

test('ordinals follow creation instants', () => {
  const rows: StoreRows[] = [{ store: catalogStore, catalog: [
    catalogRow(1, { artifactId: 'late', name: 'm', createdAt: '2026-01-02T00:00:00', metadataEmpty: false, version: 'v1.10.0' }),
    catalogRow(2, { artifactId: 'early', name: 'm', createdAt: '2026-01-01T00:00:00', metadataEmpty: false, version: 'v1.9.0' }),
  ] }];
  const model = buildModel(rows);
  assert.equal(model.versions.find((v) => v.storedVersion === 'v1.9.0')!.ordinal, 1);
  assert.equal(model.versions.find((v) => v.storedVersion === 'v1.10.0')!.label, 'v1.10.0 (#2)');
});

test('depth counts generations across steps', () => {
  const rows: StoreRows[] = [{
    store: metadataStore,
    runs: [run('r', { a: { inputs: [], outputs: ['x'] }, b: { inputs: ['x'], outputs: ['y'] }, c: { inputs: ['y'], outputs: ['z'] } })],
    artifacts: [artifact(1, 'r', 'a', 'x', 'x', 'Dataset'), artifact(2, 'r', 'b', 'y', 'y', 'Dataset'), artifact(3, 'r', 'c', 'z', 'z', 'Model')],
  }];
  const model = buildModel(rows);
  const index = new LineageIndex(model.versions, model.runs);
  const z = model.versions.find((v) => v.name === 'z')!.id;
  const one = index.subgraph(z, { depth: 1, direction: 'up' });
  const names = one.nodes.filter((n) => n.kind === 'asset').map((n) => n.name).sort();
  assert.deepEqual(names, ['y', 'z']);
  const all = index.subgraph(z, { direction: 'up' });
  assert.deepEqual(all.nodes.filter((n) => n.kind === 'asset').map((n) => n.name).sort(), ['x', 'y', 'z']);
  assert.ok(all.nodes.some((n) => n.kind === 'run' && n.id === 'run:r'));
});

test('ids pass unquoted in a shell', () => {
  const rows: StoreRows[] = [{ store: { ...catalogStore, path: '.flowyml/projects/my (team)/catalog.db' }, catalog: [
    catalogRow(1, { artifactId: `with space & quote'" (x)*!`, name: 'odd', metadataEmpty: false, version: 'v1' }),
  ] }];
  const [version] = buildModel(rows).versions;
  assert.equal(version.id, '.flowyml/projects/my%20%28team%29/catalog.db:artifacts:with%20space%20%26%20quote%27%22%20%28x%29%2A%21');
  assert.match(version.id, /^[A-Za-z0-9._~%:/-]+$/);
  assert.equal(decodeURIComponent(version.id.split(':').pop()!), `with space & quote'" (x)*!`);
});

test('a stored parent may name a metadata.db artifact id', () => {
  const rows: StoreRows[] = [
    { store: metadataStore, runs: [run('r1', { load: { inputs: [], outputs: ['d'] } })], artifacts: [artifact(1, 'r1', 'load', 'd', 'raw', 'Dataset')] },
    { store: catalogStore, catalog: [catalogRow(1, { artifactId: 'reg', name: 'model', type: 'Model', parentIds: ['r1_load_d'], metadataEmpty: false, version: 'v1.0.0' })] },
  ];
  const model = buildModel(rows);
  const registered = model.versions.find((v) => v.name === 'model')!;
  assert.deepEqual(registered.parents, ['.flowyml/metadata.db:artifacts:r1_load_d']);
});
