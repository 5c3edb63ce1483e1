/**
 * The Assets view in a real VS Code (code-server) with the extension loaded
 * from this folder in development mode. Needs `npm run build` first.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CodeServer } from './harness/codeServer';
import { REPO_ROOT } from './harness/tools';
import { Workbench } from './harness/workbench';
import { findFixture, TempWorkspaces } from './harness/workspaces';

const BASIC_FIXTURE = 'flowyml-1.7-basic';
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

  it('shows the type nodes of a store', async () => {
    const source = findFixture(BASIC_FIXTURE) ?? SAMPLE;
    const folder = workspaces.copy(source, 'basic');
    const workbench = await Workbench.launch(server);
    try {
      await workbench.open({ folder, extensionDevelopmentPath: REPO_ROOT });
      await workbench.showContainer('FlowyML');
      await workbench.waitForTreeRow('Assets', 'Dataset');

      assert.deepEqual(await workbench.treeLabels('Assets'), ['Dataset', 'Model', 'Metrics']);
      await workbench.screenshot('explorer-store');
    } catch (error) {
      await workbench.screenshot('explorer-store-failure');
      throw withLogs(error, server);
    } finally {
      await workbench.close();
    }
  });

  it('shows the welcome content without a store', async () => {
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
    } catch (error) {
      await workbench.screenshot('explorer-welcome-failure');
      throw withLogs(error, server);
    } finally {
      await workbench.close();
    }
  });
});

function withLogs(error: unknown, server: CodeServer): Error {
  const message = error instanceof Error ? error.message : String(error);

  return new Error(`${message}\n--- code-server log ---\n${server.logTail()}\n--- extension host log ---\n${server.extensionHostLog().slice(-4000)}`, { cause: error });
}
