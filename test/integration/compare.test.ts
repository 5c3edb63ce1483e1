/**
 * Comparisons in a real VS Code (code-server) on a temporary copy of the
 * sample workspace. Two churn_model versions selected in the Assets tree
 * open the compare panel through the context menu, and its "Save Markdown…"
 * and "Save JSON…" write the exports. "FlowyML: Compare Template" run from the palette opens
 * VS Code's diff editor on both ticket_summarizer templates. Needs
 * `npm run build` first.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { compareVersions, comparisonToJson, comparisonToMarkdown, loadWorkspace } from '../../src/core';
import { templateSide } from '../../src/core/compare/prompt';
import { CodeServer } from './harness/codeServer';
import { REPO_ROOT } from './harness/tools';
import { Workbench } from './harness/workbench';
import { TempWorkspaces } from './harness/workspaces';

const SAMPLE = path.join(REPO_ROOT, 'samples/workspace');
const CHURN_V1 = '.flowyml/catalog.db:artifacts:cde232e1-6be5-461c-9e2b-bce60d6f48e6';
const CHURN_V2 = '.flowyml/catalog.db:artifacts:b2366405-6ef7-4648-a541-9a9ad04ffd68';
const SUMMARIZER_1 = '.flowyml/projects/support-genai/metadata.db:artifacts:65a6059f-4688-43f0-b4f4-764f97df1c3f_define_summarizer_prompt%2Fsummarizer';
const SUMMARIZER_2 = '.flowyml/projects/support-genai/metadata.db:artifacts:b3e24d76-e080-44cb-a107-074421ea2f8b_define_summarizer_prompt%2Fsummarizer';

describe('comparisons in VS Code', { timeout: 240_000 }, () => {
  let server: CodeServer;
  const workspaces = new TempWorkspaces();

  before(async () => {
    server = await CodeServer.start();
  });

  after(async () => {
    await server?.stop();
    workspaces.removeAll();
  });

  it('tree compare, export and template diff', async () => {
    const expected = await expectedTexts();
    const folder = workspaces.copy(SAMPLE, 'compare');
    const workbench = await Workbench.launch(server);
    try {
      await workbench.open({ folder, extensionDevelopmentPath: REPO_ROOT });
      await workbench.showContainer('FlowyML');
      await (await workbench.waitForTreeItem('Assets', 'Model')).click();
      await (await workbench.waitForTreeItem('Assets', 'churn_model')).click();
      const newer = await workbench.waitForTreeItem('Assets', 'v2.0.0 (#2)');
      const older = await workbench.waitForTreeItem('Assets', 'v1.0.0 (#1)');
      await newer.click();
      await older.click({ modifiers: ['Control'] });
      await workbench.page.locator('.pane .monaco-list-row.selected').nth(1).waitFor();

      const menu = await workbench.contextMenu(older);
      assert.ok(menu.includes('Compare Versions'), menu.join(', '));
      await workbench.clickMenuItem('Compare Versions');

      const panel = workbench.webview();
      await panel.locator('.section-fields tr.field-row').first().waitFor();
      assert.equal(await panel.locator('h1.title').textContent(), 'Model churn_model: v1.0.0 (#1) → v2.0.0 (#2)');
      assert.deepEqual(await panel.locator('.section-fields tr.field-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-path'))), [
        'tags.stage',
        'tags.promoted_by',
        'uri',
        'properties.training_history.loss',
        'properties.training_history.accuracy',
        'properties.hyperparameters.C',
        'extra.best_checkpoint',
        'extra.intercept',
        'extra.value',
        'run.parameters.model_version',
        'run.parameters.C',
      ]);
      assert.equal(
        await panel.locator('.section-fields tr.field-row[data-path="properties.hyperparameters.C"] td.change span').textContent(),
        '+0.95 (+1900%)',
      );
      assert.equal(await panel.locator('.history-chart').count(), 2);
      await workbench.screenshot('compare-panel-vscode');

      // "Save Markdown…" and "Save JSON…" open VS Code's save dialog on the default file name in the workspace folder.
      const savedMarkdown = await saveExport(workbench, 'exportMarkdown', path.join(folder, 'churn_model-v1.0.0-vs-v2.0.0.md'));
      assert.equal(savedMarkdown, expected.churnMarkdown);
      const savedJson = await saveExport(workbench, 'exportJson', path.join(folder, 'churn_model-v1.0.0-vs-v2.0.0.json'));
      assert.equal(savedJson, expected.churnJson);

      // "Copy Markdown" confirms in the status bar (the browser's clipboard is not readable from the test).
      await panel.locator('vscode-button.copyMarkdown').click();
      await workbench.page.locator('.statusbar', { hasText: 'Copied the comparison as Markdown' }).waitFor();

      await workbench.runCommand('FlowyML: Compare Template', [
        { prompt: 'Choose an asset to compare', value: 'ticket_summarizer' },
        { prompt: 'Choose the newer version (B)', value: 'v2.0.0' },
        { prompt: 'Choose the baseline version (A)', value: 'v1.0.0' },
      ]);
      const title = 'ticket_summarizer template: v1.0.0 (#1) ↔ v2.0.0 (#5)';
      await workbench.page.locator('.part.editor .tabs-container .tab.active', { hasText: title }).waitFor();
      assert.equal(await diffSideText(workbench.page, 'original', expected.a), expected.a);
      assert.equal(await diffSideText(workbench.page, 'modified', expected.b), expected.b);
      await workbench.screenshot('compare-template-diff');

      // The diff editor hid the compare panel, whose document VS Code destroyed; showing it again must redraw it.
      await workbench.page.locator('.tabs-container .tab', { hasText: 'Compare churn_model' }).click();
      await workbench.webview().locator('.section-fields tr.field-row[data-path="properties.hyperparameters.C"]').waitFor();
      assert.equal(await workbench.webview().locator('.section-fields tr.field-row').count(), 11);
    } catch (error) {
      await workbench.screenshot('compare-failure');
      throw server.withLogs(error);
    } finally {
      await workbench.close();
    }
  });
});

/** The two templates as the core reads them, which the diff editor must show, and the churn_model Markdown and JSON exports. */
async function expectedTexts(): Promise<{ a: string; b: string; churnMarkdown: string; churnJson: string }> {
  const index = await loadWorkspace(SAMPLE);
  try {
    const a = templateSide(await index.details(SUMMARIZER_1)).text;
    const b = templateSide(await index.details(SUMMARIZER_2)).text;
    assert.ok(a !== null, 'the sample workspace lost the ticket_summarizer v1.0.0 template');
    assert.ok(b !== null, 'the sample workspace lost the ticket_summarizer v2.0.0 template');

    const churn = await compareVersions(index, CHURN_V1, CHURN_V2);

    return { a, b, churnMarkdown: comparisonToMarkdown(churn), churnJson: `${comparisonToJson(churn)}\n` };
  } finally {
    index.dispose();
  }
}

/**
 * Waits until one side of the diff editor draws `expected`, and returns the
 * text it last read. The lines come from what Monaco draws, which is all of
 * them for a template this short.
 */
async function diffSideText(page: Page, side: 'original' | 'modified', expected: string): Promise<string> {
  await page.waitForFunction(({ which, text }) => {
    const lines = document.querySelector(`.part.editor .monaco-diff-editor .editor.${which} .view-lines`);
    const drawn = [...lines?.querySelectorAll<HTMLElement>('.view-line') ?? []]
      .sort((x, y) => Number.parseFloat(x.style.top) - Number.parseFloat(y.style.top))
      .map((line) => (line.textContent ?? '').replace(/\u00a0/g, ' '))
      .join('\n');
    return drawn === text;
  }, { which: side, text: expected }, { timeout: 15_000 }).catch(() => undefined);

  return page.evaluate((which) => {
    const lines = document.querySelector(`.part.editor .monaco-diff-editor .editor.${which} .view-lines`);
    return [...lines?.querySelectorAll<HTMLElement>('.view-line') ?? []]
      .sort((x, y) => Number.parseFloat(x.style.top) - Number.parseFloat(y.style.top))
      .map((line) => (line.textContent ?? '').replace(/\u00a0/g, ' '))
      .join('\n');
  }, side);
}

/** Waits until `file` exists and is not empty, checking every 100 ms for up to 15 s. */
/** Clicks an export button of the compare panel, accepts the proposed file name `file`, and returns what was written. */
async function saveExport(workbench: Workbench, button: 'exportMarkdown' | 'exportJson', file: string): Promise<string> {
  await workbench.webview().locator(`vscode-button.${button}`).click();
  await workbench.page.waitForFunction((expected) => {
    const field = document.querySelector<HTMLInputElement>('.quick-input-widget input.input');
    return field?.value === expected;
  }, file);
  await workbench.page.keyboard.press('Enter');
  await waitForFile(file);

  return fs.readFileSync(file, 'utf8');
}

async function waitForFile(file: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(fs.existsSync(file) && fs.statSync(file).size > 0)) {
    if (Date.now() > deadline) throw new Error(`${file} was not written within 15 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
