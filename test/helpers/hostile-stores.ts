/**
 * Builds damaged and unusual FlowyML workspaces for the hostile-store tests,
 * always in a temporary folder and never in the committed fixtures.
 *
 * The standard workspace contains four stores with known row counts:
 * - `.flowyml/metadata.db`, a copy of the FlowyML 1.7 basic fixture: 3 runs, 15 artifact rows;
 * - `.flowyml/projects/fraud/metadata.db` and `.flowyml/projects/recsys/metadata.db`,
 *   copies of the 1.7 project stores: 2 runs and 6 artifact rows each;
 * - `.flowyml/catalog.db`, written here in FlowyML's DDL with 4 explicitly
 *   registered rows (a parent chain, no run), so each row is one version.
 * Writes go through Python's sqlite3 (test/helpers/hostile_stores.py), the
 * same engine FlowyML writes with.
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT, SMALL_FIXTURES } from './paths';

export const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
const GENERATOR = path.join(REPO_ROOT, 'test', 'helpers', 'hostile_stores.py');

/** Store paths relative to the workspace root, as the core reports them. */
export const STORE = {
  metadata: '.flowyml/metadata.db',
  fraud: '.flowyml/projects/fraud/metadata.db',
  recsys: '.flowyml/projects/recsys/metadata.db',
  catalog: '.flowyml/catalog.db',
} as const;

/** Versions per store of the undamaged standard workspace, counted with sqlite3 on the source files. */
export const BASELINE_COUNTS: Readonly<Record<string, number>> = {
  [STORE.metadata]: 15,
  [STORE.fraud]: 6,
  [STORE.recsys]: 6,
  [STORE.catalog]: 4,
};

/** Run ids of the basic fixture (the root store), in rowid order. */
export const BASIC_RUNS = [
  'e1748314-59ac-402c-be97-68ae98e4d297',
  '0f5d4615-f51f-4c49-a9c6-b8246f0a87d3',
  '894d7adb-c71d-4754-a1af-2b905affe663',
] as const;

/** The catalog ids of the standard catalog rows: raw → clean → features → model. */
export const CATALOG_IDS = {
  raw: 'be124dbd-6f94-4fae-b9a2-384be199dbc0',
  clean: '9b6666b7-5572-44a1-97fd-740b6b772804',
  features: '8aaf4c51-0dda-42ae-92cc-152343d906b3',
  model: 'b2366405-1f0c-4b8e-9a43-5d2f1c7e8a90',
} as const;

/** A catalog row as the generator takes it; omitted columns get FlowyML's values for a registered row. */
export interface CatalogRow {
  artifact_id: string;
  name: string;
  artifact_type: string;
  created_at: string;
  parent_ids?: unknown;
  tags?: unknown;
  metadata?: unknown;
  version?: string | null;
  uri?: string;
  source_step?: string;
  source_run_id?: string;
  source_pipeline?: string;
  content_hash?: string;
}

/** Builds a registered catalog row in the shape of the catalog fixture's explicit rows. */
export function registeredRow(
  artifactId: string,
  name: string,
  type: string,
  parents: string[],
  extra: Partial<CatalogRow> = {},
): CatalogRow {
  return {
    artifact_id: artifactId,
    name,
    artifact_type: type,
    created_at: '2026-12-04T20:07:03.616089',
    parent_ids: parents,
    tags: {},
    metadata: { asset_id: `asset-${artifactId}`, asset_created_at: '2026-12-04T20:07:03.598121', properties: {} },
    version: 'v1.0.0',
    ...extra,
  };
}

export const STANDARD_CATALOG_ROWS: CatalogRow[] = [
  registeredRow(CATALOG_IDS.raw, 'customers_raw', 'Dataset', [], {
    tags: { layer: 'bronze' },
    metadata: { asset_id: 'ce933d9e-0000-4000-8000-000000000001', asset_created_at: '2026-12-04T20:07:03.598121', properties: { samples: 400, num_features: 6 } },
  }),
  registeredRow(CATALOG_IDS.clean, 'customers_clean', 'Dataset', [CATALOG_IDS.raw], { tags: { layer: 'silver' } }),
  registeredRow(CATALOG_IDS.features, 'churn_features', 'FeatureSet', [CATALOG_IDS.clean], { tags: { layer: 'gold' } }),
  registeredRow(CATALOG_IDS.model, 'churn_model', 'Model', [CATALOG_IDS.features], { tags: { stage: 'production' }, version: 'v2.0.0' }),
];

/** Sends one request to the Python generator and returns its JSON reply. */
export function generate(request: Record<string, unknown>, timeoutMs = 120_000): Record<string, unknown> {
  const result = spawnSync('python3', [GENERATOR], {
    input: JSON.stringify(request),
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 16 * 1024 * 1024,
  });
  if (result.error) throw new Error(`python3 ${GENERATOR} failed to run: ${result.error.message}`);
  if (result.status !== 0) {
    throw new Error(`python3 ${GENERATOR} ${String(request.command)} exited with ${String(result.status ?? result.signal)}: ${result.stderr}`);
  }
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

export interface SqlStatement {
  sql: string;
  params?: unknown[];
}

/** Runs SQL statements against a store in one transaction, through Python's sqlite3. */
export function executeSql(db: string, statements: SqlStatement[]): number[] {
  return generate({ command: 'execute', db, statements }).changes as number[];
}

/** Creates a catalog.db in FlowyML's DDL, optionally without some columns or without the primary key. */
export function createCatalog(db: string, rows: CatalogRow[], options: { omitColumns?: string[]; primaryKey?: boolean } = {}): void {
  generate({ command: 'catalog', db, rows, omit_columns: options.omitColumns ?? [], primary_key: options.primaryKey ?? true });
}

let template: string | undefined;

/** Builds the standard workspace once per test process and returns its folder; tests copy it. */
function standardTemplate(): string {
  if (template) return template;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowyml-hostile-template-'));
  const flowyml = path.join(dir, '.flowyml');
  fs.mkdirSync(path.join(flowyml, 'projects', 'fraud'), { recursive: true });
  fs.mkdirSync(path.join(flowyml, 'projects', 'recsys'), { recursive: true });
  fs.copyFileSync(path.join(SMALL_FIXTURES, 'flowyml-1.7-basic', '.flowyml', 'metadata.db'), path.join(dir, STORE.metadata));
  const projects = path.join(SMALL_FIXTURES, 'flowyml-1.7-projects', '.flowyml', 'projects');
  fs.copyFileSync(path.join(projects, 'fraud', 'metadata.db'), path.join(dir, STORE.fraud));
  fs.copyFileSync(path.join(projects, 'recsys', 'metadata.db'), path.join(dir, STORE.recsys));
  createCatalog(path.join(dir, STORE.catalog), STANDARD_CATALOG_ROWS);
  template = dir;
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export interface HostileWorkspace {
  root: string;
  /** Absolute path of a file given relative to the workspace root. */
  file(relative: string): string;
  remove(): void;
}

/** Copies the standard workspace into a new temporary folder. */
export function makeWorkspace(label: string): HostileWorkspace {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `flowyml-hostile-${label}-`));
  fs.cpSync(standardTemplate(), root, { recursive: true });
  return {
    root,
    file: (relative) => path.join(root, relative),
    remove: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}

/** Hashes every file under a folder (sha256, keyed by relative path), so a test detects any write or new file. */
export function hashTree(root: string): Map<string, string> {
  const hashes = new Map<string, string>();
  const visit = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else hashes.set(path.relative(root, full), crypto.createHash('sha256').update(fs.readFileSync(full)).digest('hex'));
    }
  };
  visit(root);
  return hashes;
}

export function flipBit(file: string, offset: number, bit: number): void {
  const fd = fs.openSync(file, 'r+');
  try {
    const byte = Buffer.alloc(1);
    fs.readSync(fd, byte, 0, 1, offset);
    byte[0] ^= 1 << bit;
    fs.writeSync(fd, byte, 0, 1, offset);
  } finally {
    fs.closeSync(fd);
  }
}

export interface CliResult {
  /** Exit code, or null when the process was killed (for example by the timeout). */
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  elapsedMs: number;
}

export const CLI_TIMEOUT_MS = 60_000;

/** Runs the bundled command line with a time limit. */
export function runCli(args: string[], timeoutMs = CLI_TIMEOUT_MS): CliResult {
  const started = performance.now();
  const result = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '1' },
  });
  return {
    status: result.status,
    signal: result.signal,
    stdout: result.stdout ?? '',
    stderr: result.stderr ?? '',
    elapsedMs: performance.now() - started,
  };
}

/** Builds dist/cli.js with `npm run build` when it is missing. */
export function ensureCliBuilt(): void {
  if (fs.existsSync(CLI)) return;
  const result = spawnSync('npm', ['run', 'build'], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 300_000 });
  if (result.status !== 0 || !fs.existsSync(CLI)) {
    throw new Error(`npm run build did not produce ${CLI} (exit ${String(result.status ?? result.signal)}): ${result.stderr}`);
  }
}

/** Matches a line of a JavaScript stack trace (`    at fn (file:1:2)`). */
export const STACK_TRACE_LINE = /^\s+at\s.*(\(|:\d+)/m;

/** Control characters that must never reach a terminal: C0 except newline, DEL and C1. */
export const TERMINAL_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

export function countByStore(versions: readonly { store: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of versions) counts[v.store] = (counts[v.store] ?? 0) + 1;
  return counts;
}

/** Returns the baseline counts without the given stores, for a workspace where those stores fail to load. */
export function countsWithout(...stores: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [store, count] of Object.entries(BASELINE_COUNTS)) if (!stores.includes(store)) counts[store] = count;
  return counts;
}

/**
 * Runs `fn` and counts the bytes it reads through `fs.readSync`, the call the
 * SQLite layer reads database pages with.
 */
export async function countBytesRead<T>(fn: () => Promise<T>): Promise<{ result: T; bytes: number }> {
  const original = fs.readSync;
  let bytes = 0;
  const counting = (...args: Parameters<typeof fs.readSync>): number => {
    const count = (original as (...a: Parameters<typeof fs.readSync>) => number)(...args);
    bytes += count;
    return count;
  };
  fs.readSync = counting as typeof fs.readSync;
  try {
    const result = await fn();
    return { result, bytes };
  } finally {
    fs.readSync = original;
  }
}

/** Parses the JSON the command line printed, with the output in the failure message. */
export function parseJsonOutput<T>(result: CliResult): T {
  try {
    return JSON.parse(result.stdout) as T;
  } catch (error) {
    throw new Error(`stdout is not JSON (${(error as Error).message}); stdout starts: ${result.stdout.slice(0, 500)}; stderr: ${result.stderr.slice(0, 500)}`);
  }
}

/**
 * Builds the version id the core gives an artifacts row: `<store>:artifacts:<key>`, with the key
 * percent-encoded like encodeURIComponent plus `!'()*`, so the id passes unquoted in a shell.
 */
export function versionIdOf(store: string, key: string): string {
  const encoded = encodeURIComponent(key).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${store}:artifacts:${encoded}`;
}
