import { stringifyJson } from '../../core/index';
import { lineageToDot, lineageToMermaid } from '../format';
import { UsageError, expectArguments, openWorkspace, reportProblems, stringOption, type CliCommand, type OptionValues, type Output } from '../shared';

async function runLineage(rest: string[], values: OptionValues, io: Output): Promise<number> {
  expectArguments(rest, 1, 2, 'ID');
  const depthText = stringOption(values, 'depth');
  const depth = depthText === undefined ? undefined : Number(depthText);
  if (depth !== undefined && (!Number.isInteger(depth) || depth < 0)) throw new UsageError(`--depth takes a whole number of generations, 0 or more; got "${depthText}".`);
  const direction = stringOption(values, 'direction') ?? 'both';
  if (direction !== 'up' && direction !== 'down' && direction !== 'both') throw new UsageError(`--direction takes up, down or both; got "${direction}".`);
  const format = stringOption(values, 'format') ?? 'json';
  if (format !== 'json' && format !== 'dot' && format !== 'mermaid') throw new UsageError(`--format takes json, dot or mermaid; got "${format}".`);

  const workspace = await openWorkspace(rest[1], values);
  try {
    const problems = reportProblems(workspace, io);
    const graph = workspace.lineage(rest[0], { depth, direction });
    if (format === 'dot') io.out(lineageToDot(graph));
    else if (format === 'mermaid') io.out(lineageToMermaid(graph));
    else io.out(stringifyJson(graph, 2));
    return problems;
  } finally {
    workspace.dispose();
  }
}

export const lineageCommand: CliCommand = {
  name: 'lineage',
  usage: 'lineage  ID [DIR] [--depth N] [--direction up|down|both] [--format json|dot|mermaid]',
  optionHelp: [
    '--depth N         lineage: generations to follow (default: all)',
    '--direction D     lineage: up (ancestors), down (descendants) or both (default)',
    '--format F        lineage: json (default), dot or mermaid',
  ],
  options: { depth: { type: 'string' }, direction: { type: 'string' }, format: { type: 'string' } },
  writesJson: (values) => (stringOption(values, 'format') ?? 'json') === 'json',
  run: runLineage,
};
