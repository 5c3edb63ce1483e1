/**
 * The README's main job: builds the extension (run through `npm run demo`,
 * which builds first) and opens a copy of the sample workspace in VS Code
 * with the extension loaded. Uses `code` when it is on PATH; otherwise starts
 * the same code-server the tests use, on 127.0.0.1, prints its URL and keeps
 * serving until interrupted.
 *
 * With FLOWYML_DEMO_CHECK=1 it opens the URL in headless Chromium instead,
 * waits for the Assets view to list the sample's assets, saves
 * test-results/demo.png and exits: a check that the command works.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CodeServer } from '../test/integration/harness/codeServer';
import { REPO_ROOT } from '../test/integration/harness/tools';
import { SCREENSHOT_DIR, Workbench } from '../test/integration/harness/workbench';

function copySampleWorkspace(): string {
  const target = fs.mkdtempSync(path.join(os.tmpdir(), 'flowyml-sample-'));
  fs.cpSync(path.join(REPO_ROOT, 'samples', 'workspace'), target, { recursive: true });
  return target;
}

function codeOnPath(): boolean {
  return spawnSync('sh', ['-c', 'command -v code'], { stdio: 'ignore' }).status === 0;
}

async function main(): Promise<void> {
  const workspace = copySampleWorkspace();
  console.log(`Sample workspace copied to ${workspace}`);

  if (codeOnPath() && process.env.FLOWYML_DEMO_CHECK !== '1') {
    spawnSync('code', ['--extensionDevelopmentPath', REPO_ROOT, workspace], { stdio: 'inherit' });
    return;
  }

  const server = await CodeServer.start();
  const url = server.workbenchUrl({ folder: workspace, extensionDevelopmentPath: REPO_ROOT });

  if (process.env.FLOWYML_DEMO_CHECK === '1') {
    const workbench = await Workbench.launch(server);
    try {
      await workbench.open({ folder: workspace, extensionDevelopmentPath: REPO_ROOT });
      await workbench.showContainer('FlowyML');
      await workbench.waitForTreeRow('Assets', /Model/);
      fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
      await workbench.page.screenshot({ path: path.join(SCREENSHOT_DIR, 'demo.png') });
      console.log(`The Assets view lists the sample's assets; screenshot in ${path.join(SCREENSHOT_DIR, 'demo.png')}`);
    } finally {
      await workbench.close();
      await server.stop();
    }
    return;
  }

  console.log(`VS Code with FlowyML Assets is serving the sample workspace at:\n\n  ${url}\n\nOpen it in a browser. Press Ctrl+C to stop.`);
  const stop = () => {
    void server.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`The demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
