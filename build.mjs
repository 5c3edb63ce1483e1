// Bundles every runtime with esbuild: the command line, the extension host,
// the language server and one IIFE per webview. sql.js's WebAssembly file is
// copied next to the Node bundles, which load it from their own folder.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

const production = process.argv.includes('--production');
const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning', legalComments: 'none' };

const nodeBundles = [
  { entry: 'src/cli/main.ts', out: 'dist/cli.js', banner: '#!/usr/bin/env node' },
  { entry: 'src/extension/extension.ts', out: 'dist/extension.js' },
  { entry: 'src/server/main.ts', out: 'dist/server.js', banner: '#!/usr/bin/env node' },
];

const builds = [];
for (const b of nodeBundles) {
  if (!fs.existsSync(b.entry)) continue;
  builds.push(build({
    ...common,
    entryPoints: [b.entry],
    outfile: b.out,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // pg loads its optional native binding (pg-native) only when asked for; it is not installed.
    external: ['vscode', 'pg-native'],
    // VS Code's extension host logs a PendingMigrationError whenever code reads
    // the global navigator, which pg does to detect Cloudflare Workers. These
    // bundles run only in Node, where no code should depend on it.
    define: { navigator: 'undefined' },
    banner: b.banner ? { js: b.banner } : undefined,
  }));
}

const webviewRoot = 'webview';
if (fs.existsSync(webviewRoot)) {
  for (const view of fs.readdirSync(webviewRoot)) {
    const entry = path.join(webviewRoot, view, 'main.ts');
    if (!fs.existsSync(entry)) continue;
    builds.push(build({
      ...common,
      entryPoints: [entry],
      outfile: `dist/webview/${view}.js`,
      platform: 'browser',
      format: 'iife',
      target: 'es2022',
    }));
  }
}

await Promise.all(builds);

fs.mkdirSync('dist', { recursive: true });
fs.copyFileSync('node_modules/sql.js/dist/sql-wasm.wasm', 'dist/sql-wasm.wasm');

// The language server parses Python with tree-sitter; it loads the runtime
// and the grammar from its own folder, so both wasm files sit beside it.
fs.copyFileSync('node_modules/web-tree-sitter/tree-sitter.wasm', 'dist/tree-sitter.wasm');
fs.copyFileSync('node_modules/tree-sitter-python/tree-sitter-python.wasm', 'dist/tree-sitter-python.wasm');

if (fs.existsSync('dist/cli.js')) fs.chmodSync('dist/cli.js', 0o755);
if (fs.existsSync('dist/server.js')) fs.chmodSync('dist/server.js', 0o755);
