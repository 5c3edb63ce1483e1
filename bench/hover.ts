/**
 * Hover latency of the language server over a 100,000-version store.
 *
 *   node --import tsx bench/hover.ts [--versions 100000] [--hovers 2000]
 *
 * Generates bench/work/hover-<N>/.flowyml/catalog.db with Python's sqlite3
 * in FlowyML's catalog schema (reused when it already has N rows), starts
 * the server over in-memory streams, opens a pipeline file with one asset
 * call per sampled name and times hover requests end to end: the first
 * hover of each name (its details read from the store) and repeated ones.
 * Prints p50, p99 and max in milliseconds. Not run by the tests.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CATALOG_DDL } from '../src/core/register/catalog-schema';
import { positionOf, startServer } from '../test/server/harness';

/** Writes rows the way ArtifactCatalog.register does, in one transaction for speed, after FlowyML's DDL (argv[3]). */
const GENERATE = `
import json, random, sqlite3, sys, uuid, datetime
db, count = sys.argv[1], int(sys.argv[2])
types = ["Dataset", "Model", "Metrics", "FeatureSet", "Report", "Artifact", "Prompt", "Checkpoint", "Asset"]
versions_per_name = 10
con = sqlite3.connect(db)
for statement in json.loads(sys.argv[3]):
    con.execute(statement)
rng = random.Random(7)
start = datetime.datetime(2026, 1, 1)
previous = {}
rows = []
for i in range(count):
    name_index = i % (count // versions_per_name)
    name = f"asset_{name_index:05d}"
    kind = types[name_index % len(types)]
    artifact_id = str(uuid.UUID(int=rng.getrandbits(128)))
    parents = [previous[name]] if name in previous else []
    previous[name] = artifact_id
    run = f"run-{i // 50:05d}"
    props = {"samples": rng.randint(10, 10000), "num_features": rng.randint(2, 40), "framework": "sklearn", "auc": round(rng.random(), 4)}
    metadata = {"asset_id": str(uuid.UUID(int=rng.getrandbits(128))), "asset_created_at": "", "properties": props}
    created = (start + datetime.timedelta(seconds=i)).isoformat()
    rows.append((artifact_id, name, kind, "", f"step_{name_index % 40}", run, f"pipeline_{name_index % 8}",
                 json.dumps(parents), json.dumps({"team": "bench"}), json.dumps(metadata), "", created,
                 f"v1.{i // (count // versions_per_name)}.0"))
with con:
    con.executemany("INSERT INTO artifacts VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
con.close()
`;

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function summary(label: string, samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  return `${label.padEnd(22)} n=${String(sorted.length).padEnd(6)} p50 ${percentile(sorted, 50).toFixed(2)} ms  p99 ${percentile(sorted, 99).toFixed(2)} ms  max ${sorted[sorted.length - 1].toFixed(2)} ms`;
}

function ensureStore(root: string, versions: number): void {
  const db = path.join(root, '.flowyml', 'catalog.db');
  if (fs.existsSync(db)) {
    const rows = Number(execFileSync('python3', ['-c', 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from artifacts").fetchone()[0])', db], { encoding: 'utf8' }));
    if (rows === versions) return;
    fs.rmSync(db);
  }
  fs.mkdirSync(path.dirname(db), { recursive: true });
  const started = performance.now();
  execFileSync('python3', ['-c', GENERATE, db, String(versions), JSON.stringify(CATALOG_DDL)]);
  console.log(`generated ${versions} catalog rows in ${((performance.now() - started) / 1000).toFixed(1)} s (${(fs.statSync(db).size / 1e6).toFixed(1)} MB)`);
}

async function main(): Promise<void> {
  const versions = argument('versions', 100_000);
  const hovers = argument('hovers', 2000);
  const root = path.resolve(__dirname, 'work', `hover-${versions}`);
  ensureStore(root, versions);

  const names = versions / 10;
  const sampled = Array.from({ length: 200 }, (_, i) => `asset_${String(Math.floor((i * names) / 200)).padStart(5, '0')}`);
  const source = ['from flowyml import Asset, Dataset, Model, Metrics, FeatureSet, Report, Artifact, Prompt, Checkpoint', '']
    .concat(sampled.map((name, i) => `a${i} = Dataset.create(data=None, name="${name}")`))
    .join('\n');

  const started = performance.now();
  const client = await startServer({ roots: [root], server: { watchStores: false } });
  const status = await client.status();
  console.log(`server ready with ${status.folders[0].versions} versions in ${((performance.now() - started) / 1000).toFixed(2)} s (store load ${status.folders[0].loadMs} ms)`);

  const document = await client.open(path.join(root, 'pipeline.py'), source);
  const positions = sampled.map((name) => positionOf(source, `"${name}"`, { delta: 3 }));

  // One hover on a name outside the sample compiles the hover path first, so
  // the first sample does not carry the JIT's start-up cost.
  await client.hoverText(await client.open(path.join(root, 'warmup.py'), `${source.split('\n')[0]}\nx = Dataset.create(data=None, name="asset_00001")\n`), { line: 1, character: 36 });

  const cold: number[] = [];
  for (const position of positions) {
    const t = performance.now();
    const text = await client.hoverText(document, position);
    cold.push(performance.now() - t);
    if (!text?.includes('Latest version')) throw new Error(`hover without a version: ${text}`);
  }

  const warm: number[] = [];
  for (let i = 0; i < hovers; i++) {
    const t = performance.now();
    const text = await client.hoverText(document, positions[i % positions.length]);
    warm.push(performance.now() - t);
    if (!text?.includes('Latest version')) throw new Error(`hover without a version: ${text}`);
  }

  console.log(summary("first hover per name", cold));
  console.log(summary('repeated hovers', warm));
  console.log(`rss ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
  await client.close();
}

void main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
