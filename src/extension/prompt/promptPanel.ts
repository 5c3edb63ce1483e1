/**
 * The prompt preview panel: one webview that shows one prompt at a time, a
 * stored Prompt version or a template from source code. The webview renders
 * as the user types. The host renders again for "Copy Rendered" and "Open as
 * Document", so the text that leaves the panel comes from the same core as
 * the CLI's.
 */
import * as vscode from 'vscode';
import { describeError } from '../../core';
import { isPromptToHostMessage, isPromptViewState, type HostToPromptMessage, type PromptAction, type PromptOrigin, type PromptToHostMessage, type VariableInputs } from '../../protocol/prompt';
import { labelText } from '../format';
import { WebviewTypes } from '../ids';
import type { Log } from '../log';
import { Errors, showError, Text } from '../messages';
import { WebviewChannel } from '../webview/channel';
import { renderPanelHtml, webviewPanelOptions } from '../webview/panelResources';
import type { PromptValues } from './promptValues';
import { promptStrings, renderDocument, type LoadedPrompt, type RenderedDocument } from './promptView';

type ActionMessage = Exclude<PromptToHostMessage, { type: 'ready' } | { type: 'log' }>;

export const l10n = { t: vscode.l10n.t, get language() { return vscode.env.language; } };

export class PromptPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private channel: WebviewChannel<HostToPromptMessage, PromptToHostMessage> | undefined;
  private panelSubscriptions: vscode.Disposable[] = [];
  private shown: LoadedPrompt | undefined;
  private readonly serializer: vscode.Disposable;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly values: PromptValues,
    private readonly log: Log,
    /** Loads a prompt again from its origin. Resolves to undefined, after telling the user, when the prompt is not found. */
    load: (origin: PromptOrigin) => Promise<LoadedPrompt | undefined>,
  ) {
    // Through the onWebviewPanel:flowyml.prompt activation event, VS Code passes back a panel that was open at the last window reload.
    this.serializer = vscode.window.registerWebviewPanelSerializer(WebviewTypes.prompt, {
      deserializeWebviewPanel: async (panel, state) => {
        const origin = isPromptViewState(state) ? state.origin : undefined;
        this.adopt(panel);
        const loaded = origin ? await load(origin) : undefined;
        if (!origin || !loaded) {
          this.log.info(`Closed a restored prompt panel: its prompt was not found (${origin?.kind === 'version' ? origin.id : 'source template'})`);
          panel.dispose();
          return;
        }
        if (this.panel === panel) this.show(loaded, origin);
      },
    });
  }

  /** Opens the panel (or reuses it) on a loaded prompt. */
  show(loaded: LoadedPrompt, origin: PromptOrigin): void {
    const panel = this.panel ?? this.adopt(vscode.window.createWebviewPanel(
      WebviewTypes.prompt,
      Text.promptPanelTitle(labelText(loaded.name, 40), ''),
      vscode.ViewColumn.Active,
      // Kept alive while hidden: the host sends the prompt once, and a reloaded
      // document would come back empty, with the values typed into it lost.
      { ...webviewPanelOptions(this.extensionUri), retainContextWhenHidden: true },
    ));
    panel.reveal(undefined, false);
    panel.title = Text.promptPanelTitle(labelText(loaded.name, 40), labelText(loaded.preview.versionLabel ?? '', 20));
    this.shown = loaded;
    this.channel?.clearQueue();
    this.channel?.post({
      type: 'show',
      preview: { ...loaded.preview, values: this.values.get(loaded.name) },
      strings: promptStrings(l10n),
      origin,
    });
    this.log.debug(`Showed the prompt preview of ${loaded.preview.id ?? loaded.name}`);
  }

  dispose(): void {
    this.serializer.dispose();
    this.panel?.dispose();
    this.disposePanelSubscriptions();
  }

  private adopt(panel: vscode.WebviewPanel): vscode.WebviewPanel {
    this.panel?.dispose();
    this.disposePanelSubscriptions();
    this.panel = panel;
    panel.webview.options = webviewPanelOptions(this.extensionUri);
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'flowyml.svg');
    this.channel = new WebviewChannel(panel.webview, 'prompt', isPromptToHostMessage, (message) => void this.handle(message), this.log);
    panel.webview.html = renderPanelHtml(panel.webview, this.extensionUri, 'prompt', Text.promptPanelTitle('', ''));
    this.panelSubscriptions = [
      this.channel,
      panel.onDidDispose(() => {
        if (this.panel !== panel) return;
        this.panel = undefined;
        this.channel = undefined;
        this.shown = undefined;
        this.disposePanelSubscriptions();
      }),
    ];

    return panel;
  }

  private async handle(message: ActionMessage): Promise<void> {
    switch (message.type) {
      case 'valuesChanged':
        if (this.shown?.name === message.name) await this.values.set(message.name, message.values);
        return;
      case 'action':
        await this.runAction(message.action, message.values);
        return;
      default: {
        const unhandled: never = message;
        this.log.warn(`Unhandled prompt panel message: ${JSON.stringify(unhandled)}`);
      }
    }
  }

  private async runAction(action: PromptAction, values: VariableInputs): Promise<void> {
    const shown = this.shown;
    if (!shown) return;

    await this.values.set(shown.name, values);
    const document = renderDocument(shown, values, l10n);
    if (!document.ok) {
      await showError(this.log, Errors.renderPrompt(shown.name, document.reason), document.error);
      return;
    }
    try {
      if (action === 'copy') {
        await vscode.env.clipboard.writeText(document.content);
        vscode.window.setStatusBarMessage(Text.copiedRendered(shown.name), 3000);
      } else {
        await openRenderedDocument(document, vscode.ViewColumn.Beside);
      }
    } catch (error) {
      await showError(this.log, Errors.renderPrompt(shown.name, describeError(error)), error);
    }
  }

  private disposePanelSubscriptions(): void {
    const subscriptions = this.panelSubscriptions;
    this.panelSubscriptions = [];
    for (const subscription of subscriptions) subscription.dispose();
  }
}

/** Opens a rendering in a new untitled editor. */
export async function openRenderedDocument(document: Extract<RenderedDocument, { ok: true }>, column?: vscode.ViewColumn): Promise<void> {
  const opened = await vscode.workspace.openTextDocument({ language: document.language, content: document.content });
  await vscode.window.showTextDocument(opened, { viewColumn: column, preview: false });
}
