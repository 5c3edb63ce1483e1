// Command-line usage errors exit 2 with the usage text; an id the workspace
// does not hold exits 1 with a message. Neither prints a stack trace.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CATALOG_IDS, STACK_TRACE_LINE, STORE, ensureCliBuilt, hashTree, makeWorkspace, runCli, versionIdOf,
  type HostileWorkspace,
} from '../../helpers/hostile-stores';

describe('flowyml-assets usage errors', () => {
  let workspace: HostileWorkspace;
  let hashesBefore: Map<string, string>;
  let modelId: string;

  before(() => {
    ensureCliBuilt();
    workspace = makeWorkspace('usage');
    hashesBefore = hashTree(workspace.root);
    modelId = versionIdOf(STORE.catalog, CATALOG_IDS.model);
  }, { timeout: 120_000 });

  after(() => workspace?.remove());

  function expectUsageError(args: string[], mention: RegExp): void {
    const result = runCli(args);
    assert.equal(result.signal, null, 'finished within its time limit');
    assert.equal(result.status, 2, `exit status; stderr: ${result.stderr}`);
    assert.match(result.stderr, mention);
    assert.match(result.stderr, /Usage:/);
    assert.doesNotMatch(result.stderr, STACK_TRACE_LINE);
    assert.equal(result.stdout, '', 'nothing on stdout');
  }

  test('unknown command exits 2', () => {
    expectUsageError(['frobnicate', workspace.root], /Unknown command "frobnicate"/);
  });

  test('missing command exits 2', () => {
    expectUsageError([], /Usage:/);
  });

  test('unknown option exits 2', () => {
    expectUsageError(['list', '--bogus', workspace.root], /bogus/);
  });

  test('negative --depth exits 2', () => {
    expectUsageError(['lineage', modelId, workspace.root, '--depth=-1'], /--depth.*-1/);
  });

  test('non-numeric --depth exits 2', () => {
    expectUsageError(['lineage', modelId, workspace.root, '--depth', 'abc'], /--depth.*abc/);
  });

  test('fractional --depth exits 2', () => {
    expectUsageError(['lineage', modelId, workspace.root, '--depth', '1.5'], /--depth.*1\.5/);
  });

  test('bad --direction exits 2', () => {
    expectUsageError(['lineage', modelId, workspace.root, '--direction', 'sideways'], /--direction.*sideways/);
  });

  test('bad --format exits 2', () => {
    expectUsageError(['lineage', modelId, workspace.root, '--format', 'svg'], /--format.*svg/);
  });

  test('show without ID exits 2', () => {
    expectUsageError(['show'], /Missing ID/);
  });

  test('extra argument exits 2', () => {
    expectUsageError(['list', workspace.root, 'surplus'], /Unexpected argument "surplus"/);
  });

  test('help exits 0', () => {
    const result = runCli(['--help']);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /Usage:/);
  });

  test('show unknown id exits 1', () => {
    const unknown = `${STORE.catalog}:artifacts:no-such-id`;
    const result = runCli(['show', unknown, workspace.root]);
    assert.equal(result.signal, null, 'finished within its time limit');
    assert.equal(result.status, 1, result.stderr);
    assert.ok(result.stderr.includes(unknown), `stderr names the id: ${result.stderr}`);
    assert.match(result.stderr, /No asset version/);
    assert.doesNotMatch(result.stderr, STACK_TRACE_LINE);
    assert.equal(result.stdout, '');
  });

  test('lineage unknown id exits 1', () => {
    const result = runCli(['lineage', 'run:no-such-run', workspace.root]);
    assert.equal(result.status, 1, result.stderr);
    assert.ok(result.stderr.includes('run:no-such-run'), result.stderr);
    assert.doesNotMatch(result.stderr, STACK_TRACE_LINE);
  });

  test('known id still shows', () => {
    const result = runCli(['show', modelId, workspace.root]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^Model churn_model v2\.0\.0/);
  });

  test('bad --export-time exits 2', () => {
    expectUsageError(['export', modelId, workspace.root, '--out', `${workspace.root}/export-out`, '--export-time', 'yesterday'], /Invalid export time "yesterday"/);
  });

  test('missing folder is named', () => {
    const result = runCli(['list', `${workspace.root}/no-such-folder`]);
    assert.equal(result.status, 1, result.stderr);
    assert.ok(result.stderr.split('\n').includes(`error: ${workspace.root}/no-such-folder does not exist; pass the folder that contains .flowyml.`), result.stderr);
    assert.doesNotMatch(result.stderr, STACK_TRACE_LINE);
  });

  test('store files stay byte-identical', () => {
    assert.deepEqual(hashTree(workspace.root), hashesBefore);
  });
});
