/**
 * Provenance in a real VS Code (code-server) on a temporary copy of the
 * sample workspace. From the Assets tree, Show Impact on the production
 * churn_model lists its four downstream versions in the Provenance view,
 * Export Provenance… writes the audit folder chosen in VS Code's own
 * folder dialog, and Why Do These Differ? on two selected versions lists the
 * upstream assets that differ and opens a differing pair in the compare
 * panel. The details panel's title button shows the impact of its version.
 * Needs `npm run build` first.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CodeServer } from './harness/codeServer';
import { REPO_ROOT } from './harness/tools';
import { Workbench } from './harness/workbench';
import { TempWorkspaces } from './harness/workspaces';

const SAMPLE = path.join(REPO_ROOT, 'samples/workspace');

/** The label texts of the Provenance view's rows, top to bottom; the view sits in the bottom panel. */
async function provenanceLabels(workbench: Workbench): Promise<string[]> {
  return workbench.page.locator('.part.panel .monaco-list-row .monaco-icon-label .label-name').allInnerTexts();
}

/** The description texts of the Provenance view's rows ('' for none). */
async function provenanceDescriptions(workbench: Workbench): Promise<string[]> {
  return workbench.page.locator('.part.panel .monaco-list-row').evaluateAll((rows) => rows.map((row) => row.querySelector('.label-description')?.textContent ?? ''));
}

/** Waits for the Provenance view row whose label is exactly `label`. */
async function provenanceRow(workbench: Workbench, label: string) {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const name = workbench.page.locator('.label-name', { hasText: new RegExp(`^${escaped}$`) });
  const row = workbench.page.locator('.part.panel .monaco-list-row').filter({ has: name }).first();
  await row.waitFor();

  return row;
}

/** Waits until the extension host has written a file; the manifest is written last. */
async function waitForFile(file: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!fs.existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`${file} was not written within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('provenance in VS Code', { timeout: 240_000 }, () => {
  let server: CodeServer;
  const workspaces = new TempWorkspaces();

  before(async () => {
    server = await CodeServer.start();
  });

  after(async () => {
    await server?.stop();
    workspaces.removeAll();
  });

  it('show impact and export from the tree', async () => {
    const folder = workspaces.copy(SAMPLE, 'provenance');
    const target = workspaces.create('audit-target');
    const workbench = await Workbench.launch(server);
    try {
      await workbench.open({ folder, extensionDevelopmentPath: REPO_ROOT });
      await workbench.showContainer('FlowyML');
      await (await workbench.waitForTreeItem('Assets', 'Model')).click();
      await (await workbench.waitForTreeItem('Assets', 'churn_model')).click();
      const version = await workbench.waitForTreeItem('Assets', 'v2.0.0 (#2)');
      const menu = await workbench.contextMenu(version);
      assert.ok(menu.includes('Show Impact'), menu.join(', '));
      assert.ok(menu.includes('Export Provenance…'), menu.join(', '));

      await workbench.clickMenuItem('Show Impact');
      await provenanceRow(workbench, 'Impact of churn_model v2.0.0 (#2): 4 downstream versions');
      assert.deepEqual(await provenanceLabels(workbench), [
        'Impact of churn_model v2.0.0 (#2): 4 downstream versions',
        'Distance 1 · Metrics', 'churn_eval',
        'Distance 1 · Report', 'churn_model_card',
        'Distance 1 · Other: LogisticRegression', 'model/sklearn',
        'Distance 1 · Other: ndarray', 'model/coef',
      ]);
      // churn_model v2.0.0 was built from churn_features #4 while #6 is the latest, so everything below it is stale.
      const descriptions = await provenanceDescriptions(workbench);
      assert.deepEqual(descriptions.slice(1, 5), ['1', 'v2.0.0 (#2) · stale', '1', 'v2.0.0 (#2) · stale']);
      await workbench.screenshot('provenance-impact');

      await workbench.contextMenu(await workbench.waitForTreeItem('Assets', 'v2.0.0 (#2)'));
      await workbench.clickMenuItem('Export Provenance…');
      await workbench.chooseFolder(target, 'Export Here');
      const exported = path.join(target, 'provenance-churn_model-v2.0.0');
      await waitForFile(path.join(exported, 'manifest.sha256'));
      await workbench.screenshot('provenance-export');

      assert.deepEqual(fs.readdirSync(exported).sort(), ['README.md', 'manifest.sha256', 'openlineage.json', 'provenance.json']);
      const readme = fs.readFileSync(path.join(exported, 'README.md'), 'utf8');
      assert.match(readme, /^# Provenance of Model churn_model v2\.0\.0 \(#2\)\n/);
      assert.match(readme, /\| Exported by \| flowyml-assets 0\.1\.0 \|/);
      assert.match(readme, /- Generation 3: \[Dataset customers_raw v1\.0\.0 \(#1\)\]\(#v1\)/);
      for (const line of fs.readFileSync(path.join(exported, 'manifest.sha256'), 'utf8').trimEnd().split('\n')) {
        const [hex, name] = [line.slice(0, 64), line.slice(66)];
        assert.equal(crypto.createHash('sha256').update(fs.readFileSync(path.join(exported, name))).digest('hex'), hex, name);
      }

      // A second export into the same folder asks before it replaces a file: Cancel keeps the user's edit, Replace writes.
      fs.writeFileSync(path.join(exported, 'README.md'), 'notes of the user\n');
      const dialog = workbench.page.locator('.monaco-dialog-box');
      for (const choice of ['Cancel', 'Replace']) {
        await workbench.contextMenu(await workbench.waitForTreeItem('Assets', 'v2.0.0 (#2)'));
        await workbench.clickMenuItem('Export Provenance…');
        await workbench.chooseFolder(target, 'Export Here');
        await dialog.getByText('provenance.json already exists. Replace the provenance export files in that folder?').waitFor();
        if (choice === 'Cancel') await workbench.screenshot('provenance-export-replace');
        await dialog.getByRole('button', { name: choice }).click();
        await dialog.waitFor({ state: 'detached' });
        if (choice === 'Cancel') assert.equal(fs.readFileSync(path.join(exported, 'README.md'), 'utf8'), 'notes of the user\n');
      }
      await waitForFile(path.join(exported, 'README.md'));
      for (let attempt = 0; attempt < 50 && fs.readFileSync(path.join(exported, 'README.md'), 'utf8').startsWith('notes'); attempt++) {
        await workbench.page.waitForTimeout(200);
      }
      assert.match(fs.readFileSync(path.join(exported, 'README.md'), 'utf8'), /^# Provenance of Model churn_model v2\.0\.0 \(#2\)\n/);

      // The lineage panel draws stale versions with the `stale` class: the focus is stale, and so is its
      // upstream customers_clean v1.0.0, while the newest load of churn_features (#6) is not in this graph.
      await workbench.contextMenu(await workbench.waitForTreeItem('Assets', 'v2.0.0 (#2)'));
      await workbench.clickMenuItem('Show Lineage');
      const panel = workbench.webview();
      await panel.locator('g.node.focus').waitFor();
      assert.match(await panel.locator('g.node.focus').getAttribute('class') ?? '', /\bstale\b/);
      assert.deepEqual(await panel.locator('g.node.type-Dataset.stale text.name').allTextContents(), ['customers_clean']);
      await workbench.screenshot('provenance-lineage-stale');

      // Stale only: churn_threshold_model has no outdated ancestor, so it leaves the Assets view.
      await workbench.treeRows('Assets').filter({ hasText: 'churn_threshold_model' }).first().waitFor();
      await workbench.page.locator('.part.sidebar').getByRole('button', { name: 'Show Only Stale Versions (Toggle)' }).click();
      await workbench.treeRows('Assets').filter({ hasText: 'churn_threshold_model' }).first().waitFor({ state: 'detached' });
      await workbench.waitForTreeItem('Assets', 'churn_model');
      await workbench.screenshot('provenance-stale-only');
    } catch (error) {
      await workbench.screenshot('provenance-failure');
      throw server.withLogs(error);
    } finally {
      await workbench.close();
    }
  });

  it('why two model versions differ', async () => {
    const folder = workspaces.copy(SAMPLE, 'why');
    const workbench = await Workbench.launch(server);
    try {
      await workbench.open({ folder, extensionDevelopmentPath: REPO_ROOT });
      await workbench.showContainer('FlowyML');
      await (await workbench.waitForTreeItem('Assets', 'Model')).click();
      await (await workbench.waitForTreeItem('Assets', 'churn_model')).click();
      const newer = await workbench.waitForTreeItem('Assets', 'v2.0.0 (#2)');
      const older = await workbench.waitForTreeItem('Assets', 'v1.0.0 (#1)');
      await newer.click();
      await older.click({ modifiers: ['Control'] });
      await workbench.page.locator('.pane .monaco-list-row.selected').nth(1).waitFor();
      await workbench.contextMenu(older);
      await workbench.clickMenuItem('Why Do These Differ?');

      const title = 'Why churn_model v1.0.0 (#1) and churn_model v2.0.0 (#2) differ: 7 upstream assets';
      await provenanceRow(workbench, title);
      const labels = await provenanceLabels(workbench);
      assert.deepEqual(labels.slice(0, 3), [title, 'churn_features', 'churn_model_v1.0.0_epoch1']);
      assert.ok(labels.includes('parameter C'), labels.join(', '));
      const descriptions = await provenanceDescriptions(workbench);
      assert.equal(descriptions[1], 'FeatureSet · A #3 ↔ B #4');
      assert.equal(descriptions[labels.indexOf('parameter C')], 'A 0.05 ↔ B 1');
      await workbench.screenshot('provenance-why');

      await (await provenanceRow(workbench, 'churn_features')).click();
      const panel = workbench.webview();
      await panel.locator('h1.title').waitFor();
      assert.equal(await panel.locator('h1.title').textContent(), 'FeatureSet churn_features: #3 → #4');

      // The details panel's title button shows the impact of the version it shows.
      await (await workbench.waitForTreeItem('Assets', 'v1.0.0 (#1)')).click();
      await workbench.page.locator('.part.editor .tab.active', { hasText: 'churn_model v1.0.0 (#1)' }).waitFor();
      await workbench.page.locator('.part.editor').getByRole('button', { name: 'Show Impact of This Version', exact: true }).click();
      await provenanceRow(workbench, 'Impact of churn_model v1.0.0 (#1): 4 downstream versions');
    } catch (error) {
      await workbench.screenshot('provenance-why-failure');
      throw server.withLogs(error);
    } finally {
      await workbench.close();
    }
  });
});
