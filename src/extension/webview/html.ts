/**
 * The one HTML and Content-Security-Policy builder for every webview panel.
 * It imports no `vscode`, so the webview tests in Chromium build their pages
 * with exactly the markup and policy the extension sends.
 */
import { randomBytes } from 'node:crypto';

export interface WebviewHtmlOptions {
  /** The document title; webviews show it nowhere, but screen readers announce it. */
  title: string;
  /** The webview's own origin (`webview.cspSource`); every script, style and image comes from it. */
  cspSource: string;
  /** A fresh nonce for each HTML document, from `createNonce`. */
  nonce: string;
  /** The bundled panel script (dist/webview/<view>.js) as a webview URI. */
  scriptUri: string;
  /** Bundled CSS files as webview URIs, in cascade order. */
  styleUris: string[];
  /** Allows web workers from the webview's own origin, for panels that lay out graphs in a worker. */
  allowWorkers?: boolean;
}

/** 16 random bytes in base64: CSP nonces must be unguessable, so never from Math.random. */
export function createNonce(): string {
  return randomBytes(16).toString('base64');
}

/**
 * Builds the policy. Nothing loads by default. Scripts need the nonce, so
 * inline handlers and eval are blocked. Styles come only from bundled files,
 * so inline `style` attributes and `<style>` elements are blocked. Images come
 * from the webview's own origin or `data:` URIs.
 */
export function buildContentSecurityPolicy(options: Pick<WebviewHtmlOptions, 'cspSource' | 'nonce' | 'allowWorkers'>): string {
  const directives = [
    `default-src 'none'`,
    `script-src 'nonce-${options.nonce}'`,
    `style-src ${options.cspSource}`,
    `img-src ${options.cspSource} data:`,
  ];
  if (options.allowWorkers) directives.push(`worker-src ${options.cspSource}`);

  return directives.join('; ');
}

export function buildWebviewHtml(options: WebviewHtmlOptions): string {
  const policy = buildContentSecurityPolicy(options);
  const styles = options.styleUris
    .map((uri) => `  <link rel="stylesheet" href="${escapeAttribute(uri)}">`)
    .join('\n');

  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta http-equiv="Content-Security-Policy" content="${escapeAttribute(policy)}">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escapeText(options.title)}</title>
${styles}
</head>
<body>
  <main id="root" aria-busy="true"></main>
  <script nonce="${escapeAttribute(options.nonce)}" src="${escapeAttribute(options.scriptUri)}"></script>
</body>
</html>
`;
}

function escapeText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttribute(value: string): string {
  return escapeText(value).replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
