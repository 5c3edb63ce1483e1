/**
 * The typed ids in src/extension/ids.ts against the manifest (package.json),
 * so a renamed command, view, setting or context key cannot leave a menu,
 * keybinding or `when` clause pointing nowhere.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Commands, ContextKeys, EXTENSION_ID, GROUP_BY_VALUES, Settings, Views, WebviewTypes } from '../../src/extension/ids';

interface Manifest {
  name: string;
  publisher: string;
  activationEvents: string[];
  contributes: {
    commands: { command: string; title: string; category?: string; icon?: string }[];
    viewsContainers: { activitybar: { id: string; icon: string }[] };
    views: Record<string, { id: string }[]>;
    viewsWelcome: { view: string; when: string }[];
    menus: Record<string, { command: string; when?: string }[]>;
    configuration: { properties: Record<string, { enum?: string[]; scope?: string; enumDescriptions?: string[] }> };
  };
}

const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')) as Manifest;
const commandIds = Object.values(Commands) as string[];

function whenClauses(): string[] {
  const menus = Object.values(manifest.contributes.menus).flat().map((entry) => entry.when ?? '');

  return [...menus, ...manifest.contributes.viewsWelcome.map((entry) => entry.when)];
}

describe('extension ids and package.json', () => {
  it('extension id is publisher.name', () => {
    assert.equal(EXTENSION_ID, `${manifest.publisher}.${manifest.name}`);
  });

  it('commands match the manifest', () => {
    const declared = manifest.contributes.commands.map((command) => command.command).sort();

    assert.deepEqual(declared, [...commandIds].sort());
  });

  it('every command has category and icon', () => {
    for (const command of manifest.contributes.commands) {
      assert.equal(command.category, 'FlowyML', `${command.command} category`);
      assert.match(command.icon ?? '', /^\$\([a-z-]+\)$/, `${command.command} icon`);
    }
  });

  it('command ids follow the naming pattern', () => {
    for (const id of commandIds) assert.match(id, /^flowyml\.([a-z]+\.)?[a-z][A-Za-z]+$/, id);
  });

  it('menus name only declared commands', () => {
    for (const [menu, entries] of Object.entries(manifest.contributes.menus)) {
      for (const entry of entries) assert.ok(commandIds.includes(entry.command), `${menu}: ${entry.command}`);
    }
  });

  it('views and container match', () => {
    const containers = manifest.contributes.viewsContainers.activitybar.map((container) => container.id);
    assert.deepEqual(containers, [Views.container]);
    assert.deepEqual(manifest.contributes.views[Views.container].map((view) => view.id), [Views.assets, Views.stack]);
    assert.deepEqual(manifest.contributes.views[Views.panelContainer].map((view) => view.id), [Views.provenance]);
    assert.ok(fs.existsSync(path.resolve(__dirname, '../..', manifest.contributes.viewsContainers.activitybar[0].icon)));
  });

  it('activation events name the view, panel and stores', () => {
    assert.deepEqual(manifest.activationEvents, [
      'workspaceContains:.flowyml/metadata.db',
      'workspaceContains:.flowyml/catalog.db',
      `onView:${Views.assets}`,
      `onWebviewPanel:${WebviewTypes.details}`,
      `onWebviewPanel:${WebviewTypes.lineage}`,
      `onWebviewPanel:${WebviewTypes.compare}`,
      `onWebviewPanel:${WebviewTypes.prompt}`,
      'onLanguage:python',
    ]);
  });

  it('settings match the manifest', () => {
    const declared = Object.keys(manifest.contributes.configuration.properties).sort();
    const typed = Object.entries(Settings).filter(([name]) => name !== 'section').map(([, key]) => `${Settings.section}.${key}`).sort();

    assert.deepEqual(declared, typed);
    for (const [key, property] of Object.entries(manifest.contributes.configuration.properties)) {
      assert.ok(property.scope, `${key} has no scope`);
    }
  });

  it('groupBy enum matches its type', () => {
    const property = manifest.contributes.configuration.properties[`${Settings.section}.${Settings.groupBy}`];

    assert.deepEqual(property.enum, [...GROUP_BY_VALUES]);
    assert.equal(property.enumDescriptions?.length, GROUP_BY_VALUES.length);
  });

  it('when clauses use only known context keys', () => {
    const known = new Set<string>([...Object.values(ContextKeys), ...Object.values(Views), ...Object.values(WebviewTypes)]);
    for (const clause of whenClauses()) {
      for (const key of clause.match(/flowyml\.[A-Za-z.]+/g) ?? []) assert.ok(known.has(key), `unknown key ${key} in "${clause}"`);
      assert.ok(!clause.includes('=~'), `regex in "${clause}"`);
    }
  });

  it('every context key is used by the manifest', () => {
    const clauses = whenClauses().join('\n');

    for (const key of Object.values(ContextKeys)) assert.ok(clauses.includes(key), `${key} is never used`);
  });

  it('register menus: engine or team catalog', () => {
    // A team catalog takes registrations over HTTP, so the menus must not wait for a local SQLite engine.
    const either = `(${ContextKeys.registerEngine} != missing || ${ContextKeys.teamCatalog})`;
    const explorer = manifest.contributes.menus['explorer/context'].find((entry) => entry.command === Commands.explorerRegisterAsset);
    const editor = manifest.contributes.menus['editor/context'].find((entry) => entry.command === Commands.registerSelection);
    assert.ok(explorer?.when?.includes(either), explorer?.when);
    assert.ok(editor?.when?.includes(either), editor?.when);
  });

  it('webview types use the flowyml prefix', () => {
    for (const type of Object.values(WebviewTypes)) assert.match(type, /^flowyml\.[a-z]+$/);
  });
});
