/**
 * The protocol between the compare panel (webview/compare) and its host
 * (src/extension/compare). The host sends the comparison as the text of
 * `comparisonToJson`, which keeps NaN, ±Infinity and big integers exact, and
 * the webview parses it with the tolerant JSON reader.
 */
import { isReadyMessage, isRecord, isWebviewLogMessage, type ReadyMessage, type WebviewLogMessage } from './common';

/** The panel's fixed texts, localised by the host. */
export interface CompareStrings {
  baseline: string;
  candidate: string;
  field: string;
  change: string;
  showAll: string;
  /** `{changed}`, `{added}`, `{removed}` and `{unchanged}` are counts. */
  counts: string;
  noChanges: string;
  fields: string;
  schema: string;
  columns: string;
  rows: string;
  features: string;
  noSchemaChange: string;
  statsBySummary: string;
  config: string;
  finalMetrics: string;
  history: string;
  metrics: string;
  checkpoint: string;
  prompt: string;
  template: string;
  templateChanged: string;
  templateUnchanged: string;
  variablesAdded: string;
  variablesRemoved: string;
  modelConfig: string;
  properties: string;
  inputs: string;
  noInputs: string;
  sameInputs: string;
  compareInput: string;
  openDiff: string;
  diffTemplate: string;
  diffProperties: string;
  loadAll: string;
  summarized: string;
  exportMarkdown: string;
  exportJson: string;
  copyMarkdown: string;
  swap: string;
  none: string;
  notes: string;
  /** The heading of the inputs table's column of input names. */
  input: string;
}

export type HostToCompareMessage =
  | { type: 'loading' }
  | { type: 'show'; json: string; strings: CompareStrings }
  | { type: 'error'; message: string };

/** Requests the panel sends about the shown comparison: exports, "Load All" and swapping A and B. */
export type CompareAction = 'exportMarkdown' | 'exportJson' | 'copyMarkdown' | 'loadAll' | 'swap';

export type CompareToHostMessage =
  | ReadyMessage
  | WebviewLogMessage
  | { type: 'action'; action: CompareAction }
  /** Opens VS Code's diff editor on one field of both versions; `template` is a prompt's template text. */
  | { type: 'openDiff'; path: string }
  /** Opens the comparison of one input pair. */
  | { type: 'compareInputs'; a: string; b: string }
  | { type: 'openVersion'; id: string };

/** View state the webview keeps through `setState`. */
export interface CompareViewState {
  /** The compared ids, so the serializer can reopen the comparison after a reload. */
  a: string;
  b: string;
  showAll: boolean;
}

const ACTIONS: readonly string[] = ['exportMarkdown', 'exportJson', 'copyMarkdown', 'loadAll', 'swap'] satisfies CompareAction[];

export function isCompareToHostMessage(value: unknown): value is CompareToHostMessage {
  if (isReadyMessage(value) || isWebviewLogMessage(value)) return true;
  if (!isRecord(value)) return false;

  switch (value.type) {
    case 'action':
      return typeof value.action === 'string' && ACTIONS.includes(value.action);
    case 'openDiff':
      return typeof value.path === 'string';
    case 'compareInputs':
      return typeof value.a === 'string' && typeof value.b === 'string';
    case 'openVersion':
      return typeof value.id === 'string';
    default:
      return false;
  }
}

export function isHostToCompareMessage(value: unknown): value is HostToCompareMessage {
  if (!isRecord(value)) return false;

  switch (value.type) {
    case 'loading':
      return true;
    case 'show':
      return typeof value.json === 'string' && isRecord(value.strings);
    case 'error':
      return typeof value.message === 'string';
    default:
      return false;
  }
}

export function isCompareViewState(value: unknown): value is CompareViewState {
  return isRecord(value) && typeof value.a === 'string' && typeof value.b === 'string' && typeof value.showAll === 'boolean';
}
