/**
 * The Provenance view: the last impact set or lineage diff, as a tree.
 * Impact rows are grouped by distance and type, and stale versions are
 * marked. A lineage diff lists each differing upstream asset with its A and
 * B versions side by side, and a click opens the pair in the compare panel.
 */
import * as vscode from 'vscode';
import type { provenance } from '../../core';
import { labelText, visibleText } from '../format';
import { Commands, Views } from '../ids';
import { ProvenanceText } from './provenanceText';

/** Groups larger than this start collapsed, so a 6,000-version fan-out does not flood the view. */
const EXPANDED_GROUP_LIMIT = 200;

export type ProvenanceNode =
  | { kind: 'title'; id: string; label: string; tooltip?: string }
  | { kind: 'note'; id: string; label: string }
  | { kind: 'group'; id: string; label: string; children: ProvenanceNode[] }
  | { kind: 'version'; id: string; ref: provenance.VersionRef; stale?: provenance.StaleMark }
  | { kind: 'difference'; id: string; difference: provenance.AncestorDifference }
  | { kind: 'parameter'; id: string; parameter: provenance.ParameterDifference };

export class ProvenanceView implements vscode.TreeDataProvider<ProvenanceNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ProvenanceNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<ProvenanceNode>;
  private roots: ProvenanceNode[] = [];

  constructor() {
    this.view = vscode.window.createTreeView(Views.provenance, { treeDataProvider: this, showCollapseAll: true });
  }

  /** The rows of the current result, top level first, for tests and logs. */
  get shownRoots(): readonly ProvenanceNode[] {
    return this.roots;
  }

  showImpact(report: provenance.ImpactReport, staleOf: (id: string) => provenance.StaleMark | undefined): void {
    const focus = report.focus;
    const title: ProvenanceNode = { kind: 'title', id: 'impact', label: ProvenanceText.impactTitle(labelText(focus.name, 60), labelText(focus.label, 30), report.total), tooltip: visibleText(focus.id) };
    const groups: ProvenanceNode[] = report.groups.map((group) => ({
      kind: 'group',
      id: `impact/${group.distance}/${group.type}`,
      label: ProvenanceText.impactGroup(group.distance, visibleText(group.type)),
      children: group.versions.map((ref) => ({ kind: 'version', id: `impact/${group.distance}/${ref.id}`, ref, stale: staleOf(ref.id) })),
    }));
    this.roots = report.total === 0 ? [title, { kind: 'note', id: 'impact/none', label: ProvenanceText.impactNone() }] : [title, ...groups];
    this.view.description = `${labelText(focus.name, 30)} ${labelText(focus.label, 20)}`;
    this.changed.fire(undefined);
  }

  showDiff(diff: provenance.LineageDiff): void {
    const name = (ref: provenance.VersionRef) => `${labelText(ref.name, 40)} ${labelText(ref.label, 20)}`;
    const rows: ProvenanceNode[] = [{ kind: 'title', id: 'why', label: ProvenanceText.whyTitle(name(diff.a), name(diff.b), diff.differences.length), tooltip: `A ${visibleText(diff.a.id)}\nB ${visibleText(diff.b.id)}` }];
    if (!diff.sameAsset) rows.push({ kind: 'note', id: 'why/assets', label: ProvenanceText.whyDifferentAssets() });
    if (diff.differences.length === 0 && diff.parameters.length === 0) rows.push({ kind: 'note', id: 'why/same', label: ProvenanceText.whyNoDifference() });
    for (const difference of diff.differences) rows.push({ kind: 'difference', id: `why/${difference.type}/${difference.name}`, difference });
    if (diff.parameters.length > 0) {
      rows.push({
        kind: 'group',
        id: 'why/parameters',
        label: ProvenanceText.whyParameters(),
        children: diff.parameters.map((parameter) => ({ kind: 'parameter', id: `why/parameter/${parameter.runA}/${parameter.runB}/${parameter.key}`, parameter })),
      });
    }
    for (const missing of diff.missing) rows.push({ kind: 'note', id: `why/missing/${missing.side}/${missing.id}`, label: ProvenanceText.whyMissing(missing.side.toUpperCase(), labelText(missing.id, 60)) });
    this.roots = rows;
    this.view.description = `${name(diff.a)} ↔ ${name(diff.b)}`;
    this.changed.fire(undefined);
  }

  getTreeItem(node: ProvenanceNode): vscode.TreeItem {
    const item = createItem(node);
    item.id = node.id;

    return item;
  }

  getChildren(node?: ProvenanceNode): ProvenanceNode[] {
    if (!node) return this.roots;

    return node.kind === 'group' ? node.children : [];
  }

  dispose(): void {
    this.view.dispose();
    this.changed.dispose();
  }
}

function createItem(node: ProvenanceNode): vscode.TreeItem {
  switch (node.kind) {
    case 'title': {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
      item.tooltip = node.tooltip;
      item.iconPath = new vscode.ThemeIcon('type-hierarchy-sub');
      item.contextValue = 'provenance.title';
      return item;
    }
    case 'note': {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
      item.iconPath = new vscode.ThemeIcon('info');
      item.contextValue = 'provenance.note';
      return item;
    }
    case 'group': {
      const state = node.children.length > EXPANDED_GROUP_LIMIT ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.Expanded;
      const item = new vscode.TreeItem(node.label, state);
      item.description = String(node.children.length);
      item.contextValue = 'provenance.group';
      return item;
    }
    case 'version': {
      const item = new vscode.TreeItem(labelText(node.ref.name), vscode.TreeItemCollapsibleState.None);
      item.description = node.stale ? `${labelText(node.ref.label, 30)} · ${ProvenanceText.staleDescription()}` : labelText(node.ref.label, 30);
      const reasons = node.stale?.reasons.map((reason) => ProvenanceText.staleReason(
        `${visibleText(reason.ancestor.name)} ${visibleText(reason.ancestor.label)}`,
        visibleText(reason.newer.label),
      ));
      item.tooltip = reasons ? `${visibleText(node.ref.id)}\n${ProvenanceText.staleTooltip(reasons.join('; '))}` : visibleText(node.ref.id);
      item.iconPath = node.stale ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')) : new vscode.ThemeIcon('symbol-file');
      item.command = { command: Commands.showDetails, title: vscode.l10n.t('Show Details'), arguments: [node.ref.id] };
      item.contextValue = 'provenance.version';
      return item;
    }
    case 'difference': {
      const { difference } = node;
      const side = (list: provenance.VersionRef[]) => (list.length === 0 ? ProvenanceText.whyOnlyOneSide() : list.map((ref) => labelText(ref.label, 20)).join(', '));
      const item = new vscode.TreeItem(labelText(difference.name), vscode.TreeItemCollapsibleState.None);
      item.description = `${visibleText(difference.type)} · ${ProvenanceText.whyPair(side(difference.a), side(difference.b))}`;
      item.tooltip = [...difference.a.map((ref) => `A ${visibleText(ref.id)}`), ...difference.b.map((ref) => `B ${visibleText(ref.id)}`)].join('\n');
      item.iconPath = new vscode.ThemeIcon('git-compare');
      const [pair] = difference.comparePairs;
      if (pair) item.command = { command: Commands.compareVersions, title: ProvenanceText.whyCompareTitle(), arguments: [pair[0], pair[1]] };
      item.contextValue = pair ? 'provenance.pair' : 'provenance.difference';
      return item;
    }
    case 'parameter': {
      const { parameter } = node;
      const item = new vscode.TreeItem(ProvenanceText.whyParameter(labelText(parameter.key, 60)), vscode.TreeItemCollapsibleState.None);
      item.description = ProvenanceText.whyPair(labelText(parameter.a ?? ProvenanceText.whyNotSet(), 30), labelText(parameter.b ?? ProvenanceText.whyNotSet(), 30));
      item.tooltip = `A run ${visibleText(parameter.runA)}\nB run ${visibleText(parameter.runB)}`;
      item.iconPath = new vscode.ThemeIcon('symbol-variable');
      item.contextValue = 'provenance.parameter';
      return item;
    }
    default: {
      const unhandled: never = node;
      throw new Error(`Unknown provenance node: ${JSON.stringify(unhandled)}`);
    }
  }
}
