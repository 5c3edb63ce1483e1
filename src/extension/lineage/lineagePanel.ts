/**
 * The lineage panel: one webview that draws the lineage around one version,
 * follows store reloads in place, and survives a window reload through a
 * serializer that reopens the focus and depth recorded in the webview state.
 */
import * as vscode from 'vscode';
import { describeError } from '../../core';
import { isReadyMessage } from '../../protocol/common';
import type { LineageGraph } from '../../core/api';
import {
  DEFAULT_LINEAGE_DEPTH, isLineageToHostMessage, isLineageViewState,
  type HostToLineageMessage, type LineageDepth, type LineageExportFormat, type LineageToHostMessage,
} from '../../protocol/lineage';
import { labelText } from '../format';
import { Commands, WebviewTypes } from '../ids';
import type { Log } from '../log';
import { Errors, showError, Text } from '../messages';
import type { StoreService } from '../stores/storeService';
import { WebviewChannel } from '../webview/channel';
import { renderPanelHtml, webviewPanelOptions } from '../webview/panelResources';
import { staleIdsOf } from '../provenance/staleCache';
import { lineageAround, lineageExportText, lineageStrings } from './lineageView';

const SHOWN_KEY = 'flowyml.lineage.shown';

type ActionMessage = Exclude<LineageToHostMessage, { type: 'ready' } | { type: 'log' }>;

interface Shown {
  id: string;
  depth: LineageDepth;
}

export class LineagePanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private channel: WebviewChannel<HostToLineageMessage, LineageToHostMessage> | undefined;
  private panelSubscriptions: vscode.Disposable[] = [];
  private shown: Shown | undefined;
  private graph: LineageGraph | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    /** Workspace state, where the shown focus and depth are kept for reviving the panel. */
    private readonly memento: vscode.Memento,
    private readonly stores: StoreService,
    private readonly log: Log,
    /** Lookup of a step's Python definitions through the language server, by the step's store name. */
    private readonly locateStep: (step: string) => Promise<vscode.Location[]> = async () => [],
  ) {
    this.subscriptions.push(
      vscode.window.registerWebviewPanelSerializer(WebviewTypes.lineage, {
        deserializeWebviewPanel: async (panel, state) => {
          this.adopt(panel);
          // The webview's own state can be missing when the window closed right after it changed.
          const shown = isLineageViewState(state) ? { id: state.focusId, depth: state.depth } : this.memento.get<Shown>(SHOWN_KEY);
          if (shown) await this.show(shown.id, { depth: shown.depth });
          else panel.dispose();
        },
      }),
      stores.onDidChange(() => {
        if (this.panel && this.shown) void this.show(this.shown.id, { depth: this.shown.depth, reveal: false });
      }),
    );
  }

  /** The focus version of the open panel. */
  get shownId(): string | undefined {
    return this.panel ? this.shown?.id : undefined;
  }

  /** Opens the panel (or reuses it) on a version and sends its lineage. */
  async show(id: string, options: { depth?: LineageDepth; reveal?: boolean } = {}): Promise<void> {
    const panel = this.panel ?? this.adopt(vscode.window.createWebviewPanel(
      WebviewTypes.lineage,
      Text.lineageLoadingTitle(),
      vscode.ViewColumn.Active,
      { ...webviewPanelOptions(this.extensionUri), retainContextWhenHidden: false },
    ));
    if (options.reveal !== false) panel.reveal(undefined, false);
    const depth = options.depth ?? (this.shown?.id === id ? this.shown.depth : DEFAULT_LINEAGE_DEPTH);
    this.shown = { id, depth };
    void this.memento.update(SHOWN_KEY, this.shown);
    const channel = this.channel;
    if (!channel) return;

    await this.stores.whenLoaded();
    const found = this.stores.findVersion(id);
    const started = Date.now();
    const around = found?.root.index ? lineageAround(found.root.index, id, depth) : undefined;
    if (!found || !around) {
      channel.post({ type: 'error', message: Errors.versionNotFound(id) });
      return;
    }

    this.graph = around.graph;
    panel.title = Text.lineageTitle(labelText(found.version.name, 40), labelText(found.version.label, 20));
    channel.clearQueue();
    const l10n = { t: vscode.l10n.t, language: vscode.env.language };
    const stale = staleIdsOf(found.root.index!);
    const staleIds = around.graph.nodes.filter((node) => stale.has(node.id)).map((node) => node.id);
    channel.post({ type: 'graph', focusId: around.focusId, graph: around.graph, depth, strings: lineageStrings(l10n), staleIds });
    this.log.debug(`Sent the lineage of ${id} (${around.graph.nodes.length} nodes, ${around.graph.edges.length} edges) in ${Date.now() - started} ms`);
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
    this.channel = new WebviewChannel(panel.webview, 'lineage', isLineageToHostMessage, (message) => void this.handle(message), this.log);
    panel.webview.html = renderPanelHtml(panel.webview, this.extensionUri, 'lineage', Text.lineageLoadingTitle(), { allowWorkers: true });
    let readyCount = 0;
    this.panelSubscriptions = [
      this.channel,
      // A hidden panel loses its document, and the one VS Code makes when it is shown again posts `ready` once more
      // and restores only the view state, so the graph is sent again.
      panel.webview.onDidReceiveMessage((message: unknown) => {
        if (!isReadyMessage(message) || readyCount++ === 0 || !this.shown) return;
        void this.show(this.shown.id, { depth: this.shown.depth, reveal: false });
      }),
      panel.onDidDispose(() => {
        if (this.panel !== panel) return;
        this.panel = undefined;
        this.channel = undefined;
        this.shown = undefined;
        this.graph = undefined;
        this.disposePanelSubscriptions();
      }),
    ];

    return panel;
  }

  private async handle(message: ActionMessage): Promise<void> {
    switch (message.type) {
      case 'setDepth':
        if (this.shown) await this.show(this.shown.id, { depth: message.depth, reveal: false });
        return;
      case 'refocus':
        await this.show(message.id, { depth: this.shown?.depth, reveal: false });
        return;
      case 'openDetails':
        await vscode.commands.executeCommand(Commands.showDetails, message.id);
        return;
      case 'openStepCode':
        await this.openStepCode(message.id);
        return;
      case 'export':
        await this.export(message.format, message.content);
        return;
      default: {
        const unhandled: never = message;
        this.log.warn(`Unhandled lineage message: ${JSON.stringify(unhandled)}`);
      }
    }
  }

  /** Opens the function that defines a step node's step, asking which one when several do. */
  private async openStepCode(nodeId: string): Promise<void> {
    const node = this.graph?.nodes.find((candidate) => candidate.id === nodeId);
    if (node?.kind !== 'step') return;
    const locations = await this.locateStep(node.name);
    let target = locations[0];
    if (locations.length === 0) {
      void vscode.window.showInformationMessage(Text.stepCodeNotFound(labelText(node.name, 80)));
      return;
    }
    if (locations.length > 1) {
      const picked = await vscode.window.showQuickPick(
        locations.map((location) => ({
          label: vscode.workspace.asRelativePath(location.uri),
          description: `:${location.range.start.line + 1}`,
          location,
        })),
        { placeHolder: Text.stepCodeChoose(labelText(node.name, 80)) },
      );
      if (!picked) return;
      target = picked.location;
    }
    await vscode.window.showTextDocument(target.uri, { selection: target.range, viewColumn: vscode.ViewColumn.One });
  }

  /** Asks where to save, then writes the webview's drawing (SVG, PNG) or the host's graph (JSON, DOT, Mermaid). */
  private async export(format: LineageExportFormat, content: string | undefined): Promise<void> {
    const graph = this.graph;
    const shown = this.shown;
    if (!graph || !shown) return;

    let bytes: Uint8Array;
    if (format === 'svg' || format === 'png') {
      if (content === undefined) {
        this.log.warn(`The lineage webview sent a ${format} export without content`);
        return;
      }
      bytes = format === 'png' ? Buffer.from(content, 'base64') : Buffer.from(content, 'utf8');
    } else {
      bytes = Buffer.from(lineageExportText(graph, format), 'utf8');
    }

    const extension = format === 'mermaid' ? 'mmd' : format;
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = `lineage-${safeFileName(this.stores.findVersion(shown.id)?.version.name ?? 'graph')}.${extension}`;
    const target = await vscode.window.showSaveDialog({
      defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
      filters: { [format.toUpperCase()]: [extension] },
      title: Text.lineageExportTitle(format.toUpperCase()),
    });
    if (!target) return;

    try {
      await vscode.workspace.fs.writeFile(target, bytes);
      this.log.info(`Exported the lineage of ${shown.id} as ${format} to ${target.fsPath} (${bytes.length} bytes)`);
      vscode.window.setStatusBarMessage(Text.lineageExported(target.fsPath), 5000);
    } catch (error) {
      await showError(this.log, Errors.exportLineage(target.fsPath, describeError(error)), error);
    }
  }

  private disposePanelSubscriptions(): void {
    const subscriptions = this.panelSubscriptions;
    this.panelSubscriptions = [];
    for (const subscription of subscriptions) subscription.dispose();
  }
}

/** Returns a default file name from a store name, keeping its letters, digits, dots, dashes and underscores. */
function safeFileName(name: string): string {
  const cleaned = name.replace(/[^\p{L}\p{N}._-]+/gu, '_').slice(0, 60);

  return cleaned || 'graph';
}
