import { table } from '../format';
import { expectArguments, listEntry, openWorkspace, reportProblems, stringOption, type CliCommand, type OptionValues, type Output } from '../shared';
import type { AssetVersion } from '../../core/index';

function matchesType(v: AssetVersion, wanted: string): boolean {
  return v.type === wanted || v.storedType === wanted || v.type.toLowerCase() === wanted.toLowerCase();
}

async function runList(rest: string[], values: OptionValues, io: Output): Promise<number> {
  expectArguments(rest, 0, 1, 'DIR');
  const type = stringOption(values, 'type');
  const name = stringOption(values, 'name');
  const workspace = await openWorkspace(rest[0], values);
  try {
    const versions = workspace.assets()
      .filter((a) => (type === undefined || matchesType(a.latest, type)) && (name === undefined || a.name === name))
      .sort((a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name))
      .flatMap((a) => a.versions);

    if (values.json) {
      // List entries hold only strings, finite numbers and arrays, so the plain serializer is exact here.
      io.out(JSON.stringify(versions.map(listEntry), null, 2));
    } else if (versions.length > 0) {
      io.out(table(
        ['TYPE', 'NAME', 'VERSION', 'RUN', 'STEP', 'CREATED', 'ID'],
        versions.map((v) => [v.type, v.name, v.label, v.runId?.slice(0, 8) ?? '', v.step ?? '', v.createdAt?.iso ?? '', v.id]),
        [24, 40, 24, 8, 24, 24, 200],
      ));
    } else {
      io.err('No asset versions match.');
    }
    return reportProblems(workspace, io);
  } finally {
    workspace.dispose();
  }
}

export const listCommand: CliCommand = {
  name: 'list',
  usage: 'list     [DIR] [--type T] [--name N] [--json]',
  optionHelp: [
    '--type T          list: only versions of this type (Dataset, Model, ..., or a class name such as dict)',
    '--name N          list: only versions of the asset with this exact name',
  ],
  options: { type: { type: 'string' }, name: { type: 'string' } },
  run: runList,
};
