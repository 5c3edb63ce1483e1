/**
 * Splits one full load of a workspace into phases and prints the CPU time
 * (user + system) and wall time of each, so that a change can be measured
 * while other processes share the cores. Run it in a fresh process per
 * repetition:
 *
 *   node --expose-gc --import tsx bench/load-phases.ts bench/work/stores/100k [--json]
 *
 * Phases: opening the stores, reading metadata.db rows, reading catalog.db
 * rows, building the model, building the lineage index, grouping assets.
 * After the load it prints the live heap after garbage collection and the
 * peak RSS. The whole load through `loadWorkspace` is timed separately by
 * bench/run.ts.
 */
import path from 'node:path';
import { LineageIndex } from '../src/core/lineage/graph';
import { buildModel, sortAssetVersions, type StoreRows } from '../src/core/model/build';
import type { AssetVersion } from '../src/core/model/types';
import { openSnapshotDatabase } from '../src/core/sqlite/index';
import { readCatalogStore } from '../src/core/store/catalog-store';
import { readMetadataStore } from '../src/core/store/metadata-store';
import { detectSchema } from '../src/core/store/schema';

interface Phase {
  name: string;
  cpuMs: number;
  wallMs: number;
  /** Heap in use and resident set at the end of the phase, before any forced collection. */
  heapMb: number;
  rssMb: number;
}

const phases: Phase[] = [];

async function timed<T>(name: string, run: () => Promise<T> | T): Promise<T> {
  const cpu = process.cpuUsage();
  const wall = performance.now();
  const result = await run();
  const used = process.cpuUsage(cpu);
  const memory = process.memoryUsage();
  phases.push({ name, cpuMs: (used.user + used.system) / 1000, wallMs: performance.now() - wall, heapMb: memory.heapUsed / 1048576, rssMb: memory.rss / 1048576 });
  if (process.env.PHASE_MEMORY) process.stderr.write(`${name}: ${JSON.stringify(Object.fromEntries(Object.entries(memory).map(([k, v]) => [k, Math.round(v / 1048576)])))}\n`);

  return result;
}

async function main(): Promise<void> {
  const root = process.argv[2];
  if (!root) throw new Error('Usage: load-phases.ts WORKSPACE [--json]');
  const metadataPath = path.join(root, '.flowyml', 'metadata.db');
  const catalogPath = path.join(root, '.flowyml', 'catalog.db');

  const [metadataDb, catalogDb] = await timed('open', async () => [await openSnapshotDatabase(metadataPath), await openSnapshotDatabase(catalogPath)]);
  const metadataRows = await timed('read metadata.db', () => metadataDb.read('load store', (conn) => {
    const detected = detectSchema(conn, '.flowyml/metadata.db', 'metadata');
    return { schema: detected.schema, rows: readMetadataStore(conn, '.flowyml/metadata.db', detected.columns) };
  }));
  const catalogRows = await timed('read catalog.db', () => catalogDb.read('load store', (conn) => {
    const detected = detectSchema(conn, '.flowyml/catalog.db', 'catalog');
    return readCatalogStore(conn, '.flowyml/catalog.db', detected.columns.artifacts);
  }));
  let input: StoreRows[] | undefined = [
    {
      store: { path: '.flowyml/metadata.db', absolutePath: metadataPath, kind: 'metadata', schema: metadataRows.schema },
      runs: metadataRows.rows.runs,
      artifacts: metadataRows.rows.artifacts,
    },
    {
      store: { path: '.flowyml/catalog.db', absolutePath: catalogPath, kind: 'catalog', schema: 'catalog' },
      catalog: catalogRows.rows,
    },
  ];
  const model = await timed('build model', () => buildModel(input!));
  input = undefined;
  const lineage = await timed('lineage index', () => new LineageIndex(model.versions, model.runs));
  const assets = await timed('group assets', () => {
    const groups = new Map<string, AssetVersion[]>();
    for (const v of model.versions) {
      const key = `${v.type}\u0000${v.name}`;
      const list = groups.get(key);
      if (list) list.push(v);
      else groups.set(key, [v]);
    }
    return [...groups.values()].map((list) => sortAssetVersions(list));
  });
  const peakRssMb = process.resourceUsage().maxRSS / 1024;

  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const memory = process.memoryUsage();
  const result = {
    versions: model.versions.length,
    assets: assets.length,
    lineageHas: lineage.has(model.versions[0]?.id ?? ''),
    phases,
    totalCpuMs: phases.reduce((sum, p) => sum + p.cpuMs, 0),
    totalWallMs: phases.reduce((sum, p) => sum + p.wallMs, 0),
    heapUsedAfterGcMb: gc ? memory.heapUsed / 1048576 : undefined,
    externalMb: memory.external / 1048576,
    arrayBuffersMb: memory.arrayBuffers / 1048576,
    peakRssMb,
  };
  metadataDb.close();
  catalogDb.close();
  if (process.argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  for (const p of phases) {
    process.stdout.write(`${p.name.padEnd(18)} cpu ${p.cpuMs.toFixed(0).padStart(6)} ms  wall ${p.wallMs.toFixed(0).padStart(6)} ms  heap ${p.heapMb.toFixed(0).padStart(4)} MB  rss ${p.rssMb.toFixed(0).padStart(4)} MB\n`);
  }
  process.stdout.write(`${'total'.padEnd(18)} cpu ${result.totalCpuMs.toFixed(0).padStart(6)} ms  wall ${result.totalWallMs.toFixed(0).padStart(6)} ms\n`);
  process.stdout.write(`versions ${result.versions}, heap after GC ${result.heapUsedAfterGcMb?.toFixed(0)} MB, external ${result.externalMb.toFixed(0)} MB, peak RSS ${peakRssMb.toFixed(0)} MB\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
