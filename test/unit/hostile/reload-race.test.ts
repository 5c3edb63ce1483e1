// Reloads through loadWorkspace while a real Python sqlite3 writer commits
// runs, each run with its artifacts in one transaction, in journal mode
// delete and in WAL mode (test/reliability/reload-race.ts). No reload may
// show a partial run, a lost run or an error. `npm run bench:reliability`
// runs 1,000 reloads per mode.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { pythonUnavailable } from '../../helpers/python-writer';
import { runReloadRace } from '../../reliability/reload-race';

const TRIALS = 100;

describe('reload beside a writer', { skip: pythonUnavailable() ?? false }, () => {
  for (const mode of ['delete', 'wal'] as const) {
    test(`${TRIALS} reloads in ${mode} mode`, { timeout: 300_000 }, async (t) => {
      const summary = await runReloadRace(mode, TRIALS);
      t.diagnostic(JSON.stringify(summary));
      assert.equal(summary.trials, TRIALS);
      assert.deepEqual(summary.tornExamples, [], 'no reload shows a partial state');
      assert.equal(summary.torn, 0);
      assert.ok(summary.writerRounds >= 10, `the writer committed only ${summary.writerRounds} runs, too few to race`);
    });
  }
});
