// Lint keeps each runtime in its own folder: the shared core must run in the
// extension host, the language server and the command line alike, so it may
// not import the VS Code API or touch the DOM.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'test-results/**', 'bench/work/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/core/**/*.ts', 'src/cli/**/*.ts', 'src/server/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'src/core, src/cli and src/server run outside VS Code: pass data in instead.' }],
        patterns: [{ group: ['**/extension/**', '**/webview/**'], message: 'Host and browser code may not be imported here.' }],
      }],
      'no-restricted-globals': ['error',
        { name: 'window', message: 'No DOM outside webview/.' },
        { name: 'document', message: 'No DOM outside webview/.' },
        { name: 'navigator', message: 'No DOM outside webview/.' },
      ],
    },
  },
  {
    files: ['webview/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'Webviews talk to the host through postMessage only.' }],
        patterns: [{ group: ['node:*', 'fs', 'path', 'child_process', '**/extension/**', '**/core/sqlite/**'], message: 'Browser code may not import host code.' }],
      }],
    },
  },
);
