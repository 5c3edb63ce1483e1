// A workspace can ship .flowyml/catalog.db, its journal or the .flowyml
// folder itself as a symbolic link to a file elsewhere. Register wrote
// through such a link, into the file it points at. It now refuses, names
// the link, and leaves the target untouched.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { cliBundle, runCli } from '../../helpers/register-cli';
import { copySampleWorkspace, PYTHON, pythonAvailable, temporaryFolder } from '../../helpers/register-files';

function sha256(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

async function register(root: string): Promise<{ code: number | null; stderr: string }> {
  const source = path.join(temporaryFolder('symlink-source'), 'batch.csv');
  fs.writeFileSync(source, 'x,y\n1,2\n');
  return runCli(await cliBundle(), ['register', source, root, '--name', 'linked_batch', '--python', PYTHON]);
}

describe('register through symbolic links', { skip: pythonAvailable() }, () => {
  test('catalog.db link is refused', { timeout: 120_000 }, async () => {
    const root = copySampleWorkspace();
    const outside = path.join(temporaryFolder('symlink-target'), 'elsewhere.db');
    const catalog = path.join(root, '.flowyml', 'catalog.db');
    fs.renameSync(catalog, outside);
    fs.symlinkSync(outside, catalog);
    const before = sha256(outside);

    const run = await register(root);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /catalog\.db is a symbolic link to .*elsewhere\.db, and register never writes through links/);
    assert.equal(sha256(outside), before, 'the linked file is unchanged');
  });

  test('journal link is refused', { timeout: 120_000 }, async () => {
    const root = copySampleWorkspace();
    const target = path.join(temporaryFolder('symlink-journal'), 'profile');
    fs.symlinkSync(target, path.join(root, '.flowyml', 'catalog.db-journal'));

    const run = await register(root);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /catalog\.db-journal is a symbolic link/);
    assert.equal(fs.existsSync(target), false, 'nothing was created at the link target');
  });

  test('.flowyml folder link is refused', { timeout: 120_000 }, async () => {
    const root = copySampleWorkspace();
    const elsewhere = path.join(temporaryFolder('symlink-folder'), 'store');
    fs.renameSync(path.join(root, '.flowyml'), elsewhere);
    fs.symlinkSync(elsewhere, path.join(root, '.flowyml'));
    const before = sha256(path.join(elsewhere, 'catalog.db'));

    const run = await register(root);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /\.flowyml is a symbolic link/);
    assert.equal(sha256(path.join(elsewhere, 'catalog.db')), before);
  });
});
