import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

const SCRIPT = path.join(__dirname, 'python-writer.py');
const PYTHON = process.env.PYTHON ?? 'python3';

/** Returns why the Python writer cannot run here, or undefined when it can. */
export function pythonUnavailable(): string | undefined {
  const result = spawnSync(PYTHON, ['-c', 'import sqlite3'], { encoding: 'utf8' });
  if (result.error) return `${PYTHON} could not be started: ${result.error.message}`;
  if (result.status !== 0) return `${PYTHON} has no sqlite3 module: ${result.stderr.trim()}`;

  return undefined;
}

/** Runs one writer command to completion, for example `create`, and throws when it fails. */
export function runWriter(args: string[]): string {
  const result = spawnSync(PYTHON, [SCRIPT, ...args], { encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0) {
    throw new Error(`python-writer ${args.join(' ')} failed with status ${result.status}: ${result.stderr}`);
  }

  return result.stdout;
}

/** Runs a short Python snippet with the given arguments in sys.argv[1:] and returns its standard output. */
export function runPython(code: string, args: string[] = []): string {
  const result = spawnSync(PYTHON, ['-c', code, ...args], { encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0) {
    throw new Error(`python3 failed with status ${result.status}: ${result.stderr}`);
  }

  return result.stdout;
}

/** A running writer process whose output lines the test can wait for. */
export class WriterProcess {
  readonly lines: string[] = [];
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly exited: Promise<number | null>;
  private readonly waiters = new Set<() => void>();
  private stderr = '';

  constructor(args: string[]) {
    this.child = spawn(PYTHON, [SCRIPT, ...args]);
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
    });
    readline.createInterface({ input: this.child.stdout }).on('line', (line) => {
      this.lines.push(line);
      for (const wake of this.waiters) wake();
    });
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code) => {
        for (const wake of this.waiters) wake();
        resolve(code);
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** The generation of the newest `committed N` line, or -1 before the first. */
  get lastCommitted(): number {
    for (let i = this.lines.length - 1; i >= 0; i--) {
      const match = /^(?:committed|ready) (\d+)$/.exec(this.lines[i]);
      if (match) return Number(match[1]);
    }

    return -1;
  }

  /** Resolves with the first output line that matches, waiting for it up to `timeoutMs`. */
  async waitForLine(pattern: RegExp, timeoutMs = 30_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.lines.find((line) => pattern.test(line));
      if (found !== undefined) return found;
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        throw new Error(`python-writer exited before printing ${pattern}: ${this.stderr || this.lines.join('\n')}`);
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`Timed out waiting for python-writer to print ${pattern}`);

      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, remaining);
        function done(): void {
          clearTimeout(timer);
          waiters.delete(done);
          resolve();
        }
        const waiters = this.waiters;
        waiters.add(done);
      });
    }
  }

  /** Writes one line to the writer's standard input. */
  send(line: string): void {
    this.child.stdin.write(`${line}\n`);
  }

  /** Closes standard input, which ends the writer's loop, and waits for it to exit. Kills it after `timeoutMs`. */
  async stop(timeoutMs = 30_000): Promise<number | null> {
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Kills the writer with SIGKILL, as a crash would, and waits for it to exit. */
  async kill(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exited;
  }

  get errorOutput(): string {
    return this.stderr;
  }
}
