/**
 * Reloads a workspace through loadWorkspace while a real Python sqlite3
 * writer (pipeline_writer.py) records runs, each run and its artifacts in one
 * transaction. Every reload must show whole runs only: each writer run with
 * all of its artifacts, no artifact without its run, no error, and never
 * fewer runs than an earlier reload. A control reader with the consistency
 * checks switched off reloads beside it, to show that the race is real.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { loadWorkspace, type WorkspaceIndex } from '../../src/core/index';
import { SMALL_FIXTURES } from '../helpers/paths';

const WRITER = path.join(__dirname, 'pipeline_writer.py');
const ARTIFACTS_PER_RUN = 4;
const PIPELINE = 'race_pipeline';

export interface ReloadRaceSummary {
  journalMode: 'delete' | 'wal';
  trials: number;
  /** Reloads that started while the writer had a transaction open, by its last printed line. */
  overlapped: number;
  /** Checked reloads that showed a partial run, a lost run or an error. */
  torn: number;
  tornExamples: string[];
  /** Runs the writer committed in all. */
  writerRounds: number;
  /** Reloads by the unchecked control reader, and how many of them were torn or failed. */
  controlTrials: number;
  controlTorn: number;
  seconds: number;
}

/** Returns why a reload is not a committed state of the writer, or undefined when it is one. */
function tornReason(index: WorkspaceIndex, previousRuns: number): string | undefined {
  const errors = index.problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) return `error: ${errors[0].message}`;

  const runs = new Set(index.runs.filter((r) => r.pipeline === PIPELINE).map((r) => r.runId));
  const perRun = new Map<string, number>();
  for (const version of index.versions) {
    if (!version.name.startsWith('out_')) continue;
    if (!version.runId || !runs.has(version.runId)) return `artifact ${version.id} has no run`;
    perRun.set(version.runId, (perRun.get(version.runId) ?? 0) + 1);
  }
  for (const run of runs) {
    const count = perRun.get(run) ?? 0;
    if (count !== ARTIFACTS_PER_RUN) return `run ${run} shows ${count} of ${ARTIFACTS_PER_RUN} artifacts`;
  }
  if (runs.size < previousRuns) return `${runs.size} runs after an earlier reload showed ${previousRuns}`;
  return undefined;
}

class Writer {
  readonly lines: string[] = [];
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly exited: Promise<number | null>;
  private stderr = '';

  constructor(db: string, journalMode: string) {
    this.child = spawn(process.env.PYTHON ?? 'python3', [WRITER, db, '--journal-mode', journalMode, '--artifacts', String(ARTIFACTS_PER_RUN)]);
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
    });
    readline.createInterface({ input: this.child.stdout }).on('line', (line) => this.lines.push(line));
    this.exited = new Promise((resolve) => this.child.on('exit', resolve));
  }

  async waitFor(line: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.lines.includes(line)) {
      if (this.child.exitCode !== null) throw new Error(`pipeline_writer.py exited early: ${this.stderr}`);
      if (Date.now() > deadline) throw new Error(`pipeline_writer.py did not print "${line}": ${this.stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  get inTransaction(): boolean {
    return this.lines.at(-1)?.startsWith('begin ') ?? false;
  }

  get committed(): number {
    for (let i = this.lines.length - 1; i >= 0; i--) {
      const match = /^(?:committed|stopped) (\d+)$/.exec(this.lines[i]);
      if (match) return Number(match[1]);
    }
    return 0;
  }

  send(line: string): void {
    this.child.stdin.write(`${line}\n`);
  }

  async stop(): Promise<{ code: number | null; stderr: string }> {
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 30_000);
    const code = await this.exited;
    clearTimeout(timer);
    return { code, stderr: this.stderr };
  }
}

/** Runs `trials` checked reloads, each followed by one unchecked control reload, beside a writer in the given journal mode. */
export async function runReloadRace(journalMode: 'delete' | 'wal', trials: number): Promise<ReloadRaceSummary> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `flowyml-reload-${journalMode}-`));
  const db = path.join(root, '.flowyml', 'metadata.db');
  fs.mkdirSync(path.dirname(db), { recursive: true });
  fs.copyFileSync(path.join(SMALL_FIXTURES, 'flowyml-1.7-basic', '.flowyml', 'metadata.db'), db);

  const writer = new Writer(db, journalMode);
  const started = Date.now();
  const summary: ReloadRaceSummary = {
    journalMode, trials: 0, overlapped: 0, torn: 0, tornExamples: [], writerRounds: 0, controlTrials: 0, controlTorn: 0, seconds: 0,
  };
  try {
    await writer.waitFor('ready');
    writer.send('go');
    let previousRuns = 0;
    let newestSeen = 0;
    while (summary.trials < trials) {
      if (writer.inTransaction) summary.overlapped += 1;
      const index = await loadWorkspace(root, { open: { busyTimeoutMs: 30_000 } });
      try {
        const reason = tornReason(index, previousRuns);
        summary.trials += 1;
        if (reason) {
          summary.torn += 1;
          if (summary.tornExamples.length < 5) summary.tornExamples.push(reason);
        } else {
          previousRuns = index.runs.filter((r) => r.pipeline === PIPELINE).length;
          newestSeen = Math.max(newestSeen, previousRuns);
        }
      } finally {
        index.dispose();
      }

      const control = await loadWorkspace(root, { open: { unsafeSkipConsistencyChecks: true } });
      try {
        summary.controlTrials += 1;
        if (tornReason(control, 0)) summary.controlTorn += 1;
      } finally {
        control.dispose();
      }
      // Lets the writer's output lines through between reloads that never wait.
      await new Promise((resolve) => setImmediate(resolve));
    }
    const stopped = await writer.stop();
    if (stopped.code !== 0) throw new Error(`pipeline_writer.py failed with ${stopped.code}: ${stopped.stderr}`);
    summary.writerRounds = writer.committed;
    if (newestSeen > summary.writerRounds) {
      summary.torn += 1;
      summary.tornExamples.push(`a reload showed ${newestSeen} runs, but the writer committed ${summary.writerRounds}`);
    }
  } finally {
    await writer.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
  summary.seconds = (Date.now() - started) / 1000;
  return summary;
}
