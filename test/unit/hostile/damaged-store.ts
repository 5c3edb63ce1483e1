/**
 * One shared set of checks for a workspace with one store that cannot be
 * read: the problem names the file and the cause, every other store loads in
 * full, the command line exits 1 with a message and no stack trace, and no
 * file of the workspace is written.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadWorkspace, type LoadProblem } from '../../../src/core/index';
import {
  STACK_TRACE_LINE, countByStore, ensureCliBuilt, hashTree, makeWorkspace, parseJsonOutput, runCli,
  type CliResult, type HostileWorkspace,
} from '../../helpers/hostile-stores';

export const CASE_TIMEOUT_MS = 120_000;

export interface DamagedStoreCase {
  /** Short label for the temporary folder. */
  label: string;
  /** Damages the copied workspace. */
  prepare(workspace: HostileWorkspace): void;
  /** The damaged store, as the problem's `file` names it. */
  file: string;
  /** StoreError codes that describe the damage correctly. */
  codes: readonly string[];
  /** Pattern the message must match, naming the cause. */
  cause: RegExp;
  /** Versions per store that must still load. */
  remaining: Record<string, number>;
  /** Explicit store paths (`--store`), relative to the workspace root. */
  storePaths?: string[];
}

export function describeDamagedStore(title: string, c: DamagedStoreCase): void {
  describe(title, () => {
    let workspace: HostileWorkspace;
    let hashesBefore: Map<string, string>;
    let problems: LoadProblem[];
    let counts: Record<string, number>;
    let cli: CliResult;

    before(async () => {
      ensureCliBuilt();
      workspace = makeWorkspace(c.label);
      c.prepare(workspace);
      hashesBefore = hashTree(workspace.root);

      const index = await loadWorkspace(workspace.root, { storePaths: c.storePaths });
      problems = [...index.problems];
      counts = countByStore(index.versions);
      index.dispose();

      const storeArgs = (c.storePaths ?? []).flatMap((p) => ['--store', p]);
      cli = runCli(['list', '--json', ...storeArgs, workspace.root]);
    }, { timeout: CASE_TIMEOUT_MS });

    after(() => workspace?.remove());

    test('problem names file and cause', () => {
      const errors = problems.filter((p) => p.file === c.file && p.severity === 'error');
      assert.equal(errors.length, 1, `one error for ${c.file}; problems: ${JSON.stringify(problems)}`);
      assert.ok(c.codes.includes(errors[0].code), `code ${errors[0].code} is one of ${c.codes.join(', ')}`);
      assert.ok(errors[0].message.includes(c.file), `message names ${c.file}: ${errors[0].message}`);
      assert.match(errors[0].message, c.cause);
    });

    test('other stores load in full', () => {
      assert.deepEqual(counts, c.remaining);
      const others = problems.filter((p) => p.file !== c.file);
      assert.deepEqual(others, [], 'no problem is reported for the undamaged stores');
    });

    test('CLI exits 1 without trace', () => {
      assert.equal(cli.signal, null, `the command line finished within its time limit; stderr: ${cli.stderr}`);
      assert.equal(cli.status, 1, `exit status; stderr: ${cli.stderr}`);
      assert.doesNotMatch(cli.stderr, STACK_TRACE_LINE);
      assert.doesNotMatch(cli.stderr, /unexpected error/);
      assert.ok(cli.stderr.includes(c.file), `stderr names ${c.file}: ${cli.stderr}`);
      assert.match(cli.stderr, c.cause);
    });

    test('CLI lists every other version', () => {
      const listed = parseJsonOutput<{ store: string }[]>(cli);
      assert.deepEqual(countByStore(listed), c.remaining);
    });

    test('store files stay byte-identical', () => {
      assert.deepEqual(hashTree(workspace.root), hashesBefore);
    });
  });
}
