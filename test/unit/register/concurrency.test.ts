// Registering while a real Python writer commits catalog rows and
// metadata.db runs, the way a running pipeline does. No commit of either
// side may be lost. A register process killed at any moment must leave the
// store intact, with its row absent or whole.
//
// FLOWYML_REGISTER_COUNT sets how many registrations run (default 200) and
// FLOWYML_REGISTER_KILLS how many processes are killed (default 100).
// FLOWYML_WRITER_GAP_MS sets the writer's mean idle time between rounds
// (default: 5 to 50 ms). Each register process loads the whole workspace.
// So at the default pace, a long run spends its time loading the tens of
// thousands of rows the writer has added, and the bench's 1,000 trials set
// a slower pace.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { describe, test } from 'node:test';
import { loadWorkspace } from '../../../src/core/index';
import { cliBundle, killGroup, runCli, startCli } from '../../helpers/register-cli';
import { copySampleWorkspace, PYTHON, pythonAvailable, pythonJson, temporaryFolder } from '../../helpers/register-files';

const skipPython = pythonAvailable();
const REGISTER_COUNT = Number(process.env.FLOWYML_REGISTER_COUNT ?? 200);
const KILL_COUNT = Number(process.env.FLOWYML_REGISTER_KILLS ?? 100);
const PARALLEL = 2;
/** Time limits grow with the counts, so the bench's 1,000 trials fit where CI's 100 do. */
const TEST_TIMEOUT_MS = Math.max(15 * 60_000, Math.max(REGISTER_COUNT, KILL_COUNT) * 4_000);
const WRITER = path.join(__dirname, '..', '..', 'helpers', 'register-writer.py');
const WRITER_GAP_MS = process.env.FLOWYML_WRITER_GAP_MS;

/** The Python writer, started and stopped by the test. */
class Writer {
  readonly catalogRows: { id: string; version: string }[] = [];
  readonly runs: string[] = [];
  private readonly child;
  private readonly exited: Promise<number | null>;
  private stderr = '';

  constructor(root: string) {
    // The time limit ends the writer even if a failing test never stops it.
    const gap = WRITER_GAP_MS ? ['--gap-ms', WRITER_GAP_MS] : [];
    this.child = spawn(PYTHON, [WRITER, root, '--max-seconds', String(TEST_TIMEOUT_MS / 1000), ...gap], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
    });
    readline.createInterface({ input: this.child.stdout }).on('line', (line) => {
      const [kind, id, version] = line.split(' ');
      if (kind === 'catalog') this.catalogRows.push({ id, version });
      if (kind === 'run') this.runs.push(id);
    });
    this.exited = new Promise((resolve) => this.child.on('exit', resolve));
    this.child.stdin.write('go\n');
  }

  /** Stops the writer and returns its exit code and error output. */
  async stop(): Promise<{ code: number | null; stderr: string }> {
    this.child.stdin.end();
    return { code: await this.exited, stderr: this.stderr };
  }
}

const PYTHON_CHECK = String.raw`
import json, sqlite3, sys
request = json.load(sys.stdin)
catalog = sqlite3.connect(request["catalog"])
metadata = sqlite3.connect(request["metadata"])
out = {
    "catalog_ok": catalog.execute("PRAGMA integrity_check").fetchone()[0],
    "metadata_ok": metadata.execute("PRAGMA integrity_check").fetchone()[0],
    "catalog": [list(r) for r in catalog.execute("SELECT rowid, artifact_id, name, version, metadata, parent_ids, tags, created_at, content_hash FROM artifacts ORDER BY rowid")],
    "runs": [r[0] for r in metadata.execute("SELECT run_id FROM runs")],
    "artifacts": [r[0] for r in metadata.execute("SELECT artifact_id FROM artifacts")],
}
print(json.dumps(out))
`;

interface CheckResult {
  catalog_ok: string;
  metadata_ok: string;
  catalog: [number, string, string, string | null, string, string, string, string, string][];
  runs: string[];
  artifacts: string[];
}

function checkStores(root: string): CheckResult {
  const flowyml = path.join(root, '.flowyml');
  return pythonJson<CheckResult>(PYTHON_CHECK, { catalog: path.join(flowyml, 'catalog.db'), metadata: path.join(flowyml, 'metadata.db') });
}

/** Versions of one name in rowid order: all different, and each above the one before. */
function assertUniqueAndOrdered(versions: string[]): void {
  const numbers = versions.map((v) => Number(/^v1\.0\.(\d+)$/.exec(v)?.[1]));
  assert.ok(numbers.every(Number.isInteger), `unexpected versions ${versions.join(', ')}`);
  assert.equal(new Set(numbers).size, numbers.length, 'versions repeat');
  for (let i = 1; i < numbers.length; i++) assert.ok(numbers[i] > numbers[i - 1], `version ${versions[i]} follows ${versions[i - 1]}`);
}

describe('register beside a running writer', { skip: skipPython }, () => {
  test(`${REGISTER_COUNT} registrations lose no commit`, { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const bundle = await cliBundle();
    const root = copySampleWorkspace();
    const file = path.join(temporaryFolder('concurrent-file'), 'batch.csv');
    fs.writeFileSync(file, 'x,y\n1,2\n3,4\n');

    const writer = new Writer(root);
    const started = Date.now();
    const results: { id: string; version: string }[] = [];
    const durations: number[] = [];
    let next = 0;
    let failed: string | undefined;
    const worker = async () => {
      while (next < REGISTER_COUNT && failed === undefined) {
        next++;
        const run = await runCli(bundle, ['register', file, root, '--name', 'registered_batch', '--json', '--python', PYTHON]);
        if (run.code !== 0) {
          failed = `register exited with ${run.code}: ${run.stderr}`;
          return;
        }
        durations.push(run.ms);
        if (process.env.FLOWYML_REGISTER_PROGRESS && durations.length % 50 === 0) {
          console.error(`registered ${durations.length}: last ${run.ms} ms; writer ${writer.catalogRows.length} rows`);
        }
        const output = JSON.parse(run.stdout) as { id: string; version: string };
        results.push({ id: output.id, version: output.version });
      }
    };
    let stopped: { code: number | null; stderr: string };
    try {
      await Promise.all(Array.from({ length: PARALLEL }, worker));
    } finally {
      stopped = await writer.stop();
    }
    const elapsed = Date.now() - started;
    assert.equal(failed, undefined);
    assert.equal(stopped.code, 0, `the Python writer failed: ${stopped.stderr}`);

    const check = checkStores(root);
    assert.equal(check.catalog_ok, 'ok');
    assert.equal(check.metadata_ok, 'ok');

    const catalogIds = new Set(check.catalog.map((row) => row[1]));
    for (const row of writer.catalogRows) assert.ok(catalogIds.has(row.id), `writer row ${row.id} is missing`);
    const runIds = new Set(check.runs);
    for (const run of writer.runs) assert.ok(runIds.has(run), `writer run ${run} is missing`);
    assert.ok(writer.catalogRows.length > 0, 'the writer committed no catalog row');
    assert.ok(writer.runs.length > 0, 'the writer committed no run');

    for (const result of results) assert.ok(catalogIds.has(decodeURIComponent(result.id.split(':')[2])), `registered row ${result.id} is missing`);
    const registered = check.catalog.filter((row) => row[2] === 'registered_batch');
    assert.equal(registered.length, REGISTER_COUNT);
    assertUniqueAndOrdered(registered.map((row) => row[3] ?? ''));
    assertUniqueAndOrdered(check.catalog.filter((row) => row[2] === 'writer_metrics').map((row) => row[3] ?? ''));

    const workspace = await loadWorkspace(root);
    try {
      assert.deepEqual(workspace.problems.filter((p) => p.severity === 'error'), []);
      assert.equal(workspace.versions.filter((v) => v.name === 'registered_batch').length, REGISTER_COUNT);
    } finally {
      workspace.dispose();
    }

    durations.sort((a, b) => a - b);
    t.diagnostic(`registered ${REGISTER_COUNT} times in ${elapsed} ms (${PARALLEL} at a time); median ${durations[durations.length >> 1]} ms per process; writer committed ${writer.catalogRows.length} catalog rows and ${writer.runs.length} runs`);
  });

  test(`${KILL_COUNT} killed registrations leave the store intact`, { timeout: TEST_TIMEOUT_MS }, async (t) => {
    const bundle = await cliBundle();
    const root = copySampleWorkspace();
    const file = path.join(temporaryFolder('killed-file'), 'killed.csv');
    fs.writeFileSync(file, 'x,y\n1,2\n');

    const writer = new Writer(root);
    // How long one registration takes beside the writer (the faster of two runs, the first being cold).
    // Kills fall between half and one and a half of that time, so some land while the process loads,
    // some during the write and some after it.
    let probeMs = Infinity;
    for (let i = 0; i < 2; i++) {
      const probe = await runCli(bundle, ['register', file, root, '--name', 'killed_batch', '--json', '--python', PYTHON]);
      assert.equal(probe.code, 0, probe.stderr);
      probeMs = Math.min(probeMs, probe.ms);
    }
    let completed = 2;
    let killed = 0;
    let started = 0;
    const failures: string[] = [];
    let stopped: { code: number | null; stderr: string };
    // Two at a time, as in the test above, so a killed process can also die beside another registration.
    const worker = async () => {
      while (started < KILL_COUNT && failures.length === 0) {
        started++;
        const { child, done } = startCli(bundle, ['register', file, root, '--name', 'killed_batch', '--json', '--python', PYTHON]);
        const delay = probeMs * (0.5 + Math.random());
        const timer = setTimeout(() => killGroup(child), delay);
        const run = await done;
        clearTimeout(timer);
        if (run.signal === 'SIGKILL') killed++;
        else if (run.code === 0) completed++;
        else failures.push(`register failed without being killed: ${run.stderr}`);
        if (process.env.FLOWYML_REGISTER_PROGRESS && (killed + completed) % 50 === 0) {
          console.error(`killed ${killed}, completed ${completed}: last ${run.ms} ms; writer ${writer.catalogRows.length} rows`);
        }
      }
    };
    try {
      await Promise.all(Array.from({ length: PARALLEL }, worker));
    } finally {
      stopped = await writer.stop();
    }
    assert.deepEqual(failures, []);
    assert.equal(stopped.code, 0, `the Python writer failed: ${stopped.stderr}`);

    const check = checkStores(root);
    assert.equal(check.catalog_ok, 'ok');
    assert.equal(check.metadata_ok, 'ok');
    const catalogIds = new Set(check.catalog.map((row) => row[1]));
    for (const row of writer.catalogRows) assert.ok(catalogIds.has(row.id), `writer row ${row.id} is missing`);
    const runIds = new Set(check.runs);
    for (const run of writer.runs) assert.ok(runIds.has(run), `writer run ${run} is missing`);

    const rows = check.catalog.filter((row) => row[2] === 'killed_batch');
    assert.ok(rows.length >= completed, `${rows.length} rows for ${completed} completed registrations`);
    assert.ok(rows.length <= completed + killed, `${rows.length} rows for ${completed} completed and ${killed} killed registrations`);
    for (const [, id, , version, metadata, parents, tags, createdAt, contentHash] of rows) {
      const parsed = JSON.parse(metadata) as { properties?: { num_samples?: number }; hash_basis?: string };
      assert.equal(parsed.properties?.num_samples, 1, `row ${id} is not whole`);
      assert.equal(parsed.hash_basis, 'file-bytes');
      assert.deepEqual(JSON.parse(parents), []);
      assert.deepEqual(JSON.parse(tags), {});
      assert.match(createdAt, /^\d{4}-\d\d-\d\dT/);
      assert.match(contentHash, /^[0-9a-f]{64}$/);
      assert.ok(version);
    }
    assertUniqueAndOrdered(rows.map((row) => row[3] ?? ''));
    // Opening the store for the check rolled back any journal a killed process left.
    assert.equal(fs.existsSync(path.join(root, '.flowyml', 'catalog.db-journal')), false, 'a journal is still there after recovery');
    t.diagnostic(`${killed} of ${KILL_COUNT} processes were killed, ${completed - 2} finished first (${PARALLEL} at a time); writer committed ${writer.catalogRows.length} catalog rows and ${writer.runs.length} runs; ${rows.length} rows present (2 from the timing runs)`);
  });
});
