/** The extension's entry point: `activate` only builds the root object, which owns everything else. */
import type * as vscode from 'vscode';
import { FlowymlExtension, type FlowymlApi } from './root';

export function activate(context: vscode.ExtensionContext): FlowymlApi {
  const extension = new FlowymlExtension(context);
  context.subscriptions.push(extension);

  return extension.api;
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
