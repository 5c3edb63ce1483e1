/**
 * Prompt properties in the shape FlowyML's Prompt stores them: `format`
 * ("text" or "chat"), `variables` and `num_variables` when the template has
 * fields, `num_messages` and `roles` for chat, and model settings such as
 * `model`, `temperature` and `max_tokens` beside them.
 */
import { ExtractionError } from './types';

export interface ChatMessage {
  role: string;
  content: string;
}

/**
 * Lists the names of the `str.format` replacement fields in a template,
 * sorted and without repeats. `{name}`, `{name.attr}`, `{name[0]}` and
 * `{name!r:>10}` all name `name`. `{{` and `}}` are literal braces, and
 * positional fields (`{}`, `{0}`) name no variable. Fields nested in a
 * format spec (`{x:{width}}`) count too.
 *
 * TODO: use the full str.format parser in src/core/prompt once it exports a
 * variables function; this scan accepts some templates Python rejects.
 */
export function templateVariables(template: string): string[] {
  const names = new Set<string>();
  let i = 0;
  while (i < template.length) {
    const c = template[i];
    if (c === '{' && template[i + 1] === '{') {
      i += 2;
      continue;
    }
    if (c === '}') {
      i += template[i + 1] === '}' ? 2 : 1;
      continue;
    }
    if (c !== '{') {
      i++;
      continue;
    }
    // A field: read to its closing brace, counting nested fields in the format spec.
    let depth = 1;
    let j = i + 1;
    const fieldStarts = [i + 1];
    while (j < template.length && depth > 0) {
      if (template[j] === '{') {
        depth++;
        fieldStarts.push(j + 1);
      } else if (template[j] === '}') {
        depth--;
      }
      j++;
    }
    for (const start of fieldStarts) {
      const name = /^[^.[!:{}]*/.exec(template.slice(start))![0];
      if (/^[A-Za-z_]\w*$/u.test(name)) names.add(name);
    }
    i = j;
  }
  return [...names].sort();
}

/** Keys of a prompt file that are the template itself rather than settings. */
const TEMPLATE_KEYS = new Set(['template', 'messages']);

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
export function structuredPrompt(definition: Record<string, unknown>, where: string): { properties: Record<string, unknown>; template: string | ChatMessage[] } {
  const raw = definition.messages ?? definition.template;
  const properties: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(definition)) {
    if (!TEMPLATE_KEYS.has(key)) properties[key] = value;
  }

  if (typeof raw === 'string') return { properties: { ...properties, ...textPromptProperties(raw) }, template: raw };

  if (!Array.isArray(raw)) throw new ExtractionError('invalid', `${where}: "template" must be text or a list of messages, and "messages" a list of messages.`);
  const messages: ChatMessage[] = raw.map((item, index) => {
    const message = item as { role?: unknown; content?: unknown };
    if (typeof message !== 'object' || message === null || typeof message.role !== 'string' || typeof message.content !== 'string') {
      throw new ExtractionError('invalid', `${where}: message ${index + 1} needs a text "role" and a text "content".`);
    }
    return { role: message.role, content: message.content };
  });
  const variables = [...new Set(messages.flatMap((m) => templateVariables(m.content)))].sort();
  return {
    properties: {
      ...properties,
      format: 'chat',
      num_messages: messages.length,
      roles: messages.map((m) => m.role),
      ...(variables.length > 0 ? { variables, num_variables: variables.length } : {}),
    },
    template: messages,
  };
}

/** True when a parsed YAML or JSON document defines a prompt. */
export function isPromptDefinition(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  return typeof record.template === 'string' || Array.isArray(record.template) || Array.isArray(record.messages);
}
