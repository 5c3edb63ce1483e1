/**
 * The Stack view: for each folder, its flowyml.yaml, the stacks in it with
 * their components, where step outputs are materialized, and the routing
 * table of each asset type with whether FlowyML applies the rule.
 */
import path from 'node:path';
import * as vscode from 'vscode';
import { componentText, EXECUTOR_TEMPLATE, localArtifactBase, ORCHESTRATOR_TEMPLATE, routingTable, type FlowymlFamily, type RoutingRow, type StackDefinition, type StackFile } from '../../core/stack';
import { flowymlFamily } from '../../core/stack';
import { labelText } from '../format';
import { appendStoreText } from '../markdownText';
import { Views } from '../ids';
import type { StoreService } from '../stores/storeService';
import type { StackFolder, StackService } from './stackService';
import { StackText } from './stackMessages';

export type StackNode =
  | { kind: 'folder'; id: string; folder: StackFolder }
  | { kind: 'file'; id: string; file: StackFile }
  | { kind: 'missing'; id: string; folder: StackFolder }
  | { kind: 'stack'; id: string; file: StackFile; stack: StackDefinition; family: FlowymlFamily }
  | { kind: 'group'; id: string; label: string; icon: string; children: StackNode[]; expanded: boolean }
  | { kind: 'fact'; id: string; label: string; description: string; tooltip?: string; icon?: string }
  | { kind: 'route'; id: string; row: RoutingRow };

export class StackTree implements vscode.TreeDataProvider<StackNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<StackNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly view: vscode.TreeView<StackNode>;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly stacks: StackService, private readonly stores: StoreService) {
    this.view = vscode.window.createTreeView(Views.stack, { treeDataProvider: this, showCollapseAll: true });
    this.subscriptions.push(this.changed, this.view, stacks.onDidChange(() => this.changed.fire(undefined)));
  }

  getTreeItem(node: StackNode): vscode.TreeItem {
    const item = this.createItem(node);
    item.id = node.id;

    return item;
  }

  getChildren(node?: StackNode): StackNode[] {
    if (!node) {
      const folders = this.stacks.folders();
      this.view.message = folders.length === 0 ? StackText.noFolder() : undefined;
      if (folders.length === 1) return this.folderChildren(folders[0]);
      return folders.map((folder) => ({ kind: 'folder', id: `folder:${folder.folder}`, folder }));
    }

    switch (node.kind) {
      case 'folder':
        return this.folderChildren(node.folder);
      case 'file':
        return node.file.stacks.map((stack) => this.stackNode(node.file, stack));
      case 'stack':
        return this.stackChildren(node);
      case 'group':
        return node.children;
      default:
        return [];
    }
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }

  private folderChildren(folder: StackFolder): StackNode[] {
    if (!folder.file) return [{ kind: 'missing', id: `missing:${folder.folder}`, folder }];

    return [{ kind: 'file', id: `file:${folder.file.path}`, file: folder.file }];
  }

  private stackNode(file: StackFile, stack: StackDefinition): StackNode {
    const root = this.stores.roots.find((each) => each.index && path.dirname(file.path).startsWith(each.root))?.index
      ?? this.stores.roots.find((each) => each.index)?.index;

    return { kind: 'stack', id: `stack:${file.path}:${stack.name}`, file, stack, family: root ? flowymlFamily(root) : '2.x' };
  }

  private stackChildren(node: Extract<StackNode, { kind: 'stack' }>): StackNode[] {
    const base = `${node.id}:`;
    const components: StackNode[] = node.stack.components.map((component) => ({
      kind: 'fact', id: `${base}component:${component.role}`, label: component.role, description: componentText(component), icon: 'symbol-property',
    }));
    for (const [name, store] of Object.entries(node.stack.artifactStores)) {
      components.push({ kind: 'fact', id: `${base}store:${name}`, label: `artifact_stores.${name}`, description: componentText(store), icon: 'database' });
    }

    const artifactBase = localArtifactBase(node.stack);
    const materialized: StackNode[] = artifactBase
      ? [
        { kind: 'fact', id: `${base}executor`, label: StackText.stepOutputs(), description: `${artifactBase}/${EXECUTOR_TEMPLATE}`, tooltip: StackText.stepOutputsTooltip(), icon: 'folder' },
        { kind: 'fact', id: `${base}orchestrator`, label: StackText.declaredOutputs(), description: `${artifactBase}/${ORCHESTRATOR_TEMPLATE}`, tooltip: StackText.declaredOutputsTooltip(), icon: 'folder' },
      ]
      : [{ kind: 'fact', id: `${base}remote`, label: StackText.stepOutputs(), description: StackText.remoteStore(), icon: 'cloud' }];

    const rows = routingTable(node.file, node.stack, node.family);

    return [
      { kind: 'group', id: `${base}components`, label: StackText.components(), icon: 'layers', children: components, expanded: false },
      { kind: 'group', id: `${base}materialized`, label: StackText.materialization(), icon: 'folder-library', children: materialized, expanded: true },
      { kind: 'group', id: `${base}routing`, label: StackText.routing(), icon: 'type-hierarchy-sub', children: rows.map((row) => ({ kind: 'route', id: `${base}route:${row.type}`, row })), expanded: true },
    ];
  }

  private createItem(node: StackNode): vscode.TreeItem {
    switch (node.kind) {
      case 'folder': {
        const item = new vscode.TreeItem(labelText(node.folder.name), vscode.TreeItemCollapsibleState.Expanded);
        item.iconPath = vscode.ThemeIcon.Folder;
        return item;
      }
      case 'missing': {
        const item = new vscode.TreeItem(StackText.noStackFile(), vscode.TreeItemCollapsibleState.None);
        item.description = StackText.noStackFileDescription();
        item.tooltip = StackText.noStackFileTooltip(node.folder.folder);
        item.iconPath = new vscode.ThemeIcon('info');
        return item;
      }
      case 'file': {
        const item = new vscode.TreeItem(path.basename(node.file.path), vscode.TreeItemCollapsibleState.Expanded);
        const errors = node.file.diagnostics.filter((problem) => problem.severity === 'error').length;
        item.description = errors > 0 ? StackText.fileProblems(node.file.diagnostics.length, errors) : node.file.diagnostics.length > 0 ? StackText.fileNotes(node.file.diagnostics.length) : undefined;
        item.tooltip = node.file.path;
        item.iconPath = new vscode.ThemeIcon(errors > 0 ? 'warning' : 'file-code');
        item.resourceUri = vscode.Uri.file(node.file.path);
        item.command = { command: 'vscode.open', title: StackText.openFile(), arguments: [vscode.Uri.file(node.file.path)] };
        item.contextValue = 'stackFile';
        return item;
      }
      case 'stack': {
        const shown = this.stacks.shownStack(node.file) === node.stack.name;
        const active = node.file.activeStack === node.stack.name;
        const item = new vscode.TreeItem(labelText(node.stack.name), shown ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
        const parts: string[] = [];
        if (active) parts.push(StackText.activeBecause(node.file.activeSource ?? ''));
        if (shown && !active) parts.push(StackText.shownForDisplay());
        item.description = parts.join(' · ');
        let icon = 'circle-large-outline';
        if (active) icon = 'pass-filled';
        else if (shown) icon = 'eye';
        item.iconPath = new vscode.ThemeIcon(icon);
        item.contextValue = 'stack';
        return item;
      }
      case 'group': {
        const item = new vscode.TreeItem(node.label, node.expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
        item.iconPath = new vscode.ThemeIcon(node.icon);
        return item;
      }
      case 'fact': {
        const item = new vscode.TreeItem(labelText(node.label), vscode.TreeItemCollapsibleState.None);
        item.description = labelText(node.description, 200);
        item.tooltip = node.tooltip ? `${node.description}\n\n${node.tooltip}` : node.description;
        if (node.icon) item.iconPath = new vscode.ThemeIcon(node.icon);
        return item;
      }
      case 'route':
        return routeItem(node.row);
      default: {
        const unhandled: never = node;
        return new vscode.TreeItem(String(unhandled));
      }
    }
  }
}

const APPLIED_ICONS = { yes: 'pass', partly: 'warning', no: 'circle-slash' } as const;

/** Builds the tree item of a routing row. Exported for the host suite that renders its tooltip. */
export function routeItem(row: RoutingRow): vscode.TreeItem {
  const item = new vscode.TreeItem(row.type, vscode.TreeItemCollapsibleState.None);
  const parts = [row.storage, row.registry, row.path, row.deploy].map((part) => part === '—' ? '—' : labelText(part, 60));
  item.description = `${parts.join(' · ')}${row.applied === 'yes' ? '' : ` · ${StackText.applied(row.applied)}`}`;
  item.iconPath = new vscode.ThemeIcon(APPLIED_ICONS[row.applied]);

  const markdown = new vscode.MarkdownString();
  markdown.appendMarkdown('**');
  appendStoreText(markdown, row.type);
  markdown.appendMarkdown('**\n\n');
  const facts: [string, string][] = [
    [StackText.ruleLabel(), row.rule ?? '—'],
    [StackText.storageLabel(), row.storage],
    [StackText.registryLabel(), row.registry],
    [StackText.pathLabel(), row.path],
    [StackText.deployLabel(), row.deploy],
    [StackText.appliedLabel(), StackText.applied(row.applied)],
  ];
  for (const [label, value] of facts) {
    appendStoreText(markdown, `${label}: ${value}`);
    markdown.appendMarkdown('  \n');
  }
  for (const note of row.notes) {
    markdown.appendMarkdown('\n- ');
    appendStoreText(markdown, note);
  }
  item.tooltip = markdown;

  return item;
}
