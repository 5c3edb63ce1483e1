import fs from 'node:fs';
import path from 'node:path';
import { CONFIG_FILE_NAMES, findStackFile, readStackFile, routingMarkdown, routingTable, checkWorkspaceFiles, integrityCounts, integrityMarkdown, flowymlFamily, FAILING_STATUSES } from '../../core/stack';
import { terminalSafe } from '../format';
import { expectArguments, openWorkspace, reportProblems, stringOption, type CliCommand, type OptionValues, type Output } from '../shared';

/**
 * Prints the stacks of flowyml.yaml, the problems found in it with their
 * lines, and the routing table of one stack. `--check` adds the artifact
 * file check. The exit code is 1 when the file has errors, a store cannot be
 * read, or files are missing, modified or unreadable, so CI can fail on any.
 */
async function runStack(rest: string[], values: OptionValues, io: Output): Promise<number> {
  expectArguments(rest, 0, 1, 'DIR');
  const dir = path.resolve(rest[0] ?? '.');
  const found = findStackFile(dir);
  const unusable = found === undefined ? unusableStackConfig(dir) : undefined;
  if (unusable !== undefined) {
    io.err(`flowyml-assets: ${terminalSafe(unusable)}`);
    return 1;
  }
  const file = found ? readStackFile(found) : undefined;
  const chosen = stringOption(values, 'stack') ?? file?.activeStack;
  const stack = file?.stacks.find((each) => each.name === chosen);
  if (file && chosen !== undefined && !stack) {
    io.err(`flowyml-assets: stack "${terminalSafe(chosen)}" is not in ${terminalSafe(file.path)}; it defines ${file.stacks.map((each) => terminalSafe(each.name)).join(', ') || 'no stacks'}.`);
    return 1;
  }

  const workspace = values.check === true || file ? await openWorkspace(rest[0], values) : undefined;
  try {
    const family = workspace ? flowymlFamily(workspace) : '2.x';
    const rows = file && stack ? routingTable(file, stack, family) : [];
    const report = values.check === true && workspace ? await checkWorkspaceFiles(workspace, file, chosen) : undefined;
    // A store that cannot be read is reported as list reports it, so the check never passes on a damaged store.
    const storeErrors = report && workspace ? reportProblems(workspace, io) : 0;

    if (values.json) {
      io.out(JSON.stringify({ file: file ?? null, stack: chosen ?? null, routing: rows, integrity: report ?? null }, null, 2));
    } else {
      // Names, paths and messages come from flowyml.yaml and the stores, so each is escaped to one line.
      if (!file) io.out(`No flowyml.yaml in ${terminalSafe(dir)} or its four parent folders: FlowyML runs without a stack there.`);
      else {
        const name = (definition: { name: string }) => terminalSafe(definition.name);
        io.out(terminalSafe(file.path));
        io.out(`Stacks: ${file.stacks.map((each) => (each.name === file.activeStack ? `${name(each)} (active, from ${file.activeSource})` : name(each))).join(', ') || 'none'}`);
        for (const problem of file.diagnostics) {
          io.out(`${terminalSafe(path.basename(file.path))}:${problem.range.startLine + 1}:${problem.range.startColumn + 1}: ${problem.severity}: ${terminalSafe(problem.message)} [${problem.code}]`);
        }
        if (stack) io.out(`\nRouting of stack ${name(stack)}:\n\n${routingMarkdown(rows, terminalSafe)}`);
      }
      if (report) io.out(integrityMarkdown(report, terminalSafe));
    }

    const fileErrors = file?.diagnostics.some((problem) => problem.severity === 'error') ?? false;
    const counts = report ? integrityCounts(report) : undefined;

    const failing = counts === undefined ? 0 : FAILING_STATUSES.reduce((sum, status) => sum + counts[status], 0);

    return fileErrors || storeErrors > 0 || failing > 0 ? 1 : 0;
  } finally {
    workspace?.dispose();
  }
}

export const stackCommand: CliCommand = {
  name: 'stack',
  usage: 'stack    [DIR] [--stack NAME] [--check] [--json]',
  optionHelp: [
    '--stack NAME      stack: show this stack instead of the active one',
    '--check           stack: also check artifact files (missing, modified, unreadable) and print the report;',
    '                  files outside DIR (after resolving links) are listed, never read',
  ],
  options: { stack: { type: 'string' }, check: { type: 'boolean' } },
  run: runStack,
};

/**
 * Explains why no stack file was found when a user pointed at one: FLOWYML_CONFIG names a path that is
 * not a file, or the folder's own flowyml.yaml is a folder or another special file. Returns undefined
 * when there is simply no stack file, which is a valid state.
 */
function unusableStackConfig(dir: string): string | undefined {
  const explicit = process.env.FLOWYML_CONFIG;
  if (explicit) {
    const resolved = path.resolve(dir, explicit);
    return `FLOWYML_CONFIG is ${explicit}, but ${resolved} ${fs.existsSync(resolved) ? 'is not a file' : 'does not exist'}; fix or unset the variable.`;
  }
  for (const name of CONFIG_FILE_NAMES) {
    const candidate = path.join(dir, name);
    if (fs.existsSync(candidate)) return `${candidate} is not a file, so the stack cannot be read; replace it with the stack YAML file.`;
  }

  return undefined;
}
