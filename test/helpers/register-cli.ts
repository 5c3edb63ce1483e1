/**
 * Runs the command line as separate processes: bundles src/cli/main.ts with
 * esbuild into a temporary folder once (tsx would add about a second per
 * start), and starts it with the Node running the tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { REPO_ROOT } from './paths';
import { temporaryFolder } from './register-files';

let bundled: Promise<string> | undefined;

/** Returns the path of a fresh CLI bundle, built on first use. */
export function cliBundle(): Promise<string> {
  bundled ??= (async () => {
    const dir = temporaryFolder('cli-bundle');
    const out = path.join(dir, 'cli.js');
    await build({
      entryPoints: [path.join(REPO_ROOT, 'src', 'cli', 'main.ts')],
      outfile: out,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      logLevel: 'error',
    });
    fs.copyFileSync(path.join(REPO_ROOT, 'node_modules', 'sql.js', 'dist', 'sql-wasm.wasm'), path.join(dir, 'sql-wasm.wasm'));
    return out;
  })();
  return bundled;
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Starts the CLI in its own process group, so that a test can kill it together with its Python child. */
export function startCli(bundle: string, args: string[]): { child: ChildProcess; done: Promise<CliRun> } {
  const started = Date.now();
  const child = spawn(process.execPath, [bundle, ...args], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const done = new Promise<CliRun>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, ms: Date.now() - started }));
  });
  return { child, done };
}

export function runCli(bundle: string, args: string[]): Promise<CliRun> {
  return startCli(bundle, args).done;
}

/** Sends SIGKILL to a process started by startCli and to every process in its group. */
export function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}
