/**
 * The artifact preview panel: one webview that shows the head rows, text,
 * image or facts of one materialized file. Reading is capped by the core and
 * can be cancelled from the panel, or by opening another file.
 */
import path from 'node:path';
import * as vscode from 'vscode';
import { describeError } from '../../core';
import { previewFile } from '../../core/stack';
import { isPreviewToHostMessage, type HostToPreviewMessage, type PreviewToHostMessage } from '../../protocol/preview';
import { labelText } from '../format';
import { WebviewTypes } from '../ids';
import type { Log } from '../log';
import { WebviewChannel } from '../webview/channel';
import { renderPanelHtml, webviewPanelOptions } from '../webview/panelResources';
import { StackErrors, StackText } from './stackMessages';

export class PreviewPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private channel: WebviewChannel<HostToPreviewMessage, PreviewToHostMessage> | undefined;
  private reading: AbortController | undefined;
  private shown: string | undefined;

  constructor(private readonly extensionUri: vscode.Uri, private readonly log: Log) {}

  /** The file the panel shows, if it is open. */
  get shownFile(): string | undefined {
    return this.panel ? this.shown : undefined;
  }

  /** Opens the panel on a file: `root` makes the shown path relative, `outside` adds a note. */
  async show(file: string, options: { title: string; root: string; outside: boolean }): Promise<void> {
    const panel = this.panel ?? this.create();
    panel.reveal(undefined, false);
    panel.title = StackText.previewTitle(labelText(options.title, 40));
    this.reading?.abort();
    const reading = new AbortController();
    this.reading = reading;
    this.shown = file;

    const display = options.outside ? file : path.relative(options.root, file).split(path.sep).join('/');
    const strings = StackText.previewStrings();
    this.channel?.post({ type: 'loading', file: display, strings });
    const started = Date.now();
    try {
      const result = await previewFile(file, { signal: reading.signal });
      if (reading.signal.aborted) return;
      this.channel?.post({
        type: 'show',
        view: { title: options.title, file: display, bytes: result.bytes, content: result.preview, note: options.outside ? StackText.previewNoteOutside() : undefined },
        strings,
      });
      this.log.debug(`Previewed ${file} (${result.preview.kind}) in ${Date.now() - started} ms`);
    } catch (error) {
      if (reading.signal.aborted && this.reading !== reading) return;
      this.log.warn(`Couldn't preview ${file}: ${describeError(error)}`);
      this.channel?.post({ type: 'error', message: StackErrors.preview(display, describeError(error)) });
    } finally {
      if (this.reading === reading) this.reading = undefined;
    }
  }

  dispose(): void {
    this.reading?.abort();
    this.panel?.dispose();
  }

  private create(): vscode.WebviewPanel {
    // The preview is small and cheap to keep, so its document survives being hidden.
    const panel = vscode.window.createWebviewPanel(WebviewTypes.preview, StackText.previewLoadingTitle(), vscode.ViewColumn.Active, { ...webviewPanelOptions(this.extensionUri), retainContextWhenHidden: true });
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'flowyml.svg');
    const channel = new WebviewChannel<HostToPreviewMessage, PreviewToHostMessage>(panel.webview, 'preview', isPreviewToHostMessage, (message) => {
      if (message.type === 'cancel') this.reading?.abort();
    }, this.log);
    panel.webview.html = renderPanelHtml(panel.webview, this.extensionUri, 'preview', StackText.previewLoadingTitle());
    panel.onDidDispose(() => {
      this.reading?.abort();
      channel.dispose();
      if (this.panel === panel) {
        this.panel = undefined;
        this.channel = undefined;
        this.shown = undefined;
      }
    });
    this.panel = panel;
    this.channel = channel;

    return panel;
  }
}
