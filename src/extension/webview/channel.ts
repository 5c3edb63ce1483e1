/**
 * A typed message channel to one webview. Messages posted before the webview
 * posts `ready` wait in a queue, because VS Code drops messages sent to a
 * webview whose script has not started listening yet.
 */
import * as vscode from 'vscode';
import type { ReadyMessage, WebviewLogMessage } from '../../protocol/common';
import type { Log } from '../log';

export class WebviewChannel<ToWebview, FromWebview extends { type: string }> implements vscode.Disposable {
  private ready = false;
  private queue: ToWebview[] = [];
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly webview: vscode.Webview,
    private readonly viewName: string,
    isMessage: (value: unknown) => value is FromWebview,
    onMessage: (message: Exclude<FromWebview, ReadyMessage | WebviewLogMessage>) => void,
    private readonly log: Log,
  ) {
    this.subscription = webview.onDidReceiveMessage((value: unknown) => {
      if (!isMessage(value)) {
        log.warn(`Ignored an invalid message from the ${viewName} webview: ${JSON.stringify(value)?.slice(0, 200)}`);
        return;
      }
      this.receive(value, onMessage);
    });
  }

  /** Sends now if the webview is ready, otherwise when it is. */
  post(message: ToWebview): void {
    if (!this.ready) {
      this.queue.push(message);
      return;
    }
    void this.webview.postMessage(message);
  }

  /** Marks the webview as not ready. Call it before replacing the HTML, whose new document posts `ready` again. */
  reset(): void {
    this.ready = false;
  }

  /** Drops queued messages, for a host that is about to send a newer state. */
  clearQueue(): void {
    this.queue = [];
  }

  dispose(): void {
    this.subscription.dispose();
    this.queue = [];
  }

  private receive(message: FromWebview, onMessage: (message: Exclude<FromWebview, ReadyMessage | WebviewLogMessage>) => void): void {
    if (isReady(message)) {
      this.ready = true;
      const pending = this.queue;
      this.queue = [];
      for (const queued of pending) void this.webview.postMessage(queued);
      return;
    }
    if (isLog(message)) {
      const text = `${this.viewName} webview: ${message.message}`;
      if (message.level === 'error') this.log.error(text);
      else this.log.warn(text);
      return;
    }
    onMessage(message as Exclude<FromWebview, ReadyMessage | WebviewLogMessage>);
  }
}

function isReady(message: { type: string }): message is ReadyMessage {
  return message.type === 'ready';
}

function isLog(message: { type: string }): message is WebviewLogMessage {
  return message.type === 'log';
}
