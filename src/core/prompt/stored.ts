/**
 * Reads a Prompt version's template back from what the store keeps, and
 * renders text and chat templates as FlowyML's `Prompt.render` does.
 *
 * FlowyML 2.1 writes the template only into the metadata.db row's `value`,
 * as `str(template)[:1000]`: the text itself for a text prompt, a Python
 * repr of the message list for a chat prompt, cut after 1,000 characters.
 * A catalog row registered with a full `template` property carries it whole.
 */
import type { VersionDetails } from '../api';
import { PromptFormatError, locateInTemplate } from './errors';
import { parsePythonListPrefix } from './literal';
import { renderTemplate, type PromptVariables, type RenderResult } from './render';
import { pyToJs } from './repr';
import { parseTemplate, type ParsedTemplate } from './template';
import { pyDictGet, pyFromJs, pyStr, type PyValue } from './values';

/** The length FlowyML cuts the stored `value` at. */
export const STORED_VALUE_LIMIT = 1000;

export interface ChatTemplateMessage {
  /** The `role` value when it is a str. */
  role: string | undefined;
  /** The `content` template when it is a str; undefined when absent or of another type. */
  content: ParsedTemplate | undefined;
  /** The message as stored, every key in order, `content` included. */
  message: PyValue;
}

export type PromptTemplate =
  | { kind: 'text'; template: ParsedTemplate }
  | { kind: 'chat'; messages: ChatTemplateMessage[] };

export type Completeness = 'complete' | 'cut' | 'possibly-cut';

export type PromptTemplateInfo =
  | {
    available: true;
    kind: 'text' | 'chat';
    template: PromptTemplate;
    /** True only when the template is known to be whole. */
    complete: boolean;
    /**
     * `cut`: the repr stops before its end, so `template` holds only the
     * messages before the cut and must not be rendered as the prompt.
     * `possibly-cut`: a text template of exactly 1,000 characters, which
     * FlowyML may or may not have cut.
     */
    completeness: Completeness;
    source: 'value-repr' | 'template-property';
    /** The reason the template is not complete, as a sentence for people. */
    note: string | undefined;
    /** The stored `variables` property (FlowyML's regex list, text prompts only), as stored. */
    storedVariables: string[] | undefined;
  }
  | { available: false; reason: string };

/** Returns the template of a Prompt version, or why it cannot be read. */
export function promptTemplateOf(details: VersionDetails): PromptTemplateInfo {
  if (details.version.type !== 'Prompt') {
    return { available: false, reason: `${details.version.id} is a ${details.version.type}, not a Prompt` };
  }
  const { typed, extra } = details.properties;
  const format = typeof typed.prompt_format === 'string' ? typed.prompt_format : undefined;

  const storedVariables = Array.isArray(typed.variables) ? typed.variables.filter((v): v is string => typeof v === 'string') : undefined;
  let info: PromptTemplateInfo | undefined;
  if (typed.template !== undefined && typed.template !== null) info = fromTemplateProperty(typed.template, format);
  else if (typeof extra.value === 'string') info = fromValueRepr(extra.value, format);
  if (info) return info.available ? { ...info, storedVariables } : info;

  return {
    available: false,
    reason: 'this version stores no template: FlowyML keeps it only in the metadata.db row\'s value, and catalog.db rows of Prompts carry properties only',
  };
}

function fromTemplateProperty(template: unknown, format: string | undefined): PromptTemplateInfo {
  if (typeof template === 'string') {
    if (format === 'chat') return fromValueRepr(template, format, 'template-property');
    return { available: true, kind: 'text', template: textTemplate(template), complete: true, completeness: 'complete', source: 'template-property', note: undefined, storedVariables: undefined };
  }
  if (Array.isArray(template)) {
    const messages = chatMessages(template.map(pyFromJs));
    return { available: true, kind: 'chat', template: messages, complete: true, completeness: 'complete', source: 'template-property', note: undefined, storedVariables: undefined };
  }

  return { available: false, reason: `the template property is a ${typeof template}, neither a string nor a list of messages` };
}

function fromValueRepr(value: string, format: string | undefined, source: 'value-repr' | 'template-property' = 'value-repr'): PromptTemplateInfo {
  const looksLikeChat = format === 'chat' || (format === undefined && value.trimStart().startsWith('['));
  if (looksLikeChat) {
    const parsed = parsePythonListPrefix(value);
    if (!parsed.error) {
      return { available: true, kind: 'chat', template: chatMessages(parsed.items), complete: true, completeness: 'complete', source, note: undefined, storedVariables: undefined };
    }
    if (parsed.truncated && (value.length >= STORED_VALUE_LIMIT || source === 'template-property')) {
      return {
        available: true,
        kind: 'chat',
        template: chatMessages(parsed.items),
        complete: false,
        completeness: 'cut',
        source,
        note: `the stored repr stops at ${value.length} characters, after ${parsed.items.length} complete message(s); the rest of the template is missing`,
        storedVariables: undefined,
      };
    }
    if (format === 'chat') return { available: false, reason: `the stored chat template is not a readable Python list: ${parsed.error.message}` };
  }

  const possiblyCut = source === 'value-repr' && value.length === STORED_VALUE_LIMIT;
  return {
    available: true,
    kind: 'text',
    template: textTemplate(value),
    complete: !possiblyCut,
    completeness: possiblyCut ? 'possibly-cut' : 'complete',
    source,
    note: possiblyCut ? `the stored template is exactly ${STORED_VALUE_LIMIT} characters, the length FlowyML cuts at, so its end may be missing` : undefined,
    storedVariables: undefined,
  };
}

function textTemplate(text: string): PromptTemplate {
  return { kind: 'text', template: parseTemplate(text) };
}

function chatMessages(items: PyValue[]): PromptTemplate {
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

/** Returns the keyword names a template reads, in order of first use across all messages. */
export function templateVariables(template: PromptTemplate): string[] {
  if (template.kind === 'text') return template.template.variables;
  const names = new Set<string>();
  for (const message of template.messages) for (const name of message.content?.variables ?? []) names.add(name);

  return [...names];
}

/** Returns the first syntax error of a template, with the chat message it is in. */
export function templateSyntaxError(template: PromptTemplate): PromptFormatError | undefined {
  const parsedTemplates = template.kind === 'text' ? [template.template] : template.messages.map((m) => m.content);
  for (const [index, parsed] of parsedTemplates.entries()) {
    if (!parsed?.error) continue;
    const error = new PromptFormatError('ValueError', parsed.error.message, locateInTemplate(parsed.text, parsed.error.start, parsed.error.end));
    return template.kind === 'chat' ? error.inMessage(index) : error;
  }

  return undefined;
}

export interface RenderedChatMessage {
  role: string | undefined;
  /** The message with `content` replaced by its rendering (or left as stored when it failed or was absent). */
  message: PyValue;
  /** The rendering of `content`, when it is a str. */
  content: RenderResult | undefined;
}

export type PromptRender =
  | { kind: 'text'; result: RenderResult; error: PromptFormatError | undefined }
  | { kind: 'chat'; messages: RenderedChatMessage[]; error: PromptFormatError | undefined };

/**
 * Renders as FlowyML's `Prompt.render(**variables)`: a text template with
 * `template.format(**variables)`; a chat template message by message,
 * formatting each `content` and keeping every other key. `error` is the
 * first error in message order, the one Python raises. Later messages are
 * still rendered, for a preview.
 */
export function renderPrompt(template: PromptTemplate, variables: PromptVariables): PromptRender {
  if (template.kind === 'text') {
    const result = renderTemplate(template.template, variables);
    return { kind: 'text', result, error: result.error };
  }

  let firstError: PromptFormatError | undefined;
  const messages = template.messages.map((message, index): RenderedChatMessage => {
    const rendered = renderChatMessage(message, variables);
    const error = rendered.error?.inMessage(index);
    firstError ??= error;
    return { role: message.role, message: rendered.message, content: rendered.content };
  });

  return { kind: 'chat', messages, error: firstError };
}

function renderChatMessage(message: ChatTemplateMessage, variables: PromptVariables): { message: PyValue; content: RenderResult | undefined; error: PromptFormatError | undefined } {
  const stored = message.message;
  if (stored.type !== 'dict') {
    const error = new PromptFormatError('Unsupported', `the message is a ${stored.type}, not a dict; FlowyML's render expects a dict with role and content`, locateInTemplate('', 0));
    return { message: stored, content: undefined, error };
  }
  const contentValue = pyDictGet(stored, pyStr('content'));
  if (contentValue === undefined) return { message: stored, content: undefined, error: undefined };
  if (!message.content) {
    // FlowyML calls content.format(...), which only a str has.
    const error = new PromptFormatError('AttributeError', `'${contentValue.type}' object has no attribute 'format'`, locateInTemplate('', 0));
    return { message: stored, content: undefined, error };
  }

  const content = renderTemplate(message.content, variables);
  if (content.error) return { message: stored, content, error: content.error };
  const entries = stored.entries.map(([k, v]) => [k, k.type === 'str' && k.value === 'content' ? pyStr(content.text) : v] as const);

  return { message: { type: 'dict', entries }, content, error: undefined };
}

/** Converts rendered chat messages to plain objects for JSON output. */
export function chatMessagesToJs(messages: RenderedChatMessage[]): unknown[] {
  return messages.map((m) => pyToJs(m.message));
}

export interface VariableComparison {
  /** The names `template.format(**variables)` looks up, from the parser. */
  parsed: string[];
  /** The `variables` property as stored (FlowyML's regex), or undefined when the version has none. */
  stored: string[] | undefined;
  /** Read by the template but missing from the stored list (`{a.b}`, `{x:.2f}`). */
  notInStored: string[];
  /** In the stored list but never read (`{{x}}` is literal text, not a field). */
  onlyInStored: string[];
  /** A sentence for people, set only when the lists differ. */
  note: string | undefined;
}

/** FlowyML's pattern for the stored `variables` list. */
const FLOWYML_VARIABLE_PATTERN = '\\{(\\w+)\\}';

/**
 * Compares the parser's variable list with the stored one. FlowyML computes
 * the stored list with the regex `\{(\w+)\}`, which misses `{a.b}`, `{a[0]}`
 * and `{x:.2f}` and counts the literal text `{{x}}`. Its `render` calls
 * `template.format(**variables)`, so rendering depends on the parser's list.
 */
export function compareVariables(parsed: string[], stored: unknown): VariableComparison {
  const storedList = Array.isArray(stored) ? stored.filter((v): v is string => typeof v === 'string') : undefined;
  const storedSet = new Set(storedList ?? []);
  const parsedSet = new Set(parsed);
  const notInStored = storedList ? parsed.filter((name) => !storedSet.has(name)) : [];
  const onlyInStored = storedList ? [...storedSet].filter((name) => !parsedSet.has(name)) : [];
  const differs = notInStored.length > 0 || onlyInStored.length > 0;

  return {
    parsed,
    stored: storedList,
    notInStored,
    onlyInStored,
    note: differs
      ? `The stored variables come from FlowyML's regex ${FLOWYML_VARIABLE_PATTERN}; FlowyML's render calls template.format(**variables), which reads exactly the parsed list.`
      : undefined,
  };
}
