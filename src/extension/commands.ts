/**
 * The extension's commands. Each handler takes what a menu passes (a tree
 * node) or nothing when run from the palette, and reports failures through
 * the messages module.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { ASSET_TYPES, describeError, type AssetTypeName } from '../core';
import { discoverStores } from '../core/store/discover';
import { addStorePath } from './config';
import type { CompareCommands } from './compare/compareCommands';
import type { DetailsPanel } from './details/detailsPanel';
import type { FlowymlLanguageClient } from './language/languageClient';
import type { LineagePanel } from './lineage/lineagePanel';
import { labelText, visibleText } from './format';
import { Commands, ContextKeys, type CommandId } from './ids';
import type { Log } from './log';
import { Errors, showError, Text } from './messages';
import { confirmOpenFile } from './safety/confirmOpen';
import type { PromptCommands } from './prompt/promptCommands';
import type { ProvenanceCommands } from './provenance/provenanceCommands';
import type { RegisterCommands } from './register/registerCommands';
import { copySampleWorkspace } from './sample';
import type { StackCommands } from './stack/stackCommands';
import type { TeamCommandId } from './sources/teamCommands';
import type { StoreService } from './stores/storeService';
import { versionFilePath, type AssetsTree } from './tree/assetsTree';
import type { AssetsNode } from './tree/nodes';

export interface CommandServices {
  extensionUri: vscode.Uri;
  stores: StoreService;
  tree: AssetsTree;
  details: DetailsPanel;
  prompts: PromptCommands;
  lineage: LineagePanel;
  compare: CompareCommands;
  language: FlowymlLanguageClient;
  registering: RegisterCommands;
  stack: StackCommands;
  provenance: ProvenanceCommands;
  log: Log;
  /** Handlers that set and clear the team stores' password and API key. */
  teamCommands: Record<TeamCommandId, () => Promise<void>>;
}

type VersionNode = Extract<AssetsNode, { kind: 'version' }>;

export function registerCommands(services: CommandServices): vscode.Disposable[] {
  const { stores, tree, details, log } = services;
  const handlers: Record<CommandId, (...args: unknown[]) => unknown> = {
    ...services.teamCommands,
    [Commands.refresh]: () => Promise.all([stores.refresh('Refresh command'), services.language.reloadIndex()]),
    [Commands.chooseStoreFolder]: () => chooseStoreFolder(log),
    [Commands.openSampleWorkspace]: () => openSampleWorkspace(services.extensionUri, log),
    [Commands.showLog]: () => log.show(),
    [Commands.showDetails]: async (arg) => {
      const id = versionIdOf(arg) ?? (await pickVersion(stores));
      if (id) await details.show(id);
    },
    [Commands.copyId]: async (arg) => {
      const id = versionIdOf(arg);
      if (!id) return;
      await vscode.env.clipboard.writeText(id);
      vscode.window.setStatusBarMessage(Text.copiedToClipboard(labelText(id, 60)), 3000);
    },
    [Commands.revealFile]: (arg) => revealFile(arg, log),
    [Commands.filterAssets]: () => filterAssets(tree, stores),
    [Commands.clearAssetFilter]: async () => {
      await tree.setFilter({ text: '', types: [] });
      await vscode.commands.executeCommand('setContext', ContextKeys.staleOnly, false);
    },
    [Commands.showMoreVersions]: (arg) => {
      if (isNode(arg)) tree.showMore(arg);
    },
    [Commands.previewPrompt]: (arg) => services.prompts.preview(arg),
    [Commands.renderPrompt]: (arg) => services.prompts.render(arg),
    [Commands.showLineage]: async (arg) => {
      const id = versionIdOf(arg) ?? (await pickVersion(stores));
      if (id) await services.lineage.show(id);
    },
    [Commands.showDetailsLineage]: async () => {
      if (details.shownId) await services.lineage.show(details.shownId);
    },
    [Commands.showDetailsPrompt]: async () => {
      if (details.shownId) await services.prompts.preview(details.shownId);
    },
    [Commands.compareVersions]: (...args) => services.compare.compareVersions(...args),
    [Commands.compareWith]: (arg) => services.compare.compareWith(arg),
    [Commands.pinBaseline]: (arg) => services.compare.pinBaseline(arg),
    [Commands.unpinBaseline]: () => services.compare.unpinBaseline(),
    [Commands.compareTemplate]: (...args) => services.compare.compareTemplate(...args),
    [Commands.showDetailsCompare]: async () => {
      if (details.shownId) await services.compare.compareWith(details.shownId);
    },
    [Commands.registerAsset]: (arg) => services.registering.registerFile(arg),
    [Commands.explorerRegisterAsset]: (arg) => services.registering.registerFile(arg),
    [Commands.registerSelection]: () => services.registering.registerSelection(),
    [Commands.restartLanguageServer]: () => services.language.restartCommand(),
    [Commands.openArtifact]: (arg) => services.stack.openArtifact(arg),
    [Commands.revealArtifact]: (arg) => services.stack.revealArtifact(arg),
    [Commands.copyArtifactUri]: (arg) => services.stack.copyArtifactUri(arg),
    [Commands.checkArtifactFiles]: () => services.stack.checkArtifactFiles(),
    [Commands.switchStack]: () => services.stack.switchStack(),
    [Commands.showRoutingTable]: () => services.stack.showRoutingTable(),
    [Commands.showImpact]: (arg) => services.provenance.showImpact(arg),
    [Commands.whyDiffer]: (...args) => services.provenance.whyDiffer(...args),
    [Commands.exportProvenance]: (arg, target) => services.provenance.exportProvenance(arg, target),
    [Commands.toggleStaleOnly]: () => services.provenance.toggleStaleOnly(),
    [Commands.showDetailsImpact]: async () => {
      if (details.shownId) await services.provenance.showImpact(details.shownId);
    },
    [Commands.showLineageImpact]: async () => {
      if (services.lineage.shownId) await services.provenance.showImpact(services.lineage.shownId);
    },
  };

  return Object.entries(handlers).map(([id, handler]) => vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    const started = Date.now();
    try {
      await handler(...args);
      log.debug(`${id} finished in ${Date.now() - started} ms`);
    } catch (error) {
      await showError(log, Errors.runCommand(id, describeError(error)), error);
    }
  }));
}

function isNode(value: unknown): value is AssetsNode {
  return typeof value === 'object' && value !== null && 'kind' in value && 'id' in value;
}

/** The version id a command was given: a version row, or an id string from another command. */
function versionIdOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (isNode(arg) && arg.kind === 'version') return arg.version.id;
  if (isNode(arg) && arg.kind === 'asset') return arg.asset.latest.id;

  return undefined;
}

async function pickVersion(stores: StoreService): Promise<string | undefined> {
  await stores.whenLoaded();
  const items = stores.roots.flatMap((root) => (root.index?.versions ?? []).map((version) => ({
    label: labelText(version.name, 80),
    description: `${visibleText(version.type)} · ${labelText(version.label, 30)}`,
    detail: stores.roots.length > 1 ? root.name : undefined,
    id: version.id,
  })));
  const picked = await vscode.window.showQuickPick(items, { placeHolder: Text.showDetailsPlaceholder(), matchOnDescription: true });

  return picked?.id;
}

async function revealFile(arg: unknown, log: Log): Promise<void> {
  if (!isNode(arg) || arg.kind !== 'version') return;

  const file = versionFilePath(arg as VersionNode);
  if (!file || !fs.existsSync(file)) {
    await showError(log, Errors.fileNotFound(file ?? arg.version.path ?? arg.version.id));
    return;
  }
  const uri = vscode.Uri.file(file);
  if (vscode.workspace.getWorkspaceFolder(uri)) await vscode.commands.executeCommand('revealInExplorer', uri);
  else if (await confirmOpenFile(file)) await vscode.commands.executeCommand('vscode.open', uri);
}

async function filterAssets(tree: AssetsTree, stores: StoreService): Promise<void> {
  const current = tree.currentFilter;
  const text = await vscode.window.showInputBox({ prompt: Text.filterPrompt(), value: current.text });
  if (text === undefined) return;

  const present = new Set<AssetTypeName>(stores.roots.flatMap((root) => (root.index?.versions ?? []).map((version) => version.type)));
  const ordered = [...ASSET_TYPES.filter((type) => present.has(type)), ...[...present].filter((type) => type.startsWith('Other:')).sort()];
  const picked = await vscode.window.showQuickPick(
    ordered.map((type) => ({ label: type, picked: current.types.includes(type) })),
    { canPickMany: true, placeHolder: Text.filterTypePlaceholder() },
  );
  if (picked === undefined) return;

  // Choosing every type or none means no type filter.
  const types = picked.length === ordered.length ? [] : picked.map((item) => item.label as AssetTypeName);
  await tree.setFilter({ text: text.trim(), types });
}

async function chooseStoreFolder(log: Log): Promise<void> {
  const [chosen] = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
    title: Text.chooseStoreFolderTitle(),
    openLabel: Text.chooseStoreFolderButton(),
  }) ?? [];
  if (!chosen) return;

  if (discoverStores(chosen.fsPath).length === 0) {
    await showError(log, Errors.useStoreFolder(chosen.fsPath));
    return;
  }
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 0) {
    await vscode.commands.executeCommand('vscode.openFolder', storeWorkspaceFolder(chosen));
    return;
  }
  const folder = folders.length === 1 ? folders[0] : await vscode.window.showWorkspaceFolderPick();
  if (!folder) return;

  await addStorePath(folder, chosen);
  vscode.window.setStatusBarMessage(Text.storeFolderAdded(chosen.fsPath), 5000);
}

/** Returns the folder to open for a picked store folder: the parent of a `.flowyml` folder, where FlowyML ran. */
function storeWorkspaceFolder(chosen: vscode.Uri): vscode.Uri {
  return path.basename(chosen.fsPath) === '.flowyml' ? vscode.Uri.file(path.dirname(chosen.fsPath)) : chosen;
}

async function openSampleWorkspace(extensionUri: vscode.Uri, log: Log): Promise<void> {
  const [chosen] = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
    title: Text.chooseSampleFolderTitle(),
    openLabel: Text.chooseSampleFolderButton(),
  }) ?? [];
  if (!chosen) return;

  try {
    const target = await copySampleWorkspace(extensionUri, chosen);
    log.info(`Copied the sample workspace to ${target.fsPath}`);
    await vscode.commands.executeCommand('vscode.openFolder', target);
  } catch (error) {
    await showError(log, Errors.copySample(describeError(error)), error);
  }
}
