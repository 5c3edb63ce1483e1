// Store paths that exist but are not database files: a FIFO, a folder, a link
// that leads nowhere, a device. Opening a FIFO for reading blocks until a
// writer comes, and a device never ends, so these are named and never opened,
// and the other stores still load.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadWorkspace } from '../../../src/core/index';
import { STORE, makeWorkspace, type HostileWorkspace } from '../../helpers/hostile-stores';

describe('store paths that are not files', () => {
  let workspace: HostileWorkspace;

  before(() => {
    workspace = makeWorkspace('not-a-file');
    fs.rmSync(workspace.file(STORE.metadata));
    execFileSync('mkfifo', [workspace.file(STORE.metadata)]);
    fs.rmSync(workspace.file(STORE.catalog));
    fs.mkdirSync(workspace.file(STORE.catalog));
    fs.rmSync(workspace.file(STORE.fraud));
    fs.symlinkSync(path.join(workspace.root, 'missing.db'), workspace.file(STORE.fraud));
  });

  after(() => workspace?.remove());

  test('each is named, the rest loads', async () => {
    const index = await loadWorkspace(workspace.root);
    try {
      const messages = index.problems.map((problem) => `${problem.severity} ${problem.code} ${problem.message}`);
      assert.deepEqual(messages, [
        `error not-a-file ${STORE.metadata} is a FIFO, not a database file, so it was not read.`,
        `error not-a-file ${STORE.fraud} is a link that leads nowhere, not a database file, so it was not read.`,
        `error not-a-file ${STORE.catalog} is a folder, not a database file, so it was not read.`,
      ]);
      assert.deepEqual(index.stores.map((store) => store.path), [STORE.recsys]);
      assert.equal(index.versions.length, 6);
    } finally {
      index.dispose();
    }
  });

  test('explicit device path is not opened', async () => {
    const index = await loadWorkspace(workspace.root, { storePaths: ['/dev/zero', STORE.recsys] });
    try {
      assert.deepEqual(index.problems.map((problem) => problem.message), ['/dev/zero is a device, not a database file, so it was not read.']);
      assert.equal(index.versions.length, 6);
    } finally {
      index.dispose();
    }
  });
});
