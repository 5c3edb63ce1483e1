/**
 * `npm run bench`: generates stores in FlowyML's formats at three sizes,
 * measures each surface through the core's sql.js reader and through
 * better-sqlite3 in fresh child processes, and writes bench/RESULTS.md.
 *
 *   node --import tsx bench/run.ts [--sizes 10k,100k,1gb]
 *
 * Generated stores live in bench/work/stores/ and are reused while the
 * generator and its arguments are unchanged.
 */
import { execFileSync, fork, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';

const BENCH = __dirname;
const WORK = path.join(BENCH, 'work');
const REPO = path.dirname(BENCH);

interface SizeSpec {
  name: string;
  versions: number;
  bigRows: number;
  bigRowMb: number;
  openRepeats: number;
  sessionRepeats: number;
}

const SIZES: SizeSpec[] = [
  { name: '10k', versions: 10_000, bigRows: 0, bigRowMb: 0, openRepeats: 5, sessionRepeats: 3 },
  { name: '100k', versions: 100_000, bigRows: 4, bigRowMb: 4, openRepeats: 5, sessionRepeats: 3 },
  { name: '1gb', versions: 200_000, bigRows: 150, bigRowMb: 4.5, openRepeats: 5, sessionRepeats: 3 },
];

interface GeneratedStore {
  key: string;
  deepCatalogId: string;
  generateSeconds: number;
  metadataBytes: number;
  catalogBytes: number;
}

type TaskResult = Record<string, unknown> & { maxRssMb: number };

const benchStarted = Date.now();
const loadAtStart = os.loadavg()[0];

async function main(): Promise<void> {
  const sizesArgument = valueOf('--sizes');
  const sizes = sizesArgument ? SIZES.filter((s) => sizesArgument.split(',').includes(s.name)) : SIZES;
  const tasksBundle = await buildTasks();

  const sections: SizeReport[] = [];
  for (const size of sizes) {
    const root = path.join(WORK, 'stores', size.name);
    const store = ensureStore(root, size);
    // Rows left by an interrupted run would count as versions.
    execFileSync('python3', [path.join(BENCH, 'commit.py'), path.join(root, '.flowyml', 'metadata.db'), 'remove', 'bench-commit-']);
    log(`${size.name}: measuring (${mb(store.metadataBytes + store.catalogBytes)} MB)`);
    sections.push(measureSize(tasksBundle, root, size, store));
  }
  const hover = runHover();
  const layout = await runLayout();
  const paint = runPaint();

  const text = renderResults(sections, hover, layout, paint);
  fs.writeFileSync(path.join(BENCH, 'RESULTS.md'), text);
  process.stdout.write(text);
  log(`wrote bench/RESULTS.md in ${((Date.now() - benchStarted) / 1000).toFixed(0)} s`);
}

async function buildTasks(): Promise<string> {
  fs.mkdirSync(WORK, { recursive: true });
  const outfile = path.join(WORK, 'tasks.cjs');
  await build({
    entryPoints: [path.join(BENCH, 'tasks.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile,
    external: ['better-sqlite3'],
    logLevel: 'warning',
  });
  fs.copyFileSync(path.join(REPO, 'node_modules', 'sql.js', 'dist', 'sql-wasm.wasm'), path.join(WORK, 'sql-wasm.wasm'));

  return outfile;
}

function ensureStore(root: string, size: SizeSpec): GeneratedStore {
  const generator = path.join(BENCH, 'generate.py');
  const args = [String(size.versions), String(size.bigRows), String(size.bigRowMb)];
  const key = crypto.createHash('sha256').update(fs.readFileSync(generator)).update(args.join(' ')).digest('hex').slice(0, 16);
  const recordFile = path.join(root, 'generated.json');
  if (fs.existsSync(recordFile)) {
    const record = JSON.parse(fs.readFileSync(recordFile, 'utf8')) as GeneratedStore;
    if (record.key === key) {
      log(`${size.name}: reusing the store generated in ${record.generateSeconds.toFixed(0)} s`);
      return record;
    }
  }

  log(`${size.name}: generating ${size.versions} versions`);
  const started = Date.now();
  const output = execFileSync('python3', [generator, root, ...args], { encoding: 'utf8' });
  const { deepCatalogId } = JSON.parse(output) as { deepCatalogId: string };
  const record: GeneratedStore = {
    key,
    deepCatalogId,
    generateSeconds: (Date.now() - started) / 1000,
    metadataBytes: fs.statSync(path.join(root, '.flowyml', 'metadata.db')).size,
    catalogBytes: fs.statSync(path.join(root, '.flowyml', 'catalog.db')).size,
  };
  fs.writeFileSync(recordFile, JSON.stringify(record, null, 2));
  log(`${size.name}: generated in ${record.generateSeconds.toFixed(0)} s`);

  return record;
}

function runTask(bundle: string, task: string, engine: string, root: string, deepId: string): TaskResult {
  const child = spawnSync(process.execPath, [bundle, task, engine, root, deepId], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (child.status !== 0) throw new Error(`${task} ${engine} on ${root} failed with exit code ${child.status}: ${child.stderr}`);

  return JSON.parse(child.stdout.trim().split('\n').pop() as string) as TaskResult;
}

interface Stat {
  median: number;
  min: number;
  max: number;
}

function stat(values: number[]): Stat {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)], min: sorted[0], max: sorted[sorted.length - 1] };
}

interface EnginePair {
  ours: Stat;
  native: Stat;
}

interface SizeReport {
  size: SizeSpec;
  store: GeneratedStore;
  versions: number;
  lineageNodes: number;
  rows: Record<string, EnginePair>;
}

function measureSize(bundle: string, root: string, size: SizeSpec, store: GeneratedStore): SizeReport {
  const samples: Record<string, Record<'ours' | 'native', number[]>> = {};
  const add = (metric: string, engine: 'ours' | 'native', values: number[]): void => {
    samples[metric] ??= { ours: [], native: [] };
    samples[metric][engine].push(...values);
  };

  let versions = 0;
  let lineageNodes = 0;
  for (const engine of ['ours', 'native'] as const) {
    for (let i = 0; i < size.openRepeats; i++) {
      const result = runTask(bundle, 'open', engine, root, store.deepCatalogId);
      add('open', engine, [result.ms as number]);
      add('rss:open', engine, [result.maxRssMb]);
    }
    for (let i = 0; i < size.sessionRepeats; i++) {
      const result = runTask(bundle, 'session', engine, root, store.deepCatalogId);
      add('list', engine, [result.listMs as number]);
      for (const [label, times] of Object.entries(result.details as Record<string, number[]>)) add(`details:${label}`, engine, times);
      add('lineage', engine, result.lineage as number[]);
      add('commit', engine, result.commit as number[]);
      add('rss:list', engine, [result.listRssMb as number]);
      add('rss:session', engine, [result.maxRssMb]);
      if (engine === 'ours') {
        versions = result.versions as number;
        lineageNodes = result.lineageNodes as number;
      }
    }
    log(`${size.name}: ${engine} done`);
  }

  const rows: Record<string, EnginePair> = {};
  for (const [metric, pair] of Object.entries(samples)) {
    if (metric.startsWith('rss:')) {
      rows[metric] = { ours: peak(pair.ours), native: peak(pair.native) };
    } else {
      rows[metric] = { ours: stat(pair.ours), native: stat(pair.native) };
    }
  }

  return { size, store, versions, lineageNodes, rows };
}

function peak(values: number[]): Stat {
  const max = Math.max(...values);
  return { median: max, min: Math.min(...values), max };
}

/** Runs the language-server engineer's hover benchmark when it exists, and keeps its output. */
function runHover(): string | undefined {
  const script = path.join(BENCH, 'hover.ts');
  if (!fs.existsSync(script)) return undefined;
  log('hover: running bench/hover.ts');
  const child = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: REPO, encoding: 'utf8', timeout: 180_000 });
  if (child.status !== 0) return `bench/hover.ts failed (exit ${child.status ?? child.signal}): ${child.stderr.slice(-500)}`;

  return child.stdout.trim();
}

/** Runs the lineage engineer's first-paint benchmark in headless Chromium when it exists, after building the webviews. */
function runPaint(): string | undefined {
  const script = path.join(BENCH, 'lineage-layout-paint.ts');
  if (!fs.existsSync(script)) return undefined;
  log('paint: building the webviews and running bench/lineage-layout-paint.ts');
  const built = spawnSync(process.execPath, ['build.mjs'], { cwd: REPO, encoding: 'utf8', timeout: 120_000 });
  if (built.status !== 0) return `npm run build failed (exit ${built.status ?? built.signal}), so first paint was not measured: ${built.stderr.slice(-500)}`;
  const child = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: REPO, encoding: 'utf8', timeout: 240_000 });
  if (child.status !== 0) return `bench/lineage-layout-paint.ts failed (exit ${child.status ?? child.signal}): ${child.stderr.slice(-500)}`;

  return child.stdout.trim();
}

interface LayoutRow {
  nodes: number;
  ms?: number;
  edges?: number;
  rssMb?: number;
  note?: string;
}

/** Times the project's own layered layout through the child mode of the lineage engineer's script. */
async function runLayout(): Promise<LayoutRow[] | undefined> {
  const script = path.join(BENCH, 'lineage-layout.mjs');
  if (!fs.existsSync(script)) return undefined;
  const rows: LayoutRow[] = [];
  for (const nodes of [1000, 5000, 10_000]) {
    log(`layout: ${nodes} nodes`);
    rows.push(await layoutInChild(script, nodes));
  }

  return rows;
}

function layoutInChild(script: string, nodes: number): Promise<LayoutRow> {
  const library = 'layoutLayered (src/core/lineage/layout.ts)';
  return new Promise((resolve) => {
    const child = fork(script, ['--child', library, String(nodes), '3'], { cwd: REPO, execArgv: ['--import', 'tsx'], stdio: 'ignore' });
    const timer = setTimeout(() => {
      child.kill();
      resolve({ nodes, note: 'timed out after 120 s' });
    }, 120_000);
    child.on('message', (message: { median: number; edges: number; rss: number }) => {
      clearTimeout(timer);
      resolve({ nodes, ms: message.median, edges: message.edges, rssMb: message.rss / 1e6 });
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ nodes, note: `exited with code ${code} before reporting` });
    });
  });
}

function renderResults(sections: SizeReport[], hover: string | undefined, layout: LayoutRow[] | undefined, paint: string | undefined): string {
  const cpu = os.cpus();
  const sqlJsVersion = packageVersion('sql.js');
  const betterVersion = packageVersion('better-sqlite3');
  const lines: string[] = [
    '# Benchmark results',
    '',
    `Written by \`npm run bench\` (bench/run.ts) on ${new Date().toISOString()}, in ${((Date.now() - benchStarted) / 1000).toFixed(0)} s including store generation.`,
    '',
    '| Machine | Versions |',
    '|---|---|',
    `| CPU | ${cpu[0]?.model ?? 'unknown'}, ${cpu.length} cores |`,
    `| RAM | ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB |`,
    `| OS | ${os.type()} ${os.release()} |`,
    `| Node | ${process.version} |`,
    `| sql.js | ${sqlJsVersion} (SQLite ${sqliteVersionOfSqlJs()}) |`,
    `| better-sqlite3 | ${betterVersion} (SQLite ${nativeSqliteVersion()}) |`,
    `| Python sqlite3 (generator) | SQLite ${pythonSqliteVersion()} |`,
    '',
    `Load average (1 min) at the start ${loadAtStart.toFixed(1)}, at the end ${os.loadavg()[0].toFixed(1)}: other processes sharing the cores inflate the timings and their spread.`,
    '',
    'Each cell is the median, with min–max in brackets, in milliseconds; the ratio is ours ÷ native.',
    '"Open" runs in a fresh process and counts from process start, so it includes Node and sql.js start-up.',
    'The other timings run in one process per repetition after the list is loaded. The OS file cache is warm.',
    '',
  ];

  for (const section of sections) {
    const { size, store } = section;
    lines.push(`## ${size.name}: ${section.versions} versions, metadata.db ${mb(store.metadataBytes)} MB, catalog.db ${mb(store.catalogBytes)} MB`);
    lines.push('');
    lines.push(`Generated in ${store.generateSeconds.toFixed(0)} s. Lineage: ancestors of the last version of a ${section.lineageNodes}-node chain with diamonds.`);
    lines.push('');
    lines.push('| Measurement | Ours (sql.js) | Native (better-sqlite3) | Ratio | Target | Met |');
    lines.push('|---|---:|---:|---:|---|---|');
    const row = (label: string, metric: string, target: string): void => {
      const pair = section.rows[metric];
      if (!pair) return;
      const ratio = pair.ours.median / pair.native.median;
      lines.push(`| ${label} | ${cell(pair.ours)} | ${cell(pair.native)} | ${ratio.toFixed(2)}× | ${target} | ${targetMet(target, pair.ours.median, ratio)} |`);
    };
    row('Cold open to the first 500 versions of each store', 'open', size.name === '1gb' ? '≤ 250 ms' : '');
    row('Full version list (load workspace)', 'list', '≤ 2× native');
    for (const metric of Object.keys(section.rows).filter((m) => m.startsWith('details:'))) {
      row(`Details: ${metric.slice('details:'.length)}`, metric, '≤ 50 ms');
    }
    row('Lineage of the deep version (upstream)', 'lineage', '≤ 2× native');
    row('Commit → visible after a reload', 'commit', '< 1000 ms');
    const rssRow = (label: string, metric: string): void => {
      const rss = section.rows[metric];
      const ratio = rss.ours.max / rss.native.max;
      lines.push(`| ${label} | ${rss.ours.max.toFixed(0)} | ${rss.native.max.toFixed(0)} | ${ratio.toFixed(2)}× | ≤ 300 MB | ${targetMet('≤ 300 MB', rss.ours.max, ratio)} |`);
    };
    rssRow('Peak RSS (MB): cold open', 'rss:open');
    rssRow('Peak RSS (MB): after the full list', 'rss:list');
    rssRow('Peak RSS (MB): whole session, two indexes during each reload', 'rss:session');
    lines.push('');
  }

  lines.push('## Hover latency over 100k versions');
  lines.push('');
  lines.push(hover === undefined ? 'Measured elsewhere: not run (bench/hover.ts does not exist yet).' : ['```', hover, '```'].join('\n'));
  lines.push('');
  lines.push('## Lineage layout and first paint');
  lines.push('');
  if (layout === undefined) {
    lines.push('Measured elsewhere: not run (bench/lineage-layout.mjs does not exist).');
  } else {
    lines.push('Layout time of `layoutLayered` through the child mode of bench/lineage-layout.mjs (median of 3 runs, one process per size).');
    lines.push('');
    lines.push('| Nodes | Edges | Layout (ms) | RSS (MB) | Target |');
    lines.push('|---:|---:|---:|---:|---|');
    for (const row of layout) {
      lines.push(`| ${row.nodes} | ${row.edges ?? ''} | ${row.ms === undefined ? row.note : row.ms.toFixed(0)} | ${row.rssMb?.toFixed(0) ?? ''} | ${row.nodes === 10_000 ? 'layout + first paint < 1 s' : ''} |`);
    }
  }
  lines.push('');
  lines.push('First paint in headless Chromium, from bench/lineage-layout-paint.ts:');
  lines.push('');
  lines.push(paint ?? 'Measured elsewhere: not run (bench/lineage-layout-paint.ts does not exist).');
  lines.push('');
  lines.push(fs.readFileSync(path.join(BENCH, 'notes.md'), 'utf8').trim());
  lines.push('');

  return `${lines.join('\n')}\n`;
}

/** Compares a median (or peak) with a target written as `≤ 250 ms`, `< 1000 ms`, `≤ 300 MB` or `≤ 2× native`. */
function targetMet(target: string, value: number, ratio: number): string {
  const match = /^([≤<]) ([\d.]+)(×| ms| MB)/.exec(target);
  if (!match) return '';
  const limit = Number(match[2]);
  const measured = match[3] === '×' ? ratio : value;
  const met = match[1] === '<' ? measured < limit : measured <= limit;

  return met ? 'yes' : '**no**';
}

function cell(value: Stat): string {
  const digits = value.median < 10 ? 2 : 0;
  return `${value.median.toFixed(digits)} (${value.min.toFixed(digits)}–${value.max.toFixed(digits)})`;
}

function packageVersion(name: string): string {
  const file = path.join(REPO, 'node_modules', name, 'package.json');
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
}

function sqliteVersionOfSqlJs(): string {
  const script = `require('sql.js')().then((SQL) => { const db = new SQL.Database(); process.stdout.write(db.exec('select sqlite_version()')[0].values[0][0]); })`;
  return execFileSync(process.execPath, ['-e', script], { cwd: REPO, encoding: 'utf8' });
}

function nativeSqliteVersion(): string {
  const script = `const D = require('better-sqlite3'); process.stdout.write(new D(':memory:').prepare('select sqlite_version() v').get().v)`;
  return execFileSync(process.execPath, ['-e', script], { cwd: REPO, encoding: 'utf8' });
}

function pythonSqliteVersion(): string {
  return execFileSync('python3', ['-c', 'import sqlite3; print(sqlite3.sqlite_version, end="")'], { encoding: 'utf8' });
}

function mb(bytes: number): string {
  return (bytes / 1e6).toFixed(0);
}

function log(message: string): void {
  process.stderr.write(`[bench ${((Date.now() - benchStarted) / 1000).toFixed(0)} s] ${message}\n`);
}

function valueOf(flag: string): string | undefined {
  const index = process.argv.indexOf(flag);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
