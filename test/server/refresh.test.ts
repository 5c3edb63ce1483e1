/**
 * The index follows the store: a catalog row written by Python's sqlite3,
 * in the shape ArtifactCatalog.register writes, shows in the next hovers.
 * Each test works on its own copy of the sample workspace's stores.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { FileChangeType, SetTraceNotification, TraceValues } from 'vscode-languageserver-protocol';
import { URI } from 'vscode-uri';
import { ReloadIndexRequest } from '../../src/protocol/lsp';
import { SAMPLE_WORKSPACE } from '../helpers/paths';
import { positionOf, startServer, waitFor, type TestClient } from './harness';

/** Inserts one registered catalog row, as `ArtifactCatalog.register(...)` does: uuid4 id, naive local ISO time. */
const REGISTER_ROW = `
import datetime, json, sqlite3, sys, uuid
now = datetime.datetime.now().isoformat()
con = sqlite3.connect(sys.argv[1])
with con:
    con.execute(
        "INSERT INTO artifacts (artifact_id, name, artifact_type, content_hash, source_step, source_run_id,"
        " source_pipeline, parent_ids, tags, metadata, uri, created_at, version) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (str(uuid.uuid4()), sys.argv[2], "Model", "", "", "", "", "[]", json.dumps({"stage": "candidate"}),
         json.dumps({"asset_id": str(uuid.uuid4()), "asset_created_at": now, "properties": {"framework": "sklearn"}}),
         "", now, sys.argv[3]),
    )
con.close()
`;

let workspace: string;
let client: TestClient | undefined;

beforeEach(() => {
  workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'flowyml-lsp-refresh-'));
  const copy = (relative: string) => {
    fs.mkdirSync(path.dirname(path.join(workspace, relative)), { recursive: true });
    fs.copyFileSync(path.join(SAMPLE_WORKSPACE, relative), path.join(workspace, relative));
  };
  copy('.flowyml/metadata.db');
  copy('.flowyml/catalog.db');
  copy('.flowyml/projects/support-genai/metadata.db');
  copy('pipeline.py');
});

afterEach(async () => {
  await client?.close();
  client = undefined;
  fs.rmSync(workspace, { recursive: true, force: true });
});

function register(name: string, version: string): void {
  execFileSync('python3', ['-c', REGISTER_ROW, path.join(workspace, '.flowyml', 'catalog.db'), name, version]);
}

async function hoverChurnModel(current: TestClient): Promise<string> {
  const document = await current.open(path.join(workspace, 'pipeline.py'));
  const text = await current.hoverText(document, positionOf(document.text, 'name="churn_model"', { delta: 8 }));
  return text ?? '';
}

test('store change shows in the hover through the file watcher', async () => {
  client = await startServer({ roots: [workspace], server: { reloadDelayMs: 100 } });
  const current = client;
  assert.match(await hoverChurnModel(current), /^Latest version: \*\*v4\.0\.0 \(#4\)\*\* of 4$/m);

  register('churn_model', 'v5.0.0');

  const text = await waitFor('the hover to show v5.0.0', async () => {
    const hover = await hoverChurnModel(current);
    return hover.includes('v5.0.0') ? hover : undefined;
  });
  assert.match(text, /^Latest version: \*\*v5\.0\.0 \(#5\)\*\* of 5$/m);
  assert.match(text, /^framework: `sklearn`$/m);
  assert.ok(current.indexChanges.length >= 2, 'an index change was announced after the first load');
});

test('client file events reload the store without a watcher', async () => {
  client = await startServer({ roots: [workspace], server: { reloadDelayMs: 50, watchStores: false } });
  const current = client;
  register('churn_model', 'v5.1.0');

  // Without fs.watch nothing changes until the client reports the file.
  assert.match(await hoverChurnModel(current), /^Latest version: \*\*v4\.0\.0 \(#4\)\*\* of 4$/m);
  await current.fileEvents([{ uri: URI.file(path.join(workspace, '.flowyml', 'catalog.db')).toString(), type: FileChangeType.Changed }]);

  const text = await waitFor('the hover to show v5.1.0', async () => {
    const hover = await hoverChurnModel(current);
    return hover.includes('v5.1.0') ? hover : undefined;
  });
  assert.match(text, /^Latest version: \*\*v5\.1\.0 \(#5\)\*\* of 5$/m);
});

test('reload request reads the store at once', async () => {
  client = await startServer({ roots: [workspace], server: { watchStores: false } });
  register('churn_model', 'v6.0.0');

  const status = await client.connection.sendRequest(ReloadIndexRequest);

  assert.equal(status.folders[0].versions, 59);
  assert.match(await hoverChurnModel(client), /^Latest version: \*\*v6\.0\.0 \(#5\)\*\* of 5$/m);
});

test('unchanged store files skip the reload', async () => {
  client = await startServer({ roots: [workspace], server: { reloadDelayMs: 20, watchStores: false } });
  const current = client;
  await current.connection.sendNotification(SetTraceNotification.type, { value: TraceValues.Verbose });
  const before = await current.status();

  await current.fileEvents([{ uri: URI.file(path.join(workspace, '.flowyml', 'catalog.db')).toString(), type: FileChangeType.Changed }]);
  await waitFor('the trace of a skipped reload', async () => current.traces.find((t) => t.includes('reload skipped')));

  assert.equal((await current.status()).generation, before.generation);
});

test('requests are traced only while the client asks for traces', async () => {
  client = await startServer({ roots: [workspace] });
  const current = client;
  await hoverChurnModel(current);
  assert.deepEqual(current.traces, []);

  await current.connection.sendNotification(SetTraceNotification.type, { value: TraceValues.Messages });
  await hoverChurnModel(current);

  assert.ok(current.traces.some((t) => /^hover took \d+\.\d ms$/.test(t)), current.traces.join('\n'));
});
