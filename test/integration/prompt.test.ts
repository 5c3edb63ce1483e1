/**
 * Prompts in a real VS Code (code-server) on a temporary copy of the sample
 * workspace: the details panel's title button and the tree's Preview Prompt
 * menu item open the panel, and
 * the panel comes back after a window reload with the values typed into it,
 * and "FlowyML: Render Prompt" run from the palette, with the values typed into
 * its quick inputs, opens the exact rendering in an untitled editor. Needs
 * `npm run build` first.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CodeServer } from './harness/codeServer';
import { REPO_ROOT } from './harness/tools';
import { Workbench } from './harness/workbench';
import { TempWorkspaces } from './harness/workspaces';

const SAMPLE = path.join(REPO_ROOT, 'samples/workspace');

describe('prompts in VS Code', { timeout: 240_000 }, () => {
  let server: CodeServer;
  const workspaces = new TempWorkspaces();

  before(async () => {
    server = await CodeServer.start();
  });

  after(async () => {
    await server?.stop();
    workspaces.removeAll();
  });

  it('preview buttons and Render Prompt', async () => {
    const folder = workspaces.copy(SAMPLE, 'prompts');
    const workbench = await Workbench.launch(server);
    try {
      await workbench.open({ folder, extensionDevelopmentPath: REPO_ROOT });
      await workbench.showContainer('FlowyML');
      await (await workbench.waitForTreeItem('Assets', 'Prompt')).click();
      await (await workbench.waitForTreeItem('Assets', 'ticket_summarizer')).click();
      await (await workbench.waitForTreeItem('Assets', 'v2.0.0 (#5)')).click();
      await workbench.webview().locator('h1.name', { hasText: 'ticket_summarizer' }).waitFor();
      await workbench.page.locator('.part.editor').getByRole('button', { name: 'Preview Prompt', exact: true }).click();
      await workbench.page.locator('.part.editor .tab.active', { hasText: 'Prompt: ticket_summarizer v2.0.0 (#5)' }).waitFor();

      const menu = await workbench.contextMenu(await workbench.waitForTreeItem('Assets', 'v2.0.0 (#5)'));
      assert.ok(menu.includes('Preview Prompt'), menu.join(', '));
      assert.ok(menu.includes('Render Prompt'), menu.join(', '));

      await workbench.clickMenuItem('Preview Prompt');
      const panel = workbench.webview();
      await panel.locator('.template .chip').first().waitFor();
      assert.deepEqual(await panel.locator('.template .chip').allTextContents(), ['{product}', '{ticket}']);
      await panel.locator('.variable-row[data-variable="product"] vscode-textarea textarea').fill('Acme CRM');
      await panel.locator('.variable-row[data-variable="ticket"] vscode-textarea textarea').fill('Login fails with a 500 error.');
      await panel.locator('.out.var[data-variable="ticket"]', { hasText: 'Login fails with a 500 error.' }).waitFor();
      await workbench.screenshot('prompt-panel-vscode');

      // A window reload brings the panel back on the same prompt, with the values typed into it.
      await workbench.runCommand('Developer: Reload Window');
      const revived = workbench.webview();
      await revived.locator('.out.var[data-variable="ticket"]', { hasText: 'Login fails with a 500 error.' }).waitFor({ timeout: 90_000 });
      assert.equal(await revived.locator('.variable-row[data-variable="product"] vscode-textarea textarea').inputValue(), 'Acme CRM');
      assert.ok((await workbench.tabTitles()).includes('Prompt: ticket_summarizer v2.0.0 (#5)'), (await workbench.tabTitles()).join(', '));
      await workbench.screenshot('prompt-panel-revived');

      // Focus left in the webview's textarea can take the quick pick's focus away and close it, so move it to the tab first.
      await workbench.page.locator('.part.editor .tab.active').click();
      await workbench.runCommand('FlowyML: Render Prompt', [
        { prompt: 'Choose a Prompt version', value: 'support_agent v1.0.0 (#3)' },
        { prompt: 'Value of customer_name', value: 'Ada' },
        { prompt: 'Value of plan', value: 'Pro' },
        { prompt: 'Value of message', value: 'My "export" fails.' },
        { prompt: 'Value of language', value: 'French' },
      ]);
      const expectedChat = [
        '[',
        '  {',
        '    "role": "system",',
        '    "content": "You are Acme\'s support agent. Answer in at most three sentences."',
        '  },',
        '  {',
        '    "role": "user",',
        '    "content": "Customer Ada (plan: Pro) wrote:\\nMy \\"export\\" fails.\\nReply in French."',
        '  }',
        ']',
      ].join('\n');
      assert.equal(await untitledText(workbench, 'Untitled-1', expectedChat), expectedChat);
      await workbench.screenshot('prompt-render-chat');

      // The panel remembered the values typed into it for this prompt name, so the quick input starts from them.
      const widget = workbench.page.locator('.quick-input-widget');
      await workbench.page.keyboard.press('F1');
      await widget.locator('input.input').fill('>FlowyML: Render Prompt');
      await workbench.page.locator('.quick-input-list .monaco-list-row', { hasText: 'FlowyML: Render Prompt' }).first().waitFor();
      await workbench.page.keyboard.press('Enter');
      await widget.locator('input[placeholder*="Choose a Prompt version"]').waitFor();
      await widget.locator('input.input').fill('ticket_summarizer v1.0.0 (#1)');
      await workbench.page.keyboard.press('Enter');
      await widget.filter({ hasText: 'Value of ticket' }).waitFor();
      assert.equal(await widget.locator('input.input').inputValue(), 'Login fails with a 500 error.');
      await widget.locator('input.input').fill('Password reset mail never arrives.');
      await workbench.page.keyboard.press('Enter');
      await widget.waitFor({ state: 'hidden' });
      const expectedText = 'Summarize this support ticket:\n\nPassword reset mail never arrives.';
      assert.equal(await untitledText(workbench, 'Untitled-2', expectedText), expectedText);
      await workbench.screenshot('prompt-render-text');
    } catch (error) {
      await workbench.screenshot('prompt-failure');
      throw server.withLogs(error);
    } finally {
      await workbench.close();
    }
  });
});

/**
 * Waits until the active tab is the untitled editor `title` and its text
 * equals `expected`, and returns the text it last read. The text comes from
 * the lines Monaco draws, which are all of them for a document this short.
 */
async function untitledText(workbench: Workbench, title: string, expected: string): Promise<string> {
  const page = workbench.page;
  // A plain-text untitled tab shows its first line as the label and `Untitled-N` beside it.
  await page.locator('.part.editor .tabs-container .tab.active', { hasText: title }).waitFor();
  const editorText = () => page.evaluate(() => {
    const lines = [...document.querySelectorAll<HTMLElement>('.part.editor .editor-instance .monaco-editor .view-lines')].at(-1);
    return [...lines?.querySelectorAll<HTMLElement>('.view-line') ?? []]
      .sort((a, b) => Number.parseFloat(a.style.top) - Number.parseFloat(b.style.top))
      .map((line) => (line.textContent ?? '').replace(/\u00a0/g, ' '))
      .join('\n');
  });
  // Monaco draws the new model's lines shortly after the tab turns active.
  await page.waitForFunction((text) => {
    const lines = [...document.querySelectorAll<HTMLElement>('.part.editor .editor-instance .monaco-editor .view-lines')].at(-1);
    const drawn = [...lines?.querySelectorAll<HTMLElement>('.view-line') ?? []]
      .sort((a, b) => Number.parseFloat(a.style.top) - Number.parseFloat(b.style.top))
      .map((line) => (line.textContent ?? '').replace(/\u00a0/g, ' '))
      .join('\n');
    return drawn === text;
  }, expected, { timeout: 15_000 }).catch(() => undefined);

  return editorText();
}
