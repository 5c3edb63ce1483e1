/**
 * Builds what the prompt panel and the Render Prompt command need from a
 * stored Prompt version or from a template written in source code, and turns
 * a rendering into document text. It imports no `vscode`: translations come
 * in as a parameter, so the webview tests build their messages with it.
 */
import {
  chatMessagesToJs, parseTemplate, promptTemplateOf, pyFromJs, renderPrompt, stringifyJson, templateSyntaxError,
  type PromptFormatError, type PromptTemplate, type PromptTemplateInfo, type VersionDetails,
} from '../../core';
import type { PromptTemplateArgument } from '../../protocol/lsp';
import { templateSource, variablesFromInputs, type PromptPreview, type PromptStrings, type VariableInputs } from '../../protocol/prompt';
import type { Localizer } from '../details/detailsView';
import { propertyText } from '../format';

/** The model settings shown first, in this order; any other key of `model_config` follows. */
const MAIN_MODEL_SETTINGS = ['model', 'temperature', 'max_tokens'];

/** A template ready to preview or render, with the facts the panel shows beside it. */
export interface LoadedPrompt {
  name: string;
  template: PromptTemplate;
  preview: Omit<PromptPreview, 'values'>;
}

/** Reads a version's template; returns the reason when it has none. */
export function loadStoredPrompt(details: VersionDetails, l10n: Localizer): LoadedPrompt | { reason: string } {
  const info: PromptTemplateInfo = promptTemplateOf(details);
  if (!info.available) return { reason: info.reason };

  const { version } = details;
  const sourceText = info.source === 'template-property'
    ? l10n.t('template from the registered template property')
    : l10n.t('template read from the stored value');

  return {
    name: version.name,
    template: info.template,
    preview: {
      name: version.name,
      versionLabel: version.label,
      id: version.id,
      sourceText,
      template: templateSource(info.template),
      completeness: info.completeness,
      note: info.note,
      storedVariables: info.storedVariables,
      model: modelName(details.properties.typed.model_config),
      modelSettings: modelSettings(details.properties.typed.model_config),
    },
  };
}

/** Wraps a template the language server found in a `Prompt(...)` call. */
export function loadSourcePrompt(argument: PromptTemplateArgument, l10n: Localizer): LoadedPrompt {
  const name = argument.name ?? l10n.t('Prompt in source code');
  const template: PromptTemplate = typeof argument.template === 'string'
    ? templateFromText(argument.template)
    : chatTemplate(argument.template);

  return {
    name,
    template,
    preview: {
      name,
      versionLabel: undefined,
      id: undefined,
      sourceText: l10n.t('template from source code, not stored yet'),
      template: templateSource(template),
      completeness: 'complete',
      note: undefined,
      storedVariables: undefined,
      model: undefined,
      modelSettings: [],
    },
  };
}

function templateFromText(text: string): PromptTemplate {
  return { kind: 'text', template: parseTemplate(text) };
}

function chatTemplate(messages: { role: string; content: string }[]): PromptTemplate {
  return {
    kind: 'chat',
    messages: messages.map((message) => ({
      role: message.role,
      content: parseTemplate(message.content),
      message: pyFromJs({ role: message.role, content: message.content }),
    })),
  };
}

function modelName(config: unknown): string | undefined {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) return undefined;

  const model = (config as Record<string, unknown>).model;
  return typeof model === 'string' && model.trim() !== '' ? model : undefined;
}

function modelSettings(config: unknown): { key: string; value: string }[] {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) return [];

  const entries = Object.entries(config as Record<string, unknown>);
  const main = MAIN_MODEL_SETTINGS.flatMap((key) => entries.filter(([name]) => name === key));
  const others = entries.filter(([name]) => !MAIN_MODEL_SETTINGS.includes(name));

  return [...main, ...others].map(([key, value]) => ({ key, value: propertyText(value, 200) }));
}

/** A rendering as an untitled document's content, or the Python error that stopped it. */
export type RenderedDocument =
  | { ok: true; language: 'plaintext' | 'json'; content: string }
  | { ok: false; error: PromptFormatError | undefined; reason: string };

/**
 * Renders as FlowyML's `Prompt.render(**variables)`: a text prompt becomes
 * its text, a chat prompt the JSON of its messages with every key kept.
 */
export function renderDocument(loaded: LoadedPrompt, inputs: VariableInputs, l10n: Localizer): RenderedDocument {
  if (loaded.preview.completeness === 'cut') {
    return { ok: false, error: undefined, reason: l10n.t('the stored template is incomplete: {0}', loaded.preview.note ?? '') };
  }
  const syntaxError = templateSyntaxError(loaded.template);
  if (syntaxError) return { ok: false, error: syntaxError, reason: errorReason(syntaxError, l10n) };

  const { variables, invalid } = variablesFromInputs(inputs);
  const [invalidName, invalidMessage] = [...invalid][0] ?? [];
  if (invalidName !== undefined) return { ok: false, error: undefined, reason: l10n.t('the value of {0} is not valid JSON: {1}', invalidName, invalidMessage ?? '') };

  const rendered = renderPrompt(loaded.template, variables);
  if (rendered.error) return { ok: false, error: rendered.error, reason: errorReason(rendered.error, l10n) };
  if (rendered.kind === 'text') return { ok: true, language: 'plaintext', content: rendered.result.text };

  return { ok: true, language: 'json', content: stringifyJson(chatMessagesToJs(rendered.messages), 2) };
}

/** "KeyError: 'ticket' at line 3, column 2", as Python names the error, with the place in the template. */
export function errorReason(error: PromptFormatError, l10n: Localizer): string {
  const place = error.messageIndex === undefined
    ? l10n.t('line {0}, column {1}', error.location.line, error.location.column)
    : l10n.t('message {0}, line {1}, column {2}', error.messageIndex + 1, error.location.line, error.location.column);

  return l10n.t('Python raises {0}: {1} at {2}', error.exception, error.pythonMessage, place);
}

/**
 * The panel's texts. Those the webview fills in use named placeholders
 * (`{count}`), which `vscode.l10n.t` leaves as they are when it is given no
 * arguments, so the webview can replace them.
 */
export function promptStrings(l10n: Localizer): PromptStrings {
  return {
    template: l10n.t('Template'),
    variables: l10n.t('Variables'),
    output: l10n.t('Rendered'),
    modelSettings: l10n.t('Model settings'),
    noModelSettings: l10n.t('The store records no model settings for this prompt.'),
    jsonMode: l10n.t('JSON'),
    copyRendered: l10n.t('Copy Rendered'),
    openDocument: l10n.t('Open as Document'),
    characters: l10n.t('{count} characters'),
    tokens: l10n.t('{count} tokens ({encoding})'),
    tokensChatOverhead: l10n.t('the token count covers the message contents and excludes the per-message chat overhead'),
    tokensUnavailable: l10n.t('no token count: no offline tokenizer ships for the model family of {model}'),
    tokensNoModel: l10n.t('no token count: the store records no model for this prompt'),
    missing: l10n.t('missing'),
    unused: l10n.t('unused'),
    missingList: l10n.t('Missing: {names}. Python raises KeyError for the first one.'),
    unusedList: l10n.t('Unused: {names}. The template never reads them.'),
    noVariables: l10n.t('This template reads no variables.'),
    unsetValue: l10n.t('Remove the value: the variable is then missing, as if it were not passed'),
    incomplete: l10n.t('Incomplete template:'),
    cutNotRendered: l10n.t('Not rendered: only the start of this template is stored, so a rendering would not be what FlowyML sends.'),
    errorAt: l10n.t('{exception}: {message} at {place}'),
    lineColumn: l10n.t('line {line}, column {column}'),
    messageLineColumn: l10n.t('message {message}, line {line}, column {column}'),
    invalidJson: l10n.t('Invalid JSON:'),
    storedVariables: l10n.t('Stored variables'),
    parsedVariables: l10n.t('read by the template'),
    variablesDiffer: l10n.t('They differ because FlowyML computes the stored list with the regex \\{(\\w+)\\}. FlowyML\'s render calls template.format(**variables), which reads exactly the template\'s list.'),
    noRole: l10n.t('(no role)'),
    contentNotText: l10n.t('content is a {type}, not a str: FlowyML\'s render fails on it'),
    messageNotDict: l10n.t('the message is a {type}, not a dict: FlowyML\'s render fails on it'),
    otherKeys: l10n.t('Other keys:'),
  };
}
