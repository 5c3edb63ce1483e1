/**
 * Every string the extension shows a user, localised through vscode.l10n.
 * Errors read "Couldn't <action>: <reason>." and offer at most two buttons:
 * "Show Log" and one fix.
 */
import * as vscode from 'vscode';
import type { Log } from './log';

export const Text = {
  showLog: () => vscode.l10n.t('Show Log'),
  chooseStoreFolder: () => vscode.l10n.t('Choose Store Folder…'),

  chooseStoreFolderTitle: () => vscode.l10n.t('Choose a folder that contains a .flowyml store'),
  chooseStoreFolderButton: () => vscode.l10n.t('Use This Folder'),
  chooseSampleFolderTitle: () => vscode.l10n.t('Choose an empty folder for the FlowyML sample workspace'),
  chooseSampleFolderButton: () => vscode.l10n.t('Copy Sample Here'),

  storeFolderAdded: (folder: string) => vscode.l10n.t('Added {0} to the FlowyML store paths.', folder),
  copiedToClipboard: (value: string) => vscode.l10n.t('Copied {0}', value),

  filterPrompt: () => vscode.l10n.t('Show assets whose name contains this text (empty shows all names)'),
  filterTypePlaceholder: () => vscode.l10n.t('Show only these asset types; choose none to show every type'),
  showDetailsPlaceholder: () => vscode.l10n.t('Choose an asset version'),

  loading: () => vscode.l10n.t('Loading…'),
  noMatches: () => vscode.l10n.t('No asset matches the filter'),
  filterMessage: (filter: string) => vscode.l10n.t('Filtered: {0}', filter),
  showMore: (count: number) => vscode.l10n.t('Show {0} more', count),
  storeUnreadable: (store: string) => vscode.l10n.t('Couldn\'t read {0}', store),

  detailsTitle: (name: string, version: string) => vscode.l10n.t('{0} {1}', name, version),
  detailsLoadingTitle: () => vscode.l10n.t('FlowyML Details'),
  lineageTitle: (name: string, version: string) => vscode.l10n.t('Lineage: {0} {1}', name, version),
  lineageLoadingTitle: () => vscode.l10n.t('FlowyML Lineage'),
  lineageExportTitle: (format: string) => vscode.l10n.t('Export the Lineage Graph as {0}', format),
  lineageExported: (file: string) => vscode.l10n.t('Saved the lineage graph to {0}', file),
  stepCodeNotFound: (step: string) => vscode.l10n.t('No Python file in this workspace defines the step "{0}" with @step.', step),
  stepCodeChoose: (step: string) => vscode.l10n.t('Several functions define the step "{0}": choose one', step),

  statusBarTooltip: () => vscode.l10n.t('FlowyML stores: click to refresh'),

  promptPanelTitle: (name: string, version: string) => vscode.l10n.t('Prompt: {0} {1}', name, version).trim(),
  pickPromptPlaceholder: () => vscode.l10n.t('Choose a Prompt version'),
  runLabel: (run: string) => vscode.l10n.t('run {0}', run),
  renderPromptTitle: (name: string, version: string, position: number, count: number) => vscode.l10n.t('Render {0} {1} ({2}/{3})', name, version, position, count),
  promptValueText: (name: string) => vscode.l10n.t('Value of {0}, as text. For a number, list or dict, open the panel and use JSON mode.', name),
  promptValueJson: (name: string) => vscode.l10n.t('Value of {0}, as JSON', name),
  openPromptPanel: () => vscode.l10n.t('Open Panel'),
  copiedRendered: (name: string) => vscode.l10n.t('Copied the rendered {0}', name),
};

/** Error texts, each shaped "Couldn't <action>: <reason>." */
export const Errors = {
  readStore: (store: string, reason: string) => vscode.l10n.t('Couldn\'t read the FlowyML store {0}: {1}', store, withPeriod(reason)),
  useStoreFolder: (folder: string) => vscode.l10n.t(
    'Couldn\'t use {0} as a store folder: it contains no .flowyml/metadata.db or .flowyml/catalog.db.',
    folder,
  ),
  copySample: (reason: string) => vscode.l10n.t('Couldn\'t copy the sample workspace: {0}', withPeriod(reason)),
  sampleFolderExists: (folder: string) => vscode.l10n.t('{0} already exists. Choose an empty folder', folder),
  runCommand: (command: string, reason: string) => vscode.l10n.t('Couldn\'t run {0}: {1}', command, withPeriod(reason)),
  versionNotFound: (id: string) => vscode.l10n.t('Couldn\'t find the asset version {0}: it is no longer in the store.', id),
  showDetails: (id: string, reason: string) => vscode.l10n.t('Couldn\'t show the details of {0}: {1}', id, withPeriod(reason)),
  exportLineage: (file: string, reason: string) => vscode.l10n.t('Couldn\'t save the lineage graph to {0}: {1}', file, withPeriod(reason)),
  fileNotFound: (file: string) => vscode.l10n.t('Couldn\'t reveal {0}: the file does not exist.', file),
  noWorkspaceFolder: () => vscode.l10n.t('Couldn\'t add a store path: open a folder or workspace first.'),
  renderPrompt: (name: string, reason: string) => vscode.l10n.t('Couldn\'t render the prompt {0}: {1}', name, withPeriod(reason)),
  noPromptVersions: () => vscode.l10n.t('Couldn\'t find a Prompt version: the loaded stores contain none.'),
};

/**
 * Shows an error with a "Show Log" button and an optional fix. The message is
 * logged as well, so the log contains every error a user saw.
 */
export async function showError(
  log: Log,
  message: string,
  error?: unknown,
  fix?: { title: string; run: () => unknown },
): Promise<void> {
  log.error(message, error);
  const buttons = fix ? [fix.title, Text.showLog()] : [Text.showLog()];
  const choice = await vscode.window.showErrorMessage(message, ...buttons);
  if (choice === Text.showLog()) log.show();
  else if (fix && choice === fix.title) await fix.run();
}

/** Texts of the compare commands, their quick picks and the compare panel's host. */
export const CompareText = {
  loadingTitle: () => vscode.l10n.t('FlowyML Compare'),
  panelTitle: (name: string, labelA: string, labelB: string) => vscode.l10n.t('Compare {0}: {1} ↔ {2}', name, labelA, labelB),
  diffTitle: (name: string, field: string, labelA: string, labelB: string) => vscode.l10n.t('{0} {1}: {2} ↔ {3}', name, field, labelA, labelB),
  pickAsset: () => vscode.l10n.t('Choose an asset to compare'),
  pickNewer: () => vscode.l10n.t('Choose the newer version (B)'),
  pickBaseline: () => vscode.l10n.t('Choose the baseline version (A)'),
  pickOther: (label: string) => vscode.l10n.t('Choose a version to compare with {0}', label),
  versionCount: (count: number) => vscode.l10n.t('{0} versions', count),
  oneVersion: (name: string) => vscode.l10n.t('{0} has one version only, so there is nothing to compare it with.', name),
  nothingToCompare: () => vscode.l10n.t('No asset to compare: the workspace has no FlowyML versions of that type.'),
  selectTwo: (count: number) => vscode.l10n.t('Select two versions to compare, not {0}.', count),
  baselinePinned: (label: string) => vscode.l10n.t('Pinned {0} as the comparison baseline', label),
  markdownCopied: () => vscode.l10n.t('Copied the comparison as Markdown'),
  saveMarkdownTitle: () => vscode.l10n.t('Save the Comparison as Markdown'),
  saveJsonTitle: () => vscode.l10n.t('Save the Comparison as JSON'),
  saved: (file: string) => vscode.l10n.t('Saved the comparison to {0}', file),
  differentFolders: (folderA: string, folderB: string) => vscode.l10n.t(
    'Couldn\'t compare the versions: they are in different workspace folders ({0} and {1}). Compare versions of one folder.',
    folderA,
    folderB,
  ),
  compareFailed: (reason: string) => vscode.l10n.t('Couldn\'t compare the versions: {0}', withPeriod(reason)),
  actionFailed: (reason: string) => vscode.l10n.t('Couldn\'t run the compare panel action: {0}', withPeriod(reason)),
  diffMissing: (id: string) => vscode.l10n.t('Couldn\'t open the diff: the asset version {0} is no longer in the store.', id),
};

function withPeriod(reason: string): string {
  const trimmed = reason.trim();

  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** Texts of the Register commands and their quick inputs. */
export const RegisterText = {
  pickFileTitle: () => vscode.l10n.t('Choose a file or folder to register as a FlowyML asset'),
  pickFileButton: () => vscode.l10n.t('Register'),
  typePlaceholder: (file: string) => vscode.l10n.t('Asset type of {0}', file),
  selectionTypePlaceholder: () => vscode.l10n.t('Register the selection as'),
  inferredType: () => vscode.l10n.t('inferred'),
  namePrompt: () => vscode.l10n.t('Asset name of the new version'),
  nameRequired: () => vscode.l10n.t('Enter a name.'),
  versionPlaceholder: (name: string) => vscode.l10n.t('Version of {0}', name),
  bumpDescription: (bump: string, latest: string) => vscode.l10n.t('{0} bump of {1}', bump, latest),
  parentsPlaceholder: () => vscode.l10n.t('Parents of the new version; choose none for no parents'),
  suggestedParent: () => vscode.l10n.t('suggested'),
  tagsPrompt: () => vscode.l10n.t('Tags as KEY=VALUE, separated by commas (optional)'),
  invalidTag: (tag: string) => vscode.l10n.t('Write each tag as KEY=VALUE: "{0}" has no key or no "=".', tag),
  epochPrompt: () => vscode.l10n.t('Epoch of the checkpoint (optional, a whole number)'),
  stepPrompt: () => vscode.l10n.t('Training step of the checkpoint (optional, a whole number)'),
  wholeNumber: () => vscode.l10n.t('Enter a whole number, or leave the field empty.'),
  isBestPlaceholder: () => vscode.l10n.t('Is this the best checkpoint so far?'),
  yes: () => vscode.l10n.t('Yes'),
  no: () => vscode.l10n.t('No'),
  duplicate: (type: string, name: string, label: string) => vscode.l10n.t('The same content is already registered as {0} {1} {2}. Register it again?', type, name, label),
  registerAgain: () => vscode.l10n.t('Register Again'),
  progressTitle: (target: string) => vscode.l10n.t('Registering {0}', target),
  progressRead: (file: string, percent: number) => vscode.l10n.t('Reading {0} ({1}%)', file, percent),
  progressHash: (file: string, percent: number) => vscode.l10n.t('Hashing {0} ({1}%)', file, percent),
  progressWrite: () => vscode.l10n.t('Writing catalog.db'),
  progressBusy: (seconds: number, timeout: number) => vscode.l10n.t('Waiting for another writer to release catalog.db ({0} of {1} s)', seconds, timeout),
  registered: (type: string, name: string, version: string) => vscode.l10n.t('Registered {0} {1} {2}.', type, name, version),
  showDetails: () => vscode.l10n.t('Show Details'),
  openSettings: () => vscode.l10n.t('Open Settings'),
  manageTrust: () => vscode.l10n.t('Manage Workspace Trust'),
};

/** Error texts of the Register commands, each shaped "Couldn't <action>: <reason>." */
export const RegisterErrors = {
  register: (target: string, reason: string) => vscode.l10n.t('Couldn\'t register {0}: {1}', target, withPeriod(reason)),
  untrusted: () => vscode.l10n.t('Couldn\'t register an asset: writing to FlowyML stores is off until you trust this workspace.'),
  noEngine: () => vscode.l10n.t('Couldn\'t register an asset: no SQLite engine that takes SQLite\'s file locks was found. Set flowyml.pythonPath to a Python 3 interpreter with the sqlite3 module, or select one with the Python extension.'),
  noFolder: () => vscode.l10n.t('Couldn\'t register an asset: open a folder or workspace first.'),
  noSelection: () => vscode.l10n.t('Couldn\'t register the selection: select JSON or YAML text in an editor first.'),
  storeUnreadable: (folder: string) => vscode.l10n.t('Couldn\'t register an asset in {0}: its stores could not be read completely, so versions and parents cannot be checked.', folder),
};

/** Texts of the language client. */
export const LanguageText = {
  channelName: () => vscode.l10n.t('FlowyML Language Server'),
  clientName: () => vscode.l10n.t('FlowyML Language Server'),
  restartFailed: (reason: string) => vscode.l10n.t('Couldn\'t restart the FlowyML language server: {0}', withPeriod(reason)),
  startFailed: (reason: string) => vscode.l10n.t('Couldn\'t start the FlowyML language server: {0}', withPeriod(reason)),
};

/** Confirmations before the extension follows a path that a store gives. */
export const SafetyText = {
  outsideWorkspace: (file: string) => vscode.l10n.t('The store points at {0}, which is outside the workspace. Open it anyway?', file),
  openOutside: () => vscode.l10n.t('Open'),
};
