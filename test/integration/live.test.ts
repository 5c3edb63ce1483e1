/**
 * The Assets view while stores change and fail, in a real VS Code with the
 * extension loaded from this folder. A Python sqlite3 writer adds runs in
 * FlowyML's row shapes to a temporary copy. A broken store shows an error
 * row, the filter narrows the tree, and a long level pages.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CodeServer } from './harness/codeServer';
import { REPO_ROOT } from './harness/tools';
import { Workbench } from './harness/workbench';
import { findFixture, TempWorkspaces } from './harness/workspaces';

const SAMPLE = path.join(REPO_ROOT, 'media/sample-workspace');
const ADD_RUN = path.join(__dirname, 'writers/add_flowyml_run.py');

function addRuns(folder: string, options: { count?: number; only?: string } = {}): void {
  const args = [ADD_RUN, path.join(folder, '.flowyml/metadata.db'), '--count', String(options.count ?? 1)];
  if (options.only) args.push('--only', options.only);
  const result = spawnSync('python3', args, { encoding: 'utf8' });
  assert.equal(result.status, 0, `add_flowyml_run.py failed: ${result.stderr}`);
}

describe('Assets view with changing stores', { timeout: 400_000 }, () => {
  let server: CodeServer;
  const workspaces = new TempWorkspaces();

  before(async () => {
    server = await CodeServer.start();
  });

  after(async () => {
    await server?.stop();
    workspaces.removeAll();
  });

  it('new run appears without refresh', async () => {
    const folder = workspaces.copy(findFixture('flowyml-1.7-basic') ?? SAMPLE, 'live');
    const workbench = await Workbench.launch(server);
    try {
      await workbench.open({ folder, extensionDevelopmentPath: REPO_ROOT });
      await workbench.showContainer('FlowyML');
      await (await workbench.waitForTreeItem('Assets', 'Dataset')).click();
      await (await workbench.waitForTreeItem('Assets', 'iris_raw')).click();
      await workbench.waitForTreeItem('Assets', '#3 (derived)');
      await workbench.page.locator('.statusbar-item', { hasText: 'FlowyML: 15 versions' }).waitFor();

      addRuns(folder);
      await workbench.waitForTreeItem('Assets', '#4 (derived)');

      assert.deepEqual((await workbench.treeLabels('Assets')).slice(0, 6), ['Dataset', 'iris_raw', '#4 (derived)', '#3 (derived)', '#2 (derived)', '#1 (derived)']);
      await workbench.page.locator('.statusbar-item', { hasText: 'FlowyML: 20 versions' }).waitFor();
      await workbench.screenshot('live-refresh');
    } finally {
      await workbench.close();
    }
  });

  it('broken store shows an error row', async () => {
    const folder = workspaces.create('broken', { '.flowyml/metadata.db': 'this is not an SQLite database\n'.repeat(200) });
    const workbench = await Workbench.launch(server);
    try {
      await workbench.open({ folder, extensionDevelopmentPath: REPO_ROOT });
      await workbench.showContainer('FlowyML');
      const row = await workbench.waitForTreeRow('Assets', 'Couldn\'t read .flowyml/metadata.db');

      assert.match(await row.locator('.label-description').textContent() ?? '', /metadata\.db/);
      await workbench.page.locator('.statusbar-item', { hasText: 'FlowyML: 0 versions, 1 error' }).waitFor();
      await row.click();
      await workbench.page.locator('.part.panel .monaco-editor', { hasText: 'metadata.db' }).first().waitFor();
      await workbench.screenshot('broken-store');
    } finally {
      await workbench.close();
    }
  });

  it('filter narrows the tree to matching names', async () => {
    const folder = workspaces.copy(findFixture('flowyml-1.7-basic') ?? SAMPLE, 'filter');
    const workbench = await Workbench.launch(server);
    try {
      await workbench.open({ folder, extensionDevelopmentPath: REPO_ROOT });
      await workbench.showContainer('FlowyML');
      await workbench.waitForTreeItem('Assets', 'Metrics');

      await workbench.runCommand('FlowyML: Filter Assets…', [
        { prompt: 'Show assets whose name contains', value: 'train' },
        { prompt: 'Show only these asset types', value: '' },
      ]);
      await workbench.pane('Assets').locator('.message', { hasText: 'Filtered: "train"' }).waitFor();
      await (await workbench.waitForTreeItem('Assets', 'Dataset')).click();
      await workbench.waitForTreeItem('Assets', 'iris_train');

      assert.deepEqual(await workbench.treeLabels('Assets'), ['Dataset', 'iris_train']);
      await workbench.screenshot('filter');

      await workbench.runCommand('FlowyML: Clear Asset Filter');
      await workbench.waitForTreeItem('Assets', 'Metrics');
    } finally {
      await workbench.close();
    }
  });

  it('hostile names show as cropped text', async () => {
    const folder = workspaces.copy(SAMPLE, 'hostile');
    const hostile = `<b>bold</b><img src=x onerror=alert(1)>\u0007\u202e${'n'.repeat(10_000)}`;
    const rename = spawnSync('python3', ['-c', [
      'import sqlite3, sys',
      'db = sqlite3.connect(sys.argv[1])',
      'db.execute("UPDATE artifacts SET name = ? WHERE name = \'iris_raw\'", (sys.argv[2],))',
      'db.commit()',
    ].join('\n'), path.join(folder, '.flowyml/metadata.db'), hostile], { encoding: 'utf8' });
    assert.equal(rename.status, 0, rename.stderr);
    const workbench = await Workbench.launch(server);
    try {
      await workbench.open({ folder, extensionDevelopmentPath: REPO_ROOT });
      await workbench.showContainer('FlowyML');
      await (await workbench.waitForTreeItem('Assets', 'Dataset')).click();
      const row = await workbench.waitForTreeRow('Assets', '<b>bold</b>');
      const label = await row.locator('.label-name').textContent() ?? '';

      assert.equal(label.length, 120);
      assert.ok(label.startsWith('<b>bold</b><img src=x onerror=alert(1)>\\x07\\u202ennn'), label.slice(0, 60));
      assert.ok(label.endsWith('n…'));
      assert.equal(await workbench.pane('Assets').locator('b, img').count(), 0);
      await workbench.screenshot('hostile-names');
    } finally {
      await workbench.close();
    }
  });

  it('long level pages by 500 rows', async () => {
    const folder = workspaces.copy(SAMPLE, 'paging');
    addRuns(folder, { count: 1_100, only: 'iris_raw' });
    const workbench = await Workbench.launch(server);
    try {
      await workbench.open({ folder, extensionDevelopmentPath: REPO_ROOT });
      await workbench.showContainer('FlowyML');
      await (await workbench.waitForTreeItem('Assets', 'Dataset')).click();
      await (await workbench.waitForTreeItem('Assets', 'iris_raw')).click();
      await workbench.waitForTreeItem('Assets', '#1103 (derived)');

      await workbench.scrollTreeToEnd('Assets');
      const more = await workbench.waitForTreeItem('Assets', 'Show 500 more');
      assert.equal(await more.locator('.label-description').textContent(), '603 not shown');
      await workbench.screenshot('paging');

      await more.click();
      await workbench.waitForTreeItem('Assets', '#603 (derived)');
      await workbench.scrollTreeToEnd('Assets');
      const rest = await workbench.waitForTreeItem('Assets', 'Show 103 more');
      assert.equal(await rest.locator('.label-description').textContent(), '103 not shown');
    } catch (error) {
      await workbench.screenshot('paging-failure');
      throw error;
    } finally {
      await workbench.close();
    }
  });
});
