/**
 * The protocol between the artifact preview panel (webview/preview) and its
 * host (src/extension/stack). The host reads the file with a cap and sends
 * plain data; the webview renders it as text, a table or an image.
 */
import { isReadyMessage, isRecord, isWebviewLogMessage, type ReadyMessage, type WebviewLogMessage } from './common';

export interface PreviewFact {
  label: string;
  value: string;
}

/** The content read from the file: head rows, text, an image as base64 data, or facts. */
export type PreviewContent =
  | { kind: 'table'; format: string; columns: string[]; rows: string[][]; totalRows: number | undefined; truncated: boolean }
  | { kind: 'json' | 'text'; text: string; truncated: boolean }
  | { kind: 'image'; mime: string; base64: string }
  | { kind: 'summary'; facts: PreviewFact[]; warnings: string[] };

export interface PreviewView {
  title: string;
  /** The file as the user should read it: relative to the workspace when inside it. */
  file: string;
  bytes: number;
  content: PreviewContent;
  /** A line shown above the content, such as "outside the workspace". */
  note?: string;
}

export interface PreviewStrings {
  cancel: string;
  loading: string;
  /** A text or table cut at the byte limit of the preview. */
  truncated: string;
  /** A table showing its first rows of more. */
  moreRows: string;
  rowsOf: string;
  bytes: string;
  warnings: string;
}

export type HostToPreviewMessage =
  | { type: 'loading'; file: string; strings: PreviewStrings }
  | { type: 'show'; view: PreviewView; strings: PreviewStrings }
  | { type: 'error'; message: string };

export type PreviewToHostMessage =
  | ReadyMessage
  | WebviewLogMessage
  | { type: 'cancel' };

export function isPreviewToHostMessage(value: unknown): value is PreviewToHostMessage {
  if (isReadyMessage(value) || isWebviewLogMessage(value)) return true;

  return isRecord(value) && value.type === 'cancel';
}

export function isHostToPreviewMessage(value: unknown): value is HostToPreviewMessage {
  if (!isRecord(value)) return false;

  switch (value.type) {
    case 'loading':
      return typeof value.file === 'string' && isRecord(value.strings);
    case 'show':
      return isRecord(value.view) && isRecord(value.view.content) && isRecord(value.strings);
    case 'error':
      return typeof value.message === 'string';
    default:
      return false;
  }
}
