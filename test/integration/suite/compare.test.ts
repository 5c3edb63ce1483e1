/**
 * The compare commands and the `flowyml:` documents inside a real extension
 * host, with the basic FlowyML 1.7 store open (a temporary copy). Run
 * through extensionTestsPath by host-suites.test.ts.
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { versionDocumentUri } from '../../../src/extension/compare/versionDocuments';
import { Commands, EXTENSION_ID } from '../../../src/extension/ids';
import type { FlowymlApi } from '../../../src/extension/root';

const IRIS_TRAIN_1 = '.flowyml/metadata.db:artifacts:e1748314-59ac-402c-be97-68ae98e4d297_preprocess_data%2Ftrain';
const IRIS_TRAIN_2 = '.flowyml/metadata.db:artifacts:0f5d4615-f51f-4c49-a9c6-b8246f0a87d3_preprocess_data%2Ftrain';

async function activeApi(): Promise<FlowymlApi> {
  const extension = vscode.extensions.getExtension<FlowymlApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed`);
  const api = await extension.activate();
  await api.whenLoaded();

  return api;
}

/** Resolves with the tab labels once one of them is `label`, checked after each tab change. */
function whenTab(label: string): Promise<string[]> {
  const labels = () => vscode.window.tabGroups.all.flatMap((group) => group.tabs).map((tab) => tab.label);
  if (labels().includes(label)) return Promise.resolve(labels());

  return new Promise((resolve) => {
    const subscription = vscode.window.tabGroups.onDidChangeTabs(() => {
      if (!labels().includes(label)) return;
      subscription.dispose();
      resolve(labels());
    });
  });
}

describe('compare commands in the extension host', () => {
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand(Commands.unpinBaseline);
  });

  it('flowyml document shows one field', async () => {
    await activeApi();
    const version = {
      id: IRIS_TRAIN_1, name: 'iris_train', label: '#1',
    } as Parameters<typeof versionDocumentUri>[0];

    const properties = await vscode.workspace.openTextDocument(versionDocumentUri(version, 'properties'));
    const parsed = JSON.parse(properties.getText()) as Record<string, unknown>;
    assert.equal(parsed.num_samples, 105);
    assert.equal(parsed.num_features, 4);

    const mean = await vscode.workspace.openTextDocument(versionDocumentUri(version, 'properties.column_stats.sepal_length.mean'));
    assert.equal(mean.getText().trim(), '-0.052333');
  });

  it('two ids open the compare panel', async () => {
    await activeApi();

    await vscode.commands.executeCommand(Commands.compareVersions, IRIS_TRAIN_1, IRIS_TRAIN_2);

    const labels = await whenTab('Compare iris_train: #1 ↔ #2');
    assert.ok(labels.includes('Compare iris_train: #1 ↔ #2'), labels.join(', '));
  });

  it('pinned baseline is compared first', async () => {
    await activeApi();
    await vscode.commands.executeCommand(Commands.pinBaseline, IRIS_TRAIN_2);

    await vscode.commands.executeCommand(Commands.compareWith, IRIS_TRAIN_1);

    const labels = await whenTab('Compare iris_train: #2 ↔ #1');
    assert.ok(labels.includes('Compare iris_train: #2 ↔ #1'), labels.join(', '));
  });

  it('details panel compares with the baseline', async () => {
    await activeApi();
    await vscode.commands.executeCommand(Commands.pinBaseline, IRIS_TRAIN_1);
    await vscode.commands.executeCommand(Commands.showDetails, IRIS_TRAIN_2);

    await vscode.commands.executeCommand(Commands.showDetailsCompare);

    const labels = await whenTab('Compare iris_train: #1 ↔ #2');
    assert.ok(labels.includes('Compare iris_train: #1 ↔ #2'), labels.join(', '));
  });
});
