/**
 * The store limits a client sends at start-up: the memory guard rejects a
 * store above the cap unless the client allows it, and the other stores
 * still serve hovers.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { limitsOf } from '../../src/server/store/limits';
import { SAMPLE_WORKSPACE } from '../helpers/paths';
import { positionOf, startServer, waitFor, type TestClient } from './harness';

let workspace: string;
let client: TestClient | undefined;

beforeEach(() => {
  workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'flowyml-lsp-limits-'));
  fs.mkdirSync(path.join(workspace, '.flowyml'));
  // metadata.db has 47 versions and catalog.db 74.
  for (const name of ['metadata.db', 'catalog.db']) fs.copyFileSync(path.join(SAMPLE_WORKSPACE, '.flowyml', name), path.join(workspace, '.flowyml', name));
  fs.copyFileSync(path.join(SAMPLE_WORKSPACE, 'pipeline.py'), path.join(workspace, 'pipeline.py'));
});

afterEach(async () => {
  await client?.close();
  client = undefined;
  fs.rmSync(workspace, { recursive: true, force: true });
});

/** Waits for the log line of the first load, which arrives after the server is ready. */
async function loaded(current: TestClient): Promise<void> {
  await waitFor('the load log', async () => current.logs.find((line) => line.startsWith('Loaded ')));
}

async function churnModelHover(current: TestClient): Promise<string> {
  const document = await current.open(path.join(workspace, 'pipeline.py'));
  return (await current.hoverText(document, positionOf(document.text, 'name="churn_model"', { delta: 8 }))) ?? '';
}

test('memory guard rejects the catalog', async () => {
  client = await startServer({ roots: [workspace], initializationOptions: { limits: { maxVersions: 60, sizeHint: 'Choose "Load anyway".' } } });
  await loaded(client);

  const rejected = client.logs.filter((line) => line.includes('above the limit of 60 versions'));
  assert.equal(rejected.length, 1, client.logs.join('\n'));
  assert.match(rejected[0], /^\.flowyml\/catalog\.db contains 74 versions, above the limit of 60 versions per store/);
  assert.ok(rejected[0].endsWith('Choose "Load anyway".'), rejected[0]);
  // Without the catalog's labels, metadata.db's four versions of churn_model are numbered only.
  assert.match(await churnModelHover(client), /^Latest version: \*\*#4\*\* \(derived: no stored version\) of 4$/m);
});

test('memory guard lets an allowed store load', async () => {
  const allow = [path.join(workspace, '.flowyml', 'catalog.db')];
  client = await startServer({ roots: [workspace], initializationOptions: { limits: { maxVersions: 60, allow } } });
  await loaded(client);

  assert.deepEqual(client.logs.filter((line) => line.includes('above the limit')), []);
  assert.match(await churnModelHover(client), /^Latest version: \*\*v4\.0\.0 \(#4\)\*\* of 4$/m);
});

test('limit options: invalid values ignored', () => {
  assert.deepEqual(limitsOf(undefined), {});
  assert.deepEqual(limitsOf({ limits: 'none' }), {});
  const parsed = limitsOf({ limits: { readTimeoutMs: -1, maxVersions: Number.NaN, allow: ['/a.db', 7], readTimeoutHint: '', sizeHint: 3 } });
  assert.equal(parsed.open?.readTimeoutMs, undefined);
  assert.equal(parsed.open?.readTimeoutHint, undefined);
  assert.equal(parsed.sizeGuard?.maxVersions, undefined);
  assert.deepEqual(parsed.sizeGuard?.allow, ['/a.db']);
  assert.equal(parsed.sizeGuard?.hint, undefined);
  const valid = limitsOf({ limits: { readTimeoutMs: 0, maxVersions: 12.7, readTimeoutHint: 'Raise it.' } });
  assert.equal(valid.open?.readTimeoutMs, 0);
  assert.equal(valid.open?.readTimeoutHint, 'Raise it.');
  assert.equal(valid.sizeGuard?.maxVersions, 12);
});
