/**
 * Serves the lineage panel for the Chromium tests with the extension's own
 * HTML/CSP builder and `allowWorkers`, as LineagePanel renders it, so the
 * layout worker runs under the real policy. Pages open through the shared
 * WebviewPage, which needs only the server's origin.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { buildWebviewHtml, createNonce } from '../../src/extension/webview/html';
import type { HostToLineageMessage, LineageDepth } from '../../src/protocol/lineage';
import { lineageAround, lineageStrings } from '../../src/extension/lineage/lineageView';
import type { Localizer } from '../../src/extension/details/detailsView';
import type { WorkspaceIndex } from '../../src/core';
import type { LineageGraph } from '../../src/core/api';
import { REPO_ROOT, WebviewPage, type WebviewServer } from './harness';
import type { ThemeVariables } from './themes';

/** English texts with `{0}`-style arguments filled in, as vscode.l10n.t does without a translation. */
export const english: Localizer = {
  t: (message, ...args) => message.replace(/\{(\d+)\}/g, (_match, position: string) => String(args[Number(position)])),
  language: 'en',
};

const SERVED_ROOTS = ['dist/webview/', 'media/'];

export class LineageServer {
  private constructor(private readonly server: http.Server, readonly origin: string) {}

  static async start(): Promise<LineageServer> {
    let origin = '';
    const server = http.createServer((request, response) => {
      const url = new URL(request.url ?? '/', origin);
      if (url.pathname === '/panel/lineage') {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        response.end(buildWebviewHtml({
          title: 'lineage test',
          cspSource: origin,
          nonce: createNonce(),
          scriptUri: `${origin}/dist/webview/lineage.js`,
          styleUris: [`${origin}/media/webview/base.css`, `${origin}/media/webview/lineage.css`],
          allowWorkers: true,
        }));
        return;
      }
      const relative = path.normalize(decodeURIComponent(url.pathname)).replace(/^[/\\]+/, '');
      const file = path.join(REPO_ROOT, relative);
      if (!SERVED_ROOTS.some((root) => relative.startsWith(root)) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { 'content-type': file.endsWith('.js') ? 'text/javascript' : file.endsWith('.css') ? 'text/css' : 'application/octet-stream' });
      fs.createReadStream(file).pipe(response);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    return new LineageServer(server, origin);
  }

  /** Opens the lineage panel page; WebviewPage reads only `origin` from its server. */
  open(browser: Browser, theme: ThemeVariables): Promise<WebviewPage> {
    return WebviewPage.open(browser, this as unknown as WebviewServer, 'lineage', theme);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** The `graph` message LineagePanel sends for a version of a workspace. */
export function graphMessage(index: WorkspaceIndex, id: string, depth: LineageDepth): HostToLineageMessage & { type: 'graph' } {
  const around = lineageAround(index, id, depth);
  if (!around) throw new Error(`${id} is not a version of ${index.root}`);

  return { type: 'graph', focusId: around.focusId, graph: around.graph, depth, strings: lineageStrings(english) };
}

/** Builds a `graph` message for a hand-made graph. */
export function syntheticMessage(focusId: string, graph: LineageGraph): HostToLineageMessage & { type: 'graph' } {
  return { type: 'graph', focusId, graph, depth: { up: 2, down: 2 }, strings: lineageStrings(english) };
}

/** Waits until the panel finished its `count`-th drawing. */
export async function waitForDraw(webview: WebviewPage, count: number, timeout = 30_000): Promise<void> {
  await webview.page.waitForFunction((expected) => (window as unknown as { flowymlLineage?: { drawCount: number } }).flowymlLineage!.drawCount >= expected, count, { timeout });
}
