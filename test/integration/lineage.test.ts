/**
 * The lineage panel in a real VS Code (code-server) on a temporary copy of
 * the sample workspace. The tree's Show Lineage menu item opens the graph of
 * a Model version, and its upstream Dataset and FeatureSet nodes must be
 * drawn inside the webview. The details panel's title button shows it again
 * after it was hidden, it survives a window reload, and the palette command
 * refocuses it through a quick pick.
 * Needs `npm run build` first.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CodeServer } from './harness/codeServer';
import { REPO_ROOT } from './harness/tools';
import { Workbench } from './harness/workbench';
import { TempWorkspaces } from './harness/workspaces';

const SAMPLE = path.join(REPO_ROOT, 'samples/workspace');

describe('lineage panel in VS Code', { timeout: 180_000 }, () => {
  let server: CodeServer;
  const workspaces = new TempWorkspaces();

  before(async () => {
    server = await CodeServer.start();
  });

  after(async () => {
    await server?.stop();
    workspaces.removeAll();
  });

  it('tree menu opens a Model lineage', async () => {
    const folder = workspaces.copy(SAMPLE, 'lineage');
    const workbench = await Workbench.launch(server);
    try {
      await workbench.open({ folder, extensionDevelopmentPath: REPO_ROOT });
      await workbench.showContainer('FlowyML');
      await (await workbench.waitForTreeItem('Assets', 'Model')).click();
      await (await workbench.waitForTreeItem('Assets', 'churn_model')).click();
      const menu = await workbench.contextMenu(await workbench.waitForTreeItem('Assets', 'v2.0.0 (#2)'));
      assert.ok(menu.includes('Show Lineage'), menu.join(', '));

      await workbench.clickMenuItem('Show Lineage');
      const panel = workbench.webview();
      await panel.locator('g.node.focus').waitFor();

      assert.equal(await panel.locator('g.node.focus text.name').textContent(), 'churn_model');
      assert.deepEqual(await panel.locator('g.node.type-Dataset text.name').allTextContents(), ['customers_clean']);
      assert.ok((await panel.locator('g.node.type-FeatureSet text.name').allTextContents()).includes('churn_features'));
      assert.ok(await panel.locator('path.edge.derived').count() > 0, 'derived edges are drawn');
      assert.deepEqual(await workbench.tabTitles(), ['Lineage: churn_model v2.0.0 (#2)']);

      await panel.locator('g.node.focus').click();
      await panel.locator('g.node.upstream').first().waitFor();
      // Park the pointer on the side list, away from the tree's tooltips and the graph's hover highlight.
      await panel.locator('.path-panel h2').hover();
      await workbench.page.keyboard.press('Escape');
      await workbench.page.locator('.workbench-hover-container').waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
      await workbench.screenshot('lineage-vscode');

      // Double-clicking the producing step opens the function that defines it, through the language server.
      await panel.locator('g.node.kind-step').filter({ has: panel.locator('text.name', { hasText: /^train_model$/ }) }).first().dblclick();
      const selection = workbench.page.locator('.statusbar-item[id="status.editor.selection"]');
      await selection.filter({ hasText: /Ln 232, Col 16 \(11 selected\)/ }).waitFor({ timeout: 30_000 });
      // The tab label's innerText drops the extension of a preview tab's file name.
      const titles = await workbench.tabTitles();
      assert.equal(titles.length, 2, titles.join(', '));
      assert.match(titles[1], /^pipeline(\.py)?$/);
      // A middle click closes the code's tab, as in the desktop editor.
      await workbench.page.locator('.part.editor .tabs-container .tab', { hasText: 'pipeline' }).click({ button: 'middle' });
      await panel.locator('g.node.focus').waitFor();

      await panel.locator('g.node.focus').dblclick();
      await workbench.page.locator('.part.editor .tabs-container .tab .label-name', { hasText: /^churn_model v2\.0\.0 \(#2\)$/ }).waitFor();
      assert.deepEqual(await workbench.tabTitles(), ['Lineage: churn_model v2.0.0 (#2)', 'churn_model v2.0.0 (#2)']);

      // The details panel's title button shows the hidden lineage panel again, with its selection.
      await workbench.page.locator('.part.editor').getByRole('button', { name: /Show Lineage of This Version/ }).click();
      await workbench.webview().locator('g.node.selected.focus').waitFor();

      await workbench.runCommand('Developer: Reload Window');
      await workbench.webview().locator('g.node.selected.focus').waitFor({ timeout: 90_000 });
      assert.equal(await workbench.webview().locator('g.node.type-Dataset text.name').textContent(), 'customers_clean');

      // From the palette, a quick pick of versions refocuses the same panel.
      await workbench.runCommand('FlowyML: Show Lineage', [{ prompt: 'Choose an asset version', value: 'customers_clean' }]);
      await workbench.webview().locator('g.node.focus.type-Dataset').waitFor();
      assert.equal(await workbench.webview().locator('g.node.focus text.name').textContent(), 'customers_clean');
      assert.ok((await workbench.tabTitles()).includes('Lineage: customers_clean v1.0.0 (#1)'));

      assert.ok(!server.extensionHostLog().includes('Ignored an invalid message from the lineage webview'));
    } catch (error) {
      await workbench.screenshot('lineage-failure');
      throw server.withLogs(error);
    } finally {
      await workbench.close();
    }
  });
});
