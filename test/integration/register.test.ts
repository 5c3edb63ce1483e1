/**
 * Registering files from the Explorer context menu and JSON selections from
 * the palette in a real VS Code (code-server), on a temporary copy of
 * samples/workspace. code-server's
 * Node 24 has node:sqlite, so the row is written through it. Needs
 * `npm run build` first.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CodeServer } from './harness/codeServer';
import { REPO_ROOT } from './harness/tools';
import { Workbench, type QuickInputAnswer } from './harness/workbench';
import { TempWorkspaces } from './harness/workspaces';

const SAMPLE = path.join(REPO_ROOT, 'samples/workspace');

const CSV = [
  'customer_id,age,plan',
  '1,34,basic',
  '2,51,premium',
  '3,,basic',
  '4,29,premium',
  '5,42,basic',
].join('\n');

/** The newest churn_model version of samples/workspace, which the checkpoint test picks as its parent. */
const MODEL_LABEL = 'v4.0.0 (#4)';

interface ListedVersion {
  id: string;
  name: string;
  type: string;
  version: string;
  label: string;
  store: string;
  parents: string[];
}

function listVersions(folder: string, name: string): ListedVersion[] {
  const result = spawnSync(process.execPath, [path.join(REPO_ROOT, 'dist/cli.js'), 'list', folder, '--name', name, '--json'], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);

  return JSON.parse(result.stdout) as ListedVersion[];
}

function showVersion(folder: string, id: string): { properties: { typed: Record<string, unknown> } } {
  const result = spawnSync(process.execPath, [path.join(REPO_ROOT, 'dist/cli.js'), 'show', id, folder, '--json'], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);

  return JSON.parse(result.stdout) as { properties: { typed: Record<string, unknown> } };
}

describe('Register in VS Code', { timeout: 240_000 }, () => {
  let server: CodeServer;
  let workbench: Workbench;
  let folder: string;
  const workspaces = new TempWorkspaces();

  before(async () => {
    server = await CodeServer.start();
    folder = workspaces.copy(SAMPLE, 'register');
    fs.writeFileSync(path.join(folder, 'new_customers.csv'), `${CSV}\n`);
    fs.writeFileSync(path.join(folder, 'epoch3.ckpt'), Buffer.from('checkpoint bytes written by the test\n'));
    fs.writeFileSync(path.join(folder, 'tiny.safetensors'), safetensorsFile());
    fs.writeFileSync(path.join(folder, 'greeting.prompt'), 'Hello {customer_name}, your plan is {plan}.\n');
    fs.writeFileSync(path.join(folder, 'scores.json'), `${JSON.stringify({ auc: 0.91, accuracy: 0.875 }, null, 2)}\n`);
    workbench = await Workbench.launch(server);
    await workbench.open({ folder, extensionDevelopmentPath: REPO_ROOT });
  });

  after(async () => {
    await workbench?.close();
    await server?.stop();
    workspaces.removeAll();
  });

  it('Explorer menu registers a CSV', async () => {
    try {
      await workbench.showContainer('Explorer');
      const file = workbench.page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'new_customers.csv' }).first();
      await file.waitFor();
      // The menu entry appears once the extension has activated and found a write engine.
      await workbench.page.locator('.statusbar-item', { hasText: 'FlowyML:' }).first().waitFor();

      const menu = await workbench.contextMenu(file);
      assert.ok(menu.includes('Register as FlowyML Asset…'), menu.join(', '));
      await workbench.clickMenuItem('Register as FlowyML Asset…');
      await answerQuickInputs(workbench, [
        { prompt: 'Asset type of new_customers.csv', value: 'Dataset' },
        { prompt: 'Asset name of the new version', value: 'new_customers' },
        { prompt: 'Parents of the new version', value: '' },
        { prompt: 'Tags as KEY=VALUE', value: 'source=integration-test' },
      ]);

      // The new version is revealed and selected in the Assets view.
      await selectedRow(workbench, 'v1.0.0 (#1)').waitFor();
      const labels = await workbench.treeLabels('Assets');
      const asset = labels.indexOf('new_customers');
      assert.ok(asset > labels.indexOf('Dataset'), labels.join(', '));
      assert.equal(labels[asset + 1], 'v1.0.0 (#1)');
      await workbench.screenshot('register-tree');

      await (await workbench.waitForTreeItem('Assets', 'v1.0.0 (#1)')).click();
      const details = workbench.webview();
      await details.locator('h1.name', { hasText: 'new_customers' }).waitFor();
      const samples = details.locator('table.properties tr', { hasText: 'num_samples' });
      assert.equal((await samples.locator('td').textContent())?.trim(), '5');
      const features = details.locator('table.properties tr', { hasText: 'num_features' });
      assert.equal((await features.locator('td').textContent())?.trim(), '3');
      await details.locator('vscode-collapsible', { has: details.locator('table.properties') }).click({ position: { x: 40, y: 10 } });
      await samples.waitFor();
      await workbench.screenshot('register-details');

      const [version, ...others] = listVersions(folder, 'new_customers');
      assert.equal(others.length, 0);
      assert.equal(version.type, 'Dataset');
      assert.equal(version.version, 'v1.0.0');
      assert.equal(version.store, '.flowyml/catalog.db');
    } catch (error) {
      throw await failure(workbench, server, 'register-failure', error);
    }
  });

  it('same content asks, then bumps minor', async () => {
    try {
      await workbench.showContainer('Explorer');
      const file = workbench.page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'new_customers.csv' }).first();
      await workbench.contextMenu(file);
      await workbench.clickMenuItem('Register as FlowyML Asset…');
      await answerQuickInputs(workbench, [
        { prompt: 'Asset type of new_customers.csv', value: 'Dataset' },
        { prompt: 'Asset name of the new version', value: 'new_customers' },
        { prompt: 'Version of new_customers', value: 'minor' },
        { prompt: 'Parents of the new version', value: '' },
        { prompt: 'Tags as KEY=VALUE', value: '' },
      ]);

      const dialog = workbench.page.locator('.monaco-dialog-box');
      await dialog.getByText('The same content is already registered as Dataset new_customers v1.0.0 (#1). Register it again?').waitFor();
      await workbench.screenshot('register-duplicate');
      await dialog.getByRole('button', { name: 'Register Again' }).click();

      await selectedRow(workbench, 'v1.1.0 (#2)').waitFor();
      assert.deepEqual(listVersions(folder, 'new_customers').map((version) => version.version), ['v1.0.0', 'v1.1.0']);
    } catch (error) {
      throw await failure(workbench, server, 'register-duplicate-failure', error);
    }
  });

  it('checkpoint asks for epoch and parents', async () => {
    try {
      await workbench.showContainer('Explorer');
      const file = workbench.page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'epoch3.ckpt' }).first();
      await workbench.contextMenu(file);
      await workbench.clickMenuItem('Register as FlowyML Asset…');
      await answerQuickInputs(workbench, [
        { prompt: 'Asset type of epoch3.ckpt', value: 'Checkpoint' },
        { prompt: 'Asset name of the new version', value: 'epoch3' },
      ], { keepOpen: true });

      // Choose the suggested churn_model version as the parent.
      const widget = workbench.page.locator('.quick-input-widget');
      await widget.locator('input[placeholder*="Parents of the new version"]').waitFor();
      await widget.locator('input.input').fill('churn_model');
      const parent = widget.locator('.quick-input-list .monaco-list-row', { hasText: `Model · ${MODEL_LABEL}` }).first();
      // A click on a row of a multi-select quick pick toggles its check box.
      await parent.click();
      await widget.getByText('1 Selected').waitFor();
      await workbench.page.keyboard.press('Enter');
      await answerQuickInputs(workbench, [
        { prompt: 'Tags as KEY=VALUE', value: '' },
        { prompt: 'Epoch of the checkpoint', value: '3' },
        { prompt: 'Training step of the checkpoint', value: '300' },
        { prompt: 'Is this the best checkpoint so far?', value: 'Yes' },
      ]);

      await selectedRow(workbench, 'v1.0.0 (#1)').waitFor();
      const labels = await workbench.treeLabels('Assets');
      assert.ok(labels.indexOf('epoch3') > labels.indexOf('Checkpoint'), labels.join(', '));
      await workbench.screenshot('register-checkpoint');

      const [version] = listVersions(folder, 'epoch3');
      assert.equal(version.type, 'Checkpoint');
      const model = listVersions(folder, 'churn_model').find((candidate) => candidate.label === MODEL_LABEL);
      assert.ok(model, `churn_model ${MODEL_LABEL} is not listed`);
      assert.deepEqual(version.parents, [model.id]);
      const shown = showVersion(folder, version.id);
      assert.equal(shown.properties.typed.epoch, 3);
      assert.equal(shown.properties.typed.step, 300);
      assert.equal(shown.properties.typed.is_best, true);
    } catch (error) {
      throw await failure(workbench, server, 'register-checkpoint-failure', error);
    }
  });

  it('safetensors model and prompt register', async () => {
    try {
      await registerFromExplorer(workbench, 'tiny.safetensors', 'Model', 'tiny', { parentFilter: 'customers_clean', parentRow: 'Dataset · v1.0.0 (#1)' });
      await workbench.waitForTreeItem('Assets', 'tiny');
      await selectedRow(workbench, 'v1.0.0 (#1)').waitFor();
      const [model] = listVersions(folder, 'tiny');
      assert.equal(model.type, 'Model');
      assert.equal(model.version, 'v1.0.0');
      const dataset = listVersions(folder, 'customers_clean').find((candidate) => candidate.label === 'v1.0.0 (#1)');
      assert.ok(dataset, 'customers_clean v1.0.0 (#1) is not listed');
      assert.deepEqual(model.parents, [dataset.id]);
      const modelProperties = showVersion(folder, model.id).properties.typed;
      assert.equal(modelProperties.framework, 'pytorch');
      assert.equal(modelProperties.parameters, 6 + 3);

      // The new Model's lineage reaches the Dataset picked as its parent.
      await workbench.contextMenu(selectedRow(workbench, 'v1.0.0 (#1)'));
      await workbench.clickMenuItem('Show Lineage');
      const panel = workbench.webview();
      await panel.locator('g.node.focus').waitFor();
      assert.equal(await panel.locator('g.node.focus text.name').textContent(), 'tiny');
      // Two hops upstream: the parent Dataset and the raw Dataset it was cleaned from.
      assert.deepEqual((await panel.locator('g.node.type-Dataset text.name').allTextContents()).sort(), ['customers_clean', 'customers_raw']);
      await workbench.screenshot('register-model-lineage');

      await registerFromExplorer(workbench, 'greeting.prompt', 'Prompt', 'greeting');
      await workbench.waitForTreeItem('Assets', 'greeting');
      const [prompt] = listVersions(folder, 'greeting');
      assert.equal(prompt.type, 'Prompt');
      assert.deepEqual(prompt.parents, []);
      const promptProperties = showVersion(folder, prompt.id).properties.typed;
      assert.equal(promptProperties.prompt_format, 'text');
      assert.equal(promptProperties.template, 'Hello {customer_name}, your plan is {plan}.\n');
      assert.deepEqual(promptProperties.variables, ['customer_name', 'plan']);
    } catch (error) {
      throw await failure(workbench, server, 'register-model-prompt-failure', error);
    }
  });

  it('JSON selection registers Metrics', async () => {
    try {
      await workbench.page.keyboard.press('Control+P');
      const input = workbench.page.locator('.quick-input-widget input.input');
      await input.fill('scores.json');
      await workbench.page.locator('.quick-input-list .monaco-list-row', { hasText: 'scores.json' }).first().waitFor();
      await workbench.page.keyboard.press('Enter');
      await workbench.page.locator('.part.editor .tab.active', { hasText: 'scores.json' }).waitFor();
      await workbench.page.locator('.part.editor .monaco-editor .view-lines').first().click();
      await workbench.page.keyboard.press('Control+A');
      await workbench.page.locator('.statusbar-item', { hasText: 'selected' }).first().waitFor();

      await workbench.runCommand('FlowyML: Register Selection', [
        { prompt: 'Register the selection as', value: 'Metrics' },
        { prompt: 'Asset name of the new version', value: 'scores' },
        { prompt: 'Parents of the new version', value: '' },
        { prompt: 'Tags as KEY=VALUE', value: '' },
      ]);

      // Another asset's v1.0.0 (#1) may still be selected from an earlier test, so wait for the new asset first.
      await workbench.waitForTreeItem('Assets', 'scores');
      await selectedRow(workbench, 'v1.0.0 (#1)').waitFor();
      const labels = await workbench.treeLabels('Assets');
      assert.equal(labels[labels.indexOf('scores') + 1], 'v1.0.0 (#1)');
      assert.ok(labels.indexOf('scores') > labels.indexOf('Metrics'), labels.join(', '));
      await workbench.screenshot('register-selection');

      const [version] = listVersions(folder, 'scores');
      assert.equal(version.type, 'Metrics');
      assert.equal(version.store, '.flowyml/catalog.db');
    } catch (error) {
      throw await failure(workbench, server, 'register-selection-failure', error);
    }
  });
});

/**
 * Builds a safetensors file of two float32 tensors, 2×3 and 3, in the layout the
 * format defines: an 8-byte little-endian header length, the JSON header,
 * then the tensor bytes.
 */
function safetensorsFile(): Buffer {
  const header = JSON.stringify({
    __metadata__: { format: 'pt' },
    'layer.weight': { dtype: 'F32', shape: [2, 3], data_offsets: [0, 24] },
    'layer.bias': { dtype: 'F32', shape: [3], data_offsets: [24, 36] },
  });
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(Buffer.byteLength(header)));
  return Buffer.concat([length, Buffer.from(header), Buffer.alloc(36)]);
}

/** Runs the Explorer's Register menu item on a file and fills in its quick inputs, with at most one parent. */
async function registerFromExplorer(
  workbench: Workbench,
  fileName: string,
  type: string,
  name: string,
  parent?: { parentFilter: string; parentRow: string },
): Promise<void> {
  await workbench.showContainer('Explorer');
  const file = workbench.page.locator('.explorer-folders-view .monaco-list-row', { hasText: fileName }).first();
  await file.waitFor();
  await workbench.contextMenu(file);
  await workbench.clickMenuItem('Register as FlowyML Asset…');
  await answerQuickInputs(workbench, [
    { prompt: `Asset type of ${fileName}`, value: type },
    { prompt: 'Asset name of the new version', value: name },
  ], { keepOpen: true });
  const widget = workbench.page.locator('.quick-input-widget');
  await widget.locator('input[placeholder*="Parents of the new version"]').waitFor();
  if (parent) {
    await widget.locator('input.input').fill(parent.parentFilter);
    await widget.locator('.quick-input-list .monaco-list-row', { hasText: parent.parentRow }).first().click();
    await widget.getByText('1 Selected').waitFor();
  } else {
    await widget.locator('input.input').fill('');
  }
  await workbench.page.keyboard.press('Enter');
  await answerQuickInputs(workbench, [{ prompt: 'Tags as KEY=VALUE', value: '' }]);
}

/** The Assets row with this label once it is selected. */
function selectedRow(workbench: Workbench, label: string) {
  return workbench.treeRows('Assets').and(workbench.page.locator('.selected')).filter({ hasText: label });
}

/** Saves a screenshot and returns the error with the extension host log appended. */
async function failure(workbench: Workbench, server: CodeServer, screenshot: string, error: unknown): Promise<Error> {
  await workbench.screenshot(screenshot);

  return new Error(`${error instanceof Error ? error.message : String(error)}\n--- extension host log ---\n${server.extensionHostLog().slice(-4000)}`, { cause: error });
}

/** Fills in the quick inputs a command opens, in order, each once its prompt or placeholder shows. */
async function answerQuickInputs(workbench: Workbench, answers: QuickInputAnswer[], options: { keepOpen?: boolean } = {}): Promise<void> {
  const widget = workbench.page.locator('.quick-input-widget');
  const input = widget.locator('input.input');
  for (const answer of answers) {
    const prompt = widget.filter({ hasText: answer.prompt }).or(widget.filter({ has: workbench.page.locator(`input[placeholder*="${answer.prompt}"]`) }));
    await prompt.waitFor();
    await input.fill(answer.value);
    await workbench.page.keyboard.press('Enter');
  }
  if (!options.keepOpen) await widget.waitFor({ state: 'hidden' });
}
