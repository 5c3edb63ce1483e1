/**
 * Loads workspaces for the mutation fuzzer in a child process, one request
 * per stdin line, one JSON reply per stdout line. The fuzzer kills this
 * process when a case runs past its time limit, so a hang is detected and
 * counted instead of stopping the run.
 *
 * A request is `{"root": DIR, "target": STORE_PATH, "details": N}`: load the
 * workspace, list it, and open the details of up to N versions of the
 * target store. Anything a load throws is caught and reported, because the
 * fuzzer counts a throw as a failure of the reader.
 */
import readline from 'node:readline';
import { StoreError, loadWorkspace } from '../../src/core/index';

export interface WorkerRequest {
  root: string;
  /** The damaged store, relative to the root, as the core names it. */
  target: string;
  /** How many versions of the target store to open details for. */
  details: number;
}

export interface WorkerReply {
  /** Wall time of load, list and details, in milliseconds. */
  elapsedMs: number;
  /** Set when loadWorkspace or assets() threw: the reader crashed on this input. */
  threw?: string;
  versions: { store: string; name: string; storedType: string; aliases: number }[];
  problems: { file: string; severity: string; code: string; message: string }[];
  /** Details that threw or reported a problem without naming the target file. */
  detailFailures: string[];
  detailsOpened: number;
}

async function handle(request: WorkerRequest): Promise<WorkerReply> {
  const started = performance.now();
  const reply: WorkerReply = { elapsedMs: 0, versions: [], problems: [], detailFailures: [], detailsOpened: 0 };
  let workspace;
  try {
    workspace = await loadWorkspace(request.root);
    workspace.assets();
  } catch (error) {
    reply.threw = error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}` : String(error);
    reply.elapsedMs = performance.now() - started;
    return reply;
  }

  try {
    reply.versions = workspace.versions.map((v) => ({ store: v.store, name: v.name, storedType: v.storedType, aliases: v.aliases.length }));
    reply.problems = workspace.problems.map((p) => ({ file: p.file, severity: p.severity, code: p.code, message: p.message }));

    const targets = workspace.versions.filter((v) => v.store === request.target).slice(0, request.details);
    for (const version of targets) {
      reply.detailsOpened += 1;
      try {
        const details = await workspace.details(version.id);
        if (details.problem !== undefined && !details.problem.includes(request.target)) {
          reply.detailFailures.push(`details of ${version.id} reported a problem that does not name the file: ${details.problem}`);
        }
      } catch (error) {
        const named = error instanceof StoreError && error.message.includes(request.target);
        if (!named) {
          const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
          reply.detailFailures.push(`details of ${version.id} threw: ${text}`);
        }
      }
    }
  } finally {
    workspace.dispose();
  }
  reply.elapsedMs = performance.now() - started;
  return reply;
}

function main(): void {
  const lines = readline.createInterface({ input: process.stdin });
  let queue = Promise.resolve();
  lines.on('line', (line) => {
    queue = queue.then(async () => {
      const reply = await handle(JSON.parse(line) as WorkerRequest);
      process.stdout.write(`${JSON.stringify(reply)}\n`);
    });
  });
}

if (require.main === module) main();
