/**
 * The details cap in a real VS Code (code-server): a Model row whose
 * metadata carries 4.5 MB of embedded data, written with Python's sqlite3
 * into a copy of the basic fixture. The panel shows a preview without the
 * embedded data and a notice of the cap; "Load anyway" reloads the row in full and the
 * embedded data appears. Needs `npm run build` first.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CodeServer } from './harness/codeServer';
import { REPO_ROOT } from './harness/tools';
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

describe('details cap in VS Code', { timeout: 300_000 }, () => {
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
});
