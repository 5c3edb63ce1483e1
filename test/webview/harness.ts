/**
 * Loads a built webview bundle in headless Chromium, in a page made by the
 * extension's own HTML/CSP builder and served from 127.0.0.1, and records
 * every Content-Security-Policy violation.
 *
 * `acquireVsCodeApi` is the one mock in this layer, because no VS Code host
 * runs here: the stub stores posted messages and state in the page, where
 * the tests read them.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildWebviewHtml, createNonce } from '../../src/extension/webview/html';
import type { ThemeVariables } from './themes';

export const REPO_ROOT = path.resolve(__dirname, '../..');
export const SCREENSHOT_DIR = path.resolve(process.env.SHOTS_DIR ?? path.join(REPO_ROOT, 'test-results'));

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1'];

/** Folders the server may serve, as in the webview's localResourceRoots. */
const SERVED_ROOTS = ['dist/webview', 'media'];

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json',
};

/** A page-side record of what the webview did, read by the tests. */
interface PageRecord {
  posted: unknown[];
  state: unknown;
  violations: string[];
}

declare global {
  interface Window {
    flowymlTest: PageRecord;
  }
}

/** Serves the built webviews and one HTML page per view, like VS Code's webview resource loader. */
export class WebviewServer {
  private constructor(private readonly server: http.Server, readonly origin: string) {}

  static async start(): Promise<WebviewServer> {
    let origin = '';
    const server = http.createServer((request, response) => {
      const url = new URL(request.url ?? '/', origin);
      const view = /^\/panel\/([a-z-]+)$/.exec(url.pathname)?.[1];
      if (view) {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        response.end(buildWebviewHtml({
          title: `${view} test`,
          cspSource: origin,
          nonce: createNonce(),
          scriptUri: `${origin}/dist/webview/${view}.js`,
          styleUris: [`${origin}/media/webview/base.css`, `${origin}/media/webview/${view}.css`],
        }));
        return;
      }
      serveFile(url.pathname, response);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    return new WebviewServer(server, origin);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function serveFile(pathname: string, response: http.ServerResponse): void {
  const relative = path.normalize(decodeURIComponent(pathname)).replace(/^[/\\]+/, '');
  const allowed = SERVED_ROOTS.some((root) => relative.startsWith(`${root}/`));
  const file = path.join(REPO_ROOT, relative);
  if (!allowed || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
    response.writeHead(404).end();
    return;
  }
  response.writeHead(200, { 'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream' });
  fs.createReadStream(file).pipe(response);
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
}

/** One webview document under one theme. */
export class WebviewPage {
  private readonly consoleViolations: string[] = [];

  private constructor(readonly page: Page, readonly theme: ThemeVariables) {
    page.on('console', (message) => {
      if (message.text().includes('Content Security Policy')) this.consoleViolations.push(message.text());
    });
  }

  /** Opens a panel's page with the VS Code API stub and the theme, and waits for its `ready` message. */
  static async open(browser: Browser, server: WebviewServer, view: string, theme: ThemeVariables): Promise<WebviewPage> {
    const page = await browser.newPage({ viewport: { width: 900, height: 1000 } });
    const webview = new WebviewPage(page, theme);
    await page.addInitScript({ content: VSCODE_STUB });
    await page.goto(`${server.origin}/panel/${view}`);
    // VS Code sets the theme through the CSSOM, which CSP does not restrict; so does this test.
    await page.evaluate((theme) => {
      for (const [name, value] of Object.entries(theme.variables)) document.documentElement.style.setProperty(name, value);
      document.body.classList.add(theme.bodyClass);
    }, theme);
    await page.waitForFunction(() => window.flowymlTest.posted.some((message) => (message as { type?: string }).type === 'ready'));

    return webview;
  }

  /** Delivers a message the way the host's `webview.postMessage` does: as a window message event. */
  async post(message: unknown): Promise<void> {
    await this.page.evaluate((data) => window.postMessage(data, '*'), message);
  }

  async posted(): Promise<unknown[]> {
    return this.page.evaluate(() => window.flowymlTest.posted);
  }

  async state(): Promise<unknown> {
    return this.page.evaluate(() => window.flowymlTest.state);
  }

  /** CSP violations from `securitypolicyviolation` events and from the console. */
  async violations(): Promise<string[]> {
    const events = await this.page.evaluate(() => window.flowymlTest.violations);

    return [...events, ...this.consoleViolations];
  }

  /** Saves the whole page (or only the viewport) under test-results/. */
  async screenshot(name: string, options: { fullPage?: boolean } = {}): Promise<void> {
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await this.page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: options.fullPage ?? true });
  }

  close(): Promise<void> {
    return this.page.close();
  }
}

/**
 * Runs in the page before any of its scripts: the VS Code API stub and the
 * CSP violation recorder. Kept as source text, because a compiled function
 * could carry helper calls that do not exist in the page.
 */
const VSCODE_STUB = `
  const record = { posted: [], state: undefined, violations: [] };
  window.flowymlTest = record;
  document.addEventListener('securitypolicyviolation', (event) => {
    record.violations.push(event.violatedDirective + ' blocked ' + (event.blockedURI || 'inline code')
      + ' (' + event.sourceFile + ':' + event.lineNumber + ')');
  });
  let acquired = false;
  window.acquireVsCodeApi = () => {
    if (acquired) throw new Error('acquireVsCodeApi may be called only once');
    acquired = true;
    return {
      postMessage: (message) => { record.posted.push(message); },
      getState: () => record.state,
      setState: (state) => { record.state = state; },
    };
  };
`;
