/**
 * Command behaviour inside a real extension host, with the basic FlowyML 1.7
 * store open (a temporary copy). Run through extensionTestsPath by
 * host-suites.test.ts.
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { loadWorkspace } from '../../../src/core';
import { Commands, EXTENSION_ID } from '../../../src/extension/ids';
import type { FlowymlApi } from '../../../src/extension/root';

async function activeApi(): Promise<FlowymlApi> {
  const extension = vscode.extensions.getExtension<FlowymlApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed`);
  const api = await extension.activate();
  await api.whenLoaded();

  return api;
}

/** Resolves with the tab labels once `condition` is true, checked after each tab change. */
function whenTabs(condition: (labels: string[]) => boolean): Promise<string[]> {
  const labels = () => vscode.window.tabGroups.all.flatMap((group) => group.tabs).map((tab) => tab.label);
  if (condition(labels())) return Promise.resolve(labels());

  return new Promise((resolve) => {
    const subscription = vscode.window.tabGroups.onDidChangeTabs(() => {
      if (!condition(labels())) return;
      subscription.dispose();
      resolve(labels());
    });
  });
}

describe('FlowyML commands in the extension host', () => {
  it('activation loads the 15 versions of the basic store', async () => {
    const api = await activeApi();

    assert.equal(api.versionCount(), 15);
  });

  it('every manifest command is registered', async () => {
    await activeApi();
    const registered = new Set(await vscode.commands.getCommands(true));

    for (const id of Object.values(Commands)) assert.ok(registered.has(id), `${id} is not registered`);
  });

  it('showDetails with an id opens the details panel on it', async () => {
    const api = await activeApi();
    const id = '.flowyml/metadata.db:artifacts:' + encodeURIComponent(await firstArtifactId());

    await vscode.commands.executeCommand(Commands.showDetails, id);
    const labels = await whenTabs((tabs) => tabs.some((label) => label.startsWith('iris_raw')));

    assert.ok(labels.some((label) => label.startsWith('iris_raw')), `tabs: ${labels.join(', ')}`);
    assert.equal(api.detailsShownId(), id);
  });

  it('refresh keeps the version count', async () => {
    const api = await activeApi();

    await vscode.commands.executeCommand(Commands.refresh);

    assert.equal(api.versionCount(), 15);
  });
});

/** Reads the artifact id of the oldest iris_raw version from the open workspace's store. */
async function firstArtifactId(): Promise<string> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder is open');
  const index = await loadWorkspace(folder.uri.fsPath);
  try {
    const raw = index.assets().find((asset) => asset.name === 'iris_raw');
    assert.ok(raw, 'iris_raw is not in the store');
    const id = raw.versions[0].id;

    return decodeURIComponent(id.slice(id.lastIndexOf(':') + 1));
  } finally {
    index.dispose();
  }
}
