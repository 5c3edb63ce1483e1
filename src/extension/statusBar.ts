/**
 * A status-bar item with the store state: the number of versions, the time
 * of the last refresh, and errors. Clicking it refreshes the stores.
 */
import * as vscode from 'vscode';
import { localDateTime } from './format';
import { Commands } from './ids';
import { Text } from './messages';
import type { StoreService } from './stores/storeService';

export class StoreStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('flowyml.status', vscode.StatusBarAlignment.Left, 10);
  private readonly subscription: vscode.Disposable;

  constructor(private readonly stores: StoreService) {
    this.item.name = 'FlowyML';
    this.item.command = Commands.refresh;
    this.subscription = stores.onDidChange(() => this.update());
    this.update();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }

  private update(): void {
    const roots = this.stores.roots;
    if (roots.length === 0) {
      this.item.hide();
      return;
    }

    const versions = roots.reduce((sum, root) => sum + (root.index?.versions.length ?? 0), 0);
    const errors = roots.reduce((sum, root) => sum + (root.index ? root.index.problems.filter((p) => p.severity === 'error').length : 1), 0);
    const last = roots.map((root) => root.loadedAt).sort((a, b) => b.getTime() - a.getTime())[0];

    this.item.text = errors > 0 ? `$(warning) ${countsWithErrors(versions, errors)}` : `$(database) ${versionCount(versions)}`;
    this.item.tooltip = [
      Text.statusBarTooltip(),
      // The index lists the team stores too.
      ...roots.map((root) => `${root.name}: ${(root.index?.stores ?? root.stores).map((store) => store.path).join(', ')}`),
      vscode.l10n.t('Last refresh: {0}', localDateTime(last.toISOString())),
    ].join('\n');
    this.item.backgroundColor = errors > 0 ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }
}

function versionCount(versions: number): string {
  return versions === 1 ? vscode.l10n.t('FlowyML: 1 version') : vscode.l10n.t('FlowyML: {0} versions', versions);
}

function countsWithErrors(versions: number, errors: number): string {
  if (errors === 1) {
    return versions === 1 ? vscode.l10n.t('FlowyML: 1 version, 1 error') : vscode.l10n.t('FlowyML: {0} versions, 1 error', versions);
  }

  return versions === 1 ? vscode.l10n.t('FlowyML: 1 version, {0} errors', errors) : vscode.l10n.t('FlowyML: {0} versions, {1} errors', versions, errors);
}
