/**
 * The protocol between the prompt preview panel (webview/prompt) and its host
 * (src/extension/prompt). The host sends the template source once; the
 * webview parses and renders it with the same core modules on every
 * keystroke, and sends the variable inputs back when the user copies the
 * result, opens it as a document, or edits a value that the host remembers.
 */
import {
  parseJsonValue, parsePythonListPrefix, parseTemplate, pyDictGet, pyList, pyRepr, pyStr,
  type ChatTemplateMessage, type PromptTemplate, type PyValue,
} from '../core/prompt/index';
import { isPromptTemplateArgument, type PromptTemplateArgument } from './lsp';
import { isReadyMessage, isRecord, isWebviewLogMessage, type ReadyMessage, type WebviewLogMessage } from './common';

/** One variable's input: text becomes a Python str; JSON mode reads numbers, lists, dicts, booleans and null. */
export interface VariableInput {
  mode: 'text' | 'json';
  text: string;
}

export type VariableInputs = Record<string, VariableInput>;

/**
 * The template as plain data. A chat template crosses as the Python repr of
 * its message list, which the webview reads back with the core's literal
 * parser, so every key and value type survives without a second encoding.
 */
export type PreviewTemplateSource =
  | { kind: 'text'; text: string }
  | { kind: 'chat'; messagesRepr: string };

export interface PromptPreview {
  /** The prompt's name, the key under which the last-used values are kept. */
  name: string;
  /** `v2.0.0 (#5)`, or undefined for a template from source code. */
  versionLabel: string | undefined;
  /** The version id, or undefined for a template from source code. */
  id: string | undefined;
  /** Where the template was read from, as a sentence fragment for people. */
  sourceText: string;
  template: PreviewTemplateSource;
  /** `cut` templates are shown but never rendered; `possibly-cut` ones render with a warning. */
  completeness: 'complete' | 'cut' | 'possibly-cut';
  /** Why the template is not complete. */
  note: string | undefined;
  /** The stored `variables` property, when the version has one. */
  storedVariables: string[] | undefined;
  /** The `model` setting when it is a string; it selects the tokenizer for token counts. */
  model: string | undefined;
  /** `model`, `temperature`, `max_tokens` and any other model setting, as display text. */
  modelSettings: { key: string; value: string }[];
  /** The values last used for this prompt name. */
  values: VariableInputs;
}

/** The panel's fixed texts, localised by the host. */
export interface PromptStrings {
  template: string;
  variables: string;
  output: string;
  modelSettings: string;
  noModelSettings: string;
  jsonMode: string;
  copyRendered: string;
  openDocument: string;
  /** `{count}` is a number of characters. */
  characters: string;
  /** `{count}` is a number of tokens, `{encoding}` the tokenizer's encoding name. */
  tokens: string;
  /** Added after a chat prompt's token count. */
  tokensChatOverhead: string;
  /** Why no token count is shown for a model; `{model}` is the model name. */
  tokensUnavailable: string;
  /** Why no token count is shown for a prompt with no `model` setting. */
  tokensNoModel: string;
  missing: string;
  unused: string;
  /** `{names}` is the list of names. */
  missingList: string;
  /** `{names}` is the list of names. */
  unusedList: string;
  noVariables: string;
  /** Tooltip of the button that removes a value, so the variable is missing again. */
  unsetValue: string;
  incomplete: string;
  cutNotRendered: string;
  /** `{exception}` is the exception class, `{message}` Python's message, `{place}` the place ("line 2, column 5"). */
  errorAt: string;
  /** `{line}` and `{column}`, counted from 1. */
  lineColumn: string;
  /** `{message}` is the message number, `{line}` and `{column}` the place in its content, all from 1. */
  messageLineColumn: string;
  invalidJson: string;
  storedVariables: string;
  parsedVariables: string;
  variablesDiffer: string;
  noRole: string;
  /** `{type}` is the Python type of a content that is not a str. */
  contentNotText: string;
  /** `{type}` is the Python type of a chat message that is not a dict. */
  messageNotDict: string;
  otherKeys: string;
}

/** The source of the shown prompt, kept in the view state so the host can load it again after a window reload. */
export type PromptOrigin =
  | { kind: 'version'; id: string }
  | { kind: 'source'; argument: PromptTemplateArgument };

export type HostToPromptMessage =
  | { type: 'show'; preview: PromptPreview; strings: PromptStrings; origin: PromptOrigin }
  | { type: 'error'; message: string };

export type PromptAction = 'copy' | 'openDocument';

export type PromptToHostMessage =
  | ReadyMessage
  | WebviewLogMessage
  | { type: 'valuesChanged'; name: string; values: VariableInputs }
  | { type: 'action'; action: PromptAction; values: VariableInputs };

/** View state the webview keeps through `setState`: the shown prompt, where it came from, and the values typed so far. */
export interface PromptViewState {
  name: string;
  values: VariableInputs;
  /** Absent in states saved before the panel could be revived. */
  origin?: PromptOrigin;
}

export function isVariableInputs(value: unknown): value is VariableInputs {
  if (!isRecord(value)) return false;

  return Object.values(value).every((input) => isRecord(input)
    && (input.mode === 'text' || input.mode === 'json')
    && typeof input.text === 'string');
}

export function isPromptToHostMessage(value: unknown): value is PromptToHostMessage {
  if (isReadyMessage(value) || isWebviewLogMessage(value)) return true;
  if (!isRecord(value)) return false;

  switch (value.type) {
    case 'valuesChanged':
      return typeof value.name === 'string' && isVariableInputs(value.values);
    case 'action':
      return (value.action === 'copy' || value.action === 'openDocument') && isVariableInputs(value.values);
    default:
      return false;
  }
}

export function isHostToPromptMessage(value: unknown): value is HostToPromptMessage {
  if (!isRecord(value)) return false;

  switch (value.type) {
    case 'show':
      return isRecord(value.preview) && isRecord(value.preview.template) && isRecord(value.strings) && isPromptOrigin(value.origin);
    case 'error':
      return typeof value.message === 'string';
    default:
      return false;
  }
}

export function isPromptViewState(value: unknown): value is PromptViewState {
  return isRecord(value) && typeof value.name === 'string' && isVariableInputs(value.values)
    && (value.origin === undefined || isPromptOrigin(value.origin));
}

export function isPromptOrigin(value: unknown): value is PromptOrigin {
  if (!isRecord(value)) return false;
  if (value.kind === 'version') return typeof value.id === 'string';
  return value.kind === 'source' && isPromptTemplateArgument(value.argument);
}

/**
 * Reads the inputs as keyword arguments: a text value is a str, a JSON value
 * is what Python's json.loads returns (1 an int, 1.0 a float). Both the host
 * and the webview decode with this one function, so the preview and the
 * copied text cannot disagree. Inputs whose JSON is invalid are left out and
 * listed in `invalid` with the parser's message.
 */
export function variablesFromInputs(inputs: VariableInputs): { variables: Map<string, PyValue>; invalid: Map<string, string> } {
  const variables = new Map<string, PyValue>();
  const invalid = new Map<string, string>();
  for (const [name, input] of Object.entries(inputs)) {
    if (input.mode === 'text') {
      variables.set(name, pyStr(input.text));
      continue;
    }
    try {
      variables.set(name, parseJsonValue(input.text));
    } catch (error) {
      invalid.set(name, error instanceof Error ? error.message : String(error));
    }
  }

  return { variables, invalid };
}

/** Rebuilds the core's template from its wire form; a chat repr is read with the literal parser, never evaluated. */
export function templateFromSource(source: PreviewTemplateSource): PromptTemplate {
  if (source.kind === 'text') return { kind: 'text', template: parseTemplate(source.text) };

  const { items } = parsePythonListPrefix(source.messagesRepr);
  const messages = items.map((message): ChatTemplateMessage => {
    if (message.type !== 'dict') return { role: undefined, content: undefined, message };
    const role = pyDictGet(message, pyStr('role'));
    const content = pyDictGet(message, pyStr('content'));

    return {
      role: role?.type === 'str' ? role.value : undefined,
      content: content?.type === 'str' ? parseTemplate(content.value) : undefined,
      message,
    };
  });

  return { kind: 'chat', messages };
}

/** Returns the wire form of a template: its text, or the repr of its message list. */
export function templateSource(template: PromptTemplate): PreviewTemplateSource {
  if (template.kind === 'text') return { kind: 'text', text: template.template.text };

  return { kind: 'chat', messagesRepr: pyRepr(pyList(template.messages.map((message) => message.message))) };
}
