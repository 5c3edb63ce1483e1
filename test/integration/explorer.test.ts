/**
 * The Assets view in a real VS Code (code-server) with the extension loaded
 * from this folder in development mode. Needs `npm run build` first.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CodeServer } from './harness/codeServer';
import { REPO_ROOT } from './harness/tools';
import { Workbench } from './harness/workbench';
import { findFixture, TempWorkspaces } from './harness/workspaces';

const BASIC_FIXTURE = 'flowyml-1.7-basic';
const REPORT_FIXTURE = 'flowyml-1.7-featureset-report';
const SAMPLE = path.join(REPO_ROOT, 'media/sample-workspace');

describe('Assets view in VS Code', { timeout: 300_000 }, () => {
  let server: CodeServer;
  const workspaces = new TempWorkspaces();

  before(async () => {
    server = await CodeServer.start();
  });

  after(async () => {
    await server?.stop();
    workspaces.removeAll();
  });

  it('multi-root workspace shows both folders', async () => {
    const first = workspaces.copy(findFixture(BASIC_FIXTURE) ?? SAMPLE, 'first');
    const second = workspaces.copy(findFixture(REPORT_FIXTURE) ?? SAMPLE, 'second');
    const workspaceFile = workspaces.multiRoot('two-stores', [first, second]);
    const workbench = await Workbench.launch(server);
    try {
      await workbench.open({ workspaceFile, extensionDevelopmentPath: REPO_ROOT });
      await workbench.showContainer('FlowyML');
      await workbench.waitForTreeItem('Assets', 'second');

      const labels = await workbench.treeLabels('Assets');
      assert.equal(labels[0], 'first');
      assert.ok(labels.includes('second'), labels.join(', '));
      assert.ok(labels.includes('Dataset'), labels.join(', '));
      await workbench.screenshot('explorer-multi-root');
    } catch (error) {
      await workbench.screenshot('explorer-multi-root-failure');
      throw server.withLogs(error);
    } finally {
      await workbench.close();
    }
  });

  it('shows the type nodes of a store', async () => {
    const source = findFixture(BASIC_FIXTURE) ?? SAMPLE;
    const folder = workspaces.copy(source, 'basic');
    const workbench = await Workbench.launch(server);
    try {
      await workbench.open({ folder, extensionDevelopmentPath: REPO_ROOT });
      await workbench.showContainer('FlowyML');
      await workbench.waitForTreeRow('Assets', 'Dataset');

      assert.deepEqual(await workbench.treeLabels('Assets'), ['Dataset', 'Model', 'Metrics']);
      assert.deepEqual(await workbench.treeDescriptions('Assets'), ['3', '1', '1']);

      await (await workbench.waitForTreeItem('Assets', 'Dataset')).click();
      await (await workbench.waitForTreeItem('Assets', 'iris_raw')).click();
      await workbench.waitForTreeItem('Assets', '#1 (derived)');

      assert.deepEqual(await workbench.treeLabels('Assets'), [
        'Dataset', 'iris_raw', '#3 (derived)', '#2 (derived)', '#1 (derived)', 'iris_test', 'iris_train', 'Model', 'Metrics',
      ]);
      const descriptions = await workbench.treeDescriptions('Assets');
      assert.equal(descriptions[1], '#3');
      for (const [position, run] of [[2, '894d7adb'], [3, '0f5d4615'], [4, 'e1748314']] as const) {
        assert.match(descriptions[position], new RegExp(`^run ${run} · .+ ago$`));
      }
      await workbench.screenshot('explorer-store');
    } catch (error) {
      await workbench.screenshot('explorer-store-failure');
      throw server.withLogs(error);
    } finally {
      await workbench.close();
    }
  });

  it('groupBy run lists runs newest first', async () => {
    const folder = workspaces.copy(findFixture(BASIC_FIXTURE) ?? SAMPLE, 'by-run');
    fs.mkdirSync(path.join(folder, '.vscode'), { recursive: true });
    fs.writeFileSync(path.join(folder, '.vscode/settings.json'), JSON.stringify({ 'flowyml.explorer.groupBy': 'run' }));
    const workbench = await Workbench.launch(server);
    try {
      await workbench.open({ folder, extensionDevelopmentPath: REPO_ROOT });
      await workbench.showContainer('FlowyML');
      await (await workbench.waitForTreeItem('Assets', 'run 894d7adb')).click();
      await workbench.waitForTreeItem('Assets', 'iris_eval');

      assert.deepEqual(await workbench.treeLabels('Assets'), [
        'run 894d7adb', 'iris_raw', 'iris_test', 'iris_train', 'iris_logreg', 'iris_eval', 'run 0f5d4615', 'run e1748314',
      ]);
      const descriptions = await workbench.treeDescriptions('Assets');
      assert.equal(descriptions[0], 'iris_training · 5 versions');
      assert.match(descriptions[1], /^#3 · .+ ago$/);
      await workbench.screenshot('explorer-by-run');
    } catch (error) {
      await workbench.screenshot('explorer-by-run-failure');
      throw server.withLogs(error);
    } finally {
      await workbench.close();
    }
  });

  it('details panel survives a window reload', async () => {
    const folder = workspaces.copy(findFixture(BASIC_FIXTURE) ?? SAMPLE, 'reload');
    const workbench = await Workbench.launch(server);
    try {
      await workbench.open({ folder, extensionDevelopmentPath: REPO_ROOT });
      await workbench.showContainer('FlowyML');
      await (await workbench.waitForTreeItem('Assets', 'Model')).click();
      await (await workbench.waitForTreeItem('Assets', 'iris_logreg')).click();
      await (await workbench.waitForTreeItem('Assets', '#2 (derived)')).click();
      await workbench.webview().locator('h1.name', { hasText: 'iris_logreg' }).waitFor();
      await workbench.screenshot('details-model');

      // Hiding the panel behind another editor destroys its document; showing it again must redraw it.
      await workbench.runCommand('File: New Untitled Text File');
      await workbench.page.locator('.tabs-container .tab', { hasText: 'iris_logreg #2' }).click();
      await workbench.webview().locator('h1.name', { hasText: 'iris_logreg' }).waitFor();
      const untitledTab = workbench.page.locator('.tabs-container .tab', { hasText: 'Untitled-1' });
      await untitledTab.click();
      await untitledTab.locator('.tab-actions .action-label').click();
      await untitledTab.waitFor({ state: 'detached' });
      await workbench.webview().locator('h1.name', { hasText: 'iris_logreg' }).waitFor();

      await workbench.webview().locator('h1.name', { hasText: 'iris_logreg' }).waitFor({ timeout: 90_000 });

      assert.equal(await workbench.webview().locator('.version').textContent(), '#2');
      assert.deepEqual(await workbench.tabTitles(), ['iris_logreg #2']);
    } catch (error) {
      await workbench.screenshot('details-reload-failure');
      throw server.withLogs(error);
    } finally {
      await workbench.close();
    }
  });

  it('reveal file only for existing files', async () => {
    const folder = workspaces.copy(path.join(REPO_ROOT, 'samples/workspace'), 'catalog');
    const workbench = await Workbench.launch(server);
    try {
      await workbench.open({ folder, extensionDevelopmentPath: REPO_ROOT });
      await workbench.showContainer('FlowyML');
      await (await workbench.waitForTreeItem('Assets', 'Model')).click();
      await (await workbench.waitForTreeItem('Assets', 'churn_model')).click();
      const modelMenu = await workbench.contextMenu(await workbench.waitForTreeItem('Assets', 'v1.0.0 (#1)'));
      assert.ok(modelMenu.includes('Show Details'), modelMenu.join(', '));
      assert.ok(modelMenu.includes('Copy ID'), modelMenu.join(', '));
      assert.ok(!modelMenu.includes('Reveal File'), 'the model file is not in the sample');
      await workbench.page.keyboard.press('Escape');
      await (await workbench.waitForTreeItem('Assets', 'Model')).click();
      await workbench.treeRows('Assets').filter({ hasText: 'churn_model' }).first().waitFor({ state: 'detached' });

      await (await workbench.waitForTreeItem('Assets', 'Checkpoint')).click();
      await (await workbench.waitForTreeItem('Assets', 'churn_model_v1.0.0_epoch1')).click();
      const checkpointMenu = await workbench.contextMenu(await workbench.waitForTreeItem('Assets', 'v1.0.0 (#1)'));
      assert.deepEqual(checkpointMenu, [
        'Show Details', 'Reveal File', 'Show Lineage', 'Open Artifact', 'Copy ID', 'Copy Artifact URI', 'Compare With…', 'Pin as Baseline',
        'Show Impact', 'Why Do These Differ?', 'Export Provenance…',
      ]);

      await workbench.clickMenuItem('Reveal File');
      await workbench.page.locator('.explorer-folders-view .monaco-list-row.selected', { hasText: 'churn_model_v1.0.0_epoch1.ckpt' }).waitFor();
      await workbench.screenshot('reveal-file');
    } catch (error) {
      await workbench.screenshot('reveal-file-failure');
      throw server.withLogs(error);
    } finally {
      await workbench.close();
    }
  });

  it('welcome content opens the sample', async () => {
    const folder = workspaces.create('empty', { 'README.md': '# No FlowyML store here\n' });
    const workbench = await Workbench.launch(server);
    try {
      await workbench.open({ folder, extensionDevelopmentPath: REPO_ROOT });
      await workbench.showContainer('FlowyML');
      const welcome = workbench.welcome('Assets');
      await welcome.getByText('No FlowyML store was found').waitFor();

      assert.equal(await welcome.getByRole('button', { name: 'Choose Store Folder…' }).count(), 1);
      assert.equal(await welcome.getByRole('button', { name: 'Open Sample Workspace' }).count(), 1);
      await workbench.screenshot('explorer-welcome');

      const target = workspaces.create('sample-target');
      await welcome.getByRole('button', { name: 'Open Sample Workspace' }).click();
      await workbench.chooseFolder(target, 'Copy Sample Here');
      await workbench.page.waitForURL((url) => url.searchParams.get('folder') === target);
      await workbench.showContainer('FlowyML');
      await workbench.waitForTreeItem('Assets', 'Dataset');

      assert.ok(fs.existsSync(path.join(target, '.flowyml/metadata.db')));
      assert.ok(fs.existsSync(path.join(target, 'pipeline.py')));
      await workbench.screenshot('sample-opened');
    } catch (error) {
      await workbench.screenshot('explorer-welcome-failure');
      throw server.withLogs(error);
    } finally {
      await workbench.close();
    }
  });
});
