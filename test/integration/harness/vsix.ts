/** Packages the extension into a VSIX with @vscode/vsce, as `npm run package` does. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './tools';

/**
 * Builds the VSIX at `outFile`. vsce runs the `vscode:prepublish` script
 * first, which rebuilds dist/ for production.
 */
export function packageVsix(outFile: string): void {
  const vsce = path.join(REPO_ROOT, 'node_modules/@vscode/vsce/vsce');
  const result = spawnSync(process.execPath, [
    vsce, 'package',
    '--no-dependencies',
    '--skip-license',
    '--no-rewrite-relative-links',
    '--allow-missing-repository',
    '--out', outFile,
  ], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 180_000 });
  if (result.status !== 0) {
    throw new Error(`vsce package failed with exit code ${result.status}:\n${result.stdout}\n${result.stderr}`);
  }
}
