// `stack --check` and `export` on hostile stores and file rows: stores that
// cannot be read, rows that name a FIFO, rows that lead outside the workspace
// (absolute, `..`, a symbolic link), a hashed folder containing a file that fails
// to read, and an export folder that already contains files.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { run } from '../../../src/cli/main';
import { loadWorkspace, provenance, StoreError, type AssetVersion } from '../../../src/core';
import { checkIntegrity, integrityMarkdown, type MaterializedLocation } from '../../../src/core/stack';
import { SAMPLE_WORKSPACE } from '../../helpers/paths';
import { pythonAvailable, pythonJson, temporaryFolder } from '../../helpers/register-files';

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(args, { out: (text) => out.push(text), err: (text) => err.push(text) });

  return { code, out: out.join('\n'), err: err.join('\n') };
}

const CATALOG = `CREATE TABLE artifacts (artifact_id TEXT PRIMARY KEY, name TEXT NOT NULL, artifact_type TEXT NOT NULL,
  content_hash TEXT, source_step TEXT, source_run_id TEXT, source_pipeline TEXT, parent_ids TEXT DEFAULT '[]',
  tags TEXT DEFAULT '{}', metadata TEXT DEFAULT '{}', uri TEXT, created_at TEXT NOT NULL, version TEXT)`;
const ID = (artifactId: string) => `.flowyml/catalog.db:artifacts:${artifactId}`;

interface FileRow {
  id: string;
  uri: string;
  contentHash: string;
  basis: 'file-bytes' | 'folder-sha256sum';
}

/** Creates a workspace (`ws` in a new temporary folder, or `root`) whose catalog.db contains one Dataset row per entry, registered from a file. */
function catalogWorkspace(prefix: string, rows: FileRow[], root = path.join(temporaryFolder(prefix), 'ws')): string {
  fs.mkdirSync(path.join(root, '.flowyml'), { recursive: true });
  fs.mkdirSync(path.join(root, 'data'));
  const statements = [CATALOG, ...rows.map((row) => [
    "INSERT INTO artifacts VALUES (?, ?, 'Dataset', ?, 's', 'r', 'p', '[]', '{}', ?, ?, '2026-01-08T00:00:00', 'v1')",
    [row.id, row.id, row.contentHash, JSON.stringify({ hash_basis: row.basis }), row.uri],
  ])];
  sqlite(path.join(root, '.flowyml', 'catalog.db'), statements);

  return root;
}

/** Runs SQL statements (text, or [text, parameters]) on a new database through Python's sqlite3. */
function sqlite(file: string, statements: (string | (string | string[])[])[]): void {
  pythonJson('import json, sys, sqlite3\nfile, statements = json.load(sys.stdin)\ncon = sqlite3.connect(file)\n'
    + 'for s in statements:\n    con.execute(s) if isinstance(s, str) else con.execute(s[0], s[1])\ncon.commit()\nprint("null")', [file, statements]);
}

const sha256 = (data: string | Buffer) => crypto.createHash('sha256').update(data).digest('hex');

interface CheckJson {
  integrity: { entries: { name: string; status: string; detail: string }[]; storeProblems: string[]; versionsChecked: number };
}

describe('stack --check on stores it cannot read', { skip: pythonAvailable() }, () => {
  const cases: [string, (root: string) => void][] = [
    ['a text file as metadata.db', (root) => fs.writeFileSync(path.join(root, '.flowyml', 'metadata.db'), 'this is not a database\n')],
    ['an empty metadata.db', (root) => fs.writeFileSync(path.join(root, '.flowyml', 'metadata.db'), '')],
    ['a garbage catalog.db', (root) => fs.writeFileSync(path.join(root, '.flowyml', 'catalog.db'), 'garbage\n')],
    ['a catalog.db without required columns', (root) => sqlite(path.join(root, '.flowyml', 'catalog.db'), ['CREATE TABLE artifacts (artifact_id TEXT PRIMARY KEY, name TEXT)'])],
  ];
  for (const [what, damage] of cases) {
    test(what, async () => {
      const root = path.join(temporaryFolder('check-damaged'), 'ws');
      fs.mkdirSync(path.join(root, '.flowyml'), { recursive: true });
      damage(root);
      const listed = await cli('list', root);
      assert.equal(listed.code, 1);
      const listError = listed.err.split('\n').filter((line) => line.startsWith('error: '));
      assert.equal(listError.length, 1, listed.err);
      assert.match(listError[0], /^error: .*\.flowyml\/(metadata|catalog)\.db[: ]/);

      const checked = await cli('stack', root, '--check');
      assert.equal(checked.code, 1, 'a CI gate must fail on a store it cannot read');
      assert.equal(checked.err, listError[0], 'the same message as list');
      assert.match(checked.out, /## Stores that could not be read\n\nTheir versions were not checked\.\n\n- .*\.flowyml\/(metadata|catalog)\.db[: ]/);

      const json = await cli('stack', root, '--check', '--json');
      assert.equal(json.code, 1);
      const report = (JSON.parse(json.out) as CheckJson).integrity;
      assert.equal(report.storeProblems.length, 1);
      assert.equal(`error: ${report.storeProblems[0]}`, listError[0]);
    });
  }

  test('readable store still passes', async () => {
    const root = catalogWorkspace('check-clean', [{ id: 'ok', uri: 'data/ok.txt', contentHash: sha256('x'), basis: 'file-bytes' }]);
    fs.writeFileSync(path.join(root, 'data', 'ok.txt'), 'x');
    const checked = await cli('stack', root, '--check');
    assert.equal(checked.code, 0, checked.err);
    assert.equal(checked.err, '');
    assert.doesNotMatch(checked.out, /Stores that could not be read/);
  });
});

describe('rows that are not regular files or folders', { skip: pythonAvailable() }, () => {
  test('FIFO row skipped, never opened', { timeout: 20_000 }, async () => {
    const root = catalogWorkspace('check-fifo', [
      { id: 'fifo', uri: 'data/fifo', contentHash: sha256('x'), basis: 'file-bytes' },
      { id: 'ok', uri: 'data/ok.txt', contentHash: sha256('x'), basis: 'file-bytes' },
    ]);
    fs.writeFileSync(path.join(root, 'data', 'ok.txt'), 'x');
    assert.equal(spawnSync('mkfifo', [path.join(root, 'data', 'fifo')]).status, 0, 'mkfifo must work for this test');

    const checked = await cli('stack', root, '--check', '--json', '--read-timeout', '5');
    assert.equal(checked.code, 1, 'a FIFO where a registered file should be fails the check');
    const entries = (JSON.parse(checked.out) as CheckJson).integrity.entries;
    const fifo = entries.find((entry) => entry.name === 'fifo');
    assert.equal(fifo?.status, 'special');
    assert.equal(fifo?.detail, `${path.join(root, 'data', 'fifo')} is a FIFO (named pipe), not a regular file or folder: skipped, never opened.`);
    assert.equal(entries.find((entry) => entry.name === 'ok')?.status, 'matches', 'the other rows are still checked');

    const out = path.join(temporaryFolder('export-fifo'), 'audit');
    const exported = await cli('export', ID('fifo'), root, '--out', out, '--export-time', '2026-01-31T12:00:00Z', '--json');
    assert.equal(exported.code, 0, exported.err);
    assert.equal((JSON.parse(exported.out) as { gaps: Record<string, number> }).gaps.unreadFiles, 1);
    const readme = fs.readFileSync(path.join(out, 'README.md'), 'utf8');
    assert.match(readme, /### Files not read \(1\)/);
    assert.match(readme, /at `data\/fifo`: It is a FIFO \(named pipe\), not a regular file or folder, so it was never opened\./);
    const prov = JSON.parse(fs.readFileSync(path.join(out, 'provenance.json'), 'utf8')) as { entity: Record<string, Record<string, unknown>> };
    const entity = Object.values(prov.entity).find((each) => each['prov:location'] === 'data/fifo');
    assert.equal(entity?.['fa:fileState'], 'special');
  });
});

describe('rows that point outside the workspace', { skip: pythonAvailable() }, () => {
  test('outside paths listed, never hashed', async () => {
    const base = temporaryFolder('check-outside');
    const secret = path.join(base, 'secret.txt');
    fs.writeFileSync(secret, 'top secret\n');
    const secretHash = sha256('top secret\n');
    // The workspace is base/inner/ws, so ../../secret.txt from it is the secret.
    const inside = catalogWorkspace('unused', [
      { id: 'absolute', uri: `file://${secret}`, contentHash: sha256('other'), basis: 'file-bytes' },
      { id: 'dotdot', uri: '../../secret.txt', contentHash: sha256('other'), basis: 'file-bytes' },
      { id: 'linked', uri: 'data/link.txt', contentHash: sha256('other'), basis: 'file-bytes' },
      { id: 'linked-folder', uri: 'data/outside-folder', contentHash: sha256('other'), basis: 'folder-sha256sum' },
    ], path.join(base, 'inner', 'ws'));
    fs.symlinkSync(secret, path.join(inside, 'data', 'link.txt'));
    fs.symlinkSync(base, path.join(inside, 'data', 'outside-folder'));

    const checked = await cli('stack', inside, '--check', '--json');
    assert.equal(checked.err, '');
    assert.ok(!checked.out.includes(secretHash), 'the hash of an outside file must not be printed');
    const entries = (JSON.parse(checked.out) as CheckJson).integrity.entries;
    const statusOf = (name: string) => entries.filter((entry) => entry.name === name).map((entry) => entry.status);
    for (const name of ['absolute', 'dotdot', 'linked', 'linked-folder']) assert.deepEqual(statusOf(name), ['outside'], name);
    assert.match(entries.find((entry) => entry.name === 'linked')!.detail, /^Outside the workspace folder \(after resolving symbolic links\): .*link\.txt was not read or hashed\.$/);
    assert.equal(checked.code, 0, 'an outside row is listed, not counted as missing or modified');

    const text = await cli('stack', inside, '--check');
    assert.match(text.out, /Outside the workspace, not read: 4/);

    const out = path.join(temporaryFolder('export-outside'), 'audit');
    const exported = await cli('export', ID('linked'), inside, '--out', out, '--export-time', '2026-01-31T12:00:00Z');
    assert.equal(exported.code, 0, exported.err);
    for (const name of provenance.EXPORT_FILES) {
      assert.ok(!fs.readFileSync(path.join(out, name), 'utf8').includes(secretHash), `${name} must not record the outside file's hash`);
    }
    assert.match(fs.readFileSync(path.join(out, 'README.md'), 'utf8'), /at `data\/link\.txt`: It is outside the workspace folder \(after resolving symbolic links\), so it was not read\./);
    const lineage = JSON.parse(fs.readFileSync(path.join(out, 'openlineage.json'), 'utf8')) as unknown;
    assert.match(JSON.stringify(lineage), /"fileState":"outside"/);
  });
});

describe('a file in a hashed folder that fails to read', () => {
  // /proc/self/attr/current fails with EINVAL on kernels without an active security module; elsewhere it reads.
  const unreadable = '/proc/self/attr/current';
  const fails = (() => {
    try {
      fs.readFileSync(unreadable);
      return false;
    } catch {
      return true;
    }
  })();

  test('read error becomes row result', { skip: fails ? false : `${unreadable} is readable here` }, async () => {
    const version = { id: 'v', name: 'attrs', type: 'Dataset', label: 'v1 (#1)', contentHash: sha256('x') } as AssetVersion;
    const location = (display: string, absolutePath: string, exists: boolean): MaterializedLocation => ({
      kind: 'uri', source: 'catalog uri', display, absolutePath, remote: false, exists, isDirectory: exists,
      outsideWorkspace: false, files: [],
    });
    const report = await checkIntegrity('/proc/self', [
      { version, locations: [location('attr', '/proc/self/attr', true)], hashBasis: 'folder-sha256sum' },
      { version: { ...version, id: 'w', name: 'gone' }, locations: [location('nothing-here', '/proc/self/nothing-here', false)], hashBasis: undefined },
    ]);
    assert.deepEqual(report.entries.map((entry) => [entry.name, entry.status]), [['attrs', 'unreadable'], ['gone', 'missing']]);
    assert.match(report.entries[0].detail, /^Can't read \/proc\/self\/attr\/\w+: EINVAL: invalid argument, read\. The folder-sha256sum hash could not be checked/);
    assert.match(integrityMarkdown(report), /Unreadable: 1/);
  });
});

describe('export into a folder that already contains files', () => {
  const MODEL = '.flowyml/catalog.db:artifacts:b2366405-6ef7-4648-a541-9a9ad04ffd68';

  test('existing file rejected unless --force', async () => {
    const out = temporaryFolder('export-existing');
    fs.writeFileSync(path.join(out, 'README.md'), 'keep\n');
    const rejected = await cli('export', MODEL, SAMPLE_WORKSPACE, '--out', out);
    assert.equal(rejected.code, 1);
    assert.equal(rejected.err, `flowyml-assets: ${path.join(out, 'README.md')} already exists, and export does not replace files. Choose another --out folder, move the file away, or add --force to replace the export's files.`);
    assert.equal(fs.readFileSync(path.join(out, 'README.md'), 'utf8'), 'keep\n');
    assert.deepEqual(fs.readdirSync(out), ['README.md'], 'nothing else is written');

    const forced = await cli('export', MODEL, SAMPLE_WORKSPACE, '--out', out, '--force');
    assert.equal(forced.code, 0, forced.err);
    assert.match(fs.readFileSync(path.join(out, 'README.md'), 'utf8'), /^# /);
    assert.deepEqual(fs.readdirSync(out).sort(), ['README.md', 'manifest.sha256', 'openlineage.json', 'provenance.json']);
  });

  test('core rejects existing files', async () => {
    const out = temporaryFolder('export-core');
    const index = await loadWorkspace(SAMPLE_WORKSPACE);
    try {
      await provenance.exportProvenance(index, MODEL, out, { toolVersion: 'test', exportTime: '2026-01-31T12:00:00Z' });
      fs.writeFileSync(path.join(out, 'manifest.sha256'), 'mine\n');
      fs.rmSync(path.join(out, 'provenance.json'));
      await assert.rejects(
        provenance.exportProvenance(index, MODEL, out, { toolVersion: 'test', exportTime: '2026-01-31T12:00:00Z' }),
        (error: unknown) => error instanceof StoreError && error.code === 'exists' && error.file === path.join(out, 'openlineage.json'),
      );
      assert.equal(fs.readFileSync(path.join(out, 'manifest.sha256'), 'utf8'), 'mine\n');
      assert.equal(fs.existsSync(path.join(out, 'provenance.json')), false, 'a rejected export writes nothing');
      await provenance.exportProvenance(index, MODEL, out, { toolVersion: 'test', exportTime: '2026-01-31T12:00:00Z', overwrite: true });
      assert.match(fs.readFileSync(path.join(out, 'manifest.sha256'), 'utf8'), /^[0-9a-f]{64} {2}provenance\.json\n/);
    } finally {
      index.dispose();
    }
  });
});
