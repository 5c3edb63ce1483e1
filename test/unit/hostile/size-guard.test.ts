// The memory guard on real stores: a store above the cap on versions is
// reported with a `too-large` error naming the file, the count and the cap,
// and is not loaded; the workspace's other stores still load. Allowing the
// store ("load anyway") or turning the guard off loads it in full.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { loadWorkspace } from '../../../src/core/index';
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
  test('a store above the cap is reported and the others load', async () => {
    const unguarded = await versionsByStore({ sizeGuard: { maxVersions: 0 } });
    assert.deepEqual(unguarded.problems, []);
    const sizes = [...unguarded.counts.values()].sort((a, b) => a - b);
    assert.ok(sizes.length >= 2 && sizes[0] < sizes[sizes.length - 1], `store sizes ${sizes.join(', ')}`);
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
      `${largest} holds ${largestCount} versions, above the limit of ${cap} versions per store, so it was not loaded: `
        + 'keeping them all in memory could exhaust it. Run again with --max-versions 0 to load it anyway.',
    );
    for (const [store, count] of unguarded.counts) {
      assert.equal(guarded.counts.get(store), count > cap ? undefined : count, store);
    }
  });

  test('"load anyway" loads the allowed store in full', async () => {
    const unguarded = await versionsByStore({ sizeGuard: { maxVersions: 0 } });
    const [largest, largestCount] = [...unguarded.counts.entries()].sort((a, b) => b[1] - a[1])[0];
    const allowed = await versionsByStore({ sizeGuard: { maxVersions: 1, allow: [path.join(ROOT, largest)] } });
    assert.equal(allowed.counts.get(largest), largestCount);
    assert.ok(!allowed.problems.some((p) => p.file === largest));
    assert.ok(allowed.problems.length > 0 && allowed.problems.every((p) => p.code === 'too-large'), 'the stores not allowed stay refused');
  });

  test('the default cap lets the fixtures load', async () => {
    const loaded = await versionsByStore({});
    const unguarded = await versionsByStore({ sizeGuard: { maxVersions: 0 } });
    assert.deepEqual(loaded, unguarded);
  });
});
