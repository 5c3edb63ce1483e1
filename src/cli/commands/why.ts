/**
 * `why`: why two versions differ. Walks both upstream graphs and prints the
 * ancestors that differ side by side (another Dataset version, another
 * prompt template), and the run parameters that differ.
 */
import { StoreError, provenance, stringifyJson } from '../../core/index';
import { table, terminalSafe } from '../format';
import { expectArguments, openWorkspace, reportProblems, type CliCommand, type OptionValues, type Output } from '../shared';

async function runWhy(rest: string[], values: OptionValues, io: Output): Promise<number> {
  expectArguments(rest, 2, 3, 'ID_A and ID_B');

  const workspace = await openWorkspace(rest[2], values);
  try {
    const problems = reportProblems(workspace, io);
    let diff: provenance.LineageDiff;
    try {
      diff = provenance.diffLineage(workspace, rest[0], rest[1]);
    } catch (error) {
      if (!(error instanceof StoreError && error.code === 'not-found')) throw error;
      io.err(`flowyml-assets: ${terminalSafe(error.message)} Run "flowyml-assets list" on the same folder to see the version ids.`);
      return 1;
    }

    if (values.json === true) {
      io.out(stringifyJson(diff, 2));
      return problems;
    }

    const name = (ref: provenance.VersionRef) => `${ref.type} ${ref.name} ${ref.label}`;
    io.out(terminalSafe(`A: ${name(diff.a)}  ${diff.a.id}`));
    io.out(terminalSafe(`B: ${name(diff.b)}  ${diff.b.id}`));
    if (!diff.sameAsset) io.err('warning: A and B are versions of different assets; their upstream graphs are compared all the same.');
    io.out(`${diff.differences.length} upstream assets differ, ${diff.commonAncestors} ancestor versions are shared.`);
    if (diff.differences.length > 0) {
      io.out('');
      const versions = (list: provenance.VersionRef[]) => (list.length === 0 ? '(none)' : list.map((ref) => ref.label).join(', '));
      const rows = diff.differences.map((difference) => [String(difference.distance), difference.type, difference.name, versions(difference.a), versions(difference.b)]);
      io.out(table(['DISTANCE', 'TYPE', 'NAME', 'A', 'B'], rows, [8, 30, 60, 40, 40]));
    }
    if (diff.parameters.length > 0) {
      io.out('');
      const rows = diff.parameters.map((parameter) => [parameter.key, parameter.a ?? '(not set)', parameter.b ?? '(not set)', `${parameter.runA.slice(0, 8)} / ${parameter.runB.slice(0, 8)}`]);
      io.out(table(['PARAMETER', 'A', 'B', 'RUNS'], rows, [40, 40, 40, 20]));
    }
    for (const missing of diff.missing) io.out(terminalSafe(`${missing.side.toUpperCase()} lists parent ${missing.id}, which no store contains.`));
    const pairs = diff.differences.flatMap((difference) => difference.comparePairs);
    if (pairs.length > 0) {
      io.out('');
      io.out('Compare a differing pair with: flowyml-assets compare ID_A ID_B');
      for (const [a, b] of pairs) io.out(terminalSafe(`  ${a} ${b}`));
    }
    return problems;
  } finally {
    workspace.dispose();
  }
}

export const whyCommand: CliCommand = {
  name: 'why',
  usage: 'why      ID_A ID_B [DIR] [--json]',
  optionHelp: [],
  options: {},
  run: runWhy,
};
