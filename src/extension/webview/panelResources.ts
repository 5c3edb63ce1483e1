/**
 * Connects the HTML builder to VS Code: resource roots and webview URIs of a
 * panel's bundled script and CSS.
 */
import * as vscode from 'vscode';
import { buildWebviewHtml, createNonce } from './html';

/** Webviews may load only the built bundles and the stylesheets and icons in media/. */
export function webviewResourceRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')];
}

export function webviewPanelOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    localResourceRoots: webviewResourceRoots(extensionUri),
  };
}

/**
 * Renders the HTML of a panel: dist/webview/<view>.js with media/webview/base.css
 * and media/webview/<view>.css.
 */
export function renderPanelHtml(
  webview: vscode.Webview,
  extensionUri: vscode.Uri,
  view: string,
  title: string,
  options: { allowWorkers?: boolean } = {},
): string {
  const asUri = (...segments: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...segments)).toString();

  return buildWebviewHtml({
    title,
    cspSource: webview.cspSource,
    nonce: createNonce(),
    scriptUri: asUri('dist', 'webview', `${view}.js`),
    styleUris: [asUri('media', 'webview', 'base.css'), asUri('media', 'webview', `${view}.css`)],
    allowWorkers: options.allowWorkers,
  });
}
