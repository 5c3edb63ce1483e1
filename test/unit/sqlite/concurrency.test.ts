import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { StoreError } from '../../../src/core/errors';
import { type ReadConnection, openSnapshotDatabase } from '../../../src/core/sqlite';
import { WriterProcess, pythonUnavailable } from '../../helpers/python-writer';
import { temporaryDir } from './support';

const ROWS = 100;
const MIN_READS = 200;
const MAX_READS = 5000;
const TIME_LIMIT_MS = 120_000;

interface Observed {
  rows: number;
  minGen: number;
  maxGen: number;
  total: number;
  metaGen: number;
  metaTotal: number;
}

function readObserved(conn: ReadConnection): Observed {
  const rows = conn.get('SELECT count(*) AS rows, min(gen) AS minGen, max(gen) AS maxGen, sum(val) AS total FROM t');
  const meta = conn.get('SELECT gen, total FROM meta');

  return {
    rows: Number(rows?.rows),
    minGen: Number(rows?.minGen),
    maxGen: Number(rows?.maxGen),
    total: Number(rows?.total),
    metaGen: Number(meta?.gen),
    metaTotal: Number(meta?.total),
  };
}

/** Computes the sum of `val` that python-writer.py commits for a generation. */
function expectedTotal(generation: number): number {
  let total = 0;
  for (let id = 1; id <= ROWS; id++) total += (id * 7919 + generation * 104729) % 1000003;

  return total;
}

/** Returns the committed generation the observation equals, or undefined for a torn state. */
function committedGeneration(observed: Observed): number | undefined {
  const { rows, minGen, maxGen, total, metaGen, metaTotal } = observed;
  const consistent = rows === ROWS && minGen === maxGen && maxGen === metaGen
    && total === metaTotal && total === expectedTotal(metaGen);

  return consistent ? metaGen : undefined;
}

async function runRace(journalMode: 'delete' | 'wal', writerOptions: string[]): Promise<void> {
  const dir = temporaryDir(`race-${journalMode}`);
  const file = path.join(dir, 'store.db');
  const writer = new WriterProcess(['loop', file, '--rows', String(ROWS), '--journal-mode', journalMode, ...writerOptions]);
  try {
    await writer.waitForLine(/^ready 0$/);
    const reader = await openSnapshotDatabase(file, { wholeFileMaxBytes: 0, busyTimeoutMs: 20_000 });
    const control = await openSnapshotDatabase(file, { wholeFileMaxBytes: 0, unsafeSkipConsistencyChecks: true });
    writer.send('go');

    const started = Date.now();
    const generations = new Set<number>();
    let reads = 0;
    let controlReads = 0;
    let tornStates = 0;
    let tornErrors = 0;
    const done = (): boolean => reads >= MIN_READS && reader.stats.reopens >= MIN_READS
      && tornStates + tornErrors > 0 && reader.stats.retries > 0;

    while (!done() && reads < MAX_READS && Date.now() - started < TIME_LIMIT_MS) {
      const observed = await reader.read('check the invariant', readObserved);
      const generation = committedGeneration(observed);
      assert.notEqual(generation, undefined, `read ${reads} saw a torn state: ${JSON.stringify(observed)}`);
      generations.add(generation as number);
      reads += 1;

      try {
        controlReads += 1;
        if (committedGeneration(await control.read('check the invariant', readObserved)) === undefined) tornStates += 1;
      } catch (error) {
        if (!(error instanceof StoreError)) throw error;
        tornErrors += 1;
      }

      // Reads that need no retry never yield to the event loop, which must also drain the writer's output.
      await new Promise((resolve) => setImmediate(resolve));
    }

    const summary = {
      journalMode,
      reads,
      reopens: reader.stats.reopens,
      retries: reader.stats.retries,
      distinctGenerations: generations.size,
      writerGenerations: writer.lastCommitted,
      controlReads,
      tornStates,
      tornErrors,
      seconds: (Date.now() - started) / 1000,
    };
    console.log(JSON.stringify(summary));
    reader.close();
    control.close();

    assert.ok(reads >= MIN_READS, `only ${reads} reads in ${summary.seconds} s`);
    assert.ok(reader.stats.reopens >= MIN_READS, `only ${reader.stats.reopens} reopens`);
    assert.ok(reader.stats.retries > 0, 'the checked reader never had to retry, so the writer never raced it');
    assert.ok(tornStates + tornErrors > 0, 'the unchecked control reader never saw a torn state, so the test could not fail');
    assert.ok(generations.size > 10, `the reader saw only ${generations.size} generations`);

    // The writer prints each generation after its commit, so by the time it exits it has printed every one the reader saw.
    await writer.stop();
    const newest = Math.max(...generations);
    assert.ok(newest <= writer.lastCommitted, `the reader saw generation ${newest}, but the writer committed up to ${writer.lastCommitted}`);
  } finally {
    await writer.stop();
  }
}

const python = pythonUnavailable();

describe('reads racing a Python writer', { skip: python ?? false }, () => {
  test('rollback journal writer', { timeout: 180_000 }, async () => {
    await runRace('delete', []);
  });

  test('WAL writer with checkpoints', { timeout: 180_000 }, async () => {
    await runRace('wal', ['--autocheckpoint', '50']);
  });
});
