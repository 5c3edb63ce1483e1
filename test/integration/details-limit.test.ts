/**
 * The store limits in a real VS Code (code-server).
 * - Details cap: a Model row whose metadata carries 4.5 MB of embedded data,
 *   written with Python's sqlite3 into a copy of the basic fixture. The panel
 *   shows a preview without the embedded data and a notice of the cap; "Load
 *   anyway" reloads the row in full and the embedded data appears.
 * - Memory guard: with `flowyml.maxStoreVersions` below the catalog's count,
 *   the catalog is not loaded, by the views nor by the language server, until
 *   "Load anyway" is chosen.
 * Needs `npm run build` first.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CodeServer } from './harness/codeServer';
import { REPO_ROOT } from './harness/tools';
import { positionOf } from './harness/positions';
import { Workbench } from './harness/workbench';
import { findFixture, TempWorkspaces } from './harness/workspaces';

const PYTHON = process.env.FLOWYML_PYTHON ?? 'python3';
const MARKER = 'EMBEDDED-ROWS-MARKER';

/** Puts 4.5 MB of embedded data first in the metadata of iris_logreg #2 (rowid 9), and returns the row's size in bytes. */
function enlargeRow(store: string): number {
  const script = String.raw`
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
(text,) = db.execute("SELECT metadata FROM artifacts WHERE rowid = 9").fetchone()
stored = json.loads(text)
assert stored["name"] == "iris_logreg", stored["name"]
enlarged = {"data": {"marker": sys.argv[2], "rows": "x" * (4500 * 1024)}, **stored}
with db:
    db.execute("UPDATE artifacts SET metadata = ? WHERE rowid = 9", (json.dumps(enlarged),))
print(db.execute("SELECT length(CAST(metadata AS BLOB)) FROM artifacts WHERE rowid = 9").fetchone()[0])
`;
  const run = spawnSync(PYTHON, ['-c', script, store, MARKER], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return Number(run.stdout.trim());
}

describe('store limits in VS Code', { timeout: 300_000 }, () => {
  let server: CodeServer;
  const workspaces = new TempWorkspaces();

  before(async () => {
    server = await CodeServer.start();
  });

  after(async () => {
    await server?.stop();
    workspaces.removeAll();
  });

  it('shows a preview above the cap, and "Load anyway" loads the row in full', async () => {
    const fixture = findFixture('flowyml-1.7-basic') ?? path.join(REPO_ROOT, 'test/fixtures/flowyml-1.7-basic');
    const folder = workspaces.copy(fixture, 'details-limit');
    const bytes = enlargeRow(path.join(folder, '.flowyml', 'metadata.db'));
    const megabytes = (bytes / (1024 * 1024)).toFixed(1);
    const workbench = await Workbench.launch(server);
    try {
      await workbench.open({ folder, extensionDevelopmentPath: REPO_ROOT });
      await workbench.showContainer('FlowyML');
      await (await workbench.waitForTreeItem('Assets', 'Model')).click();
      await (await workbench.waitForTreeItem('Assets', 'iris_logreg')).click();
      await (await workbench.waitForTreeItem('Assets', '#2 (derived)')).click();
      const view = workbench.webview();
      await view.locator('h1.name', { hasText: 'iris_logreg' }).waitFor();

      const notice = view.locator('.limit-notice');
      await notice.waitFor();
      assert.equal(
        await notice.locator('.limit-message').textContent(),
        `Showing a preview: ${megabytes} MB of metadata, limit 256 KB. The copies of the data embedded in the row are left out.`,
      );
      const rawBefore = await view.locator('pre.raw').textContent();
      assert.ok(rawBefore?.includes('"iris_logreg"'), 'the preview shows the stored metadata');
      assert.ok(!rawBefore?.includes(MARKER), 'the preview leaves the embedded data out');
      await workbench.screenshot('details-limit-preview');

      await notice.locator('vscode-button.load-full', { hasText: 'Load anyway' }).click();
      // The raw JSON section stays collapsed, so its text is attached but hidden.
      await view.locator('pre.raw', { hasText: MARKER }).waitFor({ state: 'attached', timeout: 60_000 });
      assert.equal(await view.locator('.limit-notice').count(), 0, 'the notice goes once the row is loaded in full');
      assert.equal(await view.locator('h1.name').textContent(), 'iris_logreg');
      await workbench.screenshot('details-limit-full');
    } catch (error) {
      await workbench.screenshot('details-limit-failure');
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(`${message}\n--- extension host log ---\n${server.extensionHostLog().slice(-4000)}`, { cause: error });
    } finally {
      await workbench.close();
    }
  });

  it('memory guard: the catalog waits for "Load anyway"', async () => {
    const folder = workspaces.copy(path.join(REPO_ROOT, 'samples/workspace'), 'memory-guard');
    // catalog.db has 74 versions, metadata.db 47 and the project store fewer, so only the catalog is over the cap.
    fs.mkdirSync(path.join(folder, '.vscode'));
    fs.writeFileSync(path.join(folder, '.vscode/settings.json'), JSON.stringify({ 'flowyml.maxStoreVersions': 60 }));
    const pipeline = path.join(folder, 'pipeline.py');
    const workbench = await Workbench.launch(server);
    try {
      await workbench.open({ folder, extensionDevelopmentPath: REPO_ROOT });
      await workbench.showContainer('FlowyML');
      await workbench.waitForTreeItem('Assets', '.flowyml/metadata.db');
      await workbench.waitForTreeRow('Assets', "Couldn't read .flowyml/catalog.db");
      // metadata.db has 47 versions and the project store 11. The catalog's rows label those, so its count adds none.
      const status = workbench.page.locator('.statusbar-item', { hasText: /FlowyML: \d+ versions/ }).first();
      assert.equal((await status.innerText()).trim(), 'FlowyML: 58 versions, 1 error');

      // The headless window shows no toasts, so the warning is read in the notification center.
      await workbench.runCommand('Notifications: Show Notifications');
      const warning = workbench.page.locator('.notifications-center .monaco-list-row', { hasText: 'above the limit of 60 versions' }).first();
      await warning.waitFor();
      const warningText = await warning.innerText();
      assert.ok(warningText.includes('.flowyml/catalog.db contains 74 versions, above the limit of 60 versions per store'), warningText);
      assert.ok(warningText.includes('Load anyway'), warningText);
      await workbench.screenshot('memory-guard-warning');

      // The language server applies the same cap: without the catalog's labels the versions are numbered only.
      await workbench.goTo('pipeline.py', positionOf(pipeline, 'name="churn_model"', 8));
      const hover = workbench.page.locator('.monaco-hover:not(.hidden) .monaco-hover-content', { hasText: 'churn_model' });
      await workbench.runCommand('Show or Focus Hover');
      await hover.waitFor({ timeout: 90_000 });
      assert.ok((await hover.innerText()).includes('Latest version: #4 (derived: no stored version) of 4'), await hover.innerText());
      await workbench.page.keyboard.press('Escape');

      await workbench.runCommand('Notifications: Show Notifications');
      await warning.locator('.monaco-button', { hasText: 'Load anyway' }).click();
      await workbench.showContainer('FlowyML');
      await workbench.treeRows('Assets').filter({ hasText: "Couldn't read .flowyml/catalog.db" }).first().waitFor({ state: 'detached' });
      await workbench.page.locator('.statusbar-item', { hasText: /FlowyML: 58 versions$/ }).waitFor();
      await workbench.screenshot('memory-guard-loaded');

      // The language server restarts with the catalog allowed, and the hover shows its labels.
      await workbench.goTo('pipeline.py', positionOf(pipeline, 'name="churn_model"', 8));
      const labelled = workbench.page.locator('.monaco-hover:not(.hidden) .monaco-hover-content', { hasText: 'Latest version: v4.0.0 (#4) of 4' });
      for (let attempt = 0; attempt < 30 && await labelled.count() === 0; attempt++) {
        await workbench.runCommand('Show or Focus Hover');
        await workbench.page.waitForTimeout(1000);
      }
      await labelled.waitFor();
      assert.ok(server.allLogs().includes('Restarting the FlowyML language server: load .flowyml/catalog.db anyway'), 'the server restarts for the choice');
      await workbench.screenshot('memory-guard-hover');
    } catch (error) {
      await workbench.screenshot('memory-guard-failure');
      throw server.withLogs(error);
    } finally {
      await workbench.close();
    }
  });
});
