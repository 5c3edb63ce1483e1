/**
 * Registers one file through the core and prints the result as JSON, so a
 * test can run the write under another Node binary (the Node 24 that has
 * node:sqlite).
 *
 * Usage: node --import tsx register-run.ts WORKSPACE FILE ENGINE [NAME]
 * where ENGINE is node:sqlite or python.
 */
import { loadWorkspace } from '../../src/core/index';
import { findWriteEngine, planRegistration, writeRegistration } from '../../src/core/register/index';

async function main(): Promise<void> {
  const [root, file, only, name] = process.argv.slice(2);
  const engine = findWriteEngine({ only: only as 'node:sqlite' | 'python' });
  const workspace = await loadWorkspace(root);
  try {
    const plan = await planRegistration({ workspace, source: { kind: 'file', path: file }, name });
    const result = await writeRegistration(plan, engine);
    process.stdout.write(`${JSON.stringify({ kind: engine.kind, engine: result.engine, id: result.id, version: result.version, row: result.row })}\n`);
  } finally {
    workspace.dispose();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
