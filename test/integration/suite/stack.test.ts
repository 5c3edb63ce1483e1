/**
 * flowyml.yaml problems in the Problems panel, inside a real extension host.
 * The workspace (the basic store, from host-suites.test.ts) has no stack
 * file. The test writes a broken one and waits for its diagnostics, then
 * deletes it and waits for them to clear.
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID } from '../../../src/extension/ids';
import type { FlowymlApi } from '../../../src/extension/root';

function diagnosticsFor(uri: vscode.Uri, condition: (diagnostics: readonly vscode.Diagnostic[]) => boolean): Promise<readonly vscode.Diagnostic[]> {
  return new Promise((resolve) => {
    const check = () => {
      const diagnostics = vscode.languages.getDiagnostics(uri);
      if (!condition(diagnostics)) return false;
      subscription.dispose();
      resolve(diagnostics);
      return true;
    };
    const subscription = vscode.languages.onDidChangeDiagnostics(() => check());
    check();
  });
}

describe('flowyml.yaml in the extension host', () => {
  it('malformed file lists problems at their lines', async () => {
    const extension = vscode.extensions.getExtension<FlowymlApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not installed`);
    await (await extension.activate()).whenLoaded();

    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the test workspace has no folder');
    const file = vscode.Uri.joinPath(folder.uri, 'flowyml.yaml');
    const text = [
      'stacks:',
      '  local:',
      '    artifact_routing:',
      '      Modle: { store: local }',
      '      Dataset: { store: local, path: "{project}/{run_id}" }',
      '  broken: { orchestrator: { type: local }',
      '',
    ].join('\n');

    const shown = diagnosticsFor(file, (diagnostics) => diagnostics.some((diagnostic) => diagnostic.code === 'yaml-syntax'));
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(text));
    try {
      const diagnostics = await shown;
      const lineOf = (code: string) => diagnostics.filter((diagnostic) => diagnostic.code === code).map((diagnostic) => diagnostic.range.start.line + 1);

      assert.deepEqual(lineOf('unknown-type'), [4]);
      assert.deepEqual(lineOf('unknown-placeholder'), [5]);
      assert.ok(lineOf('yaml-syntax').every((line) => line >= 6), JSON.stringify(lineOf('yaml-syntax')));
      assert.ok(diagnostics.every((diagnostic) => diagnostic.source === 'FlowyML'));
      assert.equal(diagnostics.find((diagnostic) => diagnostic.code === 'yaml-syntax')?.severity, vscode.DiagnosticSeverity.Error);
    } finally {
      const cleared = diagnosticsFor(file, (diagnostics) => diagnostics.length === 0);
      await vscode.workspace.fs.delete(file);
      await cleared;
    }
  });
});
