/**
 * Parses a `str.format` template into literal text and replacement fields,
 * with CPython 3.11's grammar and error messages. Parsing never evaluates
 * anything: errors Python raises only when it reaches a field (a bad
 * attribute chain, a nested spec too deep) are kept on the field and raised
 * by the renderer at the same moment Python would raise them.
 */
import { decimalDigitValue } from './format-spec';

/** A problem Python reports as ValueError, with its range in the template (UTF-16 offsets). */
export interface SyntaxProblem {
  message: string;
  start: number;
  end: number;
}

export interface LiteralSegment {
  kind: 'literal';
  /** The text as output: `{{` and `}}` already turned into single braces. */
  text: string;
  start: number;
  end: number;
}

/** The object a field starts from: a keyword argument, or a positional index (FlowyML passes none). */
export type FieldHead =
  | { kind: 'keyword'; name: string }
  | { kind: 'positional'; index: string; automatic: boolean }
  | { kind: 'too-many-digits' };

export type FieldStep =
  | { kind: 'attribute'; name: string; start: number; end: number }
  | { kind: 'index'; key: string | bigint; start: number; end: number }
  | ({ kind: 'error' } & SyntaxProblem);

export interface FieldName {
  /** The field name as written, such as `a.b[0]`. */
  text: string;
  start: number;
  end: number;
  head: FieldHead;
  /** End offset of the head, so a KeyError can point at the name alone. */
  headEnd: number;
  /** Attribute and index steps after the head; an `error` step ends the list. */
  steps: FieldStep[];
}

export interface FormatSpecPart {
  /** The spec as written, before nested fields are replaced. */
  text: string;
  start: number;
  end: number;
  /** The spec parsed as a template, when it holds a `{`. */
  nested: ParsedFormatString | undefined;
  /** True when the spec holds a `{` but sits two levels deep, which Python rejects. */
  tooDeep: boolean;
}

export interface FieldSegment {
  kind: 'field';
  /** Offset of the `{`. */
  start: number;
  /** Offset just past the closing `}`. */
  end: number;
  name: FieldName;
  conversion: { char: string; offset: number } | undefined;
  spec: FormatSpecPart | undefined;
}

export type TemplateSegment = LiteralSegment | FieldSegment;

export interface ParsedFormatString {
  segments: TemplateSegment[];
  /** The first syntax error; Python raises it once every field before it has rendered. */
  error: SyntaxProblem | undefined;
}

export interface ParsedTemplate extends ParsedFormatString {
  text: string;
  /**
   * Keyword names the template reads, deduplicated in order of first use,
   * including names inside nested specs (`{x:{width}}` reads x and width).
   * Fields after a syntax error are not included, because Python never
   * reaches them.
   */
  variables: string[];
}

/** Nesting depth Python allows: the template, plus one level of fields inside a spec. */
const TOP_DEPTH = 2;

/** Parses a template; never throws. */
export function parseTemplate(text: string): ParsedTemplate {
  const parsed = parseFormatString(text, 0, text.length, TOP_DEPTH);
  const variables = new Set<string>();
  collectVariables(parsed, variables);

  return { text, ...parsed, variables: [...variables] };
}

function collectVariables(parsed: ParsedFormatString, into: Set<string>): void {
  for (const segment of parsed.segments) {
    if (segment.kind !== 'field') continue;
    if (segment.name.head.kind === 'keyword') into.add(segment.name.head.name);
    if (segment.spec?.nested) collectVariables(segment.spec.nested, into);
  }
}

function parseFormatString(text: string, start: number, end: number, depth: number): ParsedFormatString {
  const segments: TemplateSegment[] = [];
  let literal = '';
  let literalStart = start;
  let i = start;

  const flushLiteral = (upTo: number) => {
    if (upTo > literalStart) segments.push({ kind: 'literal', text: literal, start: literalStart, end: upTo });
    literal = '';
  };
  const fail = (message: string, errorStart: number, errorEnd: number): ParsedFormatString => {
    flushLiteral(errorStart);
    return { segments, error: { message, start: errorStart, end: errorEnd } };
  };

  while (i < end) {
    const brace = nextBrace(text, i, end);
    literal += text.slice(i, brace);
    i = brace;
    if (i >= end) break;

    if (text[i] === '}') {
      if (i + 1 < end && text[i + 1] === '}') {
        literal += '}';
        i += 2;
        continue;
      }
      return fail("Single '}' encountered in format string", i, i + 1);
    }
    if (i + 1 >= end) return fail("Single '{' encountered in format string", i, i + 1);
    if (text[i + 1] === '{') {
      literal += '{';
      i += 2;
      continue;
    }

    flushLiteral(i);
    const field = parseField(text, i, end, depth);
    if ('message' in field) return { segments, error: field };
    segments.push(field);
    i = field.end;
    literalStart = i;
  }
  flushLiteral(end);

  return { segments, error: undefined };
}

function nextBrace(text: string, from: number, end: number): number {
  for (let i = from; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7b || c === 0x7d) return i;
  }

  return end;
}

/** Parses the field whose `{` is at `open`. */
function parseField(text: string, open: number, end: number, depth: number): FieldSegment | SyntaxProblem {
  let p = open + 1;
  let inBrackets = false;
  // Inside [...] every character, braces included, belongs to the key.
  for (; p < end; p++) {
    const c = text[p];
    if (inBrackets) {
      if (c === ']') inBrackets = false;
      continue;
    }
    if (c === '[') inBrackets = true;
    else if (c === '{') return { message: "unexpected '{' in field name", start: p, end: p + 1 };
    else if (c === '}' || c === ':' || c === '!') break;
  }
  if (p >= end) return { message: "expected '}' before end of string", start: open, end };
  const name = parseFieldName(text, open + 1, p);

  let conversion: FieldSegment['conversion'];
  if (text[p] === '!') {
    const bang = p;
    p++;
    if (p >= end) return { message: 'end of string while looking for conversion specifier', start: bang, end };
    const char = String.fromCodePoint(text.codePointAt(p)!);
    conversion = { char, offset: p };
    p += char.length;
    if (p >= end) return { message: "unmatched '{' in format spec", start: open, end };
    if (text[p] !== ':' && text[p] !== '}') return { message: "expected ':' after conversion specifier", start: p, end: p + 1 };
  }

  let spec: FormatSpecPart | undefined;
  if (text[p] === ':') {
    const specStart = p + 1;
    let openBraces = 1;
    let hasBrace = false;
    for (p = specStart; p < end; p++) {
      const c = text[p];
      if (c === '{') {
        hasBrace = true;
        openBraces++;
      } else if (c === '}' && --openBraces === 0) {
        break;
      }
    }
    if (p >= end) return { message: "unmatched '{' in format spec", start: open, end };
    spec = {
      text: text.slice(specStart, p),
      start: specStart,
      end: p,
      nested: hasBrace && depth > 1 ? parseFormatString(text, specStart, p, depth - 1) : undefined,
      tooDeep: hasBrace && depth <= 1,
    };
  }

  return { kind: 'field', start: open, end: p + 1, name, conversion, spec };
}

/** Returns the integer a run of Unicode decimal digits spells, or undefined when a character is not a digit. */
function decimalValue(text: string): bigint | undefined {
  if (text === '') return undefined;
  let value = 0n;
  for (const char of text) {
    const digit = decimalDigitValue(char);
    if (digit === undefined) return undefined;
    value = value * 10n + BigInt(digit);
  }

  return value;
}

const MAX_SSIZE = (1n << 63n) - 1n;

function parseFieldName(text: string, start: number, end: number): FieldName {
  let i = start;
  while (i < end && text[i] !== '.' && text[i] !== '[') i++;
  const headText = text.slice(start, i);
  const headEnd = i;

  let head: FieldHead;
  const headNumber = decimalValue(headText);
  if (headText === '') head = { kind: 'positional', index: '0', automatic: true };
  else if (headNumber === undefined) head = { kind: 'keyword', name: headText };
  else if (headNumber > MAX_SSIZE) head = { kind: 'too-many-digits' };
  else head = { kind: 'positional', index: headNumber.toString(), automatic: false };

  const steps: FieldStep[] = [];
  const error = (message: string, errorStart: number, errorEnd: number) => steps.push({ kind: 'error', message, start: errorStart, end: errorEnd });
  while (i < end) {
    if (text[i] === '.') {
      let j = i + 1;
      while (j < end && text[j] !== '.' && text[j] !== '[') j++;
      if (j === i + 1) {
        error('Empty attribute in format string', i, j);
        break;
      }
      steps.push({ kind: 'attribute', name: text.slice(i + 1, j), start: i, end: j });
      i = j;
      continue;
    }

    // text[i] is '[': the head and attribute names stop only at '.' or '['.
    let j = i + 1;
    while (j < end && text[j] !== ']') j++;
    if (j >= end) {
      error("Missing ']' in format string", i, end);
      break;
    }
    const keyText = text.slice(i + 1, j);
    if (keyText === '') {
      error('Empty attribute in format string', i, j + 1);
      break;
    }
    const keyNumber = decimalValue(keyText);
    if (keyNumber !== undefined && keyNumber > MAX_SSIZE) {
      error('Too many decimal digits in format string', i, j + 1);
      break;
    }
    steps.push({ kind: 'index', key: keyNumber ?? keyText, start: i, end: j + 1 });
    i = j + 1;
    if (i < end && text[i] !== '.' && text[i] !== '[') {
      error("Only '.' or '[' may follow ']' in format field specifier", i, i + 1);
      break;
    }
  }

  return { text: text.slice(start, end), start, end, head, headEnd, steps };
}
