// Keys that name members of Object.prototype, stored as data. `record[key] = value`
// with `__proto__` replaced the prototype instead of adding the key, and
// `key in record` was true for `constructor` or `toString` on an empty record,
// so details, tags and compare dropped these keys without a message.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { compareVersions } from '../../../src/core/compare/compare';
import { loadWorkspace, type WorkspaceIndex } from '../../../src/core/index';
import { mapProperties } from '../../../src/core/model/properties';
import { parseTolerantJson } from '../../../src/core/json/tolerant';
import { CATALOG_IDS, STORE, executeSql, makeWorkspace, versionIdOf, type HostileWorkspace } from '../../helpers/hostile-stores';

const PROPERTIES = '{"constructor": "sklearn", "toString": "x", "hasOwnProperty": "y", "valueOf": 3, "__proto__": {"a": 1}, "ok": 1}';
const KEYS = ['constructor', 'toString', 'hasOwnProperty', 'valueOf', '__proto__', 'ok'];

describe('keys named like Object.prototype members', () => {
  let workspace: HostileWorkspace;
  let index: WorkspaceIndex;

  before(async () => {
    workspace = makeWorkspace('prototype-keys');
    executeSql(workspace.file(STORE.catalog), [{
      sql: 'UPDATE artifacts SET tags = ?, metadata = ? WHERE artifact_id = ?',
      params: ['{"__proto__": "t", "constructor": "c", "ok": "k"}', `{"asset_id": "a1", "properties": ${PROPERTIES}}`, CATALOG_IDS.model],
    }]);
    index = await loadWorkspace(workspace.root);
  }, { timeout: 120_000 });

  after(() => {
    index?.dispose();
    workspace?.remove();
  });

  test('tags keep every key', () => {
    const model = index.getVersion(versionIdOf(STORE.catalog, CATALOG_IDS.model));
    assert.ok(model);
    assert.deepEqual(Object.keys(model.tags), ['__proto__', 'constructor', 'ok']);
    assert.equal(model.tags.__proto__, 't');
    assert.equal(model.tags.constructor, 'c');
  });

  test('details keep every property', async () => {
    const details = await index.details(versionIdOf(STORE.catalog, CATALOG_IDS.model));
    const all = { ...details.properties.typed, ...details.properties.extra };
    // asset_id is stored beside the properties and shown with them.
    assert.deepEqual(Object.keys(all).sort(), [...KEYS, 'asset_id'].sort());
    assert.equal(all.constructor, 'sklearn');
    assert.equal(all.valueOf, 3);
    assert.deepEqual(Object.getOwnPropertyDescriptor(all, '__proto__')?.value, { a: 1 });
    assert.equal(Object.getPrototypeOf(details.properties.extra), Object.prototype, 'the prototype is unchanged');
  });

  test('compare sees every property', async () => {
    const comparison = await compareVersions(index, versionIdOf(STORE.catalog, CATALOG_IDS.features), versionIdOf(STORE.catalog, CATALOG_IDS.model));
    const paths = comparison.fields.map((field) => field.path);
    for (const key of ['constructor', 'toString', 'hasOwnProperty', 'valueOf', 'ok']) {
      assert.ok(paths.some((p) => p.endsWith(`.${key}`)), `${key} in ${paths.join(', ')}`);
    }
    assert.ok(paths.some((p) => p.includes('__proto__')), paths.join(', '));
  });

  test('top-level keys beside properties', () => {
    const stored = parseTolerantJson('{"constructor": "c"}') as Record<string, unknown>;
    const mapped = mapProperties('Model', {}, stored);
    assert.deepEqual(Object.keys(mapped.extra), ['constructor']);
    assert.equal(mapped.extra.constructor, 'c');
  });
});
