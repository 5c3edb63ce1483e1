// Bundles the extension-host mocha suites (test/integration/suite/*.ts) into
// out/integration-suite/, one CommonJS file each. mocha stays external: the
// extension host loads it from node_modules, and it loads the test files
// by path, which a single bundle would hide.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

const suiteDir = 'test/integration/suite';
const outDir = 'out/integration-suite';
fs.rmSync(outDir, { recursive: true, force: true });

await build({
  entryPoints: fs.readdirSync(suiteDir).filter((file) => file.endsWith('.ts')).map((file) => path.join(suiteDir, file)),
  outdir: outDir,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  external: ['vscode', 'mocha'],
  logLevel: 'warning',
});
fs.copyFileSync('node_modules/sql.js/dist/sql-wasm.wasm', path.join(outDir, 'sql-wasm.wasm'));
