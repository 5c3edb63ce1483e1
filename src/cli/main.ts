/**
 * `flowyml-assets`: the core without an editor, for CI and audit reports.
 * Exit codes: 0 success, 1 not found or invalid input (message on stderr),
 * 2 usage error.
 */
import { parseArgs } from 'node:util';
import { StoreError, describeError } from '../core/index';
import { compareCommand } from './commands/compare';
import { exportCommand } from './commands/export';
import { impactCommand } from './commands/impact';
import { lineageCommand } from './commands/lineage';
import { listCommand } from './commands/list';
import { registerCommand } from './commands/register';
import { renderCommand } from './commands/render';
import { showCommand } from './commands/show';
import { stackCommand } from './commands/stack';
import { whyCommand } from './commands/why';
import { jsonSafe, terminalText } from './format';
import { COMMON_OPTIONS, LIMIT_HELP, UsageError, type CliCommand, type OptionValues, type Output } from './shared';
import { TEAM_SOURCE_HELP } from './team-sources';

/** Every command, in the order the usage text lists them. */
const COMMANDS: CliCommand[] = [
  listCommand,
  showCommand,
  lineageCommand,
  compareCommand,
  renderCommand,
  registerCommand,
  stackCommand,
  impactCommand,
  whyCommand,
  exportCommand,
];

function usageText(): string {
  const optionHelp = [...new Set(COMMANDS.flatMap((c) => c.optionHelp))];
  return [
    'Usage:',
    ...COMMANDS.map((c) => `  flowyml-assets ${c.usage}`),
    '',
    'DIR is the workspace folder that holds .flowyml/ (default: the current folder).',
    'ID is a version id as printed by list, or a catalog id it lists as an alias.',
    '',
    'Options:',
    '  --json            machine-readable output on stdout',
    '  --store PATH      read only this database file or .flowyml folder (repeatable)',
    ...TEAM_SOURCE_HELP.map((line) => `  ${line}`),
    ...LIMIT_HELP.map((line) => `  ${line}`),
    ...optionHelp.map((line) => `  ${line}`),
    '  -h, --help        show this help',
  ].join('\n');
}

/**
 * Wraps the output so that every line the command line writes is escaped, whatever
 * message left a value unescaped. Text keeps its newlines and tabs, and text that
 * terminalSafe escaped is unchanged. JSON output gets \uXXXX escapes so that it
 * still parses to the same strings.
 */
function guarded(io: Output, json: () => boolean): Output {
  return {
    out: (text) => io.out(json() ? jsonSafe(text) : terminalText(text)),
    err: (text) => io.err(terminalText(text)),
  };
}

/** Tells whether the command writes JSON to stdout for these options: with `--json`, unless the command has its own rule. */
function writesJson(command: CliCommand | undefined, values: OptionValues): boolean {
  if (!command) return false;
  return command.writesJson ? command.writesJson(values) : values.json === true;
}

export async function run(argv: string[], rawIo: Output): Promise<number> {
  // Until the options are parsed, stdout carries only the help text.
  const mode = { json: false };
  const io = guarded(rawIo, () => mode.json);
  const commandName = argv[0] !== undefined && !argv[0].startsWith('-') ? argv[0] : undefined;
  const command = COMMANDS.find((c) => c.name === commandName);
  if (commandName !== undefined && !command) {
    io.err(`Unknown command "${commandName}".\n\n${usageText()}`);
    return 2;
  }

  let parsed;
  try {
    parsed = parseArgs({
      args: command ? argv.slice(1) : argv,
      allowPositionals: true,
      options: { ...COMMON_OPTIONS, ...command?.options },
    });
  } catch (error) {
    io.err(`${describeError(error)}\n\n${usageText()}`);
    return 2;
  }
  mode.json = writesJson(command, parsed.values);

  if (parsed.values.help === true || !command) {
    (parsed.values.help === true ? io.out : io.err)(usageText());
    return parsed.values.help === true ? 0 : 2;
  }

  try {
    return await command.run(parsed.positionals, parsed.values, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${error.message}\n\n${usageText()}`);
      return 2;
    }
    if (error instanceof StoreError) {
      io.err(`flowyml-assets: ${error.message}`);
      return 1;
    }
    io.err(`flowyml-assets: unexpected error: ${describeError(error)}`);
    return 1;
  }
}

if (require.main === module) {
  // A reader that closes the pipe early (`| head`) has all it wants: stop quietly.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  run(process.argv.slice(2), {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
  }).then((code) => {
    exitAfterFlush(code);
  }, (error: unknown) => {
    process.stderr.write(`flowyml-assets: unexpected error: ${terminalText(describeError(error))}\n`);
    exitAfterFlush(1);
  });
}

/**
 * Exits once stdout and stderr have drained. An explicit exit, rather than
 * waiting for the event loop to empty, keeps a stray handle from holding the
 * process open after the work is done.
 */
function exitAfterFlush(code: number): void {
  process.exitCode = code;
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}
