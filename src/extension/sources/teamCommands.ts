/** Handlers of the commands that set and clear the team stores' password and API key in SecretStorage. */
import * as vscode from 'vscode';
import { Commands } from '../ids';
import type { Log } from '../log';
import { TeamText } from './teamMessages';
import type { TeamSecrets } from './teamSecrets';
import type { TeamSourceService } from './teamSources';

export type TeamCommandId = typeof Commands.setDatabasePassword | typeof Commands.clearDatabasePassword | typeof Commands.setCatalogApiKey | typeof Commands.clearCatalogApiKey;

export function teamCommandHandlers(service: TeamSourceService, secrets: TeamSecrets, log: Log): Record<TeamCommandId, () => Promise<void>> {
  const pick = async (kind: 'postgresql' | 'catalog-api'): Promise<string | undefined> => {
    const labels = [...new Set(service.configured(kind).map((s) => s.label))];
    if (labels.length === 0) {
      void vscode.window.showWarningMessage(kind === 'postgresql' ? TeamText.noMetadataUrl() : TeamText.noCatalogUrl());
      return undefined;
    }
    return labels.length === 1 ? labels[0] : vscode.window.showQuickPick(labels, { placeHolder: TeamText.pickSource() });
  };

  return {
    [Commands.setDatabasePassword]: async () => {
      const label = await pick('postgresql');
      if (label === undefined) return;
      const value = await vscode.window.showInputBox({ prompt: TeamText.passwordPrompt(label), password: true, ignoreFocusOut: true });
      if (value === undefined) return;
      await secrets.setPassword(label, value);
      log.info(`Stored a database password for ${label}`);
      void vscode.window.showInformationMessage(TeamText.passwordSaved(label));
    },
    [Commands.clearDatabasePassword]: async () => {
      const label = await pick('postgresql');
      if (label === undefined) return;
      await secrets.clearPassword(label);
      log.info(`Cleared the database password for ${label}`);
      void vscode.window.showInformationMessage(TeamText.passwordCleared(label));
    },
    [Commands.setCatalogApiKey]: async () => {
      const label = await pick('catalog-api');
      if (label === undefined) return;
      const value = await vscode.window.showInputBox({ prompt: TeamText.apiKeyPrompt(label), password: true, ignoreFocusOut: true });
      if (value === undefined) return;
      await secrets.setApiKey(label, value);
      log.info(`Stored a catalog API key for ${label}`);
      void vscode.window.showInformationMessage(TeamText.apiKeySaved(label));
    },
    [Commands.clearCatalogApiKey]: async () => {
      const label = await pick('catalog-api');
      if (label === undefined) return;
      await secrets.clearApiKey(label);
      log.info(`Cleared the catalog API key for ${label}`);
      void vscode.window.showInformationMessage(TeamText.apiKeyCleared(label));
    },
  };
}
