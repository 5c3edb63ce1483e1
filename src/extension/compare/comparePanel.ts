/**
 * The compare panel: one webview that shows the comparison of two versions
 * and recomputes it after each store reload. It survives a window reload
 * through a serializer that reads both ids from the webview's state.
 */
import * as vscode from 'vscode';
import { compareVersions, comparisonToJson, describeError, type Comparison } from '../../core';
import { isCompareToHostMessage, isCompareViewState, type CompareToHostMessage, type HostToCompareMessage } from '../../protocol/compare';
import { labelText } from '../format';
import { WebviewTypes } from '../ids';
import type { Log } from '../log';
import { CompareText, Errors } from '../messages';
import type { StoreService } from '../stores/storeService';
import { WebviewChannel } from '../webview/channel';
import { renderPanelHtml, webviewPanelOptions } from '../webview/panelResources';
import { compareStrings } from './compareStrings';

type ActionMessage = Exclude<CompareToHostMessage, { type: 'ready' } | { type: 'log' }>;

export interface ComparedPair {
  a: string;
  b: string;
  /** Compare huge properties whole rather than by SHA-256. */
  full: boolean;
}

export class ComparePanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private channel: WebviewChannel<HostToCompareMessage, CompareToHostMessage> | undefined;
  private panelSubscriptions: vscode.Disposable[] = [];
  private pair: ComparedPair | undefined;
  private comparison: Comparison | undefined;
  /** The last `show` message, sent again when the panel's document is reloaded. */
  private lastShown: HostToCompareMessage | undefined;
  /** Counts requests, so a slow comparison never overwrites a newer one. */
  private requestCount = 0;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly stores: StoreService,
    private readonly log: Log,
    /** Runs what the panel's buttons ask for that is not drawing: diffs, exports, details. */
    private readonly onAction: (message: ActionMessage, comparison: Comparison, pair: ComparedPair) => Promise<void>,
  ) {
    this.subscriptions.push(
      // The onWebviewPanel:flowyml.compare activation event lets VS Code revive the panel after a reload.
      vscode.window.registerWebviewPanelSerializer(WebviewTypes.compare, {
        deserializeWebviewPanel: async (panel, state) => {
          this.adopt(panel);
          if (isCompareViewState(state)) await this.show(state.a, state.b, { reveal: false });
          else panel.dispose();
        },
      }),
      stores.onDidChange(() => {
        if (this.panel && this.pair) void this.show(this.pair.a, this.pair.b, { reveal: false, full: this.pair.full });
      }),
    );
  }

  /** The comparison the panel shows, once it has loaded. */
  get shown(): Comparison | undefined {
    return this.panel ? this.comparison : undefined;
  }

  /** Opens the panel (or reuses it) and compares version `a` (the baseline) with version `b`. */
  async show(a: string, b: string, options: { reveal?: boolean; full?: boolean } = {}): Promise<void> {
    const panel = this.panel ?? this.adopt(vscode.window.createWebviewPanel(
      WebviewTypes.compare,
      CompareText.loadingTitle(),
      vscode.ViewColumn.Active,
      { ...webviewPanelOptions(this.extensionUri), retainContextWhenHidden: false },
    ));
    if (options.reveal !== false) panel.reveal(undefined, false);
    this.pair = { a, b, full: options.full === true };
    this.comparison = undefined;
    this.lastShown = undefined;
    const request = ++this.requestCount;
    const channel = this.channel;
    if (!channel) return;

    channel.post({ type: 'loading' });
    await this.stores.whenLoaded();
    const foundA = this.stores.findVersion(a);
    const foundB = this.stores.findVersion(b);
    const missing = [foundA ? undefined : a, foundB ? undefined : b].filter((id): id is string => id !== undefined);
    if (missing.length > 0 || !foundA?.root.index || !foundB?.root.index) {
      channel.post({ type: 'error', message: Errors.versionNotFound(missing.join(', ') || a) });
      return;
    }
    if (foundA.root !== foundB.root) {
      channel.post({ type: 'error', message: CompareText.differentFolders(foundA.root.name, foundB.root.name) });
      return;
    }

    try {
      const started = Date.now();
      const comparison = await compareVersions(foundA.root.index, foundA.version.id, foundB.version.id, { full: options.full === true });
      if (request !== this.requestCount) return;

      this.comparison = comparison;
      panel.title = CompareText.panelTitle(labelText(comparison.b.name, 30), labelText(comparison.a.label, 16), labelText(comparison.b.label, 16));
      channel.clearQueue();
      this.lastShown = { type: 'show', json: comparisonToJson(comparison), strings: compareStrings({ t: vscode.l10n.t, language: vscode.env.language }) };
      channel.post(this.lastShown);
      this.log.debug(`Compared ${a} with ${b} in ${Date.now() - started} ms`);
    } catch (error) {
      if (request !== this.requestCount) return;
      this.log.error(`Couldn't compare ${a} with ${b}`, error);
      channel.post({ type: 'error', message: CompareText.compareFailed(describeError(error)) });
    }
  }

  dispose(): void {
    this.panel?.dispose();
    this.disposePanelSubscriptions();
    for (const subscription of this.subscriptions) subscription.dispose();
  }

  /** Takes ownership of a new or revived panel: HTML, message channel and disposal. */
  private adopt(panel: vscode.WebviewPanel): vscode.WebviewPanel {
    this.panel?.dispose();
    this.disposePanelSubscriptions();
    this.panel = panel;
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'flowyml.svg');
    panel.webview.options = webviewPanelOptions(this.extensionUri);
    this.channel = new WebviewChannel(panel.webview, 'compare', isCompareToHostMessage, (message) => void this.handle(message), this.log);
    panel.webview.html = renderPanelHtml(panel.webview, this.extensionUri, 'compare', CompareText.loadingTitle());
    const channel = this.channel;
    this.panelSubscriptions = [
      channel,
      // Without retainContextWhenHidden, hiding the panel destroys its document, and the new
      // document that showing it loads posts `ready` again and needs the comparison again.
      panel.onDidChangeViewState(() => {
        if (!panel.visible) channel.reset();
        else if (this.panel === panel && this.lastShown) channel.post(this.lastShown);
      }),
      panel.onDidDispose(() => {
        if (this.panel !== panel) return;
        this.panel = undefined;
        this.channel = undefined;
        this.pair = undefined;
        this.comparison = undefined;
        this.lastShown = undefined;
        this.disposePanelSubscriptions();
      }),
    ];

    return panel;
  }

  private async handle(message: ActionMessage): Promise<void> {
    const { comparison, pair } = this;
    if (!comparison || !pair) return;

    try {
      if (message.type === 'action' && message.action === 'loadAll') await this.show(pair.a, pair.b, { full: true });
      else if (message.type === 'action' && message.action === 'swap') await this.show(pair.b, pair.a, { full: pair.full });
      else if (message.type === 'compareInputs') await this.show(message.a, message.b);
      else await this.onAction(message, comparison, pair);
    } catch (error) {
      this.log.error(`Compare panel action ${JSON.stringify(message)} failed`, error);
      void vscode.window.showErrorMessage(CompareText.actionFailed(describeError(error)));
    }
  }

  private disposePanelSubscriptions(): void {
    const subscriptions = this.panelSubscriptions;
    this.panelSubscriptions = [];
    for (const subscription of subscriptions) subscription.dispose();
  }
}
