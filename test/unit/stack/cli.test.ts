/**
 * The `stack` command in-process on the sample workspace (the
 * catalog-lineage fixture) and on a folder without flowyml.yaml.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { run } from '../../../src/cli/main';
import { SAMPLE_WORKSPACE } from '../../helpers/paths';
import { temporaryFolder } from '../../helpers/register-files';

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(args, { out: (text) => out.push(text), err: (text) => err.push(text) });

  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('stack command', () => {
  test('prints stacks, notes and table', async () => {
    const { code, out } = await cli('stack', SAMPLE_WORKSPACE);
    const lines = out.split('\n');

    assert.equal(code, 0);
    assert.equal(lines[1], 'Stacks: local (active, from active_stack), gcp-prod, aws-staging');
    assert.match(lines[2], /^flowyml\.yaml:26:7: information: FlowyML's router never applies the `FeatureSet` rule/);
    assert.ok(lines.includes('Routing of stack local:'), out);
    assert.equal(lines.filter((line) => line.startsWith('|')).length, 2 + 9);
  });

  test('--stack picks another stack', async () => {
    const { code, out } = await cli('stack', SAMPLE_WORKSPACE, '--stack', 'gcp-prod', '--json');
    const parsed = JSON.parse(out) as { stack: string; routing: { type: string; deploy: string }[] };

    assert.equal(code, 0);
    assert.equal(parsed.stack, 'gcp-prod');
    assert.equal(parsed.routing.find((row) => row.type === 'Model')?.deploy, 'auto (auc ≥ 0.8, accuracy ≥ 0.75) → churn-model');
  });

  test('unknown stack exits 1', async () => {
    const { code, err } = await cli('stack', SAMPLE_WORKSPACE, '--stack', 'nope');

    assert.equal(code, 1);
    assert.match(err, /stack "nope" is not in .*flowyml\.yaml; it defines local, gcp-prod, aws-staging\./);
  });

  test('--check fails on the missing config file', async () => {
    const { code, out } = await cli('stack', SAMPLE_WORKSPACE, '--check');

    assert.equal(code, 1);
    assert.match(out, /Missing: 2 · Modified: 0 · Hash matches: 0/);
  });

  test('folder without flowyml.yaml', async () => {
    const dir = temporaryFolder('stack-cli');
    const { code, out } = await cli('stack', dir);

    assert.equal(code, 0);
    assert.equal(out, `No flowyml.yaml in ${dir} or its four parent folders: FlowyML runs without a stack there.`);
  });

  test('YAML error exits 1', async () => {
    const dir = temporaryFolder('stack-cli-bad');
    fs.writeFileSync(path.join(dir, 'flowyml.yaml'), 'stacks:\n  a: [\n');
    const { code, out } = await cli('stack', dir);

    assert.equal(code, 1);
    assert.match(out, /flowyml\.yaml:\d+:\d+: error: Invalid YAML/);
  });

  test('flowyml.yaml that is a folder', async () => {
    const folder = temporaryFolder('stack-config-folder');
    fs.mkdirSync(path.join(folder, 'flowyml.yaml'));
    const { code, err } = await cli('stack', folder);
    assert.equal(code, 1);
    assert.equal(err, `flowyml-assets: ${path.join(folder, 'flowyml.yaml')} is not a file, so the stack cannot be read; replace it with the stack YAML file.`);
  });

  test('FLOWYML_CONFIG naming no file', async () => {
    const folder = temporaryFolder('stack-config-env');
    const previous = process.env.FLOWYML_CONFIG;
    process.env.FLOWYML_CONFIG = 'missing.yaml';
    try {
      const { code, err } = await cli('stack', folder);
      assert.equal(code, 1);
      assert.equal(err, `flowyml-assets: FLOWYML_CONFIG is missing.yaml, but ${path.join(folder, 'missing.yaml')} does not exist; fix or unset the variable.`);
    } finally {
      if (previous === undefined) delete process.env.FLOWYML_CONFIG;
      else process.env.FLOWYML_CONFIG = previous;
    }
  });
});
