// Store paths that point outside the workspace: absolute paths, `..` and
// symbolic links inside the workspace that lead out. Reveal File opened any
// such file without asking; it now asks first (src/extension/safety), and
// this decides when to ask.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { isInsideFolders } from '../../../src/extension/safety/paths';

test('outside paths are detected', () => {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'flowyml-outside-'));
  try {
    const workspace = path.join(base, 'workspace');
    const elsewhere = path.join(base, 'elsewhere');
    fs.mkdirSync(path.join(workspace, 'data'), { recursive: true });
    fs.mkdirSync(elsewhere);
    fs.writeFileSync(path.join(workspace, 'data', 'train.csv'), 'x\n');
    fs.writeFileSync(path.join(elsewhere, 'secret.txt'), 'x\n');
    fs.symlinkSync(path.join(elsewhere, 'secret.txt'), path.join(workspace, 'data', 'link.csv'));
    fs.symlinkSync(elsewhere, path.join(workspace, 'linked-folder'));

    assert.equal(isInsideFolders(path.join(workspace, 'data', 'train.csv'), [workspace]), true);
    assert.equal(isInsideFolders(path.join(workspace, 'data', 'missing.csv'), [workspace]), true);
    assert.equal(isInsideFolders(path.join(workspace, 'data', '..', '..', 'elsewhere', 'secret.txt'), [workspace]), false);
    assert.equal(isInsideFolders(path.join(elsewhere, 'secret.txt'), [workspace]), false);
    assert.equal(isInsideFolders(path.join(workspace, 'data', 'link.csv'), [workspace]), false, 'a link that leads out');
    assert.equal(isInsideFolders(path.join(workspace, 'linked-folder', 'secret.txt'), [workspace]), false, 'a linked folder');
    assert.equal(isInsideFolders('/etc/passwd', [workspace]), false);
    assert.equal(isInsideFolders(path.join(elsewhere, 'secret.txt'), [workspace, elsewhere]), true, 'a second workspace folder');
    assert.equal(isInsideFolders(`${workspace}-sibling/file`, [workspace]), false, 'a sibling folder with the same prefix');
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
});
