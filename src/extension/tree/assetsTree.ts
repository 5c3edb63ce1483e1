/**
 * The Assets tree view: folders and stores when there are several, then
 * types, asset names and versions (or pipelines or runs, by the
 * `flowyml.explorer.groupBy` setting). Children come from the loaded index
 * in memory; long levels page 500 rows at a time.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { describeError, type AssetVersion, type VersionDetails, type WorkspaceIndex } from '../../core';
import { affectsGroupBy, readGroupBy } from '../config';
import { labelText, shortRunId, visibleText } from '../format';
import { Commands, ContextKeys, Views } from '../ids';
import type { Log } from '../log';
import { Text } from '../messages';
import { labelTeamStore } from '../sources/teamTree';
import type { StoreService } from '../stores/storeService';
import {
  assetNodes, folderChildren, groupVersions, NO_FILTER, runVersionNodes, topLevel, typeNodes, versionNodes,
  type AssetFilter, type AssetsNode,
} from './nodes';
import {
  problemTooltip, typeIcon, VERSION_TYPE_KEYS, versionContextValue, versionDescription, versionIcon, versionLabel, versionTooltip,
} from './presentation';

/** Rows per page of one level; the "Show 500 more" row loads the next page. */
export const PAGE_SIZE = 500;

export class AssetsTree implements vscode.TreeDataProvider<AssetsNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<AssetsNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  readonly view: vscode.TreeView<AssetsNode>;
  private filter: AssetFilter = NO_FILTER;
  /** Rows shown per parent id, grown by "Show more"; kept across reloads. */
  private readonly pageLimits = new Map<string, number>();
  /** Nodes handed to VS Code in this generation, so a "Show more" can refresh its exact parent. */
  private readonly nodesById = new Map<string, AssetsNode>();
  /** The parent of each node handed to VS Code (undefined at the top level), which `TreeView.reveal` needs. */
  private readonly parentsById = new Map<string, AssetsNode | undefined>();
  /** Version paths whose file exists, checked once per reload. */
  private fileExists = new Map<string, boolean>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly stores: StoreService,
    private readonly log: Log,
    /** Describes where a version is stored, as label and value lines for its tooltip. */
    private readonly describeStorage?: (index: WorkspaceIndex, version: AssetVersion, details: VersionDetails) => [string, string][],
  ) {
    this.view = vscode.window.createTreeView(Views.assets, { treeDataProvider: this, showCollapseAll: true, canSelectMany: true });
    this.subscriptions.push(
      this.changed,
      this.view,
      stores.onDidChange(() => this.reload()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (affectsGroupBy(event)) this.reload();
      }),
    );
    void this.setMenuContexts();
  }

  get currentFilter(): AssetFilter {
    return this.filter;
  }

  async setFilter(filter: AssetFilter): Promise<void> {
    this.filter = filter;
    const active = filter.text !== '' || filter.types.length > 0 || filter.staleIds !== undefined;
    this.view.description = active ? describeFilter(filter) : undefined;
    // A container with one view hides the view's title bar and so its description; the message stays visible.
    this.view.message = active ? Text.filterMessage(describeFilter(filter)) : undefined;
    await vscode.commands.executeCommand('setContext', ContextKeys.assetsFiltered, active);
    this.reload();
  }

  /** Shows the next page of a level, called by the "Show more" row. */
  showMore(node: AssetsNode): void {
    if (node.kind !== 'more') return;

    this.pageLimits.set(node.parentId, (this.pageLimits.get(node.parentId) ?? PAGE_SIZE) + PAGE_SIZE);
    this.changed.fire(this.nodesById.get(node.parentId));
  }

  getTreeItem(node: AssetsNode): vscode.TreeItem {
    const item = this.createItem(node);
    item.id = node.id;

    return item;
  }

  async getChildren(node?: AssetsNode): Promise<AssetsNode[]> {
    if (!node) await this.stores.whenLoaded();

    const all = this.childrenOf(node);
    const parentId = node?.id ?? '';
    const limit = this.pageLimits.get(parentId) ?? PAGE_SIZE;
    const page = all.length > limit ? all.slice(0, limit) : all;
    await this.checkFiles(page);
    const rows: AssetsNode[] = [...page];
    if (all.length > limit) {
      rows.push({ kind: 'more', id: `${parentId}/more`, root: page[0].root, parentId, remaining: all.length - limit });
    }
    if (!node && rows.length === 0 && this.stores.roots.length > 0) {
      rows.push({ kind: 'empty', id: 'empty', root: this.stores.roots[0] });
    }
    for (const row of rows) {
      this.nodesById.set(row.id, row);
      this.parentsById.set(row.id, node);
    }

    return rows;
  }

  getParent(node: AssetsNode): AssetsNode | undefined {
    return this.parentsById.get(node.id);
  }

  /** Adds the typed properties to a version's tooltip when the user hovers it. */
  async resolveTreeItem(item: vscode.TreeItem, node: AssetsNode, token: vscode.CancellationToken): Promise<vscode.TreeItem> {
    if (node.kind !== 'version' || !node.root.index) return item;

    try {
      const details = await node.root.index.details(node.version.id);
      if (!token.isCancellationRequested) item.tooltip = versionTooltip(node.version, details, this.describeStorage?.(node.root.index, node.version, details));
    } catch (error) {
      this.log.warn(`Couldn't load the tooltip details of ${node.version.id}: ${describeError(error)}`);
      item.tooltip = versionTooltip(node.version);
    }

    return item;
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }

  private reload(): void {
    this.nodesById.clear();
    this.parentsById.clear();
    this.fileExists = new Map();
    this.changed.fire(undefined);
  }

  private childrenOf(node: AssetsNode | undefined): AssetsNode[] {
    const groupBy = readGroupBy();
    if (!node) return topLevel(this.stores.roots, this.filter, groupBy);

    switch (node.kind) {
      case 'folder':
        return folderChildren(node.root, this.filter, groupBy);
      case 'store':
        return groupVersions(node.id, node.root, node.versions, groupBy);
      case 'pipeline':
        return typeNodes(node.id, node.root, node.versions);
      case 'run':
        return runVersionNodes(node);
      case 'type':
        return assetNodes(node);
      case 'asset':
        return versionNodes(node);
      case 'version':
      case 'problem':
      case 'more':
      case 'empty':
        return [];
      default: {
        const unhandled: never = node;
        throw new Error(`Unknown tree node: ${JSON.stringify(unhandled)}`);
      }
    }
  }

  private createItem(node: AssetsNode): vscode.TreeItem {
    const collapsed = vscode.TreeItemCollapsibleState.Collapsed;
    switch (node.kind) {
      case 'folder': {
        const item = new vscode.TreeItem(labelText(node.root.name), vscode.TreeItemCollapsibleState.Expanded);
        item.description = node.root.stores.map((store) => store.path).join(', ');
        item.iconPath = vscode.ThemeIcon.Folder;
        item.contextValue = 'folder';
        return item;
      }
      case 'store': {
        const item = new vscode.TreeItem(labelText(node.store), vscode.TreeItemCollapsibleState.Expanded);
        item.description = vscode.l10n.t('{0} versions', node.versions.length);
        item.iconPath = new vscode.ThemeIcon('database');
        labelTeamStore(item, node.root.index?.stores.find((store) => store.path === node.store));
        item.contextValue = 'store';
        return item;
      }
      case 'problem': {
        const item = new vscode.TreeItem(Text.storeUnreadable(labelText(node.problem.file)), vscode.TreeItemCollapsibleState.None);
        item.description = labelText(node.problem.message);
        item.tooltip = problemTooltip(node.problem);
        item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
        item.command = { command: Commands.showLog, title: Text.showLog() };
        item.contextValue = 'problem';
        return item;
      }
      case 'pipeline': {
        const item = new vscode.TreeItem(node.pipeline ? labelText(node.pipeline) : vscode.l10n.t('(no pipeline)'), collapsed);
        item.description = vscode.l10n.t('{0} versions', node.versions.length);
        item.iconPath = new vscode.ThemeIcon('type-hierarchy');
        item.contextValue = 'pipeline';
        return item;
      }
      case 'run': {
        const first = node.versions[0];
        const label = node.runId ? vscode.l10n.t('run {0}', shortRunId(visibleText(node.runId))) : vscode.l10n.t('(no run)');
        const item = new vscode.TreeItem(label, collapsed);
        item.description = [first?.pipeline ? labelText(first.pipeline) : undefined, vscode.l10n.t('{0} versions', node.versions.length)]
          .filter((part) => part !== undefined)
          .join(' · ');
        item.tooltip = node.runId ? visibleText(node.runId) : undefined;
        item.iconPath = new vscode.ThemeIcon('play-circle');
        item.contextValue = 'run';
        return item;
      }
      case 'type': {
        const item = new vscode.TreeItem(labelText(node.type), collapsed);
        const versions = node.assets.reduce((sum, asset) => sum + asset.versions.length, 0);
        item.description = String(node.assets.length);
        item.tooltip = vscode.l10n.t('{0}: {1} assets, {2} versions', visibleText(node.type), node.assets.length, versions);
        item.iconPath = typeIcon(node.type);
        item.contextValue = 'type';
        return item;
      }
      case 'asset': {
        const item = new vscode.TreeItem(labelText(node.asset.name), collapsed);
        item.description = labelText(node.asset.latest.label, 40);
        item.tooltip = versionTooltip(node.asset.latest);
        item.iconPath = typeIcon(node.asset.type);
        item.contextValue = 'asset';
        return item;
      }
      case 'version':
        return this.createVersionItem(node);
      case 'more': {
        const item = new vscode.TreeItem(Text.showMore(Math.min(PAGE_SIZE, node.remaining)), vscode.TreeItemCollapsibleState.None);
        item.description = vscode.l10n.t('{0} not shown', node.remaining);
        item.iconPath = new vscode.ThemeIcon('ellipsis');
        item.command = { command: Commands.showMoreVersions, title: item.label as string, arguments: [node] };
        item.contextValue = 'more';
        return item;
      }
      case 'empty': {
        const item = new vscode.TreeItem(Text.noMatches(), vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon('filter');
        item.contextValue = 'empty';
        return item;
      }
      default: {
        const unhandled: never = node;
        throw new Error(`Unknown tree node: ${JSON.stringify(unhandled)}`);
      }
    }
  }

  private createVersionItem(node: Extract<AssetsNode, { kind: 'version' }>): vscode.TreeItem {
    const { version } = node;
    const label = node.showName ? labelText(version.name) : versionLabel(version);
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
    const description = versionDescription(version, { withRun: !node.showName });
    item.description = node.showName ? [labelText(version.label, 40), description].filter(Boolean).join(' · ') : description;
    // Left undefined so that VS Code calls resolveTreeItem on hover: it resolves only properties that are undefined.
    item.tooltip = undefined;
    item.iconPath = node.showName ? typeIcon(version.type) : versionIcon(version);
    item.contextValue = versionContextValue(version, this.fileExists.get(version.id) === true);
    item.command = { command: Commands.showDetails, title: vscode.l10n.t('Show Details'), arguments: [node] };

    return item;
  }

  /** Records which versions on this page point at a file that exists, for "Reveal File". */
  private async checkFiles(nodes: AssetsNode[]): Promise<void> {
    await Promise.all(nodes.map(async (node) => {
      if (node.kind !== 'version' || this.fileExists.has(node.version.id)) return;
      const file = versionFilePath(node);
      this.fileExists.set(node.version.id, file !== undefined && await isFile(file));
    }));
  }

  private async setMenuContexts(): Promise<void> {
    const versionItems = VERSION_TYPE_KEYS.map((type) => `version.${type}`);
    const fileItems = VERSION_TYPE_KEYS.map((type) => `version.${type}.file`);
    await vscode.commands.executeCommand('setContext', ContextKeys.versionItems, [...versionItems, ...fileItems]);
    await vscode.commands.executeCommand('setContext', ContextKeys.fileItems, fileItems);
    await vscode.commands.executeCommand('setContext', ContextKeys.assetsFiltered, false);
  }
}

/** The absolute file a version points at, from its path or a `file:` URI; relative paths start at the folder. */
export function versionFilePath(node: Extract<AssetsNode, { kind: 'version' }>): string | undefined {
  const { version } = node;
  const stored = version.path ?? version.uri;
  if (!stored) return undefined;
  if (stored.startsWith('file:')) {
    try {
      return vscode.Uri.parse(stored).fsPath;
    } catch {
      return undefined;
    }
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(stored)) return undefined;

  return path.resolve(node.root.root, stored);
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await fs.promises.stat(file)).isFile();
  } catch {
    return false;
  }
}

function describeFilter(filter: AssetFilter): string {
  const parts: string[] = [];
  if (filter.text !== '') parts.push(`"${labelText(filter.text, 30)}"`);
  if (filter.types.length > 0) parts.push(filter.types.join(', '));
  if (filter.staleIds) parts.push(vscode.l10n.t('stale only'));

  return parts.join(' · ');
}
