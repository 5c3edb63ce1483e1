/**
 * The Stack view, a version's storage facts and the artifact preview in a
 * real VS Code (code-server), on a copy of the sample workspace (the
 * catalog-lineage fixture with its flowyml.yaml and materialized files).
 * Needs `npm run build` first.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CodeServer } from './harness/codeServer';
import { REPO_ROOT } from './harness/tools';
import { Workbench } from './harness/workbench';
import { TempWorkspaces } from './harness/workspaces';

const SAMPLE = path.join(REPO_ROOT, 'samples/workspace');
const FEATURES_CSV = '.flowyml/artifacts/735883f5-2c8d-4ebb-8396-a04fd41bec3c/build_features/frames/features/data.csv';

describe('Stack view in VS Code', { timeout: 300_000 }, () => {
  let server: CodeServer;
  const workspaces = new TempWorkspaces();

  before(async () => {
    server = await CodeServer.start();
  });

  after(async () => {
    await server?.stop();
    workspaces.removeAll();
  });

  it('shows the stacks and switches the shown one', async () => {
    const folder = workspaces.copy(SAMPLE, 'stacks');
    const workbench = await Workbench.launch(server);
    try {
      await workbench.open({ folder, extensionDevelopmentPath: REPO_ROOT });
      await workbench.showContainer('FlowyML');
      await workbench.waitForTreeItem('Assets', 'Dataset');
      // The Stack view starts collapsed; collapsing Assets gives it the side bar, so every row is rendered.
      await workbench.pane('Stack').locator('.pane-header').click();
      await workbench.pane('Assets').locator('.pane-header').click();
      await workbench.waitForTreeItem('Stack', 'aws-staging');

      const labels = await workbench.treeLabels('Stack');
      assert.deepEqual(labels.slice(0, 2), ['flowyml.yaml', 'local']);
      assert.ok(labels.includes('gcp-prod'), labels.join(', '));
      assert.ok(labels.includes('Routing by asset type'), labels.join(', '));
      const descriptions = await workbench.treeDescriptions('Stack');
      assert.equal(descriptions[0], '3 notes');
      assert.equal(descriptions[1], 'active (active_stack)');
      const dataset = await workbench.waitForTreeItem('Stack', 'Dataset');
      assert.match(await dataset.locator('.label-description').innerText(), /^local \(local \.flowyml\/artifacts\) · — · \{run_id\}\/data\/\{step_name\} · — · not applied$/);
      await workbench.screenshot('stack-view');

      await workbench.runCommand('FlowyML: Switch Displayed Stack…', [{ prompt: 'Choose the stack to display', value: 'gcp-prod' }]);
      await workbench.waitForTreeRow('Stack', /gcp-prod\s*shown/);
      await workbench.screenshot('stack-switched');
    } catch (error) {
      await workbench.screenshot('stack-view-failure');
      throw server.withLogs(error);
    } finally {
      await workbench.close();
    }
  });

  it('previews head rows of a materialized dataset', async () => {
    const folder = workspaces.copy(SAMPLE, 'preview');
    const [header, ...rows] = fs.readFileSync(path.join(folder, FEATURES_CSV), 'utf8').trim().split('\n');
    const workbench = await Workbench.launch(server);
    try {
      await workbench.open({ folder, extensionDevelopmentPath: REPO_ROOT });
      await workbench.showContainer('FlowyML');
      await (await workbench.waitForTreeItem('Assets', 'Other: DataFrame')).click();
      await (await workbench.waitForTreeItem('Assets', 'frames/features')).click();
      const versionRow = await workbench.waitForTreeItem('Assets', '#1 (derived)');
      await versionRow.hover();
      const hover = workbench.page.locator('.monaco-hover', { hasText: 'Output folder (exists)' });
      await hover.waitFor();
      // The hover and the editor render spaces as no-break spaces.
      assert.match((await hover.innerText()).replace(/\u00a0/g, ' '), /Step output folder \(whole return value\) \(exists\): \.flowyml\/artifacts\/churn_data_prep\//);
      await versionRow.click();
      const details = workbench.webview();
      await details.locator('h1.name', { hasText: 'frames/features' }).waitFor();
      await details.getByText('Output folder (exists)').waitFor();
      await details.getByText(path.dirname(FEATURES_CSV), { exact: true }).waitFor();
      await workbench.screenshot('stack-details-stored-at');

      await workbench.runCommand('FlowyML: Open Artifact');
      const preview = workbench.webview();
      await preview.locator('table.head-rows').waitFor();

      assert.deepEqual(await preview.locator('table.head-rows thead th').allInnerTexts(), header.split(','));
      assert.deepEqual(await preview.locator('table.head-rows tbody tr').first().locator('td').allInnerTexts(), rows[0].split(','));
      assert.equal(await preview.locator('table.head-rows tbody tr').count(), 50);
      assert.equal(await preview.locator('.caption').innerText(), `CSV · 50 / ${rows.length} rows shown · first rows only`);
      await workbench.screenshot('stack-preview');
    } catch (error) {
      await workbench.screenshot('stack-preview-failure');
      throw server.withLogs(error);
    } finally {
      await workbench.close();
    }
  });

  it('check artifact files reports the missing config', async () => {
    const folder = workspaces.copy(SAMPLE, 'check');
    const workbench = await Workbench.launch(server);
    try {
      await workbench.open({ folder, extensionDevelopmentPath: REPO_ROOT });
      await workbench.showContainer('FlowyML');
      await workbench.waitForTreeItem('Assets', 'Dataset');
      await workbench.runCommand('FlowyML: Check Artifact Files');
      const editor = workbench.page.locator('.part.editor .view-lines');
      await editor.filter({ hasText: '# FlowyML artifact files' }).waitFor();
      assert.match((await editor.innerText()).replace(/\u00a0/g, ' '), /Missing: 2 · Modified: 0 · Hash matches: 0/);
      await workbench.screenshot('stack-check-files');
    } catch (error) {
      await workbench.screenshot('stack-check-files-failure');
      throw server.withLogs(error);
    } finally {
      await workbench.close();
    }
  });
});
