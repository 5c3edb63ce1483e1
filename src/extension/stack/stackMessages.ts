/**
 * The user-visible strings of the Stack view, artifact actions, preview and
 * integrity check, localised through vscode.l10n. Errors read
 * "Couldn't <action>: <reason>."
 */
import * as vscode from 'vscode';

export const StackText = {
  noFolder: () => vscode.l10n.t('Open a folder to see its FlowyML stacks.'),
  noStackFile: () => vscode.l10n.t('No flowyml.yaml'),
  noStackFileDescription: () => vscode.l10n.t('FlowyML runs without a stack here'),
  noStackFileTooltip: (folder: string) => vscode.l10n.t('No flowyml.yaml, flowyml.yml, .flowyml.yaml or .flowyml.yml in {0} or its four parent folders, and $FLOWYML_CONFIG is not set.', folder),
  fileProblems: (count: number, errors: number) => vscode.l10n.t('{0} problems, {1} errors', count, errors),
  fileNotes: (count: number) => vscode.l10n.t('{0} notes', count),
  openFile: () => vscode.l10n.t('Open File'),
  activeBecause: (source: string) => vscode.l10n.t('active ({0})', source),
  shownForDisplay: () => vscode.l10n.t('shown'),
  components: () => vscode.l10n.t('Components'),
  materialization: () => vscode.l10n.t('Materialized files'),
  routing: () => vscode.l10n.t('Routing by asset type'),
  stepOutputs: () => vscode.l10n.t('Step outputs'),
  stepOutputsTooltip: () => vscode.l10n.t('The executor saves each executed step\'s whole return value here. A single flowyml Asset is skipped unless its upload flag is set.'),
  declaredOutputs: () => vscode.l10n.t('Declared outputs'),
  declaredOutputsTooltip: () => vscode.l10n.t('The orchestrator saves each declared output that has a materializer (pandas, NumPy, scikit-learn) here, cached steps included.'),
  remoteStore: () => vscode.l10n.t('a remote artifact store: files are not on this machine'),
  applied: (applied: 'yes' | 'partly' | 'no') => ({ yes: vscode.l10n.t('applied'), partly: vscode.l10n.t('partly applied'), no: vscode.l10n.t('not applied') })[applied],
  ruleLabel: () => vscode.l10n.t('Rule'),
  storageLabel: () => vscode.l10n.t('Primary storage'),
  registryLabel: () => vscode.l10n.t('Registry'),
  pathLabel: () => vscode.l10n.t('Path template'),
  deployLabel: () => vscode.l10n.t('Deploy condition'),
  appliedLabel: () => vscode.l10n.t('Applied by FlowyML'),

  pickStack: () => vscode.l10n.t('Choose the stack to display (FlowyML\'s own choice is unchanged)'),
  activeStackDetail: (source: string) => vscode.l10n.t('FlowyML\'s active stack, from {0}', source),
  routingTableTitle: (stack: string) => vscode.l10n.t('Routing table of stack {0}', stack),

  storedAt: () => vscode.l10n.t('Stored at'),
  locationLabel: (kind: string, exists: boolean) => exists ? vscode.l10n.t('{0} (exists)', kind) : vscode.l10n.t('{0} (not found)', kind),
  remoteLocation: (kind: string) => vscode.l10n.t('{0} (remote, not fetched)', kind),
  outsideWorkspace: () => vscode.l10n.t('outside the workspace'),
  routedTo: (stack: string) => vscode.l10n.t('Routing in stack {0}', stack),
  noLocation: () => vscode.l10n.t('No stored path, and no materialized folder under the artifact stores'),
  kindNames: {
    uri: () => vscode.l10n.t('Catalog uri'),
    path: () => vscode.l10n.t('Stored path'),
    file_path: () => vscode.l10n.t('file_path property'),
    output: () => vscode.l10n.t('Output folder'),
    'step-output': () => vscode.l10n.t('Step output folder (whole return value)'),
  },

  pickLocation: () => vscode.l10n.t('Choose which file of this version to use'),
  openOutside: (file: string) => vscode.l10n.t('{0} is outside the workspace folder. Open it anyway?', file),
  open: () => vscode.l10n.t('Open'),
  copiedUri: (uri: string) => vscode.l10n.t('Copied {0}', uri),
  previewTitle: (name: string) => vscode.l10n.t('Preview: {0}', name),
  previewLoadingTitle: () => vscode.l10n.t('FlowyML Preview'),
  previewNoteOutside: () => vscode.l10n.t('This file is outside the workspace folder.'),
  previewStrings: () => ({
    cancel: vscode.l10n.t('Cancel'),
    loading: vscode.l10n.t('Reading'),
    truncated: vscode.l10n.t('preview cut at the size limit'),
    moreRows: vscode.l10n.t('first rows only'),
    rowsOf: vscode.l10n.t('rows shown'),
    bytes: vscode.l10n.t('bytes'),
    warnings: vscode.l10n.t('Warnings'),
  }),

  checkingFiles: () => vscode.l10n.t('Checking FlowyML artifact files'),
  checkSummary: (missing: number, modified: number, gone: number) => vscode.l10n.t('Artifact files: {0} missing, {1} modified, {2} versions with all files gone.', missing, modified, gone),
  saveReport: () => vscode.l10n.t('Save as Markdown…'),
  reportSaved: (file: string) => vscode.l10n.t('Saved the artifact file report to {0}', file),
};

export const StackErrors = {
  noFile: (name: string) => vscode.l10n.t('Couldn\'t open the artifact of {0}: no file of it exists on this machine.', name),
  noUri: (name: string) => vscode.l10n.t('Couldn\'t copy a URI of {0}: the store records no path and no materialized folder was found.', name),
  noStackFile: () => vscode.l10n.t('Couldn\'t switch the stack: no flowyml.yaml was found for the open folders.'),
  preview: (file: string, reason: string) => vscode.l10n.t('Couldn\'t preview {0}: {1}', file, reason),
  checkFiles: (reason: string) => vscode.l10n.t('Couldn\'t check the artifact files: {0}', reason),
  saveReport: (file: string, reason: string) => vscode.l10n.t('Couldn\'t save the report to {0}: {1}', file, reason),
  noStores: () => vscode.l10n.t('Couldn\'t check the artifact files: no FlowyML store is loaded.'),
};
