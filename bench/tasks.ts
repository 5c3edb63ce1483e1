/**
 * One benchmark measurement, run in a fresh child process by bench/run.ts:
 *
 *   node bench/work/tasks.cjs TASK ENGINE WORKSPACE DEEP_CATALOG_ID
 *
 * TASK is `open` (cold open to the first page of 500 versions per store) or
 * `session` (full version list, then details, lineage and commit-to-visible
 * in the same process). ENGINE is `ours` (the core's sql.js reader) or
 * `native` (better-sqlite3 running the same queries). The result is one JSON
 * line on stdout, with the peak RSS of this process.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { loadWorkspace, reloadReport, reloadWorkspace, type WorkspaceIndex } from '../src/core/index';
import { versionId } from '../src/core/model/build';
import { openSnapshotDatabase } from '../src/core/sqlite/index';
import { readVersionPage } from '../src/core/store/page';
import { native } from './native';

const DETAIL_REPEATS = 9;
const LINEAGE_REPEATS = 9;
/** Commits per process: each reload reads only the appended rows, as the extension's store service does. */
const COMMIT_REPEATS = 5;

interface Result {
  [key: string]: unknown;
}

async function main(): Promise<void> {
  const [task, engine, workspace, deepCatalogId] = process.argv.slice(2);
  const stores = {
    metadata: path.join(workspace, '.flowyml', 'metadata.db'),
    catalog: path.join(workspace, '.flowyml', 'catalog.db'),
  };
  let result: Result;
  if (task === 'open') {
    result = engine === 'ours' ? await openOurs(stores) : native.open(stores);
  } else if (task === 'session') {
    result = engine === 'ours' ? await sessionOurs(workspace, stores, deepCatalogId) : native.session(stores, deepCatalogId);
  } else {
    throw new Error(`Unknown task "${task}": expected open or session.`);
  }
  result.maxRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/** Opens both stores and reads the newest 500 versions of each; the time counts from process start. */
async function openOurs(stores: { metadata: string; catalog: string }): Promise<Result> {
  let versions = 0;
  let bytesRead = 0;
  for (const kind of ['metadata', 'catalog'] as const) {
    const db = await openSnapshotDatabase(stores[kind]);
    const page = await readVersionPage(db, kind, { limit: 500 });
    versions += page.entries.length;
    bytesRead += db.stats.bytesRead;
    db.close();
  }

  return { ms: performance.now(), versions, bytesRead, openRssMb: process.resourceUsage().maxRSS / 1024 };
}

async function sessionOurs(root: string, stores: { metadata: string; catalog: string }, deepCatalogId: string): Promise<Result> {
  let started = performance.now();
  let workspace = await loadWorkspace(root);
  const assets = workspace.assets();
  const listMs = performance.now() - started;
  const listRssMb = process.resourceUsage().maxRSS / 1024;
  const versionCount = assets.reduce((sum, asset) => sum + asset.versions.length, 0);

  const detailIds = pickDetailIds(workspace);
  const details: Record<string, number[]> = {};
  for (const [label, id] of Object.entries(detailIds)) {
    details[label] = [];
    for (let i = 0; i < DETAIL_REPEATS; i++) {
      started = performance.now();
      await workspace.details(id);
      details[label].push(performance.now() - started);
    }
  }

  const deepId = versionId('.flowyml/catalog.db', 'artifacts', deepCatalogId);
  const lineage: number[] = [];
  let lineageNodes = 0;
  for (let i = 0; i < LINEAGE_REPEATS; i++) {
    started = performance.now();
    lineageNodes = workspace.lineage(deepId, { direction: 'up' }).nodes.length;
    lineage.push(performance.now() - started);
  }

  // The reload path of the extension's and the language server's store services: measure until it shows the committed row.
  const commit: number[] = [];
  const reloads: string[] = [];
  const prefix = `bench-commit-${process.pid}-`;
  try {
    for (let i = 0; i < COMMIT_REPEATS; i++) {
      const artifactId = `${prefix}${i}`;
      const committedMs = commitRow(stores.metadata, artifactId);
      const wanted = versionId('.flowyml/metadata.db', 'artifacts', artifactId);
      for (;;) {
        const next = await reloadWorkspace(workspace, root);
        workspace.dispose();
        workspace = next;
        const report = reloadReport(workspace);
        reloads.push(`${report?.stores.map((s) => s.mode).join('+')} ${report?.model}`);
        if (workspace.getVersion(wanted)) break;
      }
      commit.push(Date.now() - committedMs);
    }
  } finally {
    workspace.dispose();
    removeRows(stores.metadata, prefix);
  }

  return { listMs, listRssMb, versions: versionCount, details, lineage, lineageNodes, commit, reloads };
}

/** A small Dataset, the biggest Dataset row and a catalog version. */
function pickDetailIds(workspace: WorkspaceIndex): Record<string, string> {
  const metadataRows = workspace.versions.filter((v) => v.store === '.flowyml/metadata.db' && v.type === 'Dataset');
  const biggest = metadataRows.reduce((a, b) => (b.metadataBytes > a.metadataBytes ? b : a));
  const small = metadataRows[Math.floor(metadataRows.length / 2)];
  const catalog = workspace.versions.find((v) => v.store === '.flowyml/catalog.db' && v.type === 'Model');
  const ids: Record<string, string> = { smallDataset: small.id, biggestDataset: biggest.id };
  if (catalog) ids.catalogModel = catalog.id;

  return ids;
}

export function commitRow(database: string, artifactId: string): number {
  const output = execFileSync('python3', [path.join(__dirname, '..', 'commit.py'), database, 'add', artifactId], { encoding: 'utf8' });

  return (JSON.parse(output) as { committedMs: number }).committedMs;
}

export function removeRows(database: string, prefix: string): void {
  execFileSync('python3', [path.join(__dirname, '..', 'commit.py'), database, 'remove', prefix]);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
