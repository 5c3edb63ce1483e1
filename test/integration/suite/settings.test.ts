/**
 * Settings and store discovery inside a real extension host. The workspace
 * (a temporary copy made by host-suites.test.ts) has the basic store at its
 * root and a second copy under `extra/`, which only `flowyml.storePaths` adds.
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands, EXTENSION_ID, Settings } from '../../../src/extension/ids';
import type { FlowymlApi } from '../../../src/extension/root';

async function activeApi(): Promise<FlowymlApi> {
  const extension = vscode.extensions.getExtension<FlowymlApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed`);
  const api = await extension.activate();
  await api.whenLoaded();

  return api;
}

/** Resolves after the next reload whose version count satisfies `condition`. */
function whenReloaded(api: FlowymlApi, condition: (count: number) => boolean): Promise<number> {
  return new Promise((resolve) => {
    const subscription = api.onDidReload(() => {
      if (!condition(api.versionCount())) return;
      subscription.dispose();
      resolve(api.versionCount());
    });
  });
}

describe('FlowyML settings in the extension host', () => {
  afterEach(async () => {
    await vscode.workspace.getConfiguration(Settings.section).update(Settings.storePaths, undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('storePaths adds a second store', async () => {
    const api = await activeApi();
    assert.equal(api.versionCount(), 15);

    const reloaded = whenReloaded(api, (count) => count === 30);
    await vscode.workspace.getConfiguration(Settings.section).update(Settings.storePaths, ['extra'], vscode.ConfigurationTarget.Workspace);

    assert.equal(await reloaded, 30);
  });

  it('storePaths entry naming the root store adds nothing', async () => {
    const api = await activeApi();
    const reloaded = whenReloaded(api, () => true);
    await vscode.workspace.getConfiguration(Settings.section).update(Settings.storePaths, ['.flowyml/metadata.db'], vscode.ConfigurationTarget.Workspace);
    await reloaded;

    assert.equal(api.versionCount(), 15);
  });

  it('missing storePaths entry keeps other stores', async () => {
    const api = await activeApi();
    const reloaded = whenReloaded(api, () => true);
    await vscode.workspace.getConfiguration(Settings.section).update(Settings.storePaths, ['no-such-folder/metadata.db'], vscode.ConfigurationTarget.Workspace);
    await reloaded;
    await vscode.commands.executeCommand(Commands.refresh);

    assert.equal(api.versionCount(), 15);
  });
});
