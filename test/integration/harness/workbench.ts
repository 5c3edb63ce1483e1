/**
 * Drives the VS Code web workbench with Playwright and Debian's Chromium.
 * The selectors are VS Code internals of the pinned code-server version
 * (4.139.1, VS Code 1.139.1), so keep them here and nowhere else.
 */
import fs from 'node:fs';
import path from 'node:path';
import { format } from 'node:util';
import { chromium, type BrowserContext, type FrameLocator, type Locator, type Page } from 'playwright-core';
import type { CodeServer, WorkbenchTarget } from './codeServer';
import { CHROMIUM_ARGS, CHROMIUM_PATH, REPO_ROOT } from './tools';

export const SCREENSHOT_DIR = path.resolve(process.env.SHOTS_DIR ?? path.join(REPO_ROOT, 'test-results'));

/** Long enough for a cold workbench and extension host on a 2-core machine. */
const STARTUP_TIMEOUT_MS = 120_000;
const UI_TIMEOUT_MS = 30_000;

export interface ExtensionTestsResult {
  exitCode: number;
  /** Lines the extension host's console printed while the suites ran (mocha's reporter output). */
  output: string[];
}

/** Text typed into one input box or quick pick that a command opens. */
export interface QuickInputAnswer {
  /** Text of the input's prompt or placeholder, to know the input is showing. */
  prompt: string;
  value: string;
}

/** Right-clicks tried before contextMenu gives up. */
const CONTEXT_MENU_ATTEMPTS = 3;

export class Workbench {
  private constructor(
    readonly server: CodeServer,
    private readonly context: BrowserContext,
    readonly page: Page,
  ) {}

  /** Starts Chromium with a fresh profile. Call `open` or `runExtensionTests` next. */
  static async launch(server: CodeServer): Promise<Workbench> {
    const profile = fs.mkdtempSync(path.join(server.runDir, 'chromium-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      viewport: { width: 1400, height: 900 },
      args: CHROMIUM_ARGS,
    });
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(UI_TIMEOUT_MS);

    return new Workbench(server, context, page);
  }

  /** Opens a folder or workspace file and waits until the activity bar is drawn. */
  async open(target: WorkbenchTarget): Promise<void> {
    await this.page.goto(this.server.workbenchUrl(target));
    await this.page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: STARTUP_TIMEOUT_MS });
  }

  /**
   * Opens a workbench whose extension host calls `run()` of extensionTestsPath.
   * Resolves with the exit code that the workbench reports through
   * `codeAutomationExit` when the suites end.
   */
  async runExtensionTests(target: WorkbenchTarget, timeoutMs: number): Promise<ExtensionTestsResult> {
    const output: string[] = [];
    let reportExit: (code: number) => void = () => undefined;
    const exited = new Promise<number>((resolve) => (reportExit = resolve));
    await this.page.exposeFunction('codeAutomationExit', (code: number) => reportExit(code));
    await this.page.exposeFunction('codeAutomationLog', (_type: string, args: unknown[]) => {
      // Mocha's reporter prints printf-style ("%d passing (%s)").
      output.push(format(...(args as [unknown, ...unknown[]])));
    });

    await this.page.goto(this.server.workbenchUrl(target));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<number>((_, reject) => {
      timer = setTimeout(() => reject(new Error(
        `Extension tests did not finish within ${timeoutMs} ms. Output so far:\n${output.join('\n')}`,
      )), timeoutMs);
    });
    try {
      const exitCode = await Promise.race([exited, timedOut]);

      return { exitCode, output };
    } finally {
      clearTimeout(timer);
    }
  }

  /** The activity-bar entry of a view container, found by its title. */
  activityIcon(title: string): Locator {
    return this.page.locator(`.part.activitybar .action-item a[aria-label^="${title}"]`).first();
  }

  /** Clicks a view container's activity-bar icon unless its side bar is already showing. */
  async showContainer(title: string): Promise<void> {
    const icon = this.activityIcon(title);
    await icon.waitFor({ timeout: STARTUP_TIMEOUT_MS });
    const item = icon.locator('xpath=..');
    if (!(await item.getAttribute('class'))?.includes('checked')) await icon.click();
    await this.page.locator('.part.sidebar').waitFor();
  }

  /** A view's pane in the side bar, found by its title. */
  pane(title: string): Locator {
    return this.page.locator('.part.sidebar .pane').filter({
      has: this.page.locator(`.pane-header[aria-label^="${title}"]`),
    });
  }

  /** The rows a tree view shows right now. */
  treeRows(viewTitle: string): Locator {
    return this.pane(viewTitle).locator('.monaco-list-row');
  }

  /** Waits for a tree row with this text and returns it. */
  async waitForTreeRow(viewTitle: string, text: string | RegExp): Promise<Locator> {
    const row = this.treeRows(viewTitle).filter({ hasText: text }).first();
    await row.waitFor({ timeout: UI_TIMEOUT_MS });

    return row;
  }

  /** Waits for the tree row whose label (not description) is exactly `label`, and returns it. */
  async waitForTreeItem(viewTitle: string, label: string): Promise<Locator> {
    const row = this.treeRows(viewTitle)
      .filter({ has: this.page.locator('.monaco-icon-label .label-name', { hasText: new RegExp(`^${escapeRegExp(label)}$`) }) })
      .first();
    await row.waitFor({ timeout: UI_TIMEOUT_MS });

    return row;
  }

  /**
   * Picks a folder in VS Code's own file dialog, which the web workbench
   * shows as a quick input with a path field and an OK button named `buttonLabel`.
   */
  async chooseFolder(folder: string, buttonLabel: string): Promise<void> {
    const widget = this.page.locator('.quick-input-widget');
    const input = widget.locator('input.input');
    await input.waitFor();
    // The dialog fills in its start folder after it opens; typing earlier gets overwritten.
    await this.page.waitForFunction(() => {
      const field = document.querySelector<HTMLInputElement>('.quick-input-widget input.input');
      return field !== null && field.value.startsWith('/');
    });
    const typed = `${folder}/`;
    // The dialog can still rewrite the field right after a fill (seen in CI: the typed path appended to the
    // start folder), so fill again until the value holds for a moment.
    for (let attempt = 1; ; attempt++) {
      await input.fill(typed);
      const held = await this.page.waitForFunction((expected) => {
        const field = document.querySelector<HTMLInputElement>('.quick-input-widget input.input');
        return field?.value === expected;
      }, typed, { timeout: 5_000 }).then(() => this.page.waitForTimeout(300)).then(() => input.inputValue()).then((value) => value === typed, () => false);
      if (held) break;
      if (attempt === 5) throw new Error(`The folder dialog kept rewriting "${typed}" to "${await input.inputValue()}"`);
    }
    await widget.getByRole('button', { name: buttonLabel }).click();
    await widget.waitFor({ state: 'hidden' });
  }

  /** Opens a row's context menu and returns its item labels, top to bottom. */
  async contextMenu(row: Locator): Promise<string[]> {
    const items = this.page.locator('.context-view .monaco-menu .action-item:not(.disabled) .action-label');
    // On a loaded machine a hover tooltip can open over the row and take the right-click. A missing menu is
    // requested again after the tooltip is dismissed, and the third failure is thrown.
    for (let attempt = 1; ; attempt++) {
      await row.click({ button: 'right' });
      try {
        await items.first().waitFor({ timeout: attempt < CONTEXT_MENU_ATTEMPTS ? 10_000 : 30_000 });
        break;
      } catch (error) {
        if (attempt >= CONTEXT_MENU_ATTEMPTS) throw error;
        await this.page.keyboard.press('Escape');
        await this.page.mouse.move(0, 0);
      }
    }

    return (await items.allInnerTexts()).map((label) => label.trim()).filter((label) => label !== '');
  }

  /** Runs a context menu item; VS Code's menus act on focus and Enter as a user's keyboard would. */
  async clickMenuItem(label: string): Promise<void> {
    const item = this.page.locator('.context-view .monaco-menu .action-item', { hasText: label }).first();
    await item.hover();
    await item.locator('.action-menu-item').focus();
    await this.page.keyboard.press('Enter');
    await this.page.locator('.context-view .monaco-menu').waitFor({ state: 'detached' });
  }

  /** Scrolls a tree view to its last row; rows outside the viewport are not in the DOM. */
  async scrollTreeToEnd(viewTitle: string): Promise<void> {
    await this.pane(viewTitle).locator('.monaco-list').focus();
    await this.page.keyboard.press('End');
  }

  /** The label texts of the rows a tree view shows right now, top to bottom. */
  async treeLabels(viewTitle: string): Promise<string[]> {
    return this.treeRows(viewTitle).locator('.monaco-icon-label .label-name').allInnerTexts();
  }

  /** The description texts of the rows a tree view shows right now, top to bottom ('' for none). */
  async treeDescriptions(viewTitle: string): Promise<string[]> {
    return this.treeRows(viewTitle).evaluateAll((rows) => rows.map((row) => row.querySelector('.label-description')?.textContent ?? ''));
  }

  /** The welcome content of a view (shown when its tree is empty). */
  welcome(viewTitle: string): Locator {
    return this.pane(viewTitle).locator('.welcome-view-content');
  }

  /**
   * Runs a command by its palette title, such as "FlowyML: Refresh", then
   * fills in the input boxes and quick picks it opens, in order. Each value
   * is typed once its prompt or placeholder text shows.
   */
  async runCommand(title: string, answers: QuickInputAnswer[] = []): Promise<void> {
    // A webview that takes the focus back closes the quick input, which cancels the command before it acts.
    // Such an attempt is started again from the palette; any other failure is thrown at once.
    for (let attempt = 1; ; attempt++) {
      try {
        await this.runCommandOnce(title, answers, attempt < 3);
        return;
      } catch (error) {
        if (!(error instanceof QuickInputClosed)) throw error;
        await this.page.keyboard.press('Escape');
      }
    }
  }

  private async runCommandOnce(title: string, answers: QuickInputAnswer[], retryable: boolean): Promise<void> {
    await this.page.keyboard.press('F1');
    const widget = this.page.locator('.quick-input-widget');
    const input = widget.locator('input.input');
    await input.waitFor();
    await input.fill(`>${title}`);
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
    await this.page.keyboard.press('Enter');

    for (const answer of answers) {
      const prompt = widget.filter({ hasText: answer.prompt }).or(widget.filter({ has: this.page.locator(`input[placeholder*="${answer.prompt}"]`) }));
      await prompt.waitFor();
      try {
        await input.fill(answer.value, { timeout: retryable ? 5_000 : undefined });
      } catch (error) {
        if (retryable && !(await widget.isVisible())) throw new QuickInputClosed(answer.prompt);
        if (retryable && await input.evaluate((element) => element.closest('[inert]') !== null)) throw new QuickInputClosed(answer.prompt);
        throw error;
      }
      await this.page.keyboard.press('Enter');
    }
    await widget.waitFor({ state: 'hidden' });
  }

  /**
   * The document inside the visible webview. VS Code nests it twice: the
   * outer iframe is the webview host and `#active-frame` contains the panel's HTML.
   */
  webview(): FrameLocator {
    return this.page.frameLocator('iframe.webview.ready').last().frameLocator('iframe#active-frame');
  }

  /** The titles of the editor tabs. */
  async tabTitles(): Promise<string[]> {
    return this.page.locator('.part.editor .tabs-container .tab .label-name').allInnerTexts();
  }

  /** Opens a file by quick open and moves the cursor to a 1-based line and column. */
  async goTo(file: string, position: { line: number; column: number }): Promise<void> {
    const widget = this.page.locator('.quick-input-widget');
    const input = widget.locator('input.input');
    await this.page.keyboard.press('Control+P');
    await input.waitFor();
    await input.fill(`${file}:${position.line}:${position.column}`);
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: file }).first().waitFor();
    await this.page.keyboard.press('Enter');
    await widget.waitFor({ state: 'hidden' });
    await this.page.locator('.monaco-editor .cursor').first().waitFor();
  }

  /** Saves a screenshot of the whole window under test-results/. */
  async screenshot(name: string): Promise<string> {
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const file = path.join(SCREENSHOT_DIR, `${name}.png`);
    await this.page.screenshot({ path: file });

    return file;
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Error raised when the quick input closed, or was made inert, while a command waited for input. */
class QuickInputClosed extends Error {
  constructor(prompt: string) {
    super(`The quick input closed while it asked "${prompt}"`);
  }
}
