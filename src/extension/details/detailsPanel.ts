/**
 * The details panel: one webview that shows one asset version at a time and
 * follows store reloads. It survives a window reload through a serializer
 * that reopens the version recorded in the webview's state.
 */
import * as vscode from 'vscode';
import { describeError, type AssetVersion, type VersionDetails, type WorkspaceIndex } from '../../core';
import { isDetailsToHostMessage, isDetailsViewState, type DetailsSection, type DetailsToHostMessage, type HostToDetailsMessage } from '../../protocol/details';
import { labelText } from '../format';
import { ContextKeys, WebviewTypes } from '../ids';
import type { Log } from '../log';
import { Errors, Text } from '../messages';
import type { StoreService } from '../stores/storeService';
import { WebviewChannel } from '../webview/channel';
import { renderPanelHtml, webviewPanelOptions } from '../webview/panelResources';
import { detailsStrings, FULL_LOAD_CEILING_BYTES, toDetailsView } from './detailsView';

const SHOWN_ID_KEY = 'flowyml.details.shownId';

type ActionMessage = Exclude<DetailsToHostMessage, { type: 'ready' } | { type: 'log' }>;

/** Builds sections that other features add after the type-specific ones, such as where the version is stored. */
export type ExtraDetailsSections = (index: WorkspaceIndex, version: AssetVersion, details: VersionDetails) => DetailsSection[];

export class DetailsPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private channel: WebviewChannel<HostToDetailsMessage, DetailsToHostMessage> | undefined;
  private panelSubscriptions: vscode.Disposable[] = [];
  private currentId: string | undefined;
  /** The version whose metadata the user chose to load past the details cap ("Load anyway"). */
  private fullId: string | undefined;
  /** Counts requests, so a slow load never overwrites the result of a newer one. */
  private requestCount = 0;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    /** Workspace state, where the shown version id is kept for reviving the panel. */
    private readonly memento: vscode.Memento,
    private readonly stores: StoreService,
    private readonly log: Log,
    private readonly extraSections?: ExtraDetailsSections,
  ) {
    this.subscriptions.push(
      vscode.window.registerWebviewPanelSerializer(WebviewTypes.details, {
        deserializeWebviewPanel: async (panel, state) => {
          this.adopt(panel);
          // The webview's own state can be missing when the window closed right after it changed.
          const id = isDetailsViewState(state) ? state.id : this.memento.get<string>(SHOWN_ID_KEY);
          if (id) await this.show(id);
          else panel.dispose();
        },
      }),
      stores.onDidChange(() => {
        if (this.panel && this.currentId) void this.show(this.currentId, { reveal: false });
      }),
    );
  }

  /** The version the panel shows, if it is open. */
  get shownId(): string | undefined {
    return this.panel ? this.currentId : undefined;
  }

  /** Opens the panel (or reuses it) on a version and loads its details. */
  async show(id: string, options: { reveal?: boolean; full?: boolean } = {}): Promise<void> {
    const panel = this.panel ?? this.adopt(vscode.window.createWebviewPanel(
      WebviewTypes.details,
      Text.detailsLoadingTitle(),
      vscode.ViewColumn.Active,
      { ...webviewPanelOptions(this.extensionUri), retainContextWhenHidden: false },
    ));
    if (options.reveal !== false) panel.reveal(undefined, false);
    this.currentId = id;
    if (options.full) this.fullId = id;
    else if (this.fullId !== id) this.fullId = undefined;
    void this.memento.update(SHOWN_ID_KEY, id);
    const request = ++this.requestCount;
    const channel = this.channel;
    if (!channel) return;

    await this.stores.whenLoaded();
    const found = this.stores.findVersion(id);
    if (!found?.root.index) {
      channel.post({ type: 'error', id, message: Errors.versionNotFound(id) });
      return;
    }

    channel.post({ type: 'loading', id });
    void vscode.commands.executeCommand('setContext', ContextKeys.detailsShowsPrompt, found.version.type === 'Prompt');
    try {
      const details = await found.root.index.details(found.version.id, { full: this.fullId === id });
      const l10n = { t: vscode.l10n.t, language: vscode.env.language };
      const view = await toDetailsView(details, found.root.index, l10n);
      if (this.extraSections) view.sections.push(...this.extraSections(found.root.index, found.version, details));
      if (request !== this.requestCount) return;

      panel.title = Text.detailsTitle(labelText(found.version.name, 40), labelText(found.version.label, 20));
      channel.clearQueue();
      channel.post({ type: 'show', details: view, strings: detailsStrings(l10n) });
      this.log.debug(`Showed details of ${id}`);
    } catch (error) {
      if (request !== this.requestCount) return;
      this.log.error(`Couldn't load the details of ${id}`, error);
      channel.post({ type: 'error', id, message: Errors.showDetails(id, describeError(error)) });
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
    this.channel = new WebviewChannel(panel.webview, 'details', isDetailsToHostMessage, (message) => void this.handle(message), this.log);
    panel.webview.html = renderPanelHtml(panel.webview, this.extensionUri, 'details', Text.detailsLoadingTitle());
    const channel = this.channel;
    this.panelSubscriptions = [
      channel,
      // Without retainContextWhenHidden, hiding the panel destroys its document
      // and showing it loads a new one, which posts `ready` again and must be
      // sent the version anew, or the panel comes back blank.
      panel.onDidChangeViewState(() => {
        if (!panel.visible) channel.reset();
        else if (this.panel === panel && this.currentId) void this.show(this.currentId, { reveal: false });
      }),
      panel.onDidDispose(() => {
        if (this.panel !== panel) return;
        this.panel = undefined;
        this.channel = undefined;
        this.currentId = undefined;
        this.disposePanelSubscriptions();
      }),
    ];

    return panel;
  }

  private async handle(message: ActionMessage): Promise<void> {
    switch (message.type) {
      case 'openVersion':
        await this.show(message.id);
        return;
      case 'loadFull':
        await this.loadFull(message.id);
        return;
      case 'copyText':
        await vscode.env.clipboard.writeText(message.text);
        vscode.window.setStatusBarMessage(Text.copiedToClipboard(labelText(message.text, 60)), 3000);
        return;
      default: {
        const unhandled: never = message;
        this.log.warn(`Unhandled details message: ${JSON.stringify(unhandled)}`);
      }
    }
  }

  /** Reloads the shown version with its metadata in full, up to the panel's ceiling. */
  private async loadFull(id: string): Promise<void> {
    if (id !== this.currentId) return;
    const version = this.stores.findVersion(id)?.version;
    if (version && version.metadataBytes > FULL_LOAD_CEILING_BYTES) {
      void vscode.window.showWarningMessage(vscode.l10n.t(
        'The metadata of {0} is {1} bytes, above the {2} bytes the details panel loads. Read it with "flowyml-assets show --full {3}".',
        version.name, version.metadataBytes, FULL_LOAD_CEILING_BYTES, version.id,
      ));
      return;
    }
    this.log.info(`Loading the details of ${id} in full`);
    await this.show(id, { reveal: false, full: true });
  }

  private disposePanelSubscriptions(): void {
    const subscriptions = this.panelSubscriptions;
    this.panelSubscriptions = [];
    for (const subscription of subscriptions) subscription.dispose();
  }
}
