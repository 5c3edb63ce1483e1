/**
 * The language server with a remote catalog team source beside the local
 * stores. The catalog is the test's own HTTP server on 127.0.0.1
 * (test/helpers/catalog-server.ts): FlowyML ships no catalog server to run.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startCatalogServer, type CatalogServer } from '../helpers/catalog-server';
import { SAMPLE_WORKSPACE } from '../helpers/paths';
import { positionOf, startServer } from './harness';

const KEY = 'server-test-key';
let catalog: CatalogServer;
let workspace: string;

before(async () => {
  catalog = await startCatalogServer(KEY, [{
    artifact_id: 'team-scorer-1', name: 'team_scorer', artifact_type: 'Model', content_hash: '', source_step: 'score',
    source_run_id: 'team-run-1', source_pipeline: 'scoring', parent_ids: [], tags: {}, metadata: {}, uri: '',
    created_at: '2026-12-04T21:05:00', version: 'v1.0.0',
  }]);
  workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'flowyml-lsp-team-'));
  fs.mkdirSync(path.join(workspace, '.flowyml'));
  fs.copyFileSync(path.join(SAMPLE_WORKSPACE, '.flowyml/metadata.db'), path.join(workspace, '.flowyml/metadata.db'));
});

after(async () => {
  await catalog.close();
  fs.rmSync(workspace, { recursive: true, force: true });
});

test('catalog source: read, never watched', async () => {
  process.env.FLOWYML_CATALOG_API_KEY = KEY;
  // File watching is on, as in the editor: a team source's URL must not be handed to fs.watch.
  const client = await startServer({
    roots: [workspace],
    server: { watchStores: true },
    initializationOptions: { teamSources: { catalogUrl: catalog.url, pollIntervalSeconds: 0 } },
  });
  try {
    const text = 'from flowyml import Model\nModel.create(data=None, name="team_scorer")\n';
    const document = await client.open(path.join(workspace, 'scoring.py'), text);
    const hover = await client.hoverText(document, positionOf(text, 'name="team_scorer"', { delta: 8 }));
    assert.match(hover ?? '', /^Latest version: \*\*v1\.0\.0 \(#1\)\*\* of 1$/m);
    assert.ok(client.logs.some((line) => line.startsWith('Loaded 2 store(s)')), client.logs.join('\n'));
    assert.deepEqual(client.logs.filter((line) => line.includes("Couldn't watch")), []);
  } finally {
    delete process.env.FLOWYML_CATALOG_API_KEY;
    await client.close();
  }
});
