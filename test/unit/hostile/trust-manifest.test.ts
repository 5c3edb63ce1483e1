// The manifest's promises for untrusted workspaces: support is limited,
// the description says that registering is off, and every menu entry of a
// command that writes is hidden until the workspace is trusted. The
// register commands also check trust when run (registerCommands.ts).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../../helpers/paths';

interface MenuEntry {
  command: string;
  when?: string;
}

const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  capabilities: { untrustedWorkspaces: { supported: unknown; description?: string } };
  contributes: { menus: Record<string, MenuEntry[]>; commands: { command: string }[] };
};

/** Commands that write to a store. */
const WRITE_COMMANDS = ['flowyml.registerAsset', 'flowyml.registerSelection', 'flowyml.explorer.registerAsset'];

test('untrusted support is limited', () => {
  const untrusted = manifest.capabilities.untrustedWorkspaces;
  assert.equal(untrusted.supported, 'limited');
  assert.match(untrusted.description ?? '', /never written/);
  assert.match(untrusted.description ?? '', /register/i);
});

test('write commands need trust', () => {
  const declared = new Set(manifest.contributes.commands.map((c) => c.command));
  for (const command of WRITE_COMMANDS) assert.ok(declared.has(command), `${command} is declared`);

  const entries = Object.entries(manifest.contributes.menus).flatMap(([menu, list]) => list.map((entry) => ({ menu, ...entry })));
  const writeEntries = entries.filter((entry) => WRITE_COMMANDS.includes(entry.command));
  assert.ok(writeEntries.length >= 3, 'the write commands appear in menus');
  for (const entry of writeEntries) {
    const hidden = entry.when === 'false';
    assert.ok(hidden || /(^|&& )isWorkspaceTrusted( &&|$)/.test(entry.when ?? ''), `${entry.menu} ${entry.command} when: ${entry.when}`);
  }
});
