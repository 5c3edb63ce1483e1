// Registered rows must look exactly like the rows FlowyML's
// ArtifactCatalog.register wrote into the sample catalog: the same SQLite
// type per column, the same JSON shapes and formatting, the same schema when
// the catalog is created. Every write goes to a temporary copy.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { loadWorkspace, type WorkspaceIndex } from '../../../src/core/index';
import { findWriteEngine, planRegistration, writeRegistration, type RegisterRequest } from '../../../src/core/register/index';
import { SAMPLE_WORKSPACE } from '../../helpers/paths';
import { copySampleWorkspace, PYTHON, pythonAvailable, pythonJson, temporaryFolder, writeSafetensors } from '../../helpers/register-files';

const skipPython = pythonAvailable();

const UUID4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const NAIVE_LOCAL_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?$/;

/** For each row: the SQLite type of every column, and whether each JSON column re-dumps to the same text with Python's defaults. */
const PYTHON_ROWS = String.raw`
import json, sqlite3, sys
request = json.load(sys.stdin)
connection = sqlite3.connect("file:" + request["db"] + "?mode=ro", uri=True)
columns = [row[1] for row in connection.execute("PRAGMA table_info(artifacts)")]
rows = []
for row in connection.execute("SELECT " + ", ".join("typeof(%s), %s" % (c, c) for c in columns) + " FROM artifacts WHERE " + request["where"]):
    entry = {"types": {}, "values": {}, "redumped": {}}
    for i, column in enumerate(columns):
        entry["types"][column] = row[2 * i]
        entry["values"][column] = row[2 * i + 1]
        if column in ("parent_ids", "tags", "metadata"):
            entry["redumped"][column] = json.dumps(json.loads(row[2 * i + 1])) == row[2 * i + 1]
    rows.append(entry)
schema = [list(r) for r in connection.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name")]
pragmas = {p: connection.execute("PRAGMA " + p).fetchone()[0] for p in ("page_size", "journal_mode", "user_version", "encoding", "integrity_check")}
print(json.dumps({"rows": rows, "schema": schema, "pragmas": pragmas}))
`;

interface RowDump {
  types: Record<string, string>;
  values: Record<string, string | null>;
  redumped: Record<string, boolean>;
}

interface StoreDump {
  rows: RowDump[];
  schema: [string, string, string, string | null][];
  pragmas: Record<string, string | number>;
}

function dumpStore(db: string, where: string): StoreDump {
  return pythonJson<StoreDump>(PYTHON_ROWS, { db, where });
}

const fixtureDb = path.join(SAMPLE_WORKSPACE, '.flowyml', 'catalog.db');

async function register(root: string, request: Omit<RegisterRequest, 'workspace'>): Promise<{ id: string; artifactId: string }> {
  const workspace = await loadWorkspace(root);
  try {
    const plan = await planRegistration({ workspace, ...request });
    return await writeRegistration(plan, findWriteEngine({ only: 'python', pythonCandidates: [PYTHON] }));
  } finally {
    workspace.dispose();
  }
}

describe('registered rows', { skip: skipPython }, () => {
  const root = copySampleWorkspace();
  const db = path.join(root, '.flowyml', 'catalog.db');
  const fixture = skipPython ? { rows: [], schema: [], pragmas: {} } as StoreDump : dumpStore(fixtureDb, "metadata != '{}'");
  const ids: string[] = [];

  test('register a dataset, model, prompt, checkpoint and value', async () => {
    const files = temporaryFolder('row-shape');
    const csv = path.join(files, 'customers ümlaut.csv');
    fs.writeFileSync(csv, 'id,plan\n1,pro\n2,basic\n');
    const model = path.join(root, 'models', 'churn.safetensors');
    fs.mkdirSync(path.dirname(model));
    writeSafetensors(model, [{ name: 'w', dtype: 'F32', shape: [4, 2], bytesPerElement: 4 }], { format: 'pt' });
    const prompt = path.join(root, 'prompts', 'triage.prompt');
    fs.mkdirSync(path.dirname(prompt));
    fs.writeFileSync(prompt, 'Classify {ticket} for {team}.');
    const checkpoint = path.join(root, '.flowyml', 'checkpoints', 'epoch4.ckpt');
    fs.writeFileSync(checkpoint, 'opaque checkpoint bytes');

    ids.push((await register(root, { source: { kind: 'file', path: csv }, parents: ['be124dbd-6f94-4fae-b9a2-384be199dbc0'], tags: { layer: 'bronze', owner: 'Zoë' } })).artifactId);
    ids.push((await register(root, { source: { kind: 'file', path: model }, name: 'churn_model', parents: ['.flowyml/catalog.db:artifacts:8aaf4c51-0dda-42ae-92cc-152343d906b3'] })).artifactId);
    ids.push((await register(root, { source: { kind: 'file', path: prompt } })).artifactId);
    ids.push((await register(root, { source: { kind: 'file', path: checkpoint }, checkpoint: { epoch: 4, step: 200, isBest: true } })).artifactId);
    ids.push((await register(root, { source: { kind: 'value', text: '{"auc": 0.7, "accuracy": 1.0}', syntax: 'json' }, name: 'churn_eval' })).artifactId);
    assert.equal(ids.length, 5);
  });

  test('column types equal the fixture rows', () => {
    const rows = dumpStore(db, `artifact_id IN (${ids.map((id) => `'${id}'`).join(', ')})`).rows;
    assert.equal(rows.length, 5);
    const expectedTypes = fixture.rows[0].types;
    for (const row of fixture.rows) assert.deepEqual(row.types, expectedTypes);
    for (const row of rows) assert.deepEqual(row.types, expectedTypes, String(row.values.name));
  });

  test('json columns are formatted as python writes them', () => {
    const rows = dumpStore(db, `artifact_id IN (${ids.map((id) => `'${id}'`).join(', ')})`).rows;
    for (const row of [...fixture.rows, ...rows]) {
      assert.deepEqual(row.redumped, { parent_ids: true, tags: true, metadata: true }, String(row.values.name));
    }
    const tags = rows.find((r) => r.values.name === 'customers ümlaut')!.values.tags;
    assert.equal(tags, '{"layer": "bronze", "owner": "Zo\\u00eb"}');
  });

  test('json shapes equal the fixture rows', () => {
    const rows = dumpStore(db, `artifact_id IN (${ids.map((id) => `'${id}'`).join(', ')})`).rows;
    for (const row of [...fixture.rows, ...rows]) {
      const name = String(row.values.name);
      assert.ok(Array.isArray(JSON.parse(row.values.parent_ids!)), name);
      assert.ok((JSON.parse(row.values.parent_ids!) as unknown[]).every((p) => typeof p === 'string'), name);
      const tags = JSON.parse(row.values.tags!) as Record<string, unknown>;
      assert.ok(Object.values(tags).every((t) => typeof t === 'string'), name);
      const metadata = JSON.parse(row.values.metadata!) as Record<string, unknown>;
      assert.deepEqual(Object.keys(metadata).slice(0, 3), ['asset_id', 'asset_created_at', 'properties'], name);
      assert.match(String(metadata.asset_id), UUID4, name);
      assert.match(String(metadata.asset_created_at), NAIVE_LOCAL_TIME, name);
      assert.equal(typeof metadata.properties, 'object', name);
      assert.match(String(row.values.artifact_id), UUID4, name);
      assert.match(String(row.values.created_at), NAIVE_LOCAL_TIME, name);
      assert.match(String(row.values.version), /^v\d+\.\d+\.\d+$/, name);
    }
    for (const row of rows) {
      assert.equal(row.values.source_step, '');
      assert.equal(row.values.source_run_id, '');
      assert.equal(row.values.source_pipeline, '');
    }
  });

  test('parents, uri, hash basis and versions', () => {
    const rows = dumpStore(db, `artifact_id IN (${ids.map((id) => `'${id}'`).join(', ')})`).rows;
    const byName = new Map(rows.map((r) => [r.values.name, r]));

    const dataset = byName.get('customers ümlaut')!;
    assert.equal(dataset.values.parent_ids, '["be124dbd-6f94-4fae-b9a2-384be199dbc0"]');
    assert.match(String(dataset.values.uri), /^file:\/\/\/.*customers%20%C3%BCmlaut\.csv$/);
    assert.equal(dataset.values.version, 'v1.0.0');

    const model = byName.get('churn_model')!;
    assert.equal(model.values.uri, 'models/churn.safetensors');
    // The sample contains churn_model v1.0.0 … v4.0.0.
    assert.equal(model.values.version, 'v4.0.1');
    assert.equal(model.values.parent_ids, '["8aaf4c51-0dda-42ae-92cc-152343d906b3"]');
    const modelMetadata = JSON.parse(model.values.metadata!) as { hash_basis: string; properties: Record<string, unknown> };
    assert.equal(modelMetadata.hash_basis, 'file-bytes');
    assert.equal(modelMetadata.properties.parameters, 8);
    assert.equal(model.values.content_hash, crypto.createHash('sha256').update(fs.readFileSync(path.join(root, 'models', 'churn.safetensors'))).digest('hex'));

    const prompt = byName.get('triage')!;
    const promptMetadata = JSON.parse(prompt.values.metadata!) as { template: string; properties: Record<string, unknown> };
    assert.equal(promptMetadata.template, 'Classify {ticket} for {team}.');
    assert.deepEqual(promptMetadata.properties.variables, ['ticket', 'team']);

    const checkpoint = byName.get('epoch4')!;
    const checkpointProperties = (JSON.parse(checkpoint.values.metadata!) as { properties: Record<string, unknown> }).properties;
    assert.equal(checkpointProperties.file_path, '.flowyml/checkpoints/epoch4.ckpt');
    assert.equal(checkpointProperties.is_best, true);

    const metrics = byName.get('churn_eval')!;
    // The sample contains churn_eval v1.0.0 … v3.0.0. A value has no uri and no hash_basis.
    assert.equal(metrics.values.version, 'v3.0.1');
    assert.equal(metrics.values.uri, '');
    assert.equal(metrics.values.metadata!.includes('hash_basis'), false);
    assert.match(metrics.values.metadata!, /"properties": \{"auc": 0\.7, "accuracy": 1\.0\}/);
    const expectedHash = pythonJson<string>('import hashlib, json, sys\ndata = json.loads(json.load(sys.stdin))\nprint(json.dumps(hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()))', '{"auc": 0.7, "accuracy": 1.0}');
    assert.equal(metrics.values.content_hash, expectedHash);
  });

  test('created_at is the local time of the write', () => {
    const rows = dumpStore(db, `artifact_id = '${ids[0]}'`).rows;
    const written = new Date(String(rows[0].values.created_at)).getTime();
    assert.ok(Math.abs(Date.now() - written) < 5 * 60_000, `${rows[0].values.created_at} is not near the local time now`);
  });

  test('store stays intact with the same schema', () => {
    const dump = dumpStore(db, '0');
    assert.deepEqual(dump.schema, fixture.schema);
    assert.equal(dump.pragmas.integrity_check, 'ok');
  });

  test('the reader shows the new versions with parents', async () => {
    const workspace: WorkspaceIndex = await loadWorkspace(root);
    try {
      assert.deepEqual(workspace.problems, []);
      const dataset = workspace.getVersion(`.flowyml/catalog.db:artifacts:${ids[0]}`)!;
      assert.equal(dataset.type, 'Dataset');
      assert.deepEqual(dataset.parents, ['.flowyml/metadata.db:artifacts:735883f5-2c8d-4ebb-8396-a04fd41bec3c_ingest_raw_data%2Fraw']);
      const details = await workspace.details(dataset.id);
      assert.equal(details.properties.typed.num_samples, 2);
      assert.deepEqual(details.properties.typed.feature_columns, ['id', 'plan']);
    } finally {
      workspace.dispose();
    }
  });
});

describe('new catalog', { skip: skipPython }, () => {
  test('catalog.db is created with the fixture schema', async () => {
    const root = temporaryFolder('new-catalog');
    const file = path.join(root, 'notes.md');
    fs.writeFileSync(file, '# Notes for {reader}');
    await register(root, { source: { kind: 'file', path: file } });

    const fixture = dumpStore(fixtureDb, '0');
    const created = dumpStore(path.join(root, '.flowyml', 'catalog.db'), '1');
    assert.deepEqual(created.schema, fixture.schema);
    assert.deepEqual(created.pragmas, fixture.pragmas);
    assert.equal(created.rows.length, 1);
    assert.equal(created.rows[0].values.version, 'v1.0.0');
    assert.equal(created.rows[0].values.uri, 'notes.md');
    assert.deepEqual(fs.readdirSync(path.join(root, '.flowyml')), ['catalog.db']);
  });
});
