// The memory guard on real stores. A store above the cap on versions is not
// loaded, and a `too-large` error names the file, the count and the cap.
// The workspace's other stores still load. Allowing the store ("load
// anyway") or turning the guard off loads it in full.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { loadWorkspace } from '../../../src/core/index';
import { ensureCliBuilt, runCli } from '../../helpers/hostile-stores';
import { SMALL_FIXTURES } from '../../helpers/paths';

const ROOT = path.join(SMALL_FIXTURES, 'flowyml-1.7-projects');

async function versionsByStore(options: Parameters<typeof loadWorkspace>[1]): Promise<{ counts: Map<string, number>; problems: { file: string; code: string; message: string }[] }> {
  const workspace = await loadWorkspace(ROOT, options);
  try {
    const counts = new Map<string, number>();
    for (const v of workspace.versions) counts.set(v.store, (counts.get(v.store) ?? 0) + 1);
    return { counts, problems: workspace.problems.filter((p) => p.severity === 'error').map((p) => ({ file: p.file, code: p.code, message: p.message })) };
  } finally {
    workspace.dispose();
  }
}

describe('memory guard on the versions of a store', () => {
  test('store above cap: reported, others load', async () => {
    const unguarded = await versionsByStore({ sizeGuard: { maxVersions: 0 } });
    assert.deepEqual(unguarded.problems, []);
    const sizes = [...unguarded.counts.values()].sort((a, b) => a - b);
    assert.ok(sizes.length >= 2, `store sizes ${sizes.join(', ')}`);
    assert.ok(sizes[0] < sizes[sizes.length - 1], `store sizes ${sizes.join(', ')}`);
    const cap = sizes[0];
    const [largest, largestCount] = [...unguarded.counts.entries()].sort((a, b) => b[1] - a[1])[0];

    const guarded = await versionsByStore({ sizeGuard: { maxVersions: cap, hint: 'Run again with --max-versions 0 to load it anyway.' } });
    const refused = [...unguarded.counts.entries()].filter(([, count]) => count > cap).map(([store]) => store).sort();
    assert.deepEqual(guarded.problems.map((p) => p.file).sort(), refused);
    assert.ok(guarded.problems.every((p) => p.code === 'too-large'));
    const problem = guarded.problems.find((p) => p.file === largest);
    assert.ok(problem);
    assert.equal(
      problem.message,
      `${largest} contains ${largestCount} versions, above the limit of ${cap} versions per store, so it was not loaded: `
        + 'keeping them all in memory could exhaust it. Run again with --max-versions 0 to load it anyway.',
    );
    for (const [store, count] of unguarded.counts) {
      assert.equal(guarded.counts.get(store), count > cap ? undefined : count, store);
    }
  });

  test('allowed store loads in full', async () => {
    const unguarded = await versionsByStore({ sizeGuard: { maxVersions: 0 } });
    const [largest, largestCount] = [...unguarded.counts.entries()].sort((a, b) => b[1] - a[1])[0];
    const allowed = await versionsByStore({ sizeGuard: { maxVersions: 1, allow: [path.join(ROOT, largest)] } });
    assert.equal(allowed.counts.get(largest), largestCount);
    assert.ok(!allowed.problems.some((p) => p.file === largest));
    assert.ok(allowed.problems.length > 0 && allowed.problems.every((p) => p.code === 'too-large'), 'the stores not allowed stay refused');
  });

  test('default cap loads the fixtures', async () => {
    const loaded = await versionsByStore({});
    const unguarded = await versionsByStore({ sizeGuard: { maxVersions: 0 } });
    assert.deepEqual(loaded, unguarded);
  });

  test('CLI --max-versions rejects a large store', async () => {
    ensureCliBuilt();
    const unguarded = await versionsByStore({ sizeGuard: { maxVersions: 0 } });
    const cap = Math.min(...unguarded.counts.values());
    const total = [...unguarded.counts.values()].reduce((a, b) => a + b, 0);
    const expectedCount = [...unguarded.counts.values()].filter((count) => count <= cap).reduce((a, b) => a + b, 0);

    const refused = runCli(['list', ROOT, '--json', '--max-versions', String(cap)]);
    assert.equal(refused.status, 1, refused.stderr);
    assert.match(refused.stderr, /versions per store, so it was not loaded: .* Run again with --max-versions 0 \(or a higher limit\) to load it anyway\./);
    assert.equal((JSON.parse(refused.stdout) as unknown[]).length, expectedCount);

    const loaded = runCli(['list', ROOT, '--json', '--max-versions', '0']);
    assert.equal(loaded.status, 0, loaded.stderr);
    assert.equal((JSON.parse(loaded.stdout) as unknown[]).length, total);

    const bad = runCli(['list', ROOT, '--max-versions', 'many']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--max-versions must be a number of at least 0, not "many"/);
  });
});
