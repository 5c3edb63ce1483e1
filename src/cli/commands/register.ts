import path from 'node:path';
import { stringifyJson, type WorkspaceIndex } from '../../core/index';
import { findWriteEngine, planRegistration, RegisterError, writeRegistration, type VersionBump } from '../../core/register/index';
import { isSeedAssetType } from '../../core/stats/index';
import { terminalSafe } from '../format';
import { registerRemote } from './register-remote';
import { expectArguments, openWorkspace, stringListOption, stringOption, UsageError, type CliCommand, type OptionValues, type Output } from '../shared';

const BUMPS: readonly VersionBump[] = ['patch', 'minor', 'major'];

async function runRegister(rest: string[], values: OptionValues, io: Output): Promise<number> {
  expectArguments(rest, 1, 2, 'FILE');
  const file = path.resolve(rest[0]);
  const request = parseOptions(values);
  if (stringListOption(values, 'catalog-url').length > 0) return registerRemote(file, rest[1], values, request, io);

  try {
    // Fail before reading anything when no engine can write.
    const engine = findWriteEngine({ pythonCandidates: [stringOption(values, 'python')] });

    const workspace = await openBusyWorkspace(rest[1], values);
    try {
      const errors = workspace.problems.filter((p) => p.severity === 'error');
      for (const problem of workspace.problems) io.err(`${problem.severity}: ${terminalSafe(problem.message)}`);
      if (errors.length > 0) {
        io.err('flowyml-assets: the workspace could not be read completely, so versions and parents cannot be checked; nothing was registered.');
        return 1;
      }

      const plan = await planRegistration({ workspace, source: { kind: 'file', path: file }, ...request });
      for (const warning of plan.warnings) io.err(`warning: ${terminalSafe(warning)}`);
      for (const duplicate of plan.duplicates) {
        io.err(`warning: the same content is already registered as ${terminalSafe(duplicate.type)} ${terminalSafe(duplicate.name)} ${terminalSafe(duplicate.label)} (${duplicate.id}); registering it again.`);
      }

      let reportedWait = false;
      const result = await writeRegistration(plan, engine, {
        busyTimeoutMs: request.busyTimeoutMs,
        onBusy: () => {
          if (reportedWait) return;
          reportedWait = true;
          io.err(`Waiting for another writer to release ${plan.catalogPath}…`);
        },
      });

      if (values.json) {
        io.out(stringifyJson({
          id: result.id,
          artifactId: result.artifactId,
          store: plan.catalogStore,
          type: plan.type,
          name: plan.name,
          version: result.version,
          createdAt: result.createdAt,
          contentHash: plan.contentHash,
          hashBasis: plan.hashBasis,
          uri: plan.uri,
          parents: plan.parents.map((p) => p.versionId),
          parentCatalogIds: plan.parents.map((p) => p.catalogId),
          tags: plan.tags,
          properties: plan.properties,
          duplicates: plan.duplicates.map((d) => d.id),
          engine: result.engine,
          createdStore: result.createdStore,
        }, 2));
      } else {
        const lines = [
          `Registered ${plan.type} ${plan.name} ${result.version}`,
          `id:       ${result.id}`,
          `parents:  ${plan.parents.length === 0 ? '-' : plan.parents.map((p) => p.versionId).join(', ')}`,
          `uri:      ${plan.uri || '-'}`,
          `sha256:   ${plan.contentHash} (${plan.hashBasis})`,
        ];
        if (result.createdStore) lines.push(`created:  ${plan.catalogPath}`);
        io.out(lines.map(terminalSafe).join('\n'));
      }
      return 0;
    } finally {
      workspace.dispose();
    }
  } catch (error) {
    if (error instanceof RegisterError) {
      io.err(`flowyml-assets: ${terminalSafe(error.message)}`);
      return 1;
    }
    throw error;
  }
}

/** How many times the workspace is loaded while a store stays busy, because a pipeline may be committing between steps. */
const LOAD_ATTEMPTS = 3;

/**
 * Loads the workspace, loading again while the only errors are stores that
 * a writer kept busy for the whole read.
 */
async function openBusyWorkspace(dir: string | undefined, values: OptionValues): Promise<WorkspaceIndex> {
  for (let attempt = 1; ; attempt++) {
    const workspace = await openWorkspace(dir, values);
    const errors = workspace.problems.filter((p) => p.severity === 'error');
    if (attempt >= LOAD_ATTEMPTS || errors.length === 0 || errors.some((p) => p.code !== 'busy')) return workspace;
    workspace.dispose();
  }
}

interface ParsedOptions {
  type?: 'Asset' | 'Dataset' | 'Model' | 'Metrics' | 'FeatureSet' | 'Report' | 'Artifact' | 'Prompt' | 'Checkpoint';
  name?: string;
  version?: string;
  bump?: VersionBump;
  parents: string[];
  tags: Record<string, string>;
  checkpoint?: { epoch?: number; step?: number; isBest?: boolean };
  busyTimeoutMs?: number;
}

function parseOptions(values: OptionValues): ParsedOptions {
  const type = stringOption(values, 'type');
  if (type !== undefined && !isSeedAssetType(type)) {
    throw new UsageError(`Unknown type "${type}": use Dataset, Model, Metrics, FeatureSet, Report, Artifact, Prompt, Checkpoint or Asset.`);
  }
  const bump = stringOption(values, 'bump');
  if (bump !== undefined && !(BUMPS as readonly string[]).includes(bump)) throw new UsageError(`Invalid --bump "${bump}": use patch, minor or major.`);
  if (bump !== undefined && stringOption(values, 'version') !== undefined) throw new UsageError('Give either --version or --bump, not both.');

  const tags: Record<string, string> = {};
  for (const tag of stringListOption(values, 'tag')) {
    const at = tag.indexOf('=');
    if (at <= 0) throw new UsageError(`Invalid --tag "${tag}": write it as KEY=VALUE.`);
    tags[tag.slice(0, at)] = tag.slice(at + 1);
  }

  const epoch = integerOption(values, 'epoch');
  const step = integerOption(values, 'step');
  const isBest = values.best === true ? true : undefined;
  const checkpoint = epoch !== undefined || step !== undefined || isBest !== undefined ? { epoch, step, isBest } : undefined;
  if (checkpoint && type !== undefined && type !== 'Checkpoint') throw new UsageError('--epoch, --step and --best apply to --type Checkpoint only.');

  const timeoutText = stringOption(values, 'busy-timeout');
  const timeoutSeconds = timeoutText === undefined ? undefined : Number(timeoutText);
  if (timeoutSeconds !== undefined && !(Number.isFinite(timeoutSeconds) && timeoutSeconds >= 0)) {
    throw new UsageError(`Invalid --busy-timeout "${timeoutText}": give a number of seconds.`);
  }

  return {
    type: type as ParsedOptions['type'],
    name: stringOption(values, 'name'),
    version: stringOption(values, 'version'),
    bump: bump as VersionBump | undefined,
    parents: stringListOption(values, 'parent'),
    tags,
    checkpoint,
    busyTimeoutMs: timeoutSeconds === undefined ? undefined : timeoutSeconds * 1000,
  };
}

function integerOption(values: OptionValues, name: string): number | undefined {
  const text = stringOption(values, name);
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new UsageError(`Invalid --${name} "${text}": give a whole number.`);
  return Number(text);
}

export const registerCommand: CliCommand = {
  name: 'register',
  usage: 'register FILE [DIR] [--type T] [--name N] [--version V | --bump patch|minor|major] [--parent ID]... [--tag K=V]... [--json]',
  optionHelp: [
    '--type T          register: the asset type (default: inferred from the file)',
    '--name N          register: the asset name (default: the file name without its extension)',
    '--version V       register: the version to write (default: the next patch version of that name)',
    '--bump B          register: patch, minor or major, for the default version',
    '--parent ID       register: a parent version id as list prints it (repeatable)',
    '--tag K=V         register: a tag (repeatable)',
    '--epoch N, --step N, --best   register: facts of a Checkpoint',
    '--python PATH     register: the Python interpreter whose sqlite3 writes when Node has no node:sqlite (default: python3)',
    '--busy-timeout S  register: seconds to wait while another process writes catalog.db (default: 30)',
  ],
  options: {
    type: { type: 'string' },
    name: { type: 'string' },
    version: { type: 'string' },
    bump: { type: 'string' },
    parent: { type: 'string', multiple: true },
    tag: { type: 'string', multiple: true },
    epoch: { type: 'string' },
    step: { type: 'string' },
    best: { type: 'boolean', default: false },
    python: { type: 'string' },
    'busy-timeout': { type: 'string' },
  },
  run: runRegister,
};
