/**
 * Runs the mocha suites of test/integration/suite inside VS Code's extension
 * host (code-server), through extensionTestsPath. Needs `npm run build` and
 * `node test/integration/build-suite.mjs` first, as `npm run test:integration` does.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CodeServer } from './harness/codeServer';
import { REPO_ROOT } from './harness/tools';
import { Workbench } from './harness/workbench';
import { findFixture, TempWorkspaces } from './harness/workspaces';

const SUITE_ENTRY = path.join(REPO_ROOT, 'out/integration-suite/index.js');
const SUITE_TIMEOUT_MS = 180_000;

describe('extension host suites', { timeout: SUITE_TIMEOUT_MS + 60_000 }, () => {
  let server: CodeServer;
  const workspaces = new TempWorkspaces();

  before(async () => {
    assert.ok(fs.existsSync(SUITE_ENTRY), `${SUITE_ENTRY} is missing: run "node test/integration/build-suite.mjs"`);
    server = await CodeServer.start();
  });

  after(async () => {
    await server?.stop();
    workspaces.removeAll();
  });

  it('mocha suites pass on the basic store', async () => {
    const source = findFixture('flowyml-1.7-basic') ?? path.join(REPO_ROOT, 'media/sample-workspace');
    const folder = workspaces.copy(source, 'basic');
    // A second store that only the flowyml.storePaths setting brings in (settings.test.ts).
    fs.cpSync(path.join(folder, '.flowyml'), path.join(folder, 'extra/.flowyml'), { recursive: true });
    const workbench = await Workbench.launch(server);
    try {
      const result = await workbench.runExtensionTests(
        { folder, extensionDevelopmentPath: REPO_ROOT, extensionTestsPath: SUITE_ENTRY },
        SUITE_TIMEOUT_MS,
      );
      const mochaLines = mochaOutput(result.output);
      for (const line of mochaLines) console.log(`extension host: ${line}`);

      assert.ok(mochaLines.some((line) => /\d+ passing/.test(line)), `mocha printed no summary:\n${result.output.join('\n')}`);
      assert.equal(result.exitCode, 0, `extension host tests failed:\n${mochaLines.join('\n')}`);
    } finally {
      await workbench.close();
    }
  });
});

/**
 * Picks mocha's spec reporter lines out of the workbench console: the
 * reporter's output starts at its first suite title (indented two spaces),
 * and the workbench's own messages start with a bracketed tag.
 */
function mochaOutput(lines: string[]): string[] {
  const start = lines.findIndex((line) => /^ {2}\S/.test(line));
  if (start === -1) return [];

  return lines.slice(start).filter((line) => !line.trimStart().startsWith('[') && !line.includes('127.0.0.1:9'));
}
