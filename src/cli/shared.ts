/** Pieces every command of the command line shares. */
import fs from 'node:fs';
import path from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import { loadWorkspace, type AssetVersion, type WorkspaceIndex } from '../core/index';
import { terminalSafe } from './format';
import { teamSourcesFromOptions } from './team-sources';

/** A mistake in the command line itself: exit code 2, with the usage text. */
export class UsageError extends Error {}

export interface Output {
  out: (text: string) => void;
  err: (text: string) => void;
}

export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface CliCommand {
  name: string;
  /** One usage line, without the program name. */
  usage: string;
  /** Help lines for the options only this command takes. */
  optionHelp: string[];
  options: NonNullable<ParseArgsConfig['options']>;
  /** Whether stdout carries JSON for these options; without it, when `--json` is given. */
  writesJson?(values: OptionValues): boolean;
  run(positionals: string[], values: OptionValues, io: Output): Promise<number>;
}

/** Options every command accepts. */
export const COMMON_OPTIONS: NonNullable<ParseArgsConfig['options']> = {
  json: { type: 'boolean', default: false },
  store: { type: 'string', multiple: true },
  'db-url': { type: 'string', multiple: true },
  'catalog-url': { type: 'string', multiple: true },
  'read-timeout': { type: 'string' },
  'max-versions': { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
};

/** Help lines of the store limits, which every command that reads stores applies. */
export const LIMIT_HELP = [
  '--read-timeout S  stop a read of one store file, or one team store request, after',
  '                  S seconds (default 30, 0: none; or FLOWYML_READ_TIMEOUT_SECONDS)',
  '--max-versions N  skip a store with more than N versions (default 500000, 0: none;',
  '                  or FLOWYML_MAX_STORE_VERSIONS)',
];

export function stringOption(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

export function stringListOption(values: OptionValues, name: string): string[] {
  const value = values[name];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

export async function openWorkspace(dirArgument: string | undefined, values: OptionValues): Promise<WorkspaceIndex> {
  const root = path.resolve(dirArgument ?? process.cwd());
  const storePaths = stringListOption(values, 'store');
  const readTimeout = limitOption(values, 'read-timeout', 'FLOWYML_READ_TIMEOUT_SECONDS');
  const maxVersions = limitOption(values, 'max-versions', 'FLOWYML_MAX_STORE_VERSIONS');
  return loadWorkspace(root, {
    storePaths: storePaths.length > 0 ? storePaths : undefined,
    sources: teamSourcesFromOptions(values, process.env, readTimeout === undefined || readTimeout === 0 ? undefined : Math.round(readTimeout * 1000)),
    open: {
      readTimeoutMs: readTimeout === undefined ? undefined : Math.round(readTimeout * 1000),
      readTimeoutHint: 'Run again with --read-timeout SECONDS (0: no limit) to allow longer reads.',
    },
    sizeGuard: {
      maxVersions: maxVersions === undefined ? undefined : Math.floor(maxVersions),
      hint: 'Run again with --max-versions 0 (or a higher limit) to load it anyway.',
    },
  });
}

/** Reads a non-negative number from an option, else from an environment variable, or returns undefined when neither is set. */
function limitOption(values: OptionValues, name: string, variable: string): number | undefined {
  const option = stringOption(values, name);
  const text = option ?? process.env[variable];
  if (text === undefined || text.trim() === '') return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) {
    throw new UsageError(`${option === undefined ? variable : `--${name}`} must be a number of at least 0, not "${text}".`);
  }
  return value;
}

/** Prints load problems to stderr; returns 1 when any is an error, so CI notices a damaged store. */
export function reportProblems(workspace: WorkspaceIndex, io: Output): number {
  for (const problem of workspace.problems) io.err(`${problem.severity}: ${terminalSafe(problem.message)}`);
  if (workspace.stores.length === 0 && !workspace.problems.some((p) => p.severity === 'error')) {
    if (!fs.existsSync(workspace.root)) io.err(`error: ${workspace.root} does not exist; pass the folder that contains .flowyml.`);
    else io.err(`error: no FlowyML store found under ${workspace.root} (looked for .flowyml/metadata.db, .flowyml/projects/*/metadata.db and .flowyml/catalog.db).`);
    return 1;
  }
  return workspace.problems.some((p) => p.severity === 'error') ? 1 : 0;
}

export function expectArguments(rest: string[], min: number, max: number, what: string): void {
  if (rest.length < min) throw new UsageError(`Missing ${what}.`);
  if (rest.length > max) throw new UsageError(`Unexpected argument "${rest[max]}".`);
}

export function listEntry(v: AssetVersion): Record<string, unknown> {
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
