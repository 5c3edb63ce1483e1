/**
 * The webview side of a panel's channel to the extension host. VS Code
 * injects `acquireVsCodeApi` into every webview; it may be called once.
 */
import type { WebviewLogMessage } from '../../src/protocol/common';

interface VsCodeApi<State> {
  postMessage(message: unknown): void;
  getState(): State | undefined;
  setState(state: State): void;
}

declare function acquireVsCodeApi<State>(): VsCodeApi<State>;

export class HostChannel<ToHost extends { type: string }, State> {
  private readonly api: VsCodeApi<State> = acquireVsCodeApi<State>();

  post(message: ToHost | WebviewLogMessage): void {
    this.api.postMessage(message);
  }

  getState(): State | undefined {
    return this.api.getState();
  }

  setState(state: State): void {
    this.api.setState(state);
  }

  /** Forwards uncaught errors to the host's log, where users and tests can see them. */
  forwardErrors(): void {
    window.addEventListener('error', (event) => {
      this.post({ type: 'log', level: 'error', message: `${event.message} (${event.filename}:${event.lineno})` });
    });
    window.addEventListener('unhandledrejection', (event) => {
      const reason: unknown = event.reason;
      this.post({ type: 'log', level: 'error', message: reason instanceof Error ? reason.message : String(reason) });
    });
  }
}
