// A Dataset row whose metadata carries about 30 MB of records under
// properties._full_data, as FlowyML 1.7 stores a Dataset over a list of
// records. Listing must not read the row. `show` previews it without the data
// copies and marks the preview as such, and `show --full` loads everything.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { loadWorkspace, type WorkspaceIndex } from '../../../src/core/index';
import {
  BASELINE_COUNTS, BASIC_RUNS, STACK_TRACE_LINE, STORE, countByStore, countBytesRead, ensureCliBuilt, generate,
  hashTree, makeWorkspace, parseJsonOutput, runCli, versionIdOf, type CliResult, type HostileWorkspace,
} from '../../helpers/hostile-stores';

const BIG_ARTIFACT = `${BASIC_RUNS[0]}_load_data_data/raw`;
const BIG_ID = versionIdOf(STORE.metadata, BIG_ARTIFACT);
const MEGABYTES = 30;
/** Listing may read pages of the other rows and the b-tree, but nowhere near the 30 MB row. */
const LIST_READ_LIMIT = 4 * 1024 * 1024;

interface ShowOutput {
  name: string;
  rawTruncated: boolean;
  properties: { typed: Record<string, unknown>; extra: Record<string, unknown> };
}

describe('30 MB Dataset row', () => {
  let workspace: HostileWorkspace;
  let hashesBefore: Map<string, string>;
  let index: WorkspaceIndex;
  let records: number;
  let rowBytes: number;
  let listBytesRead: number;
  let list: CliResult;
  let show: CliResult;
  let showJson: CliResult;
  let showFull: CliResult;

  before(async () => {
    ensureCliBuilt();
    workspace = makeWorkspace('big-row');
    const reply = generate({ command: 'big-dataset', db: workspace.file(STORE.metadata), artifact_id: BIG_ARTIFACT, megabytes: MEGABYTES });
    records = reply.records as number;
    rowBytes = reply.bytes as number;
    hashesBefore = hashTree(workspace.root);

    const measured = await countBytesRead(async () => {
      const loaded = await loadWorkspace(workspace.root);
      loaded.assets();
      return loaded;
    });
    index = measured.result;
    listBytesRead = measured.bytes;

    list = runCli(['list', '--json', workspace.root]);
    show = runCli(['show', BIG_ID, workspace.root]);
    showJson = runCli(['show', '--json', BIG_ID, workspace.root]);
    showFull = runCli(['show', '--json', '--full', BIG_ID, workspace.root]);
  }, { timeout: 300_000 });

  after(() => {
    index?.dispose();
    workspace?.remove();
  });

  test('generated row is 30 MB', () => {
    assert.ok(rowBytes >= MEGABYTES * 1024 * 1024, `row of ${rowBytes} bytes`);
    assert.ok(fs.statSync(workspace.file(STORE.metadata)).size > rowBytes, 'the store holds the row');
  });

  test('loading skips the big row', (t) => {
    t.diagnostic(`bytes read by loadWorkspace and assets(): ${listBytesRead} (store ${fs.statSync(workspace.file(STORE.metadata)).size})`);
    assert.ok(listBytesRead < LIST_READ_LIMIT, `read ${listBytesRead} bytes, limit ${LIST_READ_LIMIT}`);
  });

  test('big row listed with size', () => {
    const version = index.getVersion(BIG_ID);
    assert.ok(version, 'the row is a version');
    assert.equal(version.name, 'iris_raw');
    assert.equal(version.step, 'load_data');
    assert.equal(version.metadataBytes, rowBytes);
    assert.deepEqual(countByStore(index.versions), BASELINE_COUNTS);
    assert.deepEqual(index.problems, []);
  });

  test('details preview leaves data out', async () => {
    const details = await index.details(BIG_ID);
    assert.equal(details.rawTruncated, true);
    assert.equal(details.properties.typed.num_samples, records);
    assert.equal(details.properties.typed.num_features, 5);
    assert.equal((details.raw as { properties?: Record<string, unknown> }).properties?._full_data, undefined);
  });

  test('full details load every record', async () => {
    const details = await index.details(BIG_ID, { full: true });
    assert.equal(details.rawTruncated, false);
    const full = (details.raw as { properties: { _full_data: unknown[] } }).properties._full_data;
    assert.equal(full.length, records);
    assert.deepEqual(Object.keys(full[records - 1] as object), ['customer_id', 'plan', 'tenure_years', 'monthly_spend', 'churned']);
  });

  test('CLI list exits 0 promptly', (t) => {
    t.diagnostic(`list --json took ${list.elapsedMs.toFixed(0)} ms`);
    assert.equal(list.signal, null, 'list finished within its time limit');
    assert.equal(list.status, 0, list.stderr);
    assert.deepEqual(countByStore(parseJsonOutput<{ store: string }[]>(list)), BASELINE_COUNTS);
  });

  test('CLI show says data left out', (t) => {
    t.diagnostic(`show took ${show.elapsedMs.toFixed(0)} ms`);
    assert.equal(show.status, 0, show.stderr);
    assert.doesNotMatch(show.stderr, STACK_TRACE_LINE);
    assert.match(show.stdout, /data copies left out/);
    assert.match(show.stdout, /--full/);
    assert.match(show.stdout, new RegExp(`^ {2}num_samples: ${records}$`, 'm'));
    assert.ok(show.stdout.length < 64 * 1024, `preview of ${show.stdout.length} characters`);
  });

  test('CLI show --json marks truncation', () => {
    assert.equal(showJson.status, 0, showJson.stderr);
    const printed = parseJsonOutput<ShowOutput>(showJson);
    assert.equal(printed.rawTruncated, true);
    assert.equal(printed.properties.typed.num_samples, records);
  });

  test('CLI show --full loads it', (t) => {
    t.diagnostic(`show --full took ${showFull.elapsedMs.toFixed(0)} ms`);
    assert.equal(showFull.signal, null, 'show --full finished within its time limit');
    assert.equal(showFull.status, 0, showFull.stderr);
    assert.equal(parseJsonOutput<ShowOutput>(showFull).rawTruncated, false);
  });

  test('store files stay byte-identical', () => {
    assert.deepEqual(hashTree(workspace.root), hashesBefore);
  });
});
