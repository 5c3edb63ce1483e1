/**
 * Prompt properties in the shape FlowyML's Prompt stores them: `format`
 * ("text" or "chat"), `variables` and `num_variables` when the template has
 * fields, `num_messages` and `roles` for chat, and model settings such as
 * `model`, `temperature` and `max_tokens` beside them.
 */
import { parseTemplate } from '../prompt/index';
import { ExtractionError } from './types';
import { setOwn } from '../json/records';

export interface ChatMessage {
  role: string;
  content: string;
}

/**
 * Lists the keyword fields a template reads, in order of first use, with
 * Python's `str.format` parser from src/core/prompt: `{name}`, `{name.attr}`,
 * `{name[0]}` and `{name!r:>10}` read `name`, and `{x:{width}}` reads both.
 */
export function templateVariables(template: string): string[] {
  return parseTemplate(template).variables;
}

/** Describes a str.format syntax error of a template, because FlowyML's render would raise ValueError on it. */
function syntaxWarning(template: string, where: string): string[] {
  const error = parseTemplate(template).error;
  return error ? [`${where} has a str.format syntax error (${error.message}), so rendering it raises ValueError.`] : [];
}

export function textPromptWarnings(template: string, where: string): string[] {
  return syntaxWarning(template, where);
}

/** Keys of a prompt file that are the template itself rather than settings. */
const TEMPLATE_KEYS = new Set(['template', 'messages']);

/** Reads a text template's properties; its syntax problems are reported by `textPromptWarnings`. */
export function textPromptProperties(template: string): Record<string, unknown> {
  const properties: Record<string, unknown> = { format: 'text' };
  const variables = templateVariables(template);
  if (variables.length > 0) {
    properties.variables = variables;
    properties.num_variables = variables.length;
  }
  return properties;
}

/**
 * Reads a prompt definition object (from YAML or JSON) with a `template`
 * (text, or a list of messages) or `messages`. Every other key, such as
 * `model` or `temperature`, is kept as a property.
 */
export function structuredPrompt(definition: Record<string, unknown>, where: string): { properties: Record<string, unknown>; template: string | ChatMessage[]; warnings: string[] } {
  const raw = definition.messages ?? definition.template;
  const properties: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(definition)) {
    if (!TEMPLATE_KEYS.has(key)) setOwn(properties, key, value);
  }

  if (typeof raw === 'string') return { properties: { ...properties, ...textPromptProperties(raw) }, template: raw, warnings: syntaxWarning(raw, where) };

  if (!Array.isArray(raw)) throw new ExtractionError('invalid', `${where}: "template" must be text or a list of messages, and "messages" a list of messages.`);
  const messages: ChatMessage[] = raw.map((item, index) => {
    const message = item as { role?: unknown; content?: unknown };
    if (typeof message !== 'object' || message === null || typeof message.role !== 'string' || typeof message.content !== 'string') {
      throw new ExtractionError('invalid', `${where}: message ${index + 1} needs a text "role" and a text "content".`);
    }
    return { role: message.role, content: message.content };
  });
  const variables = [...new Set(messages.flatMap((m) => templateVariables(m.content)))];
  return {
    properties: {
      ...properties,
      format: 'chat',
      num_messages: messages.length,
      roles: messages.map((m) => m.role),
      ...(variables.length > 0 ? { variables, num_variables: variables.length } : {}),
    },
    template: messages,
    warnings: messages.flatMap((m, index) => syntaxWarning(m.content, `${where}, message ${index + 1},`)),
  };
}

/** True when a parsed YAML or JSON document defines a prompt. */
export function isPromptDefinition(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  return typeof record.template === 'string' || Array.isArray(record.template) || Array.isArray(record.messages);
}
