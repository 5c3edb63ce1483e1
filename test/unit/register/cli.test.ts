// The register command in-process: its JSON output, what list prints for
// the new row, and the exit codes and messages of bad input.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { run } from '../../../src/cli/main';
import { copySampleWorkspace, PYTHON, pythonAvailable, writeSafetensors } from '../../helpers/register-files';

const skipPython = pythonAvailable();

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('register command', { skip: skipPython }, () => {
  const root = copySampleWorkspace();
  const csv = path.join(root, 'data', 'customers.csv');
  fs.mkdirSync(path.dirname(csv));
  fs.writeFileSync(csv, 'id,plan\n1,pro\n2,basic\n3,pro\n');

  test('register --json prints id, version and properties', async () => {
    const { code, out, err } = await cli('register', csv, root, '--json', '--python', PYTHON, '--tag', 'layer=bronze', '--parent', '.flowyml/catalog.db:artifacts:be124dbd-6f94-4fae-b9a2-384be199dbc0');
    assert.equal(code, 0, err);
    const result = JSON.parse(out) as Record<string, unknown>;
    assert.match(String(result.id), /^\.flowyml\/catalog\.db:artifacts:[0-9a-f-]{36}$/);
    assert.equal(result.type, 'Dataset');
    assert.equal(result.name, 'customers');
    assert.equal(result.version, 'v1.0.0');
    assert.equal(result.uri, 'data/customers.csv');
    assert.deepEqual(result.tags, { layer: 'bronze' });
    assert.deepEqual(result.parentCatalogIds, ['be124dbd-6f94-4fae-b9a2-384be199dbc0']);
    const properties = result.properties as Record<string, unknown>;
    assert.equal(properties.num_samples, 3);
    assert.deepEqual(properties.feature_columns, ['id', 'plan']);

    const listed = await cli('list', root, '--json', '--name', 'customers');
    assert.equal(listed.code, 0, listed.err);
    const entries = JSON.parse(listed.out) as { id: string; version: string; parents: string[] }[];
    assert.deepEqual(entries.map((e) => [e.id, e.version]), [[result.id, 'v1.0.0']]);
    assert.deepEqual(entries[0].parents, ['.flowyml/metadata.db:artifacts:735883f5-2c8d-4ebb-8396-a04fd41bec3c_ingest_raw_data%2Fraw']);
  });

  test('register again bumps and warns about same content', async () => {
    const { code, out, err } = await cli('register', csv, root, '--bump', 'minor', '--python', PYTHON);
    assert.equal(code, 0, err);
    assert.match(out, /^Registered Dataset customers v1\.1\.0\nid: {7}\.flowyml\/catalog\.db:artifacts:/);
    assert.match(err, /the same content is already registered as Dataset customers v1\.0\.0 \(#1\)/);
  });

  test('register a checkpoint with its facts', async () => {
    const file = path.join(root, 'ckpt', 'epoch7.safetensors');
    fs.mkdirSync(path.dirname(file));
    writeSafetensors(file, [{ name: 'w', dtype: 'F32', shape: [2, 2], bytesPerElement: 4 }]);
    const { code, out, err } = await cli('register', file, root, '--type', 'Checkpoint', '--epoch', '7', '--step', '700', '--best', '--json', '--python', PYTHON);
    assert.equal(code, 0, err);
    const properties = (JSON.parse(out) as { properties: Record<string, unknown> }).properties;
    assert.equal(properties.epoch, 7);
    assert.equal(properties.step, 700);
    assert.equal(properties.is_best, true);
    assert.deepEqual(properties.state_keys, ['w']);
  });

  test('missing file exits 1', async () => {
    const { code, err } = await cli('register', path.join(root, 'nope.csv'), root, '--python', PYTHON);
    assert.equal(code, 1);
    assert.match(err, /Cannot read .*nope\.csv: it does not exist/);
  });

  test('unsupported type exits 1', async () => {
    const file = path.join(root, 'notes.txt');
    fs.writeFileSync(file, 'hello');
    const { code, err } = await cli('register', file, root, '--type', 'Dataset', '--python', PYTHON);
    assert.equal(code, 1);
    assert.match(err, /cannot be read as a Dataset: supported formats are CSV, TSV, JSON Lines, JSON records and Parquet/);
  });

  test('unknown parent exits 1', async () => {
    const { code, err } = await cli('register', csv, root, '--parent', 'does-not-exist', '--python', PYTHON);
    assert.equal(code, 1);
    assert.match(err, /Parent "does-not-exist" is not an asset version/);
  });

  test('duplicate explicit version exits 1', async () => {
    const { code, err } = await cli('register', csv, root, '--version', 'v1.0.0', '--python', PYTHON);
    assert.equal(code, 1);
    assert.match(err, /Version v1\.0\.0 of "customers" already exists/);
  });

  for (const [args, message] of [
    [['--tag', 'novalue'], /Invalid --tag "novalue": write it as KEY=VALUE/],
    [['--type', 'Table'], /Unknown type "Table"/],
    [['--bump', 'huge'], /Invalid --bump "huge"/],
    [['--epoch', '1.5'], /Invalid --epoch "1\.5"/],
    [['--version', 'v1', '--bump', 'minor'], /either --version or --bump/],
  ] as const) {
    test(`usage error ${args.join(' ')} exits 2`, async () => {
      const { code, err } = await cli('register', csv, root, ...args);
      assert.equal(code, 2);
      assert.match(err, message);
    });
  }

  test('usage lists register', async () => {
    const { code, out } = await cli('--help');
    assert.equal(code, 0);
    assert.match(out, /flowyml-assets register FILE \[DIR\]/);
  });
});
