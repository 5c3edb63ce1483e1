/**
 * The compare commands: Compare Versions (from the tree's selection, from a
 * language-server link with two ids, or from the palette), Compare With…,
 * Pin as Baseline, Compare Template, and the panel's diff and export
 * buttons. It owns the compare panel and the `flowyml:` documents.
 */
import path from 'node:path';
import * as vscode from 'vscode';
import { comparisonFileStem, comparisonToJson, comparisonToMarkdown, type AssetSummary, type AssetVersion, type Comparison } from '../../core';
import type { CompareToHostMessage } from '../../protocol/compare';
import { labelText, visibleText } from '../format';
import { ContextKeys } from '../ids';
import type { Log } from '../log';
import { CompareText, Text } from '../messages';
import type { StoreRoot, StoreService } from '../stores/storeService';
import type { AssetsNode } from '../tree/nodes';
import { ComparePanel, type ComparedPair } from './comparePanel';
import { TEMPLATE_PATH } from './fieldPath';
import { versionDocumentUri, VersionDocumentProvider } from './versionDocuments';

const BASELINE_KEY = 'flowyml.compare.baselineId';

type PanelAction = Exclude<CompareToHostMessage, { type: 'ready' } | { type: 'log' } | { type: 'compareInputs' }>;

export class CompareCommands implements vscode.Disposable {
  readonly panel: ComparePanel;
  private readonly documents: VersionDocumentProvider;

  constructor(
    extensionUri: vscode.Uri,
    /** Workspace state, where the pinned baseline is kept. */
    private readonly memento: vscode.Memento,
    private readonly stores: StoreService,
    private readonly log: Log,
  ) {
    this.panel = new ComparePanel(extensionUri, stores, log, (message, comparison, pair) => this.runPanelAction(message as PanelAction, comparison, pair));
    this.documents = new VersionDocumentProvider(stores, log);
    void this.setBaselineContext();
  }

  /** The pinned baseline version id, if any. */
  get baselineId(): string | undefined {
    return this.memento.get<string>(BASELINE_KEY);
  }

  /**
   * Compare Versions. Takes two ids (older first, as language-server links
   * pass them), the tree's clicked row and selection, one version (compared
   * with the baseline or a picked version), or nothing (pickers).
   */
  async compareVersions(...args: unknown[]): Promise<void> {
    const pair = await this.pairFromArguments(args);
    if (pair) await this.panel.show(pair[0], pair[1]);
  }

  /** Compare With…: compares one version with the pinned baseline, or with a version picked from the same asset. */
  async compareWith(arg: unknown): Promise<void> {
    const id = versionIdOf(arg);
    const pair = id ? await this.pairWith(id) : await this.pickPair();
    if (pair) await this.panel.show(pair[0], pair[1]);
  }

  async pinBaseline(arg: unknown): Promise<void> {
    const id = versionIdOf(arg) ?? (await this.pickPair(undefined, { baselineOnly: true }))?.[0];
    if (!id) return;

    const found = this.stores.findVersion(id);
    await this.memento.update(BASELINE_KEY, found?.version.id ?? id);
    await this.setBaselineContext();
    const label = found ? `${labelText(found.version.name, 40)} ${labelText(found.version.label, 20)}` : labelText(id, 60);
    vscode.window.setStatusBarMessage(CompareText.baselinePinned(label), 5000);
    this.log.debug(`Pinned ${id} as the comparison baseline`);
  }

  async unpinBaseline(): Promise<void> {
    await this.memento.update(BASELINE_KEY, undefined);
    await this.setBaselineContext();
  }

  /** Compare Template: opens the diff editor on two versions' prompt templates. */
  async compareTemplate(...args: unknown[]): Promise<void> {
    const pair = await this.pairFromArguments(args, 'Prompt');
    if (pair) await this.openFieldDiff(pair[0], pair[1], TEMPLATE_PATH);
  }

  /** Opens VS Code's diff editor on one field (or the template) of two versions. */
  async openFieldDiff(a: string, b: string, field: string): Promise<void> {
    const versionA = this.stores.findVersion(a)?.version;
    const versionB = this.stores.findVersion(b)?.version;
    if (!versionA || !versionB) {
      void vscode.window.showErrorMessage(CompareText.diffMissing(versionA ? b : a));
      return;
    }

    const title = CompareText.diffTitle(labelText(versionB.name, 40), labelText(field, 60), labelText(versionA.label, 20), labelText(versionB.label, 20));
    await vscode.commands.executeCommand('vscode.diff', versionDocumentUri(versionA, field), versionDocumentUri(versionB, field), title, { preview: false });
  }

  dispose(): void {
    this.panel.dispose();
    this.documents.dispose();
  }

  private async runPanelAction(message: PanelAction, comparison: Comparison, pair: ComparedPair): Promise<void> {
    switch (message.type) {
      case 'openDiff':
        await this.openFieldDiff(pair.a, pair.b, message.path);
        return;
      case 'openVersion':
        await vscode.commands.executeCommand('flowyml.showDetails', message.id);
        return;
      case 'action':
        await this.export(message.action, comparison);
        return;
      default: {
        const unhandled: never = message;
        this.log.warn(`Unhandled compare message: ${JSON.stringify(unhandled)}`);
      }
    }
  }

  private async export(action: string, comparison: Comparison): Promise<void> {
    if (action === 'copyMarkdown') {
      await vscode.env.clipboard.writeText(comparisonToMarkdown(comparison));
      vscode.window.setStatusBarMessage(CompareText.markdownCopied(), 3000);
      return;
    }

    const json = action === 'exportJson';
    const folder = this.stores.findVersion(comparison.a.id)?.root.root;
    const fileName = comparisonFileStem(comparison);
    const target = await vscode.window.showSaveDialog({
      defaultUri: folder ? vscode.Uri.file(path.join(folder, `${fileName}.${json ? 'json' : 'md'}`)) : undefined,
      filters: json ? { JSON: ['json'] } : { Markdown: ['md'] },
      title: json ? CompareText.saveJsonTitle() : CompareText.saveMarkdownTitle(),
    });
    if (!target) return;

    const text = json ? `${comparisonToJson(comparison)}\n` : comparisonToMarkdown(comparison);
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
    vscode.window.setStatusBarMessage(CompareText.saved(target.fsPath), 5000);
    this.log.info(`Saved the comparison of ${comparison.a.id} and ${comparison.b.id} to ${target.fsPath}`);
  }

  private async pairFromArguments(args: unknown[], type?: 'Prompt'): Promise<[string, string] | undefined> {
    const [first, second] = args;
    if (typeof first === 'string' && typeof second === 'string') return [first, second];

    // A tree menu passes the clicked row and every selected row.
    const selected = Array.isArray(second) ? second.map(versionIdOf).filter((id): id is string => id !== undefined) : [];
    if (selected.length === 2) return this.ordered(selected[0], selected[1]);
    if (selected.length > 2) {
      void vscode.window.showWarningMessage(CompareText.selectTwo(selected.length));
      return undefined;
    }

    const one = versionIdOf(first);
    if (one) return this.pairWith(one, type);

    return this.pickPair(type);
  }

  /** Pairs a version with the baseline, or with a version of the same asset the user picks (its previous version first). */
  private async pairWith(id: string, type?: 'Prompt'): Promise<[string, string] | undefined> {
    await this.stores.whenLoaded();
    const found = this.stores.findVersion(id);
    if (!found) {
      void vscode.window.showErrorMessage(CompareText.diffMissing(id));
      return undefined;
    }
    const baseline = this.baselineId;
    if (baseline && baseline !== found.version.id && this.stores.findVersion(baseline) && (!type || this.stores.findVersion(baseline)?.version.type === type)) {
      return [baseline, found.version.id];
    }

    const asset = assetsOf(found.root).find((each) => each.type === found.version.type && each.name === found.version.name);
    const others = (asset?.versions ?? []).filter((version) => version.id !== found.version.id);
    const previous = [...others].filter((version) => version.ordinal < found.version.ordinal).sort((x, y) => y.ordinal - x.ordinal)[0];
    const picked = await pickVersionOf(others, CompareText.pickOther(labelText(found.version.label, 20)), previous?.id);
    if (!picked) return undefined;

    return this.ordered(picked, found.version.id);
  }

  /** Palette flow: an asset, then the newer version (latest first), then the baseline (pinned or previous first). */
  private async pickPair(type?: 'Prompt', options: { baselineOnly?: boolean } = {}): Promise<[string, string] | undefined> {
    await this.stores.whenLoaded();
    const assets = this.stores.roots.flatMap((root) => assetsOf(root).map((asset) => ({ root, asset })))
      .filter(({ asset }) => !type || asset.type === type);
    if (assets.length === 0) {
      void vscode.window.showInformationMessage(CompareText.nothingToCompare());
      return undefined;
    }
    const assetItems = assets.map(({ root, asset }) => ({
      label: labelText(asset.name, 80),
      description: `${visibleText(asset.type)} · ${CompareText.versionCount(asset.versions.length)}`,
      detail: this.stores.roots.length > 1 ? root.name : undefined,
      asset,
    }));
    const pickedAsset = await vscode.window.showQuickPick(assetItems, { placeHolder: CompareText.pickAsset(), matchOnDescription: true });
    if (!pickedAsset) return undefined;

    const versions = [...pickedAsset.asset.versions].sort((x, y) => y.ordinal - x.ordinal);
    if (options.baselineOnly) {
      const baseline = await pickVersionOf(versions, CompareText.pickBaseline(), versions[0]?.id);
      return baseline ? [baseline, baseline] : undefined;
    }
    if (versions.length < 2) {
      void vscode.window.showInformationMessage(CompareText.oneVersion(labelText(pickedAsset.asset.name, 60)));
      return undefined;
    }
    const newer = await pickVersionOf(versions, CompareText.pickNewer(), versions[0].id);
    if (!newer) return undefined;

    const rest = versions.filter((version) => version.id !== newer);
    const newerOrdinal = versions.find((version) => version.id === newer)?.ordinal ?? 0;
    const baseline = rest.find((version) => version.id === this.baselineId) ?? rest.find((version) => version.ordinal < newerOrdinal) ?? rest[0];
    const older = await pickVersionOf(rest, CompareText.pickBaseline(), baseline?.id);
    if (!older) return undefined;

    return [older, newer];
  }

  /** Orders two versions of one asset older first; versions of different assets keep the given order. */
  private ordered(first: string, second: string): [string, string] {
    const a = this.stores.findVersion(first)?.version;
    const b = this.stores.findVersion(second)?.version;
    if (a && b && a.type === b.type && a.name === b.name && a.ordinal > b.ordinal) return [second, first];

    return [first, second];
  }

  private async setBaselineContext(): Promise<void> {
    await vscode.commands.executeCommand('setContext', ContextKeys.compareBaseline, this.baselineId !== undefined);
  }
}

function assetsOf(root: StoreRoot): AssetSummary[] {
  return root.index?.assets() ?? [];
}

/** Quick pick of versions, with `firstId` on top so Enter takes the default. */
async function pickVersionOf(versions: AssetVersion[], placeHolder: string, firstId: string | undefined): Promise<string | undefined> {
  const sorted = [...versions].sort((x, y) => Number(y.id === firstId) - Number(x.id === firstId) || y.ordinal - x.ordinal);
  const items = sorted.map((version) => ({
    label: labelText(version.label, 60),
    description: [version.createdAt?.iso, version.runId ? Text.runLabel(version.runId.slice(0, 8)) : undefined].filter(Boolean).join(' · '),
    id: version.id,
  }));
  const picked = await vscode.window.showQuickPick(items, { placeHolder, matchOnDescription: true });

  return picked?.id;
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
