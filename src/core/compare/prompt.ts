/**
 * The Prompt part of a comparison: both templates as text for a diff
 * editor, the variables each template reads, and the model settings.
 */
import type { VersionDetails } from '../api';
import { pyRepr } from '../prompt/repr';
import { promptTemplateOf, templateVariables, type PromptTemplate } from '../prompt/stored';
import type { FieldChange, PromptSection, PromptTemplateSide } from './types';
import { isUnder } from './values';

/** Writes a template as text: a text template as it is, a chat template as one `[role]` block per message. */
export function templateText(template: PromptTemplate): string {
  if (template.kind === 'text') return template.template.text;

  return template.messages
    .map((message) => {
      const heading = `[${message.role ?? 'message without a role'}]`;
      const body = message.content ? message.content.text : pyRepr(message.message);
      return `${heading}\n${body}`;
    })
    .join('\n\n');
}

export function templateSide(details: VersionDetails): PromptTemplateSide {
  const info = promptTemplateOf(details);
  if (!info.available) {
    const stored = details.properties.typed.variables;
    const variables = Array.isArray(stored) ? stored.filter((v): v is string => typeof v === 'string') : [];
    return { available: false, format: null, text: null, note: info.reason, variables };
  }

  return {
    available: true,
    format: info.kind,
    text: templateText(info.template),
    note: info.note ?? null,
    variables: templateVariables(info.template),
  };
}

export function promptSection(a: VersionDetails, b: VersionDetails, typedFields: FieldChange[]): PromptSection {
  const sideA = templateSide(a);
  const sideB = templateSide(b);
  const namesA = new Set(sideA.variables);
  const namesB = new Set(sideB.variables);

  return {
    kind: 'Prompt',
    template: { a: sideA, b: sideB, changed: sideA.text !== sideB.text || sideA.format !== sideB.format },
    variables: {
      added: sideB.variables.filter((name) => !namesA.has(name)),
      removed: sideA.variables.filter((name) => !namesB.has(name)),
    },
    format: typedFields.find((field) => field.path === 'properties.prompt_format') ?? null,
    modelConfig: typedFields.filter((field) => isUnder(field.path, 'properties.model_config')),
  };
}
