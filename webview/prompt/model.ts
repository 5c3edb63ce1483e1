/**
 * The prompt panel's model for one template and one set of inputs: the
 * template's segments, the variables it reads, the rendering with the span
 * each variable produced, and every problem. It has no DOM code, so it can
 * run on each keystroke and in Node tests.
 */
import {
  compareVariables, pyRepr, renderPrompt, templateSyntaxError, templateVariables,
  type FieldSegment, type ParsedTemplate, type PromptFormatError, type PromptRender, type PromptTemplate, type PyValue,
  type RenderResult, type VariableComparison,
} from '../../src/core/prompt/index';
import { templateFromSource, variablesFromInputs, type PromptPreview, type VariableInputs } from '../../src/protocol/prompt';

/** One stretch of a template's source text, as the panel draws it. */
export interface TemplatePiece {
  kind: 'literal' | 'field' | 'error' | 'rest';
  /** The source text, braces and escapes as written. */
  text: string;
  start: number;
  end: number;
  /** The keyword a field reads. */
  variable: string | undefined;
  /** Variables read by fields nested in this field's spec. */
  specVariables: string[];
  /** True when the render error points into this piece. */
  failed: boolean;
}

/** One text to draw: the whole text template, or one chat message's content. */
export interface PreviewPart {
  /** The message's role; undefined for a text template or a message without a str role. */
  role: string | undefined;
  /** Index of the chat message, or undefined for a text template. */
  messageIndex: number | undefined;
  /** Source pieces; empty when the content is not a str. */
  pieces: TemplatePiece[];
  /** The rendering of this text; undefined when it was not rendered. */
  output: RenderResult | undefined;
  /** A chat message FlowyML's render fails on: not a dict, or a content that is not a str. */
  contentProblem: { kind: 'not-dict' | 'not-str'; type: string } | undefined;
  /** Keys of a chat message besides role and content, with their Python repr. */
  otherKeys: { key: string; value: string }[];
}

export interface PreviewModel {
  kind: 'text' | 'chat';
  parts: PreviewPart[];
  /** The variables the template reads, in order of first use. */
  variables: string[];
  /** Read by the template but given no value. */
  missing: string[];
  /** Given a value but never read. */
  unused: string[];
  /** Inputs in JSON mode whose text is not valid JSON, with the parser's message. */
  invalidJson: Map<string, string>;
  /** The error Python raises with these values; undefined when the template renders. */
  error: PromptFormatError | undefined;
  /** The template's syntax error, which Python raises once it renders that far with any values. */
  syntaxError: PromptFormatError | undefined;
  /** False for a cut template, which is never rendered as if whole. */
  rendered: boolean;
  /** The whole output a copy would take: the text, or every message's content. */
  characters: number;
  comparison: VariableComparison;
}

export function buildModel(preview: PromptPreview, inputs: VariableInputs): PreviewModel {
  const template = templateFromSource(preview.template);
  const variables = templateVariables(template);
  const { variables: values, invalid } = variablesFromInputs(inputs);
  const rendered = preview.completeness !== 'cut';
  const render = rendered ? renderPrompt(template, values) : undefined;
  // Python raises whichever error it reaches first while rendering, so a missing
  // variable before a syntax error is what it reports; the syntax error stays
  // in `syntaxError`, because it fails every rendering.
  const syntaxError = templateSyntaxError(template);
  const error = render?.error ?? syntaxError;
  const parts = buildParts(template, render, error);

  return {
    kind: template.kind,
    parts,
    variables,
    missing: variables.filter((name) => !values.has(name) && !invalid.has(name)),
    unused: Object.keys(inputs).filter((name) => !variables.includes(name)),
    invalidJson: invalid,
    error,
    syntaxError,
    rendered,
    characters: parts.reduce((sum, part) => sum + codePoints(part.output?.text ?? ''), 0),
    comparison: compareVariables(variables, preview.storedVariables),
  };
}

function buildParts(template: PromptTemplate, render: PromptRender | undefined, error: PromptFormatError | undefined): PreviewPart[] {
  if (template.kind === 'text') {
    const output = render?.kind === 'text' ? render.result : undefined;
    return [{
      role: undefined,
      messageIndex: undefined,
      pieces: templatePieces(template.template.text, template.template, output, error),
      output,
      contentProblem: undefined,
      otherKeys: [],
    }];
  }

  return template.messages.map((message, index): PreviewPart => {
    const output = render?.kind === 'chat' ? render.messages[index]?.content : undefined;
    const messageError = error?.messageIndex === index ? error : undefined;
    const stored = message.message;
    const otherKeys = stored.type === 'dict'
      ? stored.entries
        .filter(([key]) => !(key.type === 'str' && (key.value === 'role' || key.value === 'content')))
        .map(([key, value]) => ({ key: key.type === 'str' ? key.value : pyReprShort(key), value: pyReprShort(value) }))
      : [];

    return {
      role: message.role,
      messageIndex: index,
      pieces: message.content ? templatePieces(message.content.text, message.content, output, messageError) : [],
      output,
      contentProblem: message.content ? undefined : contentProblemOf(stored),
      otherKeys,
    };
  });
}

/** FlowyML's render skips a message without content, and fails on one that is not a dict or whose content is not a str. */
function contentProblemOf(message: PyValue): PreviewPart['contentProblem'] {
  if (message.type !== 'dict') return { kind: 'not-dict', type: message.type };
  const content = message.entries.find(([key]) => key.type === 'str' && key.value === 'content')?.[1];

  return content ? { kind: 'not-str', type: content.type } : undefined;
}

/**
 * Splits a template's source into pieces: the parser's literal and field
 * segments up to a syntax error, then the error's own range and the rest,
 * which Python never reads.
 */
function templatePieces(
  text: string,
  parsed: ParsedTemplate,
  output: RenderResult | undefined,
  error: PromptFormatError | undefined,
): TemplatePiece[] {
  const pieces: TemplatePiece[] = [];
  const failedAt = error && !parsed.error ? error.location.offset : undefined;
  const specVariablesOf = new Map<number, string[]>();
  for (const span of output?.spans ?? []) specVariablesOf.set(span.templateStart, span.specVariables);

  for (const segment of parsed.segments) {
    const isField = segment.kind === 'field';
    pieces.push({
      kind: segment.kind,
      text: text.slice(segment.start, segment.end),
      start: segment.start,
      end: segment.end,
      variable: isField && segment.name.head.kind === 'keyword' ? segment.name.head.name : undefined,
      specVariables: isField ? specVariablesOf.get(segment.start) ?? nestedNames(segment) : [],
      failed: failedAt !== undefined && isField && failedAt >= segment.start && failedAt < segment.end,
    });
  }

  if (parsed.error) {
    const { start, end } = parsed.error;
    const errorEnd = Math.max(end, start + 1);
    const covered = pieces.at(-1)?.end ?? 0;
    if (covered < start) pieces.push(plain('literal', text, covered, start));
    pieces.push({ ...plain('error', text, start, Math.min(errorEnd, text.length)), failed: true });
    if (errorEnd < text.length) pieces.push(plain('rest', text, errorEnd, text.length));
  }

  return pieces;
}

function plain(kind: TemplatePiece['kind'], text: string, start: number, end: number): TemplatePiece {
  return { kind, text: text.slice(start, end), start, end, variable: undefined, specVariables: [], failed: false };
}

function nestedNames(segment: FieldSegment): string[] {
  const names: string[] = [];
  for (const nested of segment.spec?.nested?.segments ?? []) {
    if (nested.kind === 'field' && nested.name.head.kind === 'keyword') names.push(nested.name.head.name);
  }

  return names;
}

function pyReprShort(value: PyValue): string {
  const text = pyRepr(value);

  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

/** Python's len() of a str: code points, not UTF-16 units. */
export function codePoints(text: string): number {
  let count = 0;
  for (const _char of text) count++;

  return count;
}
