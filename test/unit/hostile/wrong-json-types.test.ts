// Catalog columns that hold valid JSON of the wrong kind: parent_ids that is
// an object or lists numbers, tags that is a string. They used to show as no
// parents and no tags without a message.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadWorkspace, type WorkspaceIndex } from '../../../src/core/index';
import { run } from '../../../src/cli/main';
import { CATALOG_IDS, STORE, executeSql, makeWorkspace, versionIdOf, type HostileWorkspace } from '../../helpers/hostile-stores';

describe('catalog JSON of the wrong kind', () => {
  let workspace: HostileWorkspace;
  let index: WorkspaceIndex;

  before(async () => {
    workspace = makeWorkspace('wrong-json-types');
    executeSql(workspace.file(STORE.catalog), [
      { sql: 'UPDATE artifacts SET parent_ids = ? WHERE artifact_id = ?', params: ['{"a": "x"}', CATALOG_IDS.model] },
      { sql: 'UPDATE artifacts SET tags = ? WHERE artifact_id = ?', params: ['"str"', CATALOG_IDS.raw] },
      { sql: 'UPDATE artifacts SET parent_ids = ? WHERE artifact_id = ?', params: [`["${CATALOG_IDS.clean}", 3]`, CATALOG_IDS.features] },
      { sql: 'UPDATE artifacts SET tags = ? WHERE artifact_id = ?', params: ['null', CATALOG_IDS.clean] },
    ]);
    index = await loadWorkspace(workspace.root);
  }, { timeout: 120_000 });

  after(() => {
    index?.dispose();
    workspace?.remove();
  });

  function problemAbout(id: string) {
    return index.problems.filter((problem) => problem.message.includes(id));
  }

  test('object parent_ids: error', () => {
    const found = problemAbout(CATALOG_IDS.model);
    assert.equal(found.length, 1, JSON.stringify(index.problems));
    assert.equal(found[0].severity, 'error');
    assert.equal(found[0].file, STORE.catalog);
    assert.match(found[0].message, /has parent_ids that are not a JSON list \(an object\); its parents are not shown\.$/);
  });

  test('text tags: error', () => {
    const found = problemAbout(CATALOG_IDS.raw);
    assert.equal(found.length, 1, JSON.stringify(index.problems));
    assert.equal(found[0].severity, 'error');
    assert.match(found[0].message, /has tags that are not a JSON object \(text\); its tags are not shown\.$/);
  });

  test('number in parent_ids: warning', () => {
    const found = problemAbout(CATALOG_IDS.features);
    assert.equal(found.length, 1, JSON.stringify(index.problems));
    assert.equal(found[0].severity, 'warning');
    assert.match(found[0].message, /has parent_ids that are not text; those parents are not shown\.$/);
  });

  test('null tags: no problem', () => {
    assert.deepEqual(problemAbout(CATALOG_IDS.clean), []);
  });
});

describe('malformed catalog metadata in show', () => {
  let workspace: HostileWorkspace;

  before(() => {
    workspace = makeWorkspace('malformed-catalog-metadata');
    executeSql(workspace.file(STORE.catalog), [{ sql: 'UPDATE artifacts SET metadata = ? WHERE artifact_id = ?', params: ['{"properties": {', CATALOG_IDS.model] }]);
  });

  after(() => workspace?.remove());

  test('show: stderr error, exit 1', async () => {
    // Listing reads no catalog metadata, so only the details find the fault; it used to go to stdout with exit 0.
    const out: string[] = [];
    const err: string[] = [];
    const code = await run(['show', versionIdOf(STORE.catalog, CATALOG_IDS.model), workspace.root], { out: (t) => out.push(t), err: (t) => err.push(t) });
    assert.equal(code, 1);
    assert.equal(err.length, 1, err.join('\n'));
    assert.match(err[0], new RegExp(`^error: \\.flowyml/catalog\\.db: metadata of catalog row "${CATALOG_IDS.model}" .*malformed`));
    assert.match(out.join('\n'), /^Model churn_model v2\.0\.0/);
  });
});

describe('catalog created_at that is not a time', () => {
  let workspace: HostileWorkspace;

  before(() => {
    workspace = makeWorkspace('invalid-created-at');
    executeSql(workspace.file(STORE.catalog), [{ sql: 'UPDATE artifacts SET created_at = ? WHERE artifact_id = ?', params: ['yesterday', CATALOG_IDS.raw] }]);
  });

  after(() => workspace?.remove());

  test('warning names row and text', async () => {
    const index = await loadWorkspace(workspace.root);
    try {
      assert.deepEqual(index.problems.map((problem) => `${problem.severity} ${problem.code} ${problem.message}`), [
        `warning invalid-time ${STORE.catalog}: catalog row "${CATALOG_IDS.raw}" has created_at "yesterday", which is not a time; its creation time is not shown.`,
      ]);
      assert.equal(index.getVersion(versionIdOf(STORE.catalog, CATALOG_IDS.raw))?.createdAt?.iso, undefined);
    } finally {
      index.dispose();
    }
  });
});
