/**
 * Mutation fuzzer for FlowyML stores. Each case damages one copy of a
 * fixture store, loads the workspace that contains it beside an undamaged
 * companion store, and sorts the outcome into three classes:
 *
 * - right data: no error, and the target store's versions are the rows that
 *   SQLite itself (Python's sqlite3, opened immutable) reads from the same
 *   bytes, or the rows of the undamaged store;
 * - clear error: an error-severity problem whose message names the file;
 * - other: a hang past the time limit, a crash or throw, an unnamed error,
 *   wrong data without an error, a failed details call, or a companion store
 *   that no longer loads in full. Every "other" case is a fault.
 *
 * Loading runs in a child process (load-worker.ts) with a hard time limit,
 * and byte mutations are undone in place after each case, so a run of
 * thousands of cases copies each fixture once.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { REPO_ROOT, SAMPLE_WORKSPACE, SHARED, SMALL_FIXTURES } from '../helpers/paths';
import type { WorkerReply, WorkerRequest } from './load-worker';
import { Prng } from './prng';

export type StoreKind = 'metadata' | 'catalog';

export interface FixtureStore {
  label: string;
  source: string;
  kind: StoreKind;
}

/** Mutations of the file's bytes, applied and undone in place. */
export const BYTE_KINDS = ['truncate-at-page', 'truncate-in-page', 'flip-header', 'flip-btree', 'flip-overflow', 'swap-pages'] as const;
/** Mutations written through Python's sqlite3 into a fresh copy. */
export const SQL_KINDS = [
  'drop-table', 'drop-column', 'rename-column', 'wrong-table', 'wrong-storage-class', 'bad-utf8', 'json-specials', 'json-deep',
] as const;
export type MutationKind = (typeof BYTE_KINDS)[number] | (typeof SQL_KINDS)[number] | 'big-row';

export type Outcome = 'right-data' | 'clear-error' | 'other';

export interface CaseResult {
  index: number;
  fixture: string;
  kind: MutationKind;
  described: string;
  outcome: Outcome;
  /** Why the case is "other", or the first error message for a clear error. */
  reason: string;
  elapsedMs: number;
}

export interface FuzzOptions {
  seed: number;
  count: number;
  fixtures: FixtureStore[];
  /** Cases of the 200 MB row, run after the others; each costs seconds and 200 MB of disk. */
  bigRowCases?: number;
  bigRowMegabytes?: number;
  /** Hard limit on one load, list and details, in milliseconds. */
  timeoutMs?: number;
  /** Details opened per case for versions of the damaged store. */
  details?: number;
  onCase?: (result: CaseResult) => void;
}

const WORKER = path.join(__dirname, 'load-worker.ts');
const STORE_TOOL = path.join(__dirname, 'store_tool.py');
/** Companion stores; a target gets the first whose runs it does not share, since a run in two stores is reported. */
const COMPANION_SOURCES = ['flowyml-1.7-local-stack', 'flowyml-1.7-featureset-report'].map((f) => path.join(SMALL_FIXTURES, f, '.flowyml', 'metadata.db'));
const COMPANION = '.flowyml/metadata.db';
const TARGET: Record<StoreKind, string> = { metadata: '.flowyml/projects/target/metadata.db', catalog: '.flowyml/catalog.db' };
const DEFAULT_TIMEOUT_MS = 30_000;

/** Returns the small stores committed to this repository, the only ones the CI slice uses. */
export function smallFixtureStores(): FixtureStore[] {
  const stores: FixtureStore[] = [];
  for (const fixture of fs.readdirSync(SMALL_FIXTURES).sort()) {
    for (const file of findDatabases(path.join(SMALL_FIXTURES, fixture, '.flowyml'))) {
      stores.push({ label: `${fixture}/${path.relative(path.join(SMALL_FIXTURES, fixture), file)}`, source: file, kind: kindOf(file) });
    }
  }
  for (const file of findDatabases(path.join(SAMPLE_WORKSPACE, '.flowyml'))) {
    stores.push({ label: `samples/${path.relative(SAMPLE_WORKSPACE, file)}`, source: file, kind: kindOf(file) });
  }
  return stores;
}

/** Returns every store of the shared fixtures, or [] when the shared folder is missing. */
export function sharedFixtureStores(): FixtureStore[] {
  const root = path.join(SHARED, 'fixtures');
  if (!fs.existsSync(root)) return [];
  const stores: FixtureStore[] = [];
  for (const fixture of fs.readdirSync(root).sort()) {
    for (const file of findDatabases(path.join(root, fixture, '.flowyml'))) {
      stores.push({ label: `shared/${fixture}/${path.relative(path.join(root, fixture), file)}`, source: file, kind: kindOf(file) });
    }
  }
  return stores;
}

function findDatabases(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findDatabases(full));
    else if (entry.name.endsWith('.db')) found.push(full);
  }
  return found;
}

/** Returns the fixture folder that contains a store: the folder above its `.flowyml`. */
function fixtureFolderOf(file: string): string {
  const parts = file.split(path.sep);
  return parts[parts.lastIndexOf('.flowyml') - 1] ?? '';
}

function kindOf(file: string): StoreKind {
  return path.basename(file) === 'catalog.db' ? 'catalog' : 'metadata';
}

/** A long-running child process that replies to each JSON request line with one JSON line. */
class LineProcess {
  private child: ChildProcessWithoutNullStreams | undefined;
  private pending: ((line: string | undefined) => void) | undefined;
  private stderr = '';

  constructor(private readonly command: string, private readonly args: string[]) {}

  /** Sends one request; resolves with the reply line, or undefined when the process died or the limit passed. */
  async request(payload: unknown, timeoutMs: number): Promise<{ line?: string; timedOut: boolean; stderr: string }> {
    const child = this.start();
    const reply = new Promise<string | undefined>((resolve) => {
      this.pending = resolve;
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      this.kill();
    }, timeoutMs);
    child.stdin.write(`${JSON.stringify(payload)}\n`);
    const line = await reply;
    clearTimeout(timer);
    const stderr = this.stderr;
    this.stderr = '';
    return { line, timedOut, stderr };
  }

  kill(): void {
    const child = this.child;
    this.child = undefined;
    child?.kill('SIGKILL');
    this.settle(undefined);
  }

  private start(): ChildProcessWithoutNullStreams {
    if (this.child) return this.child;
    const child = spawn(this.command, this.args, { cwd: REPO_ROOT });
    child.stderr.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-8000);
    });
    readline.createInterface({ input: child.stdout }).on('line', (line) => this.settle(line));
    child.on('exit', () => {
      if (this.child === child) this.child = undefined;
      this.settle(undefined);
    });
    this.child = child;
    return child;
  }

  private settle(line: string | undefined): void {
    const pending = this.pending;
    this.pending = undefined;
    pending?.(line);
  }
}

interface PageMap {
  pageSize: number;
  pageCount: number;
  types: Record<string, string>;
}

/** One fixture store copied into its own workspace beside the companion store. */
interface PreparedFixture {
  store: FixtureStore;
  root: string;
  target: string;
  targetPath: string;
  original: Buffer;
  pages: PageMap;
  baselineRows: string[];
  companionVersions: number;
}

/** The byte ranges a mutation changed, so the case can restore them. */
interface ByteEdit {
  described: string;
  ranges: [number, number][];
}

export class Fuzzer {
  private readonly worker = new LineProcess(process.execPath, ['--import', 'tsx', WORKER]);
  private readonly tool = new LineProcess(process.env.PYTHON ?? 'python3', [STORE_TOOL]);
  private readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowyml-fuzz-'));

  async run(options: FuzzOptions): Promise<CaseResult[]> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const prepared: PreparedFixture[] = [];
    for (const [i, store] of options.fixtures.entries()) prepared.push(await this.prepare(store, i, timeoutMs));

    const rng = new Prng(options.seed);
    const kinds: MutationKind[] = [...BYTE_KINDS, ...SQL_KINDS];
    const withOverflow = prepared.filter((f) => Object.values(f.pages.types).includes('overflow'));
    const results: CaseResult[] = [];
    for (let index = 0; index < options.count; index++) {
      const kind = kinds[index % kinds.length];
      const pool = kind === 'flip-overflow' && withOverflow.length > 0 ? withOverflow : prepared;
      const fixture = rng.pick(pool);
      const result = await this.runCase(index, fixture, kind, rng, options, timeoutMs);
      results.push(result);
      options.onCase?.(result);
    }
    for (let i = 0; i < (options.bigRowCases ?? 0); i++) {
      const fixture = rng.pick(prepared);
      const result = await this.runCase(options.count + i, fixture, 'big-row', rng, options, timeoutMs * 4);
      results.push(result);
      options.onCase?.(result);
    }
    return results;
  }

  dispose(): void {
    this.worker.kill();
    this.tool.kill();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private async prepare(store: FixtureStore, i: number, timeoutMs: number): Promise<PreparedFixture> {
    const root = path.join(this.dir, `w${i}`);
    const target = TARGET[store.kind];
    const targetPath = path.join(root, target);
    fs.mkdirSync(path.dirname(targetPath), { recursive: true });
    const companionSource = COMPANION_SOURCES.find((file) => path.basename(path.dirname(path.dirname(file))) !== fixtureFolderOf(store.source)) as string;
    fs.copyFileSync(companionSource, path.join(root, COMPANION));
    fs.copyFileSync(store.source, targetPath);

    const pages = await this.toolRequest<PageMap>({ op: 'pages', db: targetPath }, 60_000);
    const oracle = await this.toolRequest<{ ok: boolean; rows?: string[]; error?: string }>({ op: 'read', db: targetPath, kind: store.kind }, 60_000);
    if (!oracle.ok || !oracle.rows) throw new Error(`sqlite3 cannot read the undamaged ${store.label}: ${oracle.error}`);

    const baseline = await this.load(root, target, 0, timeoutMs * 4);
    if (!('reply' in baseline)) throw new Error(`the undamaged ${store.label} did not load: ${baseline.reason}`);
    const reply = baseline.reply;
    if (reply.threw || reply.problems.length > 0) {
      throw new Error(`the undamaged ${store.label} loads with problems: ${reply.threw ?? JSON.stringify(reply.problems)}`);
    }
    const rows = projection(reply, target);
    if (JSON.stringify(rows) !== JSON.stringify(oracle.rows)) {
      throw new Error(`the core lists ${rows.length} rows of the undamaged ${store.label}, sqlite3 reads ${oracle.rows.length}`);
    }
    return {
      store, root, target, targetPath, pages,
      original: fs.readFileSync(targetPath),
      baselineRows: rows,
      companionVersions: reply.versions.filter((v) => v.store === COMPANION).length,
    };
  }

  private async runCase(
    index: number, fixture: PreparedFixture, kind: MutationKind, rng: Prng, options: FuzzOptions, timeoutMs: number,
  ): Promise<CaseResult> {
    const base = { index, fixture: fixture.store.label, kind };
    let edit: ByteEdit | undefined;
    let described: string;
    try {
      if ((BYTE_KINDS as readonly string[]).includes(kind)) {
        edit = applyByteMutation(fixture, kind, rng);
        described = edit.described;
      } else {
        const reply = await this.toolRequest<{ described?: string; failed?: string }>({
          op: 'mutate', db: fixture.targetPath, kind: fixture.store.kind, mutation: kind, seed: rng.int(0, 2 ** 31),
          depth: kind === 'json-deep' ? rng.pick([1000, 1000, 1000, 1001, 10_000, 100_000]) : undefined,
          megabytes: options.bigRowMegabytes ?? 200,
        }, 15 * 60_000);
        if (reply.failed) return { ...base, described: 'not prepared', outcome: 'other', reason: `the mutation could not be written: ${reply.failed}`, elapsedMs: 0 };
        described = reply.described ?? kind;
      }

      const oracle = await this.toolRequest<{ ok: boolean; rows?: string[]; error?: string }>(
        { op: 'read', db: fixture.targetPath, kind: fixture.store.kind }, 15 * 60_000,
      );
      const loaded = await this.load(fixture.root, fixture.target, options.details ?? 3, timeoutMs);
      if (!('reply' in loaded)) return { ...base, described, outcome: 'other', reason: loaded.reason, elapsedMs: loaded.elapsedMs };
      const { outcome, reason } = classify(loaded.reply, fixture, oracle);
      return { ...base, described, outcome, reason, elapsedMs: loaded.reply.elapsedMs };
    } finally {
      if (edit) undoByteMutation(fixture, edit);
      else fs.copyFileSync(fixture.store.source, fixture.targetPath);
    }
  }

  private async load(root: string, target: string, details: number, timeoutMs: number): Promise<{ reply: WorkerReply } | { reason: string; elapsedMs: number }> {
    const started = performance.now();
    const request: WorkerRequest = { root, target, details };
    const answer = await this.worker.request(request, timeoutMs);
    const elapsedMs = performance.now() - started;
    if (answer.timedOut) return { reason: `hang: no answer within ${timeoutMs} ms`, elapsedMs };
    if (answer.line === undefined) return { reason: `crash: the loader process died: ${answer.stderr.slice(-2000)}`, elapsedMs };
    return { reply: JSON.parse(answer.line) as WorkerReply };
  }

  private async toolRequest<T>(payload: Record<string, unknown>, timeoutMs: number): Promise<T> {
    const answer = await this.tool.request(payload, timeoutMs);
    if (answer.line === undefined) throw new Error(`store_tool.py gave no answer to ${String(payload.op)}: ${answer.stderr}`);
    return JSON.parse(answer.line) as T;
  }
}

/** The target store's versions as sorted `name NUL stored type` strings, the form the oracle returns. */
function projection(reply: WorkerReply, target: string): string[] {
  return reply.versions.filter((v) => v.store === target).map((v) => `${v.name}\u0000${v.storedType}`).sort();
}

function classify(
  reply: WorkerReply, fixture: PreparedFixture, oracle: { ok: boolean; rows?: string[]; error?: string },
): { outcome: Outcome; reason: string } {
  if (reply.threw) return { outcome: 'other', reason: `crash: loadWorkspace threw ${reply.threw.slice(0, 2000)}` };

  const companion = reply.versions.filter((v) => v.store === COMPANION).length;
  if (companion !== fixture.companionVersions) {
    return { outcome: 'other', reason: `companion store lists ${companion} versions, not ${fixture.companionVersions}` };
  }
  const stray = reply.problems.filter((p) => p.file !== fixture.target);
  if (stray.length > 0) return { outcome: 'other', reason: `problem outside the damaged store: ${JSON.stringify(stray[0])}` };
  const unnamed = reply.problems.filter((p) => !p.message.includes(fixture.target));
  if (unnamed.length > 0) return { outcome: 'other', reason: `problem that does not name the file: ${JSON.stringify(unnamed[0])}` };
  if (reply.detailFailures.length > 0) return { outcome: 'other', reason: reply.detailFailures[0] };
  if (reply.versions.some((v) => v.aliases > 0 && v.store === COMPANION)) {
    return { outcome: 'other', reason: 'a damaged catalog row was merged into the companion store' };
  }

  const errors = reply.problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) return { outcome: 'clear-error', reason: `${errors[0].code}: ${errors[0].message.slice(0, 300)}` };

  const rows = JSON.stringify(projection(reply, fixture.target));
  if (oracle.ok && rows === JSON.stringify(oracle.rows)) return { outcome: 'right-data', reason: 'the rows sqlite3 reads' };
  if (rows === JSON.stringify(fixture.baselineRows)) return { outcome: 'right-data', reason: 'the rows of the undamaged store' };
  const sqlite = oracle.ok ? `sqlite3 reads ${oracle.rows?.length} rows` : `sqlite3 fails: ${oracle.error}`;
  return { outcome: 'other', reason: `wrong data without an error: ${projection(reply, fixture.target).length} rows listed, ${sqlite}` };
}

function applyByteMutation(fixture: PreparedFixture, kind: MutationKind, rng: Prng): ByteEdit {
  const { pageSize, pageCount, types } = fixture.pages;
  const size = fixture.original.length;
  const pagesOfType = (wanted: string[]): number[] => Object.entries(types).filter(([, t]) => wanted.includes(t)).map(([p]) => Number(p));

  switch (kind) {
    case 'truncate-at-page': {
      const cut = pageSize * rng.int(0, pageCount - 1);
      fs.truncateSync(fixture.targetPath, cut);
      return { described: `cut to ${cut} bytes (${cut / pageSize} of ${pageCount} pages)`, ranges: [[cut, size]] };
    }
    case 'truncate-in-page': {
      const cut = pageSize * rng.int(0, pageCount - 1) + rng.int(1, pageSize - 1);
      fs.truncateSync(fixture.targetPath, cut);
      return { described: `cut to ${cut} bytes, inside page ${Math.floor(cut / pageSize) + 1}`, ranges: [[cut, size]] };
    }
    case 'flip-header': {
      const offset = rng.int(0, 99);
      const bit = rng.int(0, 7);
      flipBit(fixture.targetPath, offset, bit);
      return { described: `header byte ${offset} bit ${bit} flipped`, ranges: [[offset, offset + 1]] };
    }
    case 'flip-btree':
    case 'flip-overflow': {
      const wanted = kind === 'flip-btree' ? ['internal', 'leaf'] : ['overflow'];
      const candidates = pagesOfType(wanted);
      const page = candidates.length > 0 ? rng.pick(candidates) : rng.int(1, pageCount);
      const start = (page - 1) * pageSize + (page === 1 ? 100 : 0);
      // Half the flips land in the page header, cell pointers or overflow link, where SQLite's structure lives.
      const structureBytes = kind === 'flip-btree' ? 64 : 4;
      const restOfPage = page * pageSize - start;
      const span = rng.next() < 0.5 ? Math.min(structureBytes, pageSize) : restOfPage;
      const offset = start + rng.int(0, span - 1);
      const bit = rng.int(0, 7);
      flipBit(fixture.targetPath, offset, bit);
      return { described: `${types[String(page)] ?? 'other'} page ${page}: byte ${offset} bit ${bit} flipped`, ranges: [[offset, offset + 1]] };
    }
    case 'swap-pages': {
      const a = rng.int(1, pageCount);
      let b = rng.int(1, pageCount - 1);
      if (b >= a) b += 1;
      const fd = fs.openSync(fixture.targetPath, 'r+');
      try {
        fs.writeSync(fd, fixture.original, (b - 1) * pageSize, pageSize, (a - 1) * pageSize);
        fs.writeSync(fd, fixture.original, (a - 1) * pageSize, pageSize, (b - 1) * pageSize);
      } finally {
        fs.closeSync(fd);
      }
      return {
        described: `pages ${a} (${types[String(a)] ?? 'other'}) and ${b} (${types[String(b)] ?? 'other'}) swapped`,
        ranges: [[(a - 1) * pageSize, a * pageSize], [(b - 1) * pageSize, b * pageSize]],
      };
    }
    default:
      throw new Error(`${kind} is not a byte mutation`);
  }
}

function undoByteMutation(fixture: PreparedFixture, edit: ByteEdit): void {
  const fd = fs.openSync(fixture.targetPath, 'r+');
  try {
    for (const [start, end] of edit.ranges) fs.writeSync(fd, fixture.original, start, end - start, start);
    fs.ftruncateSync(fd, fixture.original.length);
  } finally {
    fs.closeSync(fd);
  }
}

function flipBit(file: string, offset: number, bit: number): void {
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

/** Counts, per mutation kind, the cases of each outcome; and the time figures over all cases. */
export function summarize(results: CaseResult[]): {
  byKind: Record<string, Record<Outcome, number>>;
  maxMs: number;
  p99Ms: number;
  medianMs: number;
  others: CaseResult[];
} {
  const byKind: Record<string, Record<Outcome, number>> = {};
  for (const r of results) {
    byKind[r.kind] ??= { 'right-data': 0, 'clear-error': 0, other: 0 };
    byKind[r.kind][r.outcome] += 1;
  }
  const times = results.map((r) => r.elapsedMs).sort((a, b) => a - b);
  const at = (q: number): number => (times.length === 0 ? 0 : times[Math.min(times.length - 1, Math.floor(q * times.length))]);
  return { byKind, maxMs: times[times.length - 1] ?? 0, p99Ms: at(0.99), medianMs: at(0.5), others: results.filter((r) => r.outcome === 'other') };
}
