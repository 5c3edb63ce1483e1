/**
 * `export`: writes the audit export of one version into a folder:
 * provenance.json (W3C PROV-JSON), openlineage.json (OpenLineage run
 * events), README.md (the report) and manifest.sha256.
 */
import fs from 'node:fs';
import path from 'node:path';
import { StoreError, provenance, stringifyJson } from '../../core/index';
import { terminalSafe } from '../format';
import { UsageError, expectArguments, openWorkspace, reportProblems, stringOption, type CliCommand, type OptionValues, type Output } from '../shared';

async function runExport(rest: string[], values: OptionValues, io: Output): Promise<number> {
  expectArguments(rest, 1, 2, 'ID');
  const out = stringOption(values, 'out');
  if (out === undefined || out === '') throw new UsageError('Missing --out FOLDER: the folder to write the export into.');
  const exportTime = stringOption(values, 'export-time');
  if (exportTime !== undefined) {
    try {
      provenance.normalizeExportTime(exportTime);
    } catch (error) {
      // A malformed option is a usage error, which exits 2 like the others.
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
  }

  const force = values.force === true;
  const existing = force ? undefined : provenance.existingExportFile(path.resolve(out));
  if (existing !== undefined) {
    io.err(`flowyml-assets: ${terminalSafe(existingMessage(existing))}`);
    return 1;
  }

  const workspace = await openWorkspace(rest[1], values);
  try {
    const problems = reportProblems(workspace, io);
    let result: provenance.ExportResult;
    try {
      result = await provenance.exportProvenance(workspace, rest[0], path.resolve(out), { exportTime, toolVersion: toolVersion(), overwrite: force });
    } catch (error) {
      if (error instanceof StoreError && error.code === 'exists' && error.file !== undefined) {
        io.err(`flowyml-assets: ${terminalSafe(existingMessage(error.file))}`);
        return 1;
      }
      if (!(error instanceof StoreError && error.code === 'not-found')) throw error;
      io.err(`flowyml-assets: ${terminalSafe(error.message)} Run "flowyml-assets list" on the same folder to see the version ids.`);
      return 1;
    }

    if (values.json === true) {
      io.out(stringifyJson(result, 2));
      return problems;
    }
    io.out(terminalSafe(`Exported the provenance of ${result.focus.type} ${result.focus.name} ${result.focus.label} to ${result.folder}`));
    io.out(`${result.versions} versions, ${result.runs} runs, export time ${result.exportTime}`);
    for (const file of result.files) io.out(`  ${file.name.padEnd(17)} ${String(file.bytes).padStart(9)} bytes  sha256 ${file.sha256}`);
    const gaps = Object.entries(result.gaps).filter(([, count]) => count > 0).map(([name, count]) => `${name} ${count}`);
    if (gaps.length > 0) io.out(`gaps: ${gaps.join(', ')} (see README.md)`);
    return problems;
  } finally {
    workspace.dispose();
  }
}

function existingMessage(file: string): string {
  return `${file} already exists, and export does not replace files. Choose another --out folder, move the file away, or add --force to replace the export's files.`;
}

/** Reads the version from package.json beside the bundle (dist/cli.js) or in the source tree, and returns `unknown` when neither can be read. */
function toolVersion(): string {
  for (const candidate of [path.join(__dirname, '..', 'package.json'), path.join(__dirname, '..', '..', '..', 'package.json')]) {
    try {
      const parsed = JSON.parse(fs.readFileSync(candidate, 'utf8')) as { name?: unknown; version?: unknown };
      if (parsed.name === 'flowyml-assets' && typeof parsed.version === 'string') return parsed.version;
    } catch {
      // Not at this place; try the next.
    }
  }

  return 'unknown';
}

export const exportCommand: CliCommand = {
  name: 'export',
  usage: 'export   ID [DIR] --out FOLDER [--export-time ISO] [--force] [--json]',
  optionHelp: [
    '--out FOLDER      export: the folder to write provenance.json, openlineage.json, README.md and manifest.sha256 into',
    '--export-time T   export: the ISO 8601 time to record instead of now, for byte-identical exports',
    '--force           export: replace provenance.json, openlineage.json, README.md and manifest.sha256',
    '                  when FOLDER already has them (without it, export fails and writes nothing)',
  ],
  options: { out: { type: 'string' }, 'export-time': { type: 'string' }, force: { type: 'boolean' } },
  run: runExport,
};
