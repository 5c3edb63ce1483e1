/**
 * flowyml.yaml parsing and routing tables: the catalog-lineage fixture's file
 * and hand-made variants, with the expected tables written out by hand from
 * reading each file and FlowyML 2.1's routing rules.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { findStackFile, parseStackFile, readStackFile, routingMarkdown, routingTable, type RoutingRow, type StackFile } from '../../../src/core/stack';
import { SAMPLE_WORKSPACE } from '../../helpers/paths';
import { temporaryFolder } from '../../helpers/register-files';

const FIXTURE_YAML = path.join(SAMPLE_WORKSPACE, 'flowyml.yaml');

const NO_STORE_PLUGIN = '`store` is not applied: the router saves only through `plugins.artifact_store`, which this file does not configure.';
const NO_REGISTRY_PLUGIN = '`register` is not applied: the router registers through `plugins.model_registry`, which this file does not configure.';
const NO_TRACKER_PLUGIN = '`log_to_tracker` is not applied: the router logs through `plugins.experiment_tracker`, which this file does not configure.';
const NO_RULE = 'No rule: the router leaves this type alone.';
const assetNotRouted = (type: string) => `Not applied: FlowyML routes only flowyml.core.types values, and flowyml.assets.${type} is not one.`;

function stackFile(text: string, env: NodeJS.ProcessEnv = {}): StackFile {
  return parseStackFile(text, '/workspace/flowyml.yaml', { env });
}

function table(file: StackFile, name: string): RoutingRow[] {
  const stack = file.stacks.find((each) => each.name === name);
  assert.ok(stack, `stack ${name} is missing`);

  return routingTable(file, stack);
}

/** 1-based line numbers, as an editor shows them. */
function lines(file: StackFile, code: string): number[] {
  return file.diagnostics.filter((diagnostic) => diagnostic.code === code).map((diagnostic) => diagnostic.range.startLine + 1);
}

describe('catalog-lineage flowyml.yaml', () => {
  const file = readStackFile(FIXTURE_YAML, { env: {} });

  test('stacks and active stack', () => {
    assert.deepEqual(file.stacks.map((stack) => stack.name), ['local', 'gcp-prod', 'aws-staging']);
    assert.equal(file.activeStack, 'local');
    assert.equal(file.activeSource, 'active_stack');
    assert.deepEqual(file.plugins, []);
  });

  test('components with substituted defaults', () => {
    const gcp = file.stacks[1];
    assert.deepEqual(gcp.components.map((component) => [component.role, component.type]), [
      ['orchestrator', 'vertex_ai'], ['artifact_store', 'gcs'], ['container_registry', 'gcr'],
      ['model_registry', 'vertex_model_registry'], ['model_deployer', 'vertex_endpoint'], ['experiment_tracker', 'mlflow'],
    ]);
    assert.equal(gcp.components[0].settings.project, 'acme-ml-prod');
    assert.equal(gcp.components[5].settings.tracking_uri, 'http://mlflow.internal:5000');
    assert.deepEqual(file.stacks[0].artifactStores, { local: { role: 'local', type: 'local', settings: { path: '.flowyml/artifacts' } } });
  });

  test('dead rules are reported at their lines', () => {
    assert.deepEqual(lines(file, 'unrouted-type'), [26, 29, 32]);
    assert.equal(file.diagnostics.length, 3);
    assert.ok(file.diagnostics.every((diagnostic) => diagnostic.severity === 'information'));
  });

  test('local stack routing table', () => {
    const local = 'local (local .flowyml/artifacts)';
    assert.deepEqual(table(file, 'local'), [
      { type: 'Dataset', rule: 'Dataset', storage: local, registry: '—', path: '{run_id}/data/{step_name}', deploy: '—', applied: 'no', notes: [NO_STORE_PLUGIN] },
      { type: 'Model', rule: 'Model', storage: local, registry: 'model registry (not configured)', path: '{run_id}/{step_name}/{artifact_name}', deploy: '—', applied: 'no', notes: [NO_STORE_PLUGIN, NO_REGISTRY_PLUGIN] },
      { type: 'Metrics', rule: 'Metrics', storage: '—', registry: 'experiment tracker (not configured)', path: '—', deploy: '—', applied: 'no', notes: [NO_TRACKER_PLUGIN] },
      { type: 'Parameters', rule: 'Parameters', storage: '—', registry: 'experiment tracker (not configured)', path: '—', deploy: '—', applied: 'no', notes: [NO_TRACKER_PLUGIN] },
      { type: 'FeatureSet', rule: 'FeatureSet', storage: local, registry: '—', path: '{run_id}/features/{step_name}', deploy: '—', applied: 'no', notes: [assetNotRouted('FeatureSet'), NO_STORE_PLUGIN] },
      { type: 'Prompt', rule: 'Prompt', storage: local, registry: '—', path: 'prompts/{step_name}/{run_id}', deploy: '—', applied: 'no', notes: [assetNotRouted('Prompt'), NO_STORE_PLUGIN] },
      { type: 'Checkpoint', rule: 'Checkpoint', storage: local, registry: '—', path: '{run_id}/checkpoints/{step_name}', deploy: '—', applied: 'no', notes: [assetNotRouted('Checkpoint'), NO_STORE_PLUGIN] },
      { type: 'Report', rule: 'default', storage: local, registry: '—', path: '{run_id}/{step_name}/{artifact_name}', deploy: '—', applied: 'no', notes: [assetNotRouted('Report'), NO_STORE_PLUGIN] },
      { type: 'Artifact', rule: 'default', storage: local, registry: '—', path: '{run_id}/{step_name}/{artifact_name}', deploy: '—', applied: 'no', notes: [NO_STORE_PLUGIN] },
    ]);
  });

  test('gcp-prod stack routing table', () => {
    const rows = table(file, 'gcp-prod');
    assert.deepEqual(rows.slice(0, 4), [
      { type: 'Dataset', rule: 'Dataset', storage: 'gcs', registry: '—', path: '{run_id}/datasets/{step_name}', deploy: '—', applied: 'no', notes: [NO_STORE_PLUGIN] },
      {
        type: 'Model', rule: 'Model', storage: 'gcs', registry: 'vertex_model_registry', path: '{run_id}/{step_name}/{artifact_name}',
        deploy: 'auto (auc ≥ 0.8, accuracy ≥ 0.75) → churn-model', applied: 'partly', notes: [NO_STORE_PLUGIN, NO_REGISTRY_PLUGIN],
      },
      { type: 'Metrics', rule: 'Metrics', storage: '—', registry: 'mlflow', path: '—', deploy: '—', applied: 'no', notes: [NO_TRACKER_PLUGIN] },
      { type: 'Parameters', rule: 'Parameters', storage: '—', registry: 'mlflow', path: '—', deploy: '—', applied: 'no', notes: [NO_TRACKER_PLUGIN] },
    ]);
    for (const row of rows.slice(4)) assert.deepEqual([row.rule, row.applied, row.notes], [undefined, 'no', [NO_RULE]], row.type);
  });

  test('aws-staging deploys only on approval', () => {
    const model = table(file, 'aws-staging')[1];
    assert.equal(model.deploy, 'on_approval → <step>-endpoint');
    assert.equal(model.applied, 'no');
    assert.ok(model.notes.includes('`deploy_condition: on_approval` never deploys automatically.'));
  });

  test('FLOWYML_STACK picks the stack', () => {
    const fromEnv = readStackFile(FIXTURE_YAML, { env: { FLOWYML_STACK: 'aws-staging' } });
    assert.equal(fromEnv.activeStack, 'aws-staging');
    assert.equal(fromEnv.activeSource, 'FLOWYML_STACK');
  });

  test('environment overrides a default', () => {
    const withEnv = readStackFile(FIXTURE_YAML, { env: { GCP_PROJECT: 'other-project' } });
    assert.equal(withEnv.stacks[1].components[0].settings.project, 'other-project');
  });

  test('markdown table has a row per type', () => {
    const markdown = routingMarkdown(table(file, 'local'));
    const rows = markdown.trim().split('\n');
    assert.equal(rows.length, 2 + 9);
    assert.equal(rows[0], '| Asset type | Rule | Primary storage | Registry | Path template | Deploy condition | Applied | Notes |');
    assert.match(rows[2], /^\| Dataset \| Dataset \| local \(local \.flowyml\/artifacts\) \| — \| `\{run_id\}\/data\/\{step_name\}` \|/);
  });
});

describe('hand-made flowyml.yaml variants', () => {
  test('malformed YAML keeps the rest', () => {
    const file = stackFile([
      'stacks:',
      '  local:',
      '    orchestrator: { type: local }',
      '    artifact_routing:',
      '      Model: { store: local, path: "{run_id}/m" }',
      '  broken:',
      '    orchestrator: { type: local',
      'active_stack: local',
      '',
    ].join('\n'));

    const syntax = file.diagnostics.filter((diagnostic) => diagnostic.code === 'yaml-syntax');
    assert.ok(syntax.length > 0, 'a syntax error is reported');
    assert.ok(syntax.every((diagnostic) => diagnostic.severity === 'error'));
    assert.ok(syntax.some((diagnostic) => diagnostic.range.startLine + 1 >= 7), JSON.stringify(syntax));
    assert.equal(file.stacks[0].name, 'local');
    assert.equal(table(file, 'local')[1].path, '{run_id}/m');
  });

  test('unknown type is a warning', () => {
    const file = stackFile([
      'stacks:',
      '  local:',
      '    artifact_routing:',
      '      Modle: { store: local }',
      '      Model: { store: local }',
    ].join('\n'));

    assert.deepEqual(lines(file, 'unknown-type'), [4]);
    assert.match(file.diagnostics[0].message, /Unknown asset type `Modle`/);
    const rows = table(file, 'local');
    assert.deepEqual(rows.map((row) => row.type), ['Dataset', 'Model', 'Metrics', 'Parameters', 'FeatureSet', 'Prompt', 'Checkpoint', 'Report', 'Artifact', 'Modle']);
    assert.deepEqual(rows[9].notes, [NO_STORE_PLUGIN, 'Applies only to a custom flowyml.core.types.Artifact subclass named Modle.']);
  });

  test('unknown placeholder is a warning', () => {
    const file = stackFile([
      'stacks:',
      '  local:',
      '    artifact_routing:',
      '      Dataset:',
      '        store: local',
      '        path: "{project}/{run_id}/{date}"',
      '      Model:',
      '        path: "{run_id"',
    ].join('\n'));

    assert.deepEqual(lines(file, 'unknown-placeholder'), [6]);
    assert.match(file.diagnostics.find((diagnostic) => diagnostic.code === 'unknown-placeholder')!.message, /\{project\}, \{date\}/);
    assert.deepEqual(lines(file, 'invalid-template'), [8]);
    assert.equal(table(file, 'local')[0].path, '{project}/{run_id}/{date}');
  });

  test('unknown keys at three levels', () => {
    const file = stackFile([
      'stacks:',
      '  local:',
      '    orchestrater: { type: local }',
      '    artifact_routing:',
      '      Model: { store: local, deploy_when: auto }',
      'activ_stack: local',
    ].join('\n'));

    assert.deepEqual(lines(file, 'unknown-key'), [6, 3, 5]);
  });

  test('invalid rule values are errors', () => {
    const file = stackFile([
      'stacks:',
      '  local:',
      '    model_deployer: { type: vertex_endpoint }',
      '    artifact_routing:',
      '      Model:',
      '        register: "yes"',
      '        deploy: true',
      '        deploy_condition: sometimes',
      '        deploy_min_metrics: { auc: high }',
    ].join('\n'));

    assert.deepEqual(lines(file, 'invalid-value'), [6, 8, 9]);
    const model = table(file, 'local')[1];
    assert.equal(model.deploy, 'manual → <step>-endpoint');
    assert.equal(model.applied, 'yes');
  });

  test('active stack falls back to the first', () => {
    const file = stackFile('stacks:\n  a: {}\n  b: {}\nactive_stack: c\n', { FLOWYML_STACK: 'd' });

    assert.equal(file.activeStack, 'a');
    assert.equal(file.activeSource, 'first stack');
    assert.deepEqual(lines(file, 'unknown-stack'), [4, 4]);
  });

  test('plugins format is one default stack', () => {
    const file = stackFile([
      'plugins:',
      '  artifact_store: { type: gcs, bucket: my-ml-artifacts, prefix: experiments/ }',
      '  model_registry: { type: vertex_model_registry }',
      '  artifact_routing:',
      '    Model: { store: gcs, register: true }',
      '    Dataset: { store: gcs, path: "{run_id}/data/{step_name}" }',
    ].join('\n'));

    assert.deepEqual(file.stacks.map((stack) => [stack.name, stack.source]), [['default', 'plugins']]);
    assert.equal(file.activeStack, 'default');
    const rows = table(file, 'default');
    assert.deepEqual(rows[0], { type: 'Dataset', rule: 'Dataset', storage: 'gcs (gcs gs://my-ml-artifacts/experiments/)', registry: '—', path: '{run_id}/data/{step_name}', deploy: '—', applied: 'yes', notes: [] });
    assert.deepEqual([rows[1].registry, rows[1].applied, rows[1].notes], ['vertex_model_registry', 'yes', []]);
  });

  test('unset variable is kept and reported', () => {
    const file = stackFile('stacks:\n  s:\n    orchestrator: { type: vertex_ai, project: "${NOT_SET_ANYWHERE}" }\n');

    assert.equal(file.stacks[0].components[0].settings.project, '${NOT_SET_ANYWHERE}');
    assert.deepEqual(lines(file, 'unset-variable'), [3]);
  });

  test('non-mapping top level is an error', () => {
    const file = stackFile('- just\n- a list\n');

    assert.deepEqual(file.stacks, []);
    assert.deepEqual(lines(file, 'not-a-mapping'), [1]);
  });

  test('1.7 store marks every rule not applied', () => {
    const file = readStackFile(FIXTURE_YAML, { env: {} });
    const rows = routingTable(file, file.stacks[0], '1.7');

    assert.ok(rows.every((row) => row.applied === 'no'));
    assert.match(rows[0].notes[0], /FlowyML 1\.7, which has no type-based routing/);
  });
});

describe('finding flowyml.yaml', () => {
  test('up to four parents, not five', () => {
    const top = temporaryFolder('stack-find');
    const deep = path.join(top, 'a', 'b', 'c', 'd', 'e');
    fs.mkdirSync(deep, { recursive: true });
    fs.writeFileSync(path.join(top, 'flowyml.yaml'), 'stacks: {}\n');

    assert.equal(findStackFile(path.join(top, 'a', 'b', 'c', 'd'), { env: {} }), path.join(top, 'flowyml.yaml'));
    assert.equal(findStackFile(deep, { env: {} }), undefined);
  });

  test('names in FlowyML order', () => {
    const dir = temporaryFolder('stack-names');
    fs.writeFileSync(path.join(dir, '.flowyml.yml'), 'stacks: {}\n');
    assert.equal(findStackFile(dir, { env: {} }), path.join(dir, '.flowyml.yml'));
    fs.writeFileSync(path.join(dir, 'flowyml.yml'), 'stacks: {}\n');
    assert.equal(findStackFile(dir, { env: {} }), path.join(dir, 'flowyml.yml'));
  });

  test('FLOWYML_CONFIG wins', () => {
    const dir = temporaryFolder('stack-env');
    fs.writeFileSync(path.join(dir, 'flowyml.yaml'), 'stacks: {}\n');
    fs.writeFileSync(path.join(dir, 'other.yaml'), 'stacks: {}\n');

    assert.equal(findStackFile(dir, { env: { FLOWYML_CONFIG: 'other.yaml' } }), path.join(dir, 'other.yaml'));
  });
});

describe('hostile flowyml.yaml documents', () => {
  const documents: [string, string][] = [
    ['aliases', 'base: &b { type: local }\nstacks:\n  a:\n    orchestrator: *b\n    artifact_routing: { Model: *b }\n'],
    ['sequence stacks', 'stacks:\n  - a\n  - b\n'],
    ['number keys', 'stacks:\n  1: { artifact_routing: { 2: { store: 3 } } }\n'],
    ['tagged binary', 'stacks: !!binary aGVsbG8=\n'],
    ['deep nesting', `stacks:\n  a:\n    orchestrator: ${'['.repeat(200)}${']'.repeat(200)}\n`],
    ['tabs and BOM', '\uFEFFstacks:\n\ta: {}\n'],
    ['many documents', 'stacks: {}\n---\nstacks: {}\n'],
    ['empty', ''],
  ];

  for (const [name, text] of documents) {
    test(`${name} gives diagnostics, no throw`, () => {
      const file = stackFile(text);

      assert.ok(Array.isArray(file.stacks));
      for (const diagnostic of file.diagnostics) {
        assert.ok(diagnostic.range.startLine >= 0, name);
        assert.ok(diagnostic.message.length > 0, name);
      }
    });
  }

  test('aliases resolve as in PyYAML', () => {
    const file = stackFile(documents[0][1]);

    assert.deepEqual(file.stacks[0].components.map((component) => [component.role, component.type]), [['orchestrator', 'local']]);
    // `type` in the aliased Model rule is reported where it is written: inside the anchor on line 1.
    assert.deepEqual(lines(file, 'unknown-key'), [1, 1]);
  });

  test('sequence stacks is an error', () => {
    assert.deepEqual(lines(stackFile('stacks:\n  - a\n'), 'invalid-value'), [2]);
  });
});
