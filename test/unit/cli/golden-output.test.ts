// Compares the command line's and the read API's output over every fixture
// with the digests in test/fixtures/cli-golden.json, which scripts/cli-golden.ts
// wrote from the reader and model that the CLI tests had checked.
// A failure names the workspace and the output that changed; rerun the
// script with --dump on both commits to see the difference.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { GOLDEN_FILE, digest, goldenTexts, goldenWorkspaces } from '../../helpers/cli-golden';

const golden = JSON.parse(fs.readFileSync(GOLDEN_FILE, 'utf8')) as Record<string, Record<string, string>>;

test('golden file covers small fixtures', () => {
  for (const key of ['test/flowyml-1.7-basic', 'test/flowyml-1.7-projects', 'samples/workspace']) {
    assert.ok(golden[key], `${key} is missing from ${GOLDEN_FILE}`);
    assert.equal(Object.keys(golden[key]).length, 15);
  }
});

for (const { key, dir } of goldenWorkspaces()) {
  test(`output over ${key} is unchanged`, { skip: golden[key] ? false : `${key} has no entry in ${GOLDEN_FILE}` }, async () => {
    const texts = await goldenTexts(dir);
    const actual: Record<string, string> = {};
    for (const [name, text] of texts) actual[name] = digest(text);
    assert.deepEqual(actual, golden[key]);
  });
}
