/**
 * Renders a parsed template with keyword variables, as CPython 3.11's
 * `template.format(**variables)` does, and records which variable produced
 * each stretch of the output.
 */
import { PromptFormatError, PythonError, UnsupportedFormatError, locateInTemplate, type PythonExceptionName } from './errors';
import { pyFormat } from './format-spec';
import { pyAscii, pyRepr, pyToString, strRepr } from './repr';
import { parseTemplate, type FieldName, type FieldSegment, type ParsedFormatString, type ParsedTemplate } from './template';
import { pyDictGet, pyInt, pyStr, type PyValue } from './values';

/** Keyword arguments for `str.format`. A plain object is read through its own properties only. */
export type PromptVariables = ReadonlyMap<string, PyValue> | Readonly<Record<string, PyValue>>;

/** One stretch of the output and the template text that produced it. */
export interface OutputSpan {
  /** Output offsets, UTF-16 code units, end exclusive. */
  start: number;
  end: number;
  /** Template offsets of the literal text or of the whole field `{...}`. */
  templateStart: number;
  templateEnd: number;
  /** The keyword variable a field read; undefined for literal text. */
  variable: string | undefined;
  /** Variables read by fields nested in the spec (`{x:{width}}` gives ['width']). */
  specVariables: string[];
}

export interface RenderResult {
  /** The rendered text; on error, the text rendered before the failing field (Python returns nothing). */
  text: string;
  /** Spans covering `text` from start to end, in order. */
  spans: OutputSpan[];
  /** Variables read while rendering, deduplicated in order of first use. */
  used: string[];
  error: PromptFormatError | undefined;
}

/** Top-level templates start at depth 2: Python allows one level of fields inside a spec. */
const TOP_DEPTH = 2;

class RenderContext {
  readonly used = new Set<string>();
  /** Every keyword lookup in order, repeats included, so a field can tell which names its spec read. */
  readonly reads: string[] = [];

  constructor(readonly template: string, private readonly variables: PromptVariables) {}

  lookup(name: string): PyValue | undefined {
    this.used.add(name);
    this.reads.push(name);
    if (isMap(this.variables)) return this.variables.get(name);

    return Object.prototype.hasOwnProperty.call(this.variables, name) ? this.variables[name] : undefined;
  }

  fail(exception: PythonExceptionName | 'Unsupported', message: string, start: number, end: number): PromptFormatError {
    return new PromptFormatError(exception, message, locateInTemplate(this.template, start, end));
  }

  /** Attaches a range to an error thrown by value code, and passes anything else through. */
  at(error: unknown, start: number, end: number): unknown {
    if (error instanceof PythonError) return this.fail(error.exception, error.pythonMessage, start, end);
    if (error instanceof UnsupportedFormatError) return this.fail('Unsupported', error.message, start, end);

    return error;
  }
}

function isMap(variables: PromptVariables): variables is ReadonlyMap<string, PyValue> {
  return variables instanceof Map;
}

/** Renders a template string or a parsed template. Never throws for template or value errors: they come back in `error`. */
export function renderTemplate(template: string | ParsedTemplate, variables: PromptVariables): RenderResult {
  const parsed = typeof template === 'string' ? parseTemplate(template) : template;
  const context = new RenderContext(parsed.text, variables);
  const spans: OutputSpan[] = [];
  let text = '';

  try {
    for (const segment of parsed.segments) {
      let piece: string;
      let variable: string | undefined;
      let specVariables: string[] = [];
      if (segment.kind === 'literal') {
        piece = segment.text;
      } else {
        const firstRead = context.reads.length;
        piece = renderField(segment, context, TOP_DEPTH);
        variable = segment.name.head.kind === 'keyword' ? segment.name.head.name : undefined;
        // The field's own name is its first read; every later read came from its spec.
        specVariables = [...new Set(context.reads.slice(firstRead + 1))];
      }
      if (piece !== '' || segment.kind === 'field') {
        spans.push({ start: text.length, end: text.length + piece.length, templateStart: segment.start, templateEnd: segment.end, variable, specVariables });
      }
      text += piece;
    }
    if (parsed.error) throw context.fail('ValueError', parsed.error.message, parsed.error.start, parsed.error.end);
  } catch (error) {
    if (!(error instanceof PromptFormatError)) throw error;
    return { text, spans, used: [...context.used], error };
  }

  return { text, spans, used: [...context.used], error: undefined };
}

/**
 * Renders like Python's `template.format(**variables)`: returns the text or
 * throws the PromptFormatError Python's exception corresponds to.
 */
export function formatTemplate(template: string, variables: PromptVariables): string {
  const result = renderTemplate(template, variables);
  if (result.error) throw result.error;

  return result.text;
}

function renderFormatString(parsed: ParsedFormatString, context: RenderContext, depth: number): string {
  let text = '';
  for (const segment of parsed.segments) {
    text += segment.kind === 'literal' ? segment.text : renderField(segment, context, depth);
  }
  if (parsed.error) throw context.fail('ValueError', parsed.error.message, parsed.error.start, parsed.error.end);

  return text;
}

/** Python's order: resolve the object, apply the conversion, expand the spec, then format. */
function renderField(field: FieldSegment, context: RenderContext, depth: number): string {
  let value = resolveFieldName(field.name, context);

  if (field.conversion) {
    const { char, offset } = field.conversion;
    value = convert(value, char, () => context.fail('ValueError', `Unknown conversion specifier ${conversionCode(char)}`, offset, offset + char.length));
  }

  let spec = '';
  if (field.spec) {
    if (field.spec.tooDeep) throw context.fail('ValueError', 'Max string recursion exceeded', field.spec.start, field.spec.end);
    spec = field.spec.nested ? renderFormatString(field.spec.nested, context, depth - 1) : field.spec.text;
  }

  try {
    return pyFormat(value, spec);
  } catch (error) {
    const start = field.spec?.start ?? field.start;
    throw context.at(error, start, field.spec?.end ?? field.end);
  }
}

function conversionCode(char: string): string {
  const code = char.codePointAt(0)!;
  return code > 32 && code < 127 ? char : `\\x${code.toString(16)}`;
}

function convert(value: PyValue, char: string, unknown: () => PromptFormatError): PyValue {
  if (char === 's') return pyStr(pyToString(value));
  if (char === 'r') return pyStr(pyRepr(value));
  if (char === 'a') return pyStr(pyAscii(value));

  throw unknown();
}

function resolveFieldName(name: FieldName, context: RenderContext): PyValue {
  const head = name.head;
  if (head.kind === 'too-many-digits') throw context.fail('ValueError', 'Too many decimal digits in format string', name.start, name.headEnd);
  if (head.kind === 'positional') {
    // FlowyML calls format(**variables), so the positional tuple is always empty.
    throw context.fail('IndexError', `Replacement index ${head.index} out of range for positional args tuple`, name.start, name.headEnd);
  }

  let value = context.lookup(head.name);
  if (value === undefined) throw context.fail('KeyError', strRepr(head.name), name.start, name.headEnd);

  for (const step of name.steps) {
    if (step.kind === 'error') throw context.fail('ValueError', step.message, step.start, step.end);
    try {
      value = step.kind === 'attribute' ? getAttribute(value, step.name) : getItem(value, step.key);
    } catch (error) {
      throw context.at(error, step.start, step.end);
    }
  }

  return value;
}

/** Public attribute names that exist on each type but are methods, whose text Python prints with a memory address. */
const METHOD_NAMES: Record<PyValue['type'], readonly string[]> = {
  str: [
    'capitalize', 'casefold', 'center', 'count', 'encode', 'endswith', 'expandtabs', 'find', 'format', 'format_map',
    'index', 'isalnum', 'isalpha', 'isascii', 'isdecimal', 'isdigit', 'isidentifier', 'islower', 'isnumeric',
    'isprintable', 'isspace', 'istitle', 'isupper', 'join', 'ljust', 'lower', 'lstrip', 'maketrans', 'partition',
    'removeprefix', 'removesuffix', 'replace', 'rfind', 'rindex', 'rjust', 'rpartition', 'rsplit', 'rstrip', 'split',
    'splitlines', 'startswith', 'strip', 'swapcase', 'title', 'translate', 'upper', 'zfill',
  ],
  int: ['as_integer_ratio', 'bit_count', 'bit_length', 'conjugate', 'from_bytes', 'to_bytes'],
  bool: ['as_integer_ratio', 'bit_count', 'bit_length', 'conjugate', 'from_bytes', 'to_bytes'],
  float: ['as_integer_ratio', 'conjugate', 'fromhex', 'hex', 'is_integer'],
  list: ['append', 'clear', 'copy', 'count', 'extend', 'index', 'insert', 'pop', 'remove', 'reverse', 'sort'],
  tuple: ['count', 'index'],
  dict: ['clear', 'copy', 'fromkeys', 'get', 'items', 'keys', 'pop', 'popitem', 'setdefault', 'update', 'values'],
  NoneType: [],
};

/** getattr() for the data attributes of numbers; other existing attributes are reported as unsupported. */
function getAttribute(value: PyValue, name: string): PyValue {
  if (value.type === 'int' || value.type === 'bool') {
    const int = value.type === 'int' ? value.value : value.value ? 1n : 0n;
    if (name === 'real' || name === 'numerator') return pyInt(int);
    if (name === 'imag') return pyInt(0);
    if (name === 'denominator') return pyInt(1);
  }
  if (value.type === 'float') {
    if (name === 'real') return value;
    if (name === 'imag') return { type: 'float', value: 0 };
  }
  // NOTE: every dunder name is treated as existing; most do on every object (__class__, __doc__, __len__ …).
  if ((name.startsWith('__') && name.endsWith('__') && name.length > 4) || METHOD_NAMES[value.type].includes(name)) {
    throw new UnsupportedFormatError(`attribute '${name}' of a ${value.type} is a method or an internal object; Python prints it with a memory address, so the preview cannot reproduce it`);
  }

  throw new PythonError('AttributeError', `'${value.type}' object has no attribute '${name}'`);
}

/** getitem() with the key Python's field grammar produced: an int for all-digit keys, else a str. */
function getItem(value: PyValue, key: string | bigint): PyValue {
  switch (value.type) {
    case 'list':
    case 'tuple': {
      if (typeof key === 'string') throw new PythonError('TypeError', `${value.type} indices must be integers or slices, not str`);
      const item = key < BigInt(value.items.length) ? value.items[Number(key)] : undefined;
      if (item === undefined) throw new PythonError('IndexError', `${value.type} index out of range`);
      return item;
    }
    case 'str': {
      if (typeof key === 'string') throw new PythonError('TypeError', "string indices must be integers, not 'str'");
      const chars = [...value.value];
      if (key >= BigInt(chars.length)) throw new PythonError('IndexError', 'string index out of range');
      return pyStr(chars[Number(key)]);
    }
    case 'dict': {
      const pyKey = typeof key === 'string' ? pyStr(key) : pyInt(key);
      const found = pyDictGet(value, pyKey);
      if (found === undefined) throw new PythonError('KeyError', pyRepr(pyKey));
      return found;
    }
    default:
      throw new PythonError('TypeError', `'${value.type}' object is not subscriptable`);
  }
}
