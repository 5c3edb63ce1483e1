/**
 * The FlowyML language server in a real VS Code (code-server), started by
 * the extension's language client for a Python file of a temporary copy of
 * samples/workspace. Needs `npm run build` first.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CodeServer } from './harness/codeServer';
import { REPO_ROOT } from './harness/tools';
import { positionOf } from './harness/positions';
import { Workbench } from './harness/workbench';
import { TempWorkspaces } from './harness/workspaces';

const SAMPLE = path.join(REPO_ROOT, 'samples/workspace');

/** The label of the newest version of a name, as the command line lists it. */
function latestLabel(folder: string, name: string): string {
  const result = spawnSync(process.execPath, [path.join(REPO_ROOT, 'dist/cli.js'), 'list', folder, '--name', name, '--json'], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  const versions = JSON.parse(result.stdout) as { label: string; ordinal: number }[];
  assert.ok(versions.length > 0, `no version of ${name} in ${folder}`);

  return versions.reduce((newest, version) => (version.ordinal > newest.ordinal ? version : newest)).label;
}


describe('language server in VS Code', { timeout: 240_000 }, () => {
  let server: CodeServer;
  const workspaces = new TempWorkspaces();

  before(async () => {
    server = await CodeServer.start();
  });

  after(async () => {
    await server?.stop();
    workspaces.removeAll();
  });

  it('hover and CodeLens show store versions', async () => {
    const folder = workspaces.copy(SAMPLE, 'language');
    const pipeline = path.join(folder, 'pipeline.py');
    const modelLabel = latestLabel(folder, 'churn_model');
    const workbench = await Workbench.launch(server);
    try {
      await workbench.open({ folder, extensionDevelopmentPath: REPO_ROOT });
      await workbench.goTo('pipeline.py', positionOf(pipeline, '@step(inputs=["features/churn", "ckpt/epoch_1"'));

      // The step's CodeLens: its runs, the latest version of its output, a Lineage link and an Impact link.
      const stepLens = workbench.page.locator('.monaco-editor .codelens-decoration', { hasText: `model/churn: ${modelLabel}` });
      await stepLens.waitFor({ timeout: 90_000 });
      const titles = (await stepLens.locator('a, span').allInnerTexts()).map((title) => title.trim()).filter((title) => title !== '' && title !== '|');
      assert.match(titles[0], /^\d+ runs · last /);
      assert.ok(titles.includes(`model/churn: ${modelLabel}`), titles.join(' | '));
      assert.deepEqual(titles.slice(-2), ['Lineage', 'Impact']);
      await workbench.screenshot('language-codelens');

      // The hover on the asset name passed to Model.create.
      await workbench.goTo('pipeline.py', positionOf(pipeline, 'name="churn_model"', 8));
      await workbench.runCommand('Show or Focus Hover');
      const hover = workbench.page.locator('.monaco-hover:not(.hidden) .monaco-hover-content', { hasText: 'churn_model' });
      await hover.waitFor();
      const text = await hover.innerText();
      assert.match(text, /Model/);
      assert.ok(text.includes(`Latest version: ${modelLabel}`), text);
      await workbench.screenshot('language-hover');

      // Hover links are trusted for FlowyML's own commands, so "Details" opens the details panel.
      // A CodeLens refresh can lay the editor out again and close the hover, so a closed hover is shown again.
      for (let attempt = 1; ; attempt++) {
        try {
          await hover.locator('a', { hasText: 'Details' }).click({ timeout: 10_000 });
          break;
        } catch (error) {
          if (attempt >= 3) throw error;
          await workbench.page.keyboard.press('Escape');
          await workbench.runCommand('Show or Focus Hover');
          await hover.waitFor();
        }
      }
      await workbench.page.locator('.part.editor .tabs-container .tab', { hasText: 'churn_model' }).waitFor();
      assert.ok((await workbench.tabTitles()).some((title) => title.startsWith('churn_model')), (await workbench.tabTitles()).join(', '));
    } catch (error) {
      await workbench.screenshot('language-failure');
      throw server.withLogs(error);
    } finally {
      await workbench.close();
    }
  });
});
