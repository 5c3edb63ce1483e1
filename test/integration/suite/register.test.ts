/**
 * The Register commands and the language client inside a real extension
 * host, on the basic FlowyML 1.7 store that host-suites.test.ts copies.
 * These tests never write to the store, because the other suites count its
 * versions.
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { register } from '../../../src/core';
import { Commands, EXTENSION_ID, Settings } from '../../../src/extension/ids';
import { encodeCommandLinks } from '../../../src/extension/language/hoverLinks';
import { Log } from '../../../src/extension/log';
import { WriteEngineService } from '../../../src/extension/register/writeEngine';
import type { FlowymlApi } from '../../../src/extension/root';
import { LspCommands } from '../../../src/protocol/lsp';

async function activeApi(): Promise<FlowymlApi> {
  const extension = vscode.extensions.getExtension<FlowymlApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed`);
  const api = await extension.activate();
  await api.whenLoaded();

  return api;
}

/** Creates a log on a fresh LogOutputChannel, which disposing the log closes. */
function testLog(): Log {
  return new Log(vscode.window.createOutputChannel('FlowyML register tests', { log: true }));
}

describe('Register commands in the extension host', () => {
  it('register and restart commands exist', async () => {
    await activeApi();
    const registered = new Set(await vscode.commands.getCommands(true));

    for (const id of [Commands.registerAsset, Commands.explorerRegisterAsset, Commands.registerSelection, Commands.restartLanguageServer]) {
      assert.ok(registered.has(id), `${id} is not registered`);
    }
  });

  it('missing engine disables registering', async () => {
    const log = testLog();
    const engines = new WriteEngineService(log, () => {
      throw new register.RegisterError('disabled', 'no SQLite engine in this test');
    });
    try {
      const lookup = await engines.lookup();

      assert.equal(lookup.available, false);
      assert.equal(lookup.available ? '' : lookup.reason, 'no SQLite engine in this test');
    } finally {
      engines.dispose();
      log.dispose();
    }
  });

  it('engine lookup reruns after recheck', async () => {
    const log = testLog();
    let calls = 0;
    const engine: register.WriteEngine = { kind: 'python', description: 'test engine', open: () => Promise.reject(new Error('not opened in this test')) };
    const engines = new WriteEngineService(log, () => {
      calls += 1;
      return engine;
    });
    try {
      const first = await engines.lookup();
      await engines.lookup();
      assert.equal(calls, 1);
      assert.equal(first.available && first.engine, engine);

      await engines.recheck('test');
      assert.equal(calls, 2);
    } finally {
      engines.dispose();
      log.dispose();
    }
  });

  it('pythonPath setting reaches the engine finder', async () => {
    const log = testLog();
    const seen: (string | undefined)[][] = [];
    const engines = new WriteEngineService(log, (candidates) => {
      seen.push(candidates);
      throw new register.RegisterError('disabled', 'no SQLite engine in this test');
    });
    const config = vscode.workspace.getConfiguration(Settings.section);
    try {
      await engines.lookup();
      const rechecked = new Promise<void>((resolve) => {
        const subscription = vscode.workspace.onDidChangeConfiguration(() => {
          subscription.dispose();
          resolve();
        });
      });
      await config.update(Settings.pythonPath, '/opt/test/python3', vscode.ConfigurationTarget.Workspace);
      await rechecked;
      await engines.lookup();

      assert.ok(!seen[0].includes('/opt/test/python3'), JSON.stringify(seen));
      assert.ok(seen.at(-1)?.includes('/opt/test/python3'), JSON.stringify(seen));
    } finally {
      await config.update(Settings.pythonPath, undefined, vscode.ConfigurationTarget.Workspace);
      engines.dispose();
      log.dispose();
    }
  });

  it('default engine is node:sqlite here', async () => {
    const log = testLog();
    const engines = new WriteEngineService(log);
    try {
      const lookup = await engines.lookup();

      // code-server runs its extension host on Node 24, which has node:sqlite.
      assert.ok(lookup.available, lookup.available ? '' : lookup.reason);
      assert.equal(lookup.engine.kind, 'node:sqlite');
    } finally {
      engines.dispose();
      log.dispose();
    }
  });

  it('selection command without editor writes nothing', async () => {
    const api = await activeApi();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const before = api.versionCount();

    // The command waits on its error notification, which closes when the notifications are cleared.
    let settled = false;
    const running = Promise.resolve(vscode.commands.executeCommand(Commands.registerSelection)).finally(() => {
      settled = true;
    });
    while (!settled) {
      await vscode.commands.executeCommand('notifications.clearAll');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await running;

    assert.equal(api.versionCount(), before);
  });
});

describe('FlowyML language client in the extension host', () => {
  it('hover shows the latest version after restart', async () => {
    await activeApi();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'no workspace folder is open');
    const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'pipeline.py'));
    await vscode.window.showTextDocument(document);

    await vscode.commands.executeCommand(Commands.restartLanguageServer);
    const offset = document.getText().indexOf('name="iris_raw"') + 'name="'.length + 2;
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, document.positionAt(offset));
    const text = hovers.flatMap((hover) => hover.contents).map((part) => (typeof part === 'string' ? part : part.value)).join('\n');

    assert.match(text, /iris_raw/);
    assert.match(text, /Latest version: \*\*#3\*\*/);
  });

  it('hover links keep percent signs', () => {
    const id = '.flowyml/metadata.db:artifacts:run_step_model%2Fchurn';
    const query = encodeURIComponent(JSON.stringify([id]));
    const adapted = encodeCommandLinks(`[Details](command:${LspCommands.showDetails}?${query}) and more`, [LspCommands.showDetails]);
    const uri = vscode.Uri.parse(adapted.slice(adapted.indexOf('(') + 1, adapted.indexOf(') and more')));

    // VS Code's command opener decodes the already decoded query once more before JSON.parse.
    assert.deepEqual(JSON.parse(decodeURIComponent(uri.query)), [id]);
  });

  it('hover links with parentheses stay whole', () => {
    const argument = { template: 'Summarize (briefly): {ticket}' };
    const query = encodeURIComponent(JSON.stringify([argument]));
    const markdown = `[Preview](command:${LspCommands.previewPrompt}?${query}) · [other](https://example.invalid/a)`;
    const adapted = encodeCommandLinks(markdown, [LspCommands.previewPrompt]);

    assert.ok(adapted.endsWith(') · [other](https://example.invalid/a)'), adapted);
    const encoded = adapted.slice(adapted.indexOf('?') + 1, adapted.indexOf(') · '));
    assert.deepEqual(JSON.parse(decodeURIComponent(decodeURIComponent(encoded))), [argument]);
  });
});
