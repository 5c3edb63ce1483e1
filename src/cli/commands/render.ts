/**
 * `render`: renders a Prompt version as FlowyML's `Prompt.render(**vars)`
 * would, with Python's `str.format` rules, and prints the result.
 */
import fs from 'node:fs';
import {
  chatMessagesToJs, compareVariables, describeError, parseJsonValue, parseTolerantJson, promptTemplateOf, pyStr, renderPrompt,
  stringifyJson, templateSyntaxError, templateVariables,
  type PromptFormatError, type PromptRender, type PromptTemplate, type PromptTemplateInfo, type PyValue, type VariableComparison,
} from '../../core/index';
import { terminalSafe } from '../format';
import {
  UsageError, expectArguments, openWorkspace, reportProblems, stringListOption, stringOption,
  type CliCommand, type OptionValues, type Output,
} from '../shared';

/** The largest --vars-file accepted, in bytes: it holds the variables of one prompt. */
export const MAX_VARS_FILE_BYTES = 16 * 1024 * 1024;

/**
 * Reads --vars-file as UTF-8 text, and rejects anything but a regular file before
 * reading, because a FIFO blocks and a device such as /dev/zero never ends.
 * O_NONBLOCK keeps open() from waiting for a FIFO's writer. The type is checked on
 * the open descriptor, so the path cannot be swapped after the check. At most the
 * cap plus one chunk is read, in case the file grows after fstat.
 */
function readVarsFile(file: string): string | { error: string } {
  const safePath = terminalSafe(file);
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (error) {
    return { error: `cannot read --vars-file ${safePath}: ${describeError(error)}` };
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) return { error: `--vars-file ${safePath} is not a regular file; pass a JSON file of variables.` };
    const tooLarge = (size: string) => ({
      error: `--vars-file ${safePath} is ${size} bytes; a variables file is read whole and may be at most ${MAX_VARS_FILE_BYTES} bytes. Shorten the file, or pass single values with --var NAME=VALUE.`,
    });
    if (stat.size > MAX_VARS_FILE_BYTES) return tooLarge(String(stat.size));
    const chunks: Buffer[] = [];
    let length = 0;
    for (;;) {
      const chunk = Buffer.alloc(64 * 1024);
      const read = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      chunks.push(chunk.subarray(0, read));
      length += read;
      if (length > MAX_VARS_FILE_BYTES) return tooLarge(`more than ${MAX_VARS_FILE_BYTES}`);
    }
    return Buffer.concat(chunks, length).toString('utf8');
  } catch (error) {
    return { error: `cannot read --vars-file ${safePath}: ${describeError(error)}` };
  } finally {
    fs.closeSync(fd);
  }
}

/** Reads --vars-file, then --var, which wins for a name given twice. */
function readVariables(values: OptionValues): Map<string, PyValue> | { error: string } {
  const variables = new Map<string, PyValue>();

  const file = stringOption(values, 'vars-file');
  if (file !== undefined) {
    const text = readVarsFile(file);
    if (typeof text !== 'string') return text;
    try {
      // parseTolerantJson checks the file as every other JSON input is checked. parseJsonValue then reads it
      // again, because only it keeps 1.0 a float and 1 an int, which a JavaScript number cannot tell apart.
      const parsed = parseTolerantJson(text);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        return { error: `--vars-file ${file} must hold a JSON object of variable names to values` };
      }
      const object = parseJsonValue(text);
      if (object.type === 'dict') for (const [key, value] of object.entries) variables.set((key as { value: string }).value, value);
    } catch (error) {
      return { error: `invalid JSON in --vars-file ${file}: ${describeError(error)}` };
    }
  }

  for (const assignment of stringListOption(values, 'var')) {
    const equals = assignment.indexOf('=');
    if (equals <= 0) throw new UsageError(`Invalid --var "${assignment}": expected NAME=VALUE.`);
    variables.set(assignment.slice(0, equals), pyStr(assignment.slice(equals + 1)));
  }

  return variables;
}

/** Returns the template line an error points at, with a caret under its column. */
function errorExcerpt(template: PromptTemplate, error: PromptFormatError): string[] {
  const text = template.kind === 'text' ? template.template.text : template.messages[error.messageIndex ?? 0]?.content?.text;
  if (text === undefined) return [];
  const line = text.split(/\r\n|\r|\n/)[error.location.line - 1] ?? '';
  const prefix = [...line].slice(0, error.location.column - 1).map((c) => (c === '\t' ? '\t' : ' ')).join('');

  return [`  ${terminalSafe(line)}`, `  ${prefix}^`];
}

function chatText(render: Extract<PromptRender, { kind: 'chat' }>): string {
  return render.messages.map((message, index) => {
    const header = `[${message.role ?? `message ${index}`}]`;
    const content = message.content?.text ?? '';
    return `${header}\n${content}`;
  }).join('\n\n');
}

interface JsonReport {
  id: string;
  kind: 'text' | 'chat' | null;
  rendered?: string;
  messages?: unknown[];
  variables: { used: string[]; missing: string[]; unused: string[]; stored: string[] | null };
  complete: boolean;
  completeness: string | null;
  source: string | null;
  note?: string;
  error?: { exception: string; message: string; line: number; column: number; messageIndex: number | null } | { message: string };
}

function failure(report: JsonReport, message: string, json: boolean, io: Output, details: string[] = []): number {
  if (json) io.out(stringifyJson({ ...report, error: report.error ?? { message } }, 2));
  io.err(`flowyml-assets: ${message}`);
  for (const line of details) io.err(line);

  return 1;
}

async function runRender(rest: string[], values: OptionValues, io: Output): Promise<number> {
  expectArguments(rest, 1, 2, 'ID');
  const id = rest[0];
  const json = values.json === true;
  const variables = readVariables(values);
  if ('error' in variables) {
    io.err(`flowyml-assets: ${variables.error}`);
    return 1;
  }

  const workspace = await openWorkspace(rest[1], values);
  try {
    const problems = reportProblems(workspace, io);
    const details = await workspace.details(id);
    const info = promptTemplateOf(details);
    const report: JsonReport = {
      id: details.version.id,
      kind: null,
      variables: { used: [], missing: [], unused: [...variables.keys()], stored: null },
      complete: false,
      completeness: null,
      source: null,
    };
    if (!info.available) return failure(report, `cannot render ${details.version.id}: ${info.reason}.`, json, io);

    return renderAvailable(info, variables, report, json, io) || problems;
  } finally {
    workspace.dispose();
  }
}

function renderAvailable(info: Extract<PromptTemplateInfo, { available: true }>, variables: Map<string, PyValue>, report: JsonReport, json: boolean, io: Output): number {
  const used = templateVariables(info.template);
  const comparison: VariableComparison = compareVariables(used, info.storedVariables);
  Object.assign(report, {
    kind: info.kind,
    complete: info.complete,
    completeness: info.completeness,
    source: info.source,
    variables: {
      used,
      missing: used.filter((name) => !variables.has(name)),
      unused: [...variables.keys()].filter((name) => !used.includes(name)),
      stored: comparison.stored ?? null,
    },
  });
  if (info.note) report.note = info.note;

  if (info.completeness === 'cut') {
    return failure(report, `cannot render ${report.id}: the template is incomplete because ${info.note}.`, json, io);
  }
  // Python formats fields left to right and raises the first error it meets,
  // so a missing variable before a bad brace is a KeyError, not a ValueError.
  const rendered = renderPrompt(info.template, variables);
  if (rendered.error) {
    report.error = errorJson(rendered.error);
    const names = report.variables.missing;
    if (rendered.error.exception === 'KeyError' && names.length > 0) {
      const plural = names.length > 1;
      return failure(report, `missing variable${plural ? 's' : ''} ${names.join(', ')}; Python raises ${rendered.error.message}. Pass ${plural ? 'them' : 'it'} with --var NAME=VALUE or --vars-file.`, json, io);
    }
    const syntaxError = templateSyntaxError(info.template);
    const prefix = syntaxError && syntaxError.location.offset === rendered.error.location.offset ? 'invalid template' : 'rendering failed';
    return failure(report, `${prefix}: ${rendered.error.message}`, json, io, errorExcerpt(info.template, rendered.error));
  }

  if (rendered.kind === 'text') report.rendered = rendered.result.text;
  else report.messages = chatMessagesToJs(rendered.messages);
  if (json) io.out(stringifyJson(report, 2));
  else io.out(rendered.kind === 'text' ? rendered.result.text : chatText(rendered));

  if (info.completeness === 'possibly-cut') io.err(`warning: ${info.note}.`);
  if (report.variables.unused.length > 0) io.err(`warning: unused variable${report.variables.unused.length > 1 ? 's' : ''}: ${report.variables.unused.join(', ')}.`);
  if (comparison.note) io.err(`note: stored variables [${comparison.stored?.join(', ')}] differ from the template's [${used.join(', ')}]. ${comparison.note}`);

  return 0;
}

function errorJson(error: PromptFormatError): NonNullable<JsonReport['error']> {
  return {
    exception: error.exception,
    message: error.pythonMessage,
    line: error.location.line,
    column: error.location.column,
    messageIndex: error.messageIndex ?? null,
  };
}

export const renderCommand: CliCommand = {
  name: 'render',
  usage: 'render   ID [DIR] [--var NAME=VALUE]... [--vars-file F.json] [--json]',
  optionHelp: [
    '--var NAME=VALUE  render: a variable as a string (repeatable; wins over --vars-file)',
    '--vars-file F     render: a JSON object of variables; numbers, lists and objects keep their JSON types',
  ],
  options: { var: { type: 'string', multiple: true }, 'vars-file': { type: 'string' } },
  run: runRender,
};
