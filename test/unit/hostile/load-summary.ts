/**
 * Loads a workspace and prints a JSON summary: versions, problems and runs.
 * The bit-flip tests run it in a child process with a time limit, so a
 * reader that hangs on a damaged file fails the test instead of stopping the
 * whole suite. Usage: node --import tsx load-summary.ts DIR [ID_TO_DETAIL]
 */
import { loadWorkspace, stringifyJson } from '../../../src/core/index';

export interface LoadSummary {
  versions: { id: string; store: string; name: string; type: string }[];
  problems: { file: string; severity: string; code: string; message: string }[];
  runs: number;
  /** Present when an id was given: whether its details loaded, or the error. */
  details?: { ok: true; name: string } | { ok: false; message: string };
}

async function main(): Promise<void> {
  const [root, detailId] = process.argv.slice(2);
  const workspace = await loadWorkspace(root);
  try {
    const summary: LoadSummary = {
      versions: workspace.versions.map((v) => ({ id: v.id, store: v.store, name: v.name, type: v.type })),
      problems: workspace.problems.map((p) => ({ ...p })),
      runs: workspace.runs.length,
    };
    if (detailId !== undefined) {
      try {
        const details = await workspace.details(detailId);
        summary.details = { ok: true, name: details.version.name };
      } catch (error) {
        summary.details = { ok: false, message: error instanceof Error ? error.message : String(error) };
      }
    }
    process.stdout.write(stringifyJson(summary));
  } finally {
    workspace.dispose();
  }
}

if (require.main === module) {
  void main();
}
