/** User-visible strings of the team sources, through vscode.l10n. */
import * as vscode from 'vscode';

export const TeamText = {
  passwordPrompt: (label: string) => vscode.l10n.t('Password for {0}. It is kept in VS Code\'s secret storage, not in settings.', label),
  apiKeyPrompt: (label: string) => vscode.l10n.t('API key for the catalog at {0}. It is kept in VS Code\'s secret storage, not in settings.', label),
  passwordSaved: (label: string) => vscode.l10n.t('Saved the password for {0}.', label),
  passwordCleared: (label: string) => vscode.l10n.t('Cleared the password for {0}.', label),
  apiKeySaved: (label: string) => vscode.l10n.t('Saved the API key for {0}.', label),
  apiKeyCleared: (label: string) => vscode.l10n.t('Cleared the API key for {0}.', label),
  noMetadataUrl: () => vscode.l10n.t('Couldn\'t store a password: no folder sets flowyml.metadataUrl.'),
  noCatalogUrl: () => vscode.l10n.t('Couldn\'t store an API key: no folder sets flowyml.catalogUrl.'),
  pickSource: () => vscode.l10n.t('Choose the team store'),
  passwordInUrl: (label: string) => vscode.l10n.t('The flowyml.metadataUrl setting for {0} contains a password. Remove it from the URL and use "FlowyML: Set Database Password", so it stays out of settings files.', label),
  invalidSetting: (setting: string, reason: string) => vscode.l10n.t('Couldn\'t use {0}: {1}', setting, reason),
  postgresKind: () => vscode.l10n.t('team PostgreSQL'),
  catalogKind: () => vscode.l10n.t('team catalog API'),
  registerTargetPlaceholder: (shown: string) => vscode.l10n.t('Register {0} in', shown),
  localStore: (folder: string) => vscode.l10n.t('local store in {0}', folder),
  catalogTargetDetail: (folder: string) => vscode.l10n.t('POST /artifacts to the team catalog of {0}, with the API key from secret storage', folder),
  catalogUnavailable: (reason: string) => vscode.l10n.t('unavailable: {0}', reason),
  catalogNotRead: (label: string) => vscode.l10n.t('the catalog at {0} has not been read yet; try again in a moment', label),
  progressSend: (label: string) => vscode.l10n.t('Sending the new version to {0}', label),
  progressReload: (label: string) => vscode.l10n.t('Reading {0} again', label),
  registeredRemote: (type: string, name: string, version: string, label: string) => vscode.l10n.t('Registered {0} {1} {2} in the team catalog at {3}.', type, name, version, label),
  setApiKey: () => vscode.l10n.t('Set Catalog API Key'),
};
