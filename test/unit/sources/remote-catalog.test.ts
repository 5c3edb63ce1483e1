// The remote catalog source and POST /artifacts registration. FlowyML
// ships no catalog server to run, only its client, so these tests run
// against a small HTTP server written for them (test/helpers/catalog-server.ts)
// that follows the client's endpoints and JSON shapes exactly, on 127.0.0.1.
// It is seeded with the rows of the sample workspace's real catalog.db.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { run } from '../../../src/cli/main';
import { StoreError, loadWorkspace } from '../../../src/core/index';
import { CatalogClient } from '../../../src/core/sources/catalog-client';
import { RemoteCatalogSource } from '../../../src/core/sources/remote-catalog';
import { planRemoteRegistration, postRemoteRegistration } from '../../../src/core/sources/remote-register';
import { entriesFromCatalogDb, startCatalogServer, type CatalogServer, type ServerEntry } from '../../helpers/catalog-server';
import { SAMPLE_WORKSPACE } from '../../helpers/paths';

const KEY = 'catalog-key-5f1c9e';

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function mapStore(text: string, from: string, to: string, fromStoreField: string): string {
  const encoded = from.split('/').map((part) => encodeURIComponent(part)).join('/');
  return text.split(`${encoded}:`).join(`${to}:`).split(`"store": "${fromStoreField}"`).join(`"store": "${to}"`);
}

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('remote catalog source', () => {
  let server: CatalogServer;
  let emptyDir: string;
  const previousKey = process.env.FLOWYML_CATALOG_API_KEY;

  before(async () => {
    server = await startCatalogServer(KEY, await entriesFromCatalogDb(path.join(SAMPLE_WORKSPACE, '.flowyml', 'catalog.db')));
    emptyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowyml-catalog-'));
    process.env.FLOWYML_CATALOG_API_KEY = KEY;
  });

  after(async () => {
    await server?.close();
    fs.rmSync(emptyDir, { recursive: true, force: true });
    if (previousKey === undefined) delete process.env.FLOWYML_CATALOG_API_KEY;
    else process.env.FLOWYML_CATALOG_API_KEY = previousKey;
  });

  test('list and show equal catalog.db', async () => {
    const label = server.url;
    const remote = await cli('list', emptyDir, '--catalog-url', server.url, '--json');
    const local = await cli('list', SAMPLE_WORKSPACE, '--store', '.flowyml/catalog.db', '--json');
    assert.equal(remote.code, 0, remote.err);
    const remoteEntries = JSON.parse(mapStore(remote.out, label, 'CAT', label)) as { id: string }[];
    const localEntries = JSON.parse(mapStore(local.out, '.flowyml/catalog.db', 'CAT', '.flowyml/catalog.db')) as { id: string }[];
    assert.equal(remoteEntries.length, 32);
    assert.deepEqual(remoteEntries, localEntries);
    const request = server.requests.find((r) => r.path.endsWith('/artifacts') && r.method === 'GET');
    assert.equal(request?.authorization, `Bearer ${KEY}`);
    assert.equal(request?.query.limit, '10000');

    const model = localEntries.find((e) => e.id.includes('b2366405-6ef7-4648-a541-9a9ad04ffd68'))!;
    const key = model.id.slice('CAT:'.length);
    const remoteShow = await cli('show', `${label.split('/').map(encodeURIComponent).join('/')}:${key}`, emptyDir, '--catalog-url', server.url, '--json');
    const localShow = await cli('show', `.flowyml/catalog.db:${key}`, SAMPLE_WORKSPACE, '--store', '.flowyml/catalog.db', '--json');
    assert.equal(remoteShow.code, 0, remoteShow.err);
    const remoteDetails = JSON.parse(mapStore(remoteShow.out, label, 'CAT', label)) as Record<string, unknown>;
    const localDetails = JSON.parse(mapStore(localShow.out, '.flowyml/catalog.db', 'CAT', '.flowyml/catalog.db')) as Record<string, unknown>;
    assert.deepEqual(remoteDetails.properties, localDetails.properties);
    assert.deepEqual(remoteDetails.raw, localDetails.raw);
    assert.ok(server.requests.some((r) => r.method === 'GET' && r.path.endsWith('/artifacts/b2366405-6ef7-4648-a541-9a9ad04ffd68')), 'details come from GET /artifacts/{id}');
  });

  test('remote rows join local runs', async () => {
    // The sample's catalog rows record the runs of its metadata.db: served
    // remotely, they merge into the local versions by run id and step.
    const label = server.url;
    const mixed = await cli('list', SAMPLE_WORKSPACE, '--store', '.flowyml/metadata.db', '--catalog-url', server.url, '--json');
    const local = await cli('list', SAMPLE_WORKSPACE, '--store', '.flowyml/metadata.db', '--store', '.flowyml/catalog.db', '--json');
    assert.equal(mixed.code, 0, mixed.err);
    const mixedEntries = JSON.parse(mapStore(mixed.out, label, 'CAT', label)) as { aliases: string[] }[];
    const localEntries = JSON.parse(mapStore(local.out, '.flowyml/catalog.db', 'CAT', '.flowyml/catalog.db')) as { aliases: string[] }[];
    assert.deepEqual(mixedEntries, localEntries);
    assert.ok(mixedEntries.some((e) => e.aliases.some((a) => a.startsWith('CAT:'))), 'some remote rows merged into metadata.db versions');
  });

  test('client reads every endpoint', async () => {
    const client = new CatalogClient({ url: `${server.url}/`, apiKey: KEY });
    const model = await client.get('b2366405-6ef7-4648-a541-9a9ad04ffd68');
    assert.equal(model?.name, 'churn_model');
    assert.equal(model?.version, 'v2.0.0');
    assert.equal(await client.get('no-such-id'), undefined);

    const prompts = await client.list({ artifactType: 'Prompt', limit: 2 });
    assert.equal(prompts.length, 2);
    assert.ok(prompts.every((e) => e.artifact_type === 'Prompt'));
    assert.ok(prompts[0].created_at >= prompts[1].created_at, 'newest first');

    const found = await client.search('churn_model');
    assert.ok(found.length >= 1 && found.every((e) => e.name.includes('churn_model') || JSON.stringify(e.tags).includes('churn_model')));

    const lineage = await client.lineage('b2366405-6ef7-4648-a541-9a9ad04ffd68');
    assert.equal(lineage.artifact?.artifact_id, 'b2366405-6ef7-4648-a541-9a9ad04ffd68');
    assert.deepEqual(lineage.parents.map((p) => p.artifact_id).sort(), [...model!.parent_ids].sort());
    assert.ok(lineage.children.length > 0);

    assert.equal((await client.byHash(model!.content_hash))?.artifact_id, model!.artifact_id);
    assert.equal(await client.byHash('0'.repeat(64)), undefined);
  });

  test('missing parents come from /lineage', async () => {
    const sub = await startCatalogServer(KEY, await entriesFromCatalogDb(path.join(SAMPLE_WORKSPACE, '.flowyml', 'catalog.db')));
    try {
      // Only the newest entry fits the limit, and that is made the Model with
      // two parents; its parents are fetched one level up.
      const newest = sub.entries.find((e) => e.artifact_id === 'b2366405-6ef7-4648-a541-9a9ad04ffd68')!;
      newest.created_at = '2099-01-01T00:00:00';
      assert.equal(newest.parent_ids.length, 2);
      const source = new RemoteCatalogSource({ url: sub.url, apiKey: KEY, maxEntries: 1 });
      const loaded = await source.load();
      const ids = loaded.rows.catalog!.map((r) => r.artifactId).sort();
      const existingParents = newest.parent_ids.filter((p) => sub.entries.some((e) => e.artifact_id === p));
      assert.deepEqual(ids, [newest.artifact_id, ...existingParents].sort());
      assert.equal(loaded.problems[0]?.code, 'truncated');
      assert.ok(sub.requests.some((r) => r.path.endsWith(`/${newest.artifact_id}/lineage`)));
    } finally {
      await sub.close();
    }
  });

  test('wrong or missing key is an auth error', async () => {
    for (const [apiKey, pattern] of [['wrong-key-0042', /rejected the API key \(HTTP 401\)/], [undefined, /requires an API key and none is set \(HTTP 401\)/]] as const) {
      const source = new RemoteCatalogSource({ url: server.url, apiKey, retryDelayMs: 1 });
      const workspace = await loadWorkspace(SAMPLE_WORKSPACE, { storePaths: ['.flowyml/metadata.db'], sources: [source] });
      try {
        const problem = workspace.problems.find((p) => p.file === source.label);
        assert.equal(problem?.code, 'auth');
        assert.match(problem?.message ?? '', pattern);
        assert.ok(!problem?.message.includes('wrong-key-0042'));
        assert.ok(workspace.versions.length > 0, 'the local store still loads');
      } finally {
        workspace.dispose();
      }
    }
  });

  test('entry without artifact_id is left out', async () => {
    const rows = (await entriesFromCatalogDb(path.join(SAMPLE_WORKSPACE, '.flowyml', 'catalog.db'))).slice(0, 3);
    const { artifact_id: _dropped, ...broken } = { ...rows[0], name: 'broken_entry' };
    const own = await startCatalogServer(KEY, [...rows, broken as ServerEntry]);
    try {
      const warnings: string[] = [];
      const client = new CatalogClient({ url: own.url, apiKey: KEY }, { warn: (m) => warnings.push(m) });
      const entries = await client.list({ limit: 100 });
      assert.deepEqual(entries.map((entry) => entry.artifact_id).sort(), rows.map((row) => row.artifact_id).sort());
      assert.equal(warnings.length, 1, warnings.join('\n'));
      assert.match(warnings[0], /sent entry [1-4] of 4 \(name "broken_entry"\) without a string artifact_id; it is left out\.$/);
    } finally {
      await own.close();
    }
  });

  test('server errors are retried and logged', async () => {
    const warnings: string[] = [];
    server.failNext = 2;
    const client = new CatalogClient({ url: server.url, apiKey: KEY, retries: 2, retryDelayMs: 5 }, { warn: (m) => warnings.push(m) });
    const entries = await client.list({ limit: 5 });
    assert.equal(entries.length, 5);
    assert.equal(warnings.length, 2);
    assert.match(warnings[0], /^GET http:\/\/127\.0\.0\.1:\d+\/api\/v1\/catalog\/artifacts failed \(.*HTTP 503.*\); retry 1 of 2 in 5 ms$/);
    assert.match(warnings[1], /retry 2 of 2 in 10 ms$/);

    server.failNext = 5;
    await assert.rejects(client.list(), (error: unknown) => error instanceof StoreError && error.code === 'server' && /HTTP 503 \(.*restarting/.test(error.message));
    server.failNext = 0;
  });

  test('slow server times out', async () => {
    const warnings: string[] = [];
    server.delayMs = 2_000;
    try {
      const client = new CatalogClient({ url: server.url, apiKey: KEY, timeoutMs: 150, retries: 1, retryDelayMs: 5 }, { warn: (m) => warnings.push(m) });
      const started = Date.now();
      await assert.rejects(client.list(), (error: unknown) => error instanceof StoreError && error.code === 'timeout' && /did not respond within 150 ms/.test(error.message));
      assert.ok(Date.now() - started < 1_500, 'gave up before the server answered');
      assert.equal(warnings.length, 1);
      assert.match(warnings[0], /did not respond within 150 ms\.\); retry 1 of 1/);
    } finally {
      server.delayMs = 0;
    }
  });

  test('CLI --read-timeout limits requests', async () => {
    server.delayMs = 5_000;
    try {
      const started = Date.now();
      const { code, err } = await cli('list', emptyDir, '--catalog-url', server.url, '--read-timeout', '0.2');
      // Three attempts of 200 ms and the retry delays end before the server replies at 5 s.
      assert.ok(Date.now() - started < server.delayMs, `gave up after ${Date.now() - started} ms`);
      assert.equal(code, 1);
      assert.match(err, /did not respond within 200 ms/);
    } finally {
      server.delayMs = 0;
    }
  });

  test('unreachable server shows offline', async () => {
    const port = await closedPort();
    const source = new RemoteCatalogSource({ url: `http://127.0.0.1:${port}/api/v1/catalog`, apiKey: KEY, retries: 1, retryDelayMs: 1 });
    const result = await cli('list', SAMPLE_WORKSPACE, '--store', '.flowyml/metadata.db', '--catalog-url', `http://127.0.0.1:${port}/api/v1/catalog`, '--json');
    assert.equal(result.code, 1);
    assert.match(result.err, /the catalog at http:\/\/127\.0\.0\.1:\d+\/api\/v1\/catalog is unreachable \(ECONNREFUSED\); it is offline or the URL is wrong/);
    assert.ok((JSON.parse(result.out) as unknown[]).length > 0, 'local versions are still listed');
    await assert.rejects(source.load(), (error: unknown) => error instanceof StoreError && error.code === 'unreachable');
  });

  test('register round trip through POST', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowyml-catalog-register-'));
    try {
      const file = path.join(dir, 'churn_model.json');
      fs.writeFileSync(file, JSON.stringify({ coef: [0.5, -1.25], intercept: 0.1 }));
      const before = server.entries.length;
      const listed = await cli('list', dir, '--catalog-url', server.url, '--json', '--name', 'churn_features');
      const parentId = (JSON.parse(listed.out) as { id: string }[])[0].id;
      assert.ok(parentId.endsWith(':artifacts:8aaf4c51-0dda-42ae-92cc-152343d906b3'));

      const result = await cli('register', file, dir, '--catalog-url', server.url, '--type', 'Model', '--name', 'churn_model', '--parent', parentId, '--tag', 'stage=staging', '--json');
      assert.equal(result.code, 0, result.err);
      const registered = JSON.parse(result.out) as { id: string; artifactId: string; version: string; parentCatalogIds: string[]; contentHash: string };
      assert.equal(registered.version, 'v4.0.1', 'the next patch after the catalog\'s v4.0.0');
      assert.equal(server.entries.length, before + 1);

      const post = server.requests.filter((r) => r.method === 'POST').at(-1)!;
      assert.equal(post.authorization, `Bearer ${KEY}`);
      assert.deepEqual(Object.keys(JSON.parse(post.body) as object), [
        'artifact_id', 'name', 'artifact_type', 'content_hash', 'source_step', 'source_run_id', 'source_pipeline',
        'parent_ids', 'tags', 'metadata', 'uri', 'created_at', 'version',
      ]);
      const sent = JSON.parse(post.body) as Record<string, unknown>;
      assert.equal(sent.artifact_id, '');
      assert.equal(sent.artifact_type, 'Model');
      assert.deepEqual(sent.parent_ids, ['8aaf4c51-0dda-42ae-92cc-152343d906b3']);
      assert.deepEqual(registered.parentCatalogIds, ['8aaf4c51-0dda-42ae-92cc-152343d906b3']);
      assert.deepEqual(sent.tags, { stage: 'staging' });
      assert.equal(sent.content_hash, registered.contentHash);
      assert.deepEqual(Object.keys(sent.metadata as object).slice(0, 3), ['asset_id', 'asset_created_at', 'properties']);
      assert.equal(registered.artifactId, server.entries.at(-1)!.artifact_id);

      const again = await cli('list', dir, '--catalog-url', server.url, '--json', '--name', 'churn_model');
      const versions = JSON.parse(again.out) as { id: string; version: string; parents: string[] }[];
      const added = versions.find((v) => v.id === registered.id);
      assert.equal(added?.version, 'v4.0.1');
      assert.deepEqual(added?.parents, [parentId]);

      const second = await cli('register', file, dir, '--catalog-url', server.url, '--type', 'Model', '--name', 'churn_model', '--json');
      assert.equal(second.code, 0, second.err);
      assert.equal((JSON.parse(second.out) as { version: string }).version, 'v4.0.2');
      assert.match(second.err, /already holds the same content as "churn_model"/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('plan sends nothing, post sends once', async () => {
    // The VS Code command plans, confirms a duplicate with the user, then posts, so the plan must not change the server's rows.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowyml-catalog-split-'));
    const source = new RemoteCatalogSource({ url: server.url, apiKey: KEY });
    const workspace = await loadWorkspace(dir, { sources: [source] });
    try {
      const file = path.join(dir, 'threshold.json');
      fs.writeFileSync(file, JSON.stringify({ threshold: 0.42 }));
      const posts = () => server.requests.filter((r) => r.method === 'POST').length;
      const postsBefore = posts();
      const entriesBefore = server.entries.length;

      const plan = await planRemoteRegistration(workspace, source.client, { source: { kind: 'file', path: file }, type: 'Metrics', name: 'threshold', tags: { origin: 'split-test' } });
      assert.equal(plan.catalogStore, server.url, 'the plan targets the remote catalog');
      assert.equal(plan.version, 'v1.0.0');
      assert.equal(posts(), postsBefore);
      assert.equal(server.entries.length, entriesBefore);

      const result = await postRemoteRegistration(source.client, plan);
      assert.equal(posts(), postsBefore + 1);
      const sent = JSON.parse(server.requests.filter((r) => r.method === 'POST').at(-1)!.body) as Record<string, unknown>;
      assert.equal(sent.name, 'threshold');
      assert.equal(sent.artifact_type, 'Metrics');
      assert.equal(sent.version, 'v1.0.0');
      assert.deepEqual(sent.tags, { origin: 'split-test' });
      assert.equal(result.artifactId, server.entries.at(-1)!.artifact_id);
      assert.equal(result.id, `${server.url.split('/').map(encodeURIComponent).join('/')}:artifacts:${result.artifactId}`);
    } finally {
      workspace.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('plan without the catalog loaded fails', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowyml-catalog-missing-'));
    const workspace = await loadWorkspace(dir);
    try {
      const client = new CatalogClient({ url: server.url, apiKey: KEY });
      await assert.rejects(
        planRemoteRegistration(workspace, client, { source: { kind: 'value', text: '{"a": 1}', syntax: 'json' }, type: 'Metrics', name: 'a' }),
        (error: unknown) => error instanceof StoreError && error.code === 'unreachable' && /is not loaded in this workspace/.test(error.message),
      );
    } finally {
      workspace.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
