/**
 * Messages every webview shares with its host. Only plain data crosses the
 * boundary: strings, numbers, booleans, arrays and objects of them.
 */

/** The first message a webview posts. The host queues its own messages until it arrives. */
export interface ReadyMessage {
  type: 'ready';
}

/** An error or warning the webview caught, forwarded to the host's log. */
export interface WebviewLogMessage {
  type: 'log';
  level: 'error' | 'warn';
  message: string;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isReadyMessage(value: unknown): value is ReadyMessage {
  return isRecord(value) && value.type === 'ready';
}

export function isWebviewLogMessage(value: unknown): value is WebviewLogMessage {
  return isRecord(value)
    && value.type === 'log'
    && (value.level === 'error' || value.level === 'warn')
    && typeof value.message === 'string';
}
