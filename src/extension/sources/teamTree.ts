/** Labels a team store's node in the Assets view with the kind of store its versions come from. */
import * as vscode from 'vscode';
import type { StoreInfo } from '../../core';
import { TeamText } from './teamMessages';

export function labelTeamStore(item: vscode.TreeItem, store: StoreInfo | undefined): void {
  if (!store?.remote) return;
  const kind = store.remote === 'postgresql' ? TeamText.postgresKind() : TeamText.catalogKind();
  item.description = `${kind} · ${String(item.description ?? '')}`;
  item.iconPath = new vscode.ThemeIcon(store.remote === 'postgresql' ? 'server' : 'cloud');
  item.tooltip = `${kind}: ${store.path}`;
}
