/**
 * The reliability figures: the mutation fuzzer over every fixture store,
 * reloads racing a Python writer in both journal modes, and registrations
 * racing the writer or killed midway. Writes bench/RELIABILITY.md.
 *
 * Usage: npm run bench:reliability
 * Environment (defaults in brackets):
 *   FUZZ_CASES [10000]         cases over the small fixtures and the shared stores up to 4 MB
 *   FUZZ_LARGE_CASES [200]     cases over the shared stores above 4 MB (each load takes seconds)
 *   FUZZ_BIG_ROW_CASES [2]     cases that write a 200 MB row
 *   RACE_TRIALS [1000]         reloads per journal mode
 *   REGISTER_TRIALS [1000]     registrations beside the writer, and the same number of killed ones
 *   WRITER_GAP_MS [200]        the Python writer's mean idle time between rounds during the register trials
 *   FUZZ_SEED [20261204]
 *   BENCH_PHASES [fuzz,race,register]  the phases to run; the sections of the others are kept from the file
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Fuzzer, sharedFixtureStores, smallFixtureStores, summarize, type CaseResult } from '../test/reliability/fuzz';
import { runReloadRace, type ReloadRaceSummary } from '../test/reliability/reload-race';

const REPO = path.resolve(__dirname, '..');
const OUT = path.join(__dirname, 'RELIABILITY.md');
const LARGE_BYTES = 4 * 1024 * 1024;

function envNumber(name: string, fallback: number): number {
  const value = process.env[name];
  return value === undefined || value === '' ? fallback : Number(value);
}

interface RegisterFigures {
  gapMs: number;
  registrations: number;
  kills: number;
  status: number | null;
  passed: boolean;
  diagnostics: string[];
  seconds: number;
}

async function fuzz(seed: number): Promise<{ results: CaseResult[]; fixtures: string[]; seconds: number }> {
  const started = Date.now();
  const shared = sharedFixtureStores();
  const small = [...smallFixtureStores(), ...shared.filter((s) => fs.statSync(s.source).size <= LARGE_BYTES)];
  const large = shared.filter((s) => fs.statSync(s.source).size > LARGE_BYTES);
  const results: CaseResult[] = [];
  let done = 0;
  const progress = (result: CaseResult): void => {
    done += 1;
    if (done % 500 === 0) console.error(`fuzz: ${done} cases`);
    if (result.outcome === 'other') console.error(`other: #${result.index} ${result.kind} ${result.fixture}: ${result.reason.slice(0, 300)}`);
  };

  const fuzzer = new Fuzzer();
  try {
    results.push(...await fuzzer.run({
      seed, count: envNumber('FUZZ_CASES', 10_000), fixtures: small, onCase: progress,
      bigRowCases: envNumber('FUZZ_BIG_ROW_CASES', 2),
    }));
  } finally {
    fuzzer.dispose();
  }
  const largeCases = envNumber('FUZZ_LARGE_CASES', 200);
  if (large.length > 0 && largeCases > 0) {
    const largeFuzzer = new Fuzzer();
    try {
      results.push(...await largeFuzzer.run({ seed: seed + 1, count: largeCases, fixtures: large, onCase: progress, timeoutMs: 120_000 }));
    } finally {
      largeFuzzer.dispose();
    }
  }
  return { results, fixtures: [...small, ...large].map((s) => s.label), seconds: (Date.now() - started) / 1000 };
}

function register(trials: number): RegisterFigures {
  const started = Date.now();
  const gapMs = envNumber('WRITER_GAP_MS', 200);
  const run = spawnSync(process.execPath, ['--test', '--import', 'tsx', 'test/unit/register/concurrency.test.ts'], {
    cwd: REPO,
    encoding: 'utf8',
    env: {
      ...process.env, TZ: 'Asia/Kolkata', FLOWYML_REGISTER_COUNT: String(trials), FLOWYML_REGISTER_KILLS: String(trials),
      FLOWYML_WRITER_GAP_MS: String(gapMs), FLOWYML_REGISTER_PROGRESS: '1',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const diagnostics = (run.stdout ?? '').split('\n').filter((line) => /^\s*# (registered|\d+ of \d+ processes)/.test(line)).map((line) => line.trim().replace(/^# /, ''));
  return {
    gapMs,
    registrations: trials,
    kills: trials,
    status: run.status,
    passed: run.status === 0 && /^# fail 0$/m.test(run.stdout ?? ''),
    diagnostics,
    seconds: (Date.now() - started) / 1000,
  };
}

function ms(value: number): string {
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(1)} ms`;
}

const TITLES = {
  fuzz: 'Mutation fuzzing',
  race: 'Reload beside a writer',
  register: 'Register beside a writer',
} as const;
type Phase = keyof typeof TITLES;
const FAULTS_TITLE = 'Faults found and fixed';

/** When a section was measured, and how loaded the machine was at its end. */
function stamp(): string {
  return `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC; load average at the end: `
    + `${os.loadavg().map((l) => l.toFixed(1)).join(', ')}.`;
}

function header(): string {
  return ['# Reliability figures', '',
    'Written by `npm run bench:reliability` (bench/reliability.ts): '
    + `${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}, ${os.platform()}. `
    + 'Each section gives when it was measured and the load average then; other jobs shared the machine, so times are upper bounds.',
    ''].join('\n');
}

function fuzzSection(seed: number, fuzzed: { results: CaseResult[]; fixtures: string[]; seconds: number }): string {
  const summary = summarize(fuzzed.results);
  const lines: string[] = [];
  lines.push(`## ${TITLES.fuzz}`, '', stamp(), '');
  lines.push(`${fuzzed.results.length} cases, seed ${seed}, over ${fuzzed.fixtures.length} stores: ${fuzzed.fixtures.join(', ')}. `
    + `Each case loads the workspace (the damaged store beside an undamaged one), lists it and opens details of up to 3 versions of the damaged store, `
    + `in a child process with a hard time limit (30 s; 120 s for stores above 4 MB and for the 200 MB row). `
    + `"Right data" means the rows SQLite itself reads from the same bytes (Python's sqlite3, opened immutable) or the rows of the undamaged store; `
    + `"clear error" means an error that names the damaged file, with the other store loaded in full. Everything else counts as "other".`, '');
  lines.push('| Mutation | Cases | Right data | Clear error | Other |', '|---|---:|---:|---:|---:|');
  let total = { right: 0, error: 0, other: 0 };
  for (const [kind, counts] of Object.entries(summary.byKind)) {
    const cases = counts['right-data'] + counts['clear-error'] + counts.other;
    lines.push(`| ${kind} | ${cases} | ${counts['right-data']} | ${counts['clear-error']} | ${counts.other} |`);
    total = { right: total.right + counts['right-data'], error: total.error + counts['clear-error'], other: total.other + counts.other };
  }
  lines.push(`| **all** | ${fuzzed.results.length} | ${total.right} | ${total.error} | ${total.other} |`, '');
  lines.push(`Time per case (load, list and details, measured in the child): median ${ms(summary.medianMs)}, p99 ${ms(summary.p99Ms)}, max ${ms(summary.maxMs)}. `
    + `The whole run took ${Math.round(fuzzed.seconds)} s.`, '');
  if (summary.others.length > 0) {
    lines.push('Cases counted as "other":', '');
    for (const r of summary.others.slice(0, 20)) lines.push(`- #${r.index} ${r.kind} on ${r.fixture} (${r.described}): ${r.reason.slice(0, 300)}`);
    lines.push('');
  }
  return lines.join('\n');
}

function raceSection(races: ReloadRaceSummary[]): string {
  const lines: string[] = [];
  lines.push(`## ${TITLES.race}`, '', stamp(), '');
  lines.push('A Python sqlite3 writer records runs, each run with 4 artifacts in one transaction that also deletes the oldest run past 40, with a two-page cache so that '
    + 'SQLite spills pages before the commit. Each trial is one `loadWorkspace`; a trial is torn when it shows a run without all '
    + 'of its artifacts, an artifact without its run, fewer runs than an earlier trial, or an error. A control reader with the '
    + 'consistency checks off reloads after each trial. "Overlapped" counts trials that began while the writer had printed '
    + '"begin" and not yet "committed".', '');
  lines.push('| Journal mode | Trials | Torn | Overlapped | Writer commits | Control trials | Control torn | Seconds |', '|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of races) {
    lines.push(`| ${r.journalMode} | ${r.trials} | ${r.torn} | ${r.overlapped} | ${r.writerRounds} | ${r.controlTrials} | ${r.controlTorn} | ${r.seconds.toFixed(0)} |`);
  }
  lines.push('');
  return lines.join('\n');
}

function registerSection(registered: RegisterFigures): string {
  const lines: string[] = [];
  lines.push(`## ${TITLES.register}`, '', stamp(), '');
  lines.push(`test/unit/register/concurrency.test.ts with FLOWYML_REGISTER_COUNT=${registered.registrations}, `
    + `FLOWYML_REGISTER_KILLS=${registered.kills} and FLOWYML_WRITER_GAP_MS=${registered.gapMs}: registrations through the command line, `
    + 'two processes at a time, while register-writer.py commits a catalog row and a run in each round, resting '
    + `${registered.gapMs / 2} to ${registered.gapMs * 1.5} ms between rounds. After each phase every commit of both sides must be present and `
    + '`PRAGMA integrity_check` must return ok on both stores. Killed processes get SIGKILL at a random time between half and one and a half '
    + 'of a registration\'s time, and must leave the store intact with each row absent or whole. '
    + `Result: ${registered.passed ? 'passed' : `failed (exit ${registered.status})`}, in ${registered.seconds.toFixed(0)} s.`, '');
  for (const line of registered.diagnostics) lines.push(`- ${line}`);
  lines.push('');
  return lines.join('\n');
}

/** Splits the file into its sections by their "## " titles. */
function readSections(): Map<string, string> {
  const sections = new Map<string, string>();
  if (!fs.existsSync(OUT)) return sections;
  const text = fs.readFileSync(OUT, 'utf8');
  for (const part of text.split(/\n(?=## )/).slice(1)) {
    const title = /^## (.*)/.exec(part)?.[1];
    if (title) sections.set(title.trim(), part.trimEnd() + '\n');
  }
  return sections;
}

/**
 * Writes the file with the sections measured now, keeping the sections of
 * the phases not run and the hand-written list of faults. The file is read
 * again just before each write, so two runs of different phases can share it.
 */
function writeSections(measured: Partial<Record<Phase, string>>): void {
  const sections = readSections();
  const parts = [header()];
  for (const phase of Object.keys(TITLES) as Phase[]) {
    const text = measured[phase] ?? sections.get(TITLES[phase]);
    if (text) parts.push(text.trimEnd() + '\n');
  }
  const faults = sections.get(FAULTS_TITLE);
  if (faults) parts.push(faults);
  const temporary = `${OUT}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, parts.join('\n'));
  fs.renameSync(temporary, OUT);
  console.error(`wrote ${OUT}`);
}

async function main(): Promise<void> {
  const phases = new Set((process.env.BENCH_PHASES ?? 'fuzz,race,register').split(',').map((p) => p.trim()));
  const seed = envNumber('FUZZ_SEED', 20261204);
  // The file is written after each phase, so a run cut short keeps the figures it has.
  if (phases.has('fuzz')) writeSections({ fuzz: fuzzSection(seed, await fuzz(seed)) });
  if (phases.has('race')) {
    const races: ReloadRaceSummary[] = [];
    for (const mode of ['delete', 'wal'] as const) {
      const trials = envNumber('RACE_TRIALS', 1000);
      if (trials > 0) races.push(await runReloadRace(mode, trials));
      console.error(`reload race ${mode}: ${JSON.stringify(races.at(-1))}`);
    }
    writeSections({ race: raceSection(races) });
  }
  if (phases.has('register')) {
    const registerTrials = envNumber('REGISTER_TRIALS', 1000);
    if (registerTrials > 0) writeSections({ register: registerSection(register(registerTrials)) });
  }
}

void main();
