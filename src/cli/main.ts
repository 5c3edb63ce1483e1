/**
 * `flowyml-assets`: the core without an editor, for CI and audit reports.
 * Exit codes: 0 success, 1 not found or invalid input (message on stderr),
 * 2 usage error.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { StoreError, describeError, loadWorkspace, stringifyJson, type AssetVersion, type WorkspaceIndex } from '../core/index';
import { lineageToDot, lineageToMermaid, table, terminalSafe } from './format';

const USAGE = `Usage:
  flowyml-assets list     [DIR] [--type T] [--name N] [--json]
  flowyml-assets show     ID [DIR] [--json] [--full]
  flowyml-assets lineage  ID [DIR] [--depth N] [--direction up|down|both] [--format json|dot|mermaid]

DIR is the workspace folder that holds .flowyml/ (default: the current folder).
ID is a version id as printed by list, or a catalog id it lists as an alias.

Options:
  --type T          only versions of this type (Dataset, Model, ..., or a class name such as dict)
  --name N          only versions of the asset with this exact name
  --json            machine-readable output on stdout
  --full            show: load the whole stored JSON, even when it is many megabytes
  --depth N         lineage: generations to follow (default: all)
  --direction D     lineage: up (ancestors), down (descendants) or both (default)
  --format F        lineage: json (default), dot or mermaid
  --store PATH      read only this database file or .flowyml folder (repeatable)
  -h, --help        show this help`;

class UsageError extends Error {}

interface Output {
  out: (text: string) => void;
  err: (text: string) => void;
}

export async function run(argv: string[], io: Output): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        type: { type: 'string' },
        name: { type: 'string' },
        json: { type: 'boolean', default: false },
        full: { type: 'boolean', default: false },
        depth: { type: 'string' },
        direction: { type: 'string' },
        format: { type: 'string' },
        store: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    io.err(`${describeError(error)}\n\n${USAGE}`);
    return 2;
  }

  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || command === undefined) {
    (values.help ? io.out : io.err)(USAGE);
    return values.help ? 0 : 2;
  }

  try {
    switch (command) {
      case 'list':
        return await listCommand(rest, values, io);
      case 'show':
        return await showCommand(rest, values, io);
      case 'lineage':
        return await lineageCommand(rest, values, io);
      default:
        throw new UsageError(`Unknown command "${command}".`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${error.message}\n\n${USAGE}`);
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

type Values = { type?: string; name?: string; json?: boolean; full?: boolean; depth?: string; direction?: string; format?: string; store?: string[] };

async function openWorkspace(dirArgument: string | undefined, values: Values): Promise<WorkspaceIndex> {
  const root = path.resolve(dirArgument ?? process.cwd());
  return loadWorkspace(root, { storePaths: values.store });
}

/** Prints load problems to stderr; returns 1 when any is an error, so CI notices a damaged store. */
function reportProblems(workspace: WorkspaceIndex, io: Output): number {
  for (const problem of workspace.problems) io.err(`${problem.severity}: ${terminalSafe(problem.message)}`);
  if (workspace.stores.length === 0 && !workspace.problems.some((p) => p.severity === 'error')) {
    io.err(`error: no FlowyML store found under ${workspace.root} (looked for .flowyml/metadata.db, .flowyml/projects/*/metadata.db and .flowyml/catalog.db).`);
    return 1;
  }
  return workspace.problems.some((p) => p.severity === 'error') ? 1 : 0;
}

function expectArguments(rest: string[], min: number, max: number, what: string): void {
  if (rest.length < min) throw new UsageError(`Missing ${what}.`);
  if (rest.length > max) throw new UsageError(`Unexpected argument "${rest[max]}".`);
}

function listEntry(v: AssetVersion): Record<string, unknown> {
  return {
    id: v.id,
    name: v.name,
    type: v.type,
    version: v.storedVersion ?? `#${v.ordinal}`,
    versionDerived: v.storedVersion === undefined,
    ordinal: v.ordinal,
    label: v.label,
    store: v.store,
    runId: v.runId ?? null,
    step: v.step ?? null,
    pipeline: v.pipeline ?? null,
    createdAt: v.createdAt?.iso ?? null,
    parents: v.parents,
    derivedParents: v.derivedParents,
    aliases: v.aliases,
  };
}

function matchesType(v: AssetVersion, wanted: string): boolean {
  return v.type === wanted || v.storedType === wanted || v.type.toLowerCase() === wanted.toLowerCase();
}

async function listCommand(rest: string[], values: Values, io: Output): Promise<number> {
  expectArguments(rest, 0, 1, 'DIR');
  const workspace = await openWorkspace(rest[0], values);
  try {
    const versions = workspace.assets()
      .filter((a) => (values.type === undefined || matchesType(a.latest, values.type)) && (values.name === undefined || a.name === values.name))
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

async function showCommand(rest: string[], values: Values, io: Output): Promise<number> {
  expectArguments(rest, 1, 2, 'ID');
  const workspace = await openWorkspace(rest[1], values);
  try {
    const problems = reportProblems(workspace, io);
    const details = await workspace.details(rest[0], { full: values.full });
    if (values.json) {
      io.out(stringifyJson({ ...listEntry(details.version), tags: details.version.tags, uri: details.version.uri ?? null, contentHash: details.version.contentHash ?? null, properties: details.properties, children: details.children, rawTruncated: details.rawTruncated, problem: details.problem ?? null }, 2));
    } else {
      const v = details.version;
      const lines = [
        `${v.type} ${v.name} ${v.label}`,
        `id:        ${v.id}`,
        ...v.aliases.map((a) => `alias:     ${a}`),
        `store:     ${v.store}`,
        `run:       ${v.runId ?? '-'}${v.pipeline ? ` (pipeline ${v.pipeline})` : ''}`,
        `step:      ${v.step ?? '-'}`,
        `created:   ${v.createdAt?.iso ?? '-'}${v.createdAt?.zone === 'assumed-local' ? ' (zone unknown: read as local time)' : ''}`,
        `parents:   ${v.parents.length === 0 ? '-' : v.parents.join(', ')}`,
        `children:  ${details.children.length === 0 ? '-' : details.children.join(', ')}`,
        `tags:      ${Object.keys(v.tags).length === 0 ? '-' : Object.entries(v.tags).map(([k, t]) => `${k}=${t}`).join(', ')}`,
      ];
      if (v.uri) lines.push(`uri:       ${v.uri}`);
      lines.push('properties:');
      for (const [key, value] of Object.entries(details.properties.typed)) lines.push(`  ${key}: ${preview(value)}`);
      for (const [key, value] of Object.entries(details.properties.extra)) lines.push(`  (${key}): ${preview(value)}`);
      if (details.rawTruncated) lines.push('(stored data copies left out; use --full to load everything)');
      if (details.problem) lines.push(`problem: ${details.problem}`);
      io.out(lines.map(terminalSafe).join('\n'));
    }
    return problems;
  } finally {
    workspace.dispose();
  }
}

const PREVIEW_CHARS = 200;

function preview(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') text = String(value);
  else text = stringifyJson(value);
  return text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS)}… (${text.length} chars)` : text;
}

async function lineageCommand(rest: string[], values: Values, io: Output): Promise<number> {
  expectArguments(rest, 1, 2, 'ID');
  const depth = values.depth === undefined ? undefined : Number(values.depth);
  if (depth !== undefined && (!Number.isInteger(depth) || depth < 0)) throw new UsageError(`--depth takes a whole number of generations, 0 or more; got "${values.depth}".`);
  const direction = values.direction ?? 'both';
  if (direction !== 'up' && direction !== 'down' && direction !== 'both') throw new UsageError(`--direction takes up, down or both; got "${direction}".`);
  const format = values.format ?? 'json';
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

if (require.main === module) {
  run(process.argv.slice(2), {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
  }).then((code) => {
    process.exitCode = code;
  }, (error: unknown) => {
    process.stderr.write(`flowyml-assets: unexpected error: ${describeError(error)}\n`);
    process.exitCode = 1;
  });
}
