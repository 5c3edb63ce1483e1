/**
 * The provenance commands: Show Impact, Why Do These Differ?, Export
 * Provenance… and the Assets view's "stale only" filter. Each takes what a
 * menu passes (a tree row, the selection, or ids from another command) and
 * shows its result in the Provenance view, the compare panel or a folder.
 */
import path from 'node:path';
import * as vscode from 'vscode';
import { describeError, provenance, type AssetVersion, type WorkspaceIndex } from '../../core';
import { labelText, visibleText } from '../format';
import { ContextKeys, Views } from '../ids';
import type { Log } from '../log';
import { showError, Text } from '../messages';
import type { StoreService } from '../stores/storeService';
import type { AssetsTree } from '../tree/assetsTree';
import type { AssetsNode } from '../tree/nodes';
import { ProvenanceText } from './provenanceText';
import { ProvenanceView } from './provenanceView';
import { staleCheckerOf, staleIdsOf } from './staleCache';

/** Impact sets up to this size get every stale reason in their tooltips. Larger sets show the stale mark only. */
const STALE_REASON_LIMIT = 500;

export class ProvenanceCommands implements vscode.Disposable {
  readonly view: ProvenanceView;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly stores: StoreService,
    private readonly tree: AssetsTree,
    private readonly log: Log,
    /** The extension's version, recorded in every export. */
    private readonly toolVersion: string,
  ) {
    this.view = new ProvenanceView();
    this.subscriptions.push(this.view, stores.onDidChange(() => {
      if (this.tree.currentFilter.staleIds) void this.applyStaleFilter();
    }));
    void vscode.commands.executeCommand('setContext', ContextKeys.staleOnly, false);
  }

  /** Show Impact: every downstream version of one version, in the Provenance view. */
  async showImpact(arg: unknown): Promise<void> {
    const found = await this.resolve(arg);
    if (!found) return;

    const started = Date.now();
    const report = provenance.impactOf(found.index, found.version.id);
    const staleIds = staleIdsOf(found.index);
    const checker = staleCheckerOf(found.index);
    const withReasons = report.total <= STALE_REASON_LIMIT;
    this.view.showImpact(report, (id) => {
      if (!staleIds.has(id)) return undefined;
      return withReasons ? checker.check(id) : { version: { id, name: '', type: 'Asset', label: '' }, reasons: [] };
    });
    await this.reveal();
    this.log.debug(`Impact of ${found.version.id}: ${report.total} versions in ${Date.now() - started} ms`);
  }

  /**
   * Why Do These Differ?: takes two ids, the tree's clicked row and its
   * selection, or one version (then a second version of the same asset is picked).
   */
  async whyDiffer(...args: unknown[]): Promise<void> {
    const pair = await this.pairOf(args);
    if (!pair) return;

    const [a, b] = pair;
    const diff = provenance.diffLineage(a.index, a.version.id, b.version.id);
    this.view.showDiff(diff);
    await this.reveal();
    this.log.debug(`Lineage diff of ${a.version.id} and ${b.version.id}: ${diff.differences.length} upstream assets differ`);
  }

  /**
   * Export Provenance…: writes the audit export of a version. With a folder
   * argument (a path or Uri) it writes into that folder. Without one, the user
   * picks a parent folder, and the export goes into a new
   * `provenance-<name>-<version>` folder inside it.
   */
  async exportProvenance(arg: unknown, target?: unknown): Promise<string | undefined> {
    const found = await this.resolve(arg);
    if (!found) return undefined;

    let folder: string | undefined;
    if (typeof target === 'string') folder = target;
    else if (target instanceof vscode.Uri) folder = target.fsPath;
    if (!folder) {
      const [chosen] = await vscode.window.showOpenDialog({
        canSelectFolders: true, canSelectFiles: false, canSelectMany: false,
        title: ProvenanceText.exportTitle(), openLabel: ProvenanceText.exportButton(),
        defaultUri: vscode.Uri.file(found.index.root),
      }) ?? [];
      if (!chosen) return undefined;
      folder = path.join(chosen.fsPath, exportFolderName(found.version));
    }

    // The export never replaces a file silently: an earlier export, or a file of the user's, needs a yes.
    const existing = provenance.existingExportFile(folder);
    let overwrite = false;
    if (existing !== undefined) {
      const replace = ProvenanceText.exportReplace();
      if (await vscode.window.showWarningMessage(ProvenanceText.exportExists(existing), { modal: true }, replace) !== replace) return undefined;
      overwrite = true;
    }

    let result: provenance.ExportResult;
    try {
      result = await provenance.exportProvenance(found.index, found.version.id, folder, { toolVersion: this.toolVersion, overwrite });
    } catch (error) {
      await showError(this.log, ProvenanceText.exportFailed(describeError(error)), error);
      return undefined;
    }
    this.log.info(`Exported the provenance of ${found.version.id} to ${result.folder}: ${result.versions} versions, ${result.runs} runs`);

    const gaps = Object.values(result.gaps).reduce((sum, count) => sum + count, 0);
    const message = gaps > 0 ? ProvenanceText.exportedWithGaps(result.folder, gaps) : ProvenanceText.exported(result.folder);
    void vscode.window.showInformationMessage(message, ProvenanceText.openReadme()).then(async (choice) => {
      if (choice === ProvenanceText.openReadme()) await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.file(path.join(result.folder, 'README.md')));
    });

    return result.folder;
  }

  /**
   * Turns the Assets view's "stale only" filter on or off. The state lives in
   * the tree's filter, so Clear Asset Filter turns it off as well.
   */
  async toggleStaleOnly(): Promise<void> {
    const on = this.tree.currentFilter.staleIds === undefined;
    if (on) await this.applyStaleFilter();
    else await this.tree.setFilter({ ...this.tree.currentFilter, staleIds: undefined });
    await vscode.commands.executeCommand('setContext', ContextKeys.staleOnly, on);
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }

  private async applyStaleFilter(): Promise<void> {
    await this.stores.whenLoaded();
    const ids = new Set<string>();
    for (const root of this.stores.roots) {
      if (!root.index) continue;
      for (const id of staleIdsOf(root.index)) ids.add(id);
    }
    await this.tree.setFilter({ ...this.tree.currentFilter, staleIds: ids });
    vscode.window.setStatusBarMessage(ProvenanceText.staleFilterOn(ids.size), 5000);
  }

  private async reveal(): Promise<void> {
    await vscode.commands.executeCommand(`${Views.provenance}.focus`);
  }

  private async resolve(arg: unknown): Promise<{ index: WorkspaceIndex; version: AssetVersion } | undefined> {
    await this.stores.whenLoaded();
    const id = versionIdOf(arg) ?? (await this.pickVersion());
    if (!id) return undefined;

    const found = this.stores.findVersion(id);
    if (!found?.root.index) {
      await showError(this.log, ProvenanceText.notFound(visibleText(id)));
      return undefined;
    }

    return { index: found.root.index, version: found.version };
  }

  private async pairOf(args: unknown[]): Promise<[Resolved, Resolved] | undefined> {
    const [first, second] = args;
    let ids: [string, string] | undefined;
    if (typeof first === 'string' && typeof second === 'string') ids = [first, second];

    const selected = Array.isArray(second) ? second.map(versionIdOf).filter((id): id is string => id !== undefined) : [];
    if (!ids && selected.length === 2) ids = [selected[0], selected[1]];
    if (!ids && selected.length > 2) {
      void vscode.window.showWarningMessage(ProvenanceText.whySelectTwo(selected.length));
      return undefined;
    }

    if (!ids) {
      const a = await this.resolve(first);
      if (!a) return undefined;
      const other = await this.pickOtherVersion(a);
      if (!other) return undefined;
      ids = [other, a.version.id];
    }

    const a = await this.resolve(ids[0]);
    const b = a ? await this.resolve(ids[1]) : undefined;
    if (!a || !b) return undefined;

    // Two versions of one asset are shown older first, as the compare panel shows them.
    if (a.version.type === b.version.type && a.version.name === b.version.name && a.version.ordinal > b.version.ordinal) return [b, a];

    return [a, b];
  }

  private async pickOtherVersion(found: Resolved): Promise<string | undefined> {
    const asset = found.index.assets().find((each) => each.type === found.version.type && each.name === found.version.name);
    const others = (asset?.versions ?? []).filter((version) => version.id !== found.version.id).sort((x, y) => y.ordinal - x.ordinal);
    if (others.length === 0) {
      void vscode.window.showInformationMessage(ProvenanceText.whyOneVersion(labelText(found.version.name, 60)));
      return undefined;
    }
    const previous = others.find((version) => version.ordinal < found.version.ordinal);
    const sorted = previous ? [previous, ...others.filter((version) => version !== previous)] : others;
    const picked = await vscode.window.showQuickPick(sorted.map((version) => ({
      label: labelText(version.label, 60),
      description: [version.createdAt?.iso, version.runId ? Text.runLabel(version.runId.slice(0, 8)) : undefined].filter(Boolean).join(' · '),
      id: version.id,
    })), { placeHolder: ProvenanceText.whyPickOther(labelText(found.version.label, 30)) });

    return picked?.id;
  }

  private async pickVersion(): Promise<string | undefined> {
    const items = this.stores.roots.flatMap((root) => (root.index?.versions ?? []).map((version) => ({
      label: labelText(version.name, 80),
      description: `${visibleText(version.type)} · ${labelText(version.label, 30)}`,
      id: version.id,
    })));
    const picked = await vscode.window.showQuickPick(items, { placeHolder: Text.showDetailsPlaceholder(), matchOnDescription: true });

    return picked?.id;
  }
}

type Resolved = { index: WorkspaceIndex; version: AssetVersion };

/** A folder name from the asset's name and version, with only characters that every file system accepts. */
function exportFolderName(version: AssetVersion): string {
  const text = `provenance-${version.name}-${version.storedVersion ?? `n${version.ordinal}`}`;

  return text.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 120);
}

function isNode(value: unknown): value is AssetsNode {
  return typeof value === 'object' && value !== null && 'kind' in value && 'id' in value;
}

/** The version id a command was given: an id string, a version row, or an asset row (its latest version). */
function versionIdOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (isNode(arg) && arg.kind === 'version') return arg.version.id;
  if (isNode(arg) && arg.kind === 'asset') return arg.asset.latest.id;

  return undefined;
}
