/**
 * The packaged extension: `vsce package` builds a VSIX, code-server installs
 * it offline into an empty extensions folder, and the installed copy (not
 * this folder) activates, loads a store and opens the details panel.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CodeServer, installVsix } from './harness/codeServer';
import { REPO_ROOT } from './harness/tools';
import { packageVsix } from './harness/vsix';
import { Workbench } from './harness/workbench';
import { findFixture, TempWorkspaces } from './harness/workspaces';

/**
 * The VSIX contains only bundles and media: about 2.7 MB, most of it the offline tokenizer tables in the
 * prompt panel's bundle. A size near this cap means node_modules or sources got in.
 */
const MAX_VSIX_BYTES = 4 * 1024 * 1024;

describe('packaged VSIX in VS Code', { timeout: 400_000 }, () => {
  const workspaces = new TempWorkspaces();
  let extensionsDir: string;
  let vsixFile: string;
  let server: CodeServer | undefined;

  before(() => {
    const work = workspaces.create('vsix');
    vsixFile = path.join(work, 'flowyml-assets.vsix');
    extensionsDir = path.join(work, 'extensions');
    packageVsix(vsixFile);
  });

  after(async () => {
    await server?.stop();
    workspaces.removeAll();
  });

  it('vsix is small and bundled', () => {
    const size = fs.statSync(vsixFile).size;

    assert.ok(size < MAX_VSIX_BYTES, `VSIX is ${size} bytes`);
  });

  it('code-server installs the vsix offline', () => {
    const output = installVsix(vsixFile, extensionsDir);
    const installed = fs.readdirSync(extensionsDir).filter((name) => name.startsWith('flowyml-assets.flowyml-assets-'));

    assert.match(output, /successfully installed/i);
    assert.equal(installed.length, 1, `extensions folder: ${fs.readdirSync(extensionsDir).join(', ')}`);
    const folder = path.join(extensionsDir, installed[0]);
    assert.ok(fs.existsSync(path.join(folder, 'dist/extension.js')));
    assert.ok(fs.existsSync(path.join(folder, 'dist/sql-wasm.wasm')));
    assert.ok(fs.existsSync(path.join(folder, 'media/sample-workspace/.flowyml/metadata.db')));
    assert.ok(!fs.existsSync(path.join(folder, 'node_modules')));
    assert.ok(!fs.existsSync(path.join(folder, 'src')));
  });

  it('installed extension shows a store and its details', async () => {
    server = await CodeServer.start({ extensionsDir });
    const folder = workspaces.copy(findFixture('flowyml-1.7-basic') ?? path.join(REPO_ROOT, 'media/sample-workspace'), 'basic');
    const workbench = await Workbench.launch(server);
    try {
      await workbench.open({ folder });
      await workbench.showContainer('FlowyML');
      await (await workbench.waitForTreeItem('Assets', 'Dataset')).click();
      await (await workbench.waitForTreeItem('Assets', 'iris_raw')).click();
      await (await workbench.waitForTreeItem('Assets', '#3 (derived)')).click();
      const webview = workbench.webview();
      await webview.locator('h1.name').waitFor();

      assert.equal(await webview.locator('h1.name').textContent(), 'iris_raw');
      assert.equal(await webview.locator('vscode-badge.type').textContent(), 'Dataset');
      await workbench.screenshot('vsix-details');
    } catch (error) {
      await workbench.screenshot('vsix-failure');
      throw error;
    } finally {
      await workbench.close();
    }
  });
});
