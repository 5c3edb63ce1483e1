/** Typed reads of the team-source settings of one workspace folder. */
import * as vscode from 'vscode';
import type { SslMode } from '../../core/sources/postgres-config';
import { stackTeamUrls } from '../../core/sources/stack-url';
import { Settings } from '../ids';

export const TeamSettings = {
  metadataUrl: Settings.metadataUrl,
  catalogUrl: Settings.catalogUrl,
  pollInterval: Settings.teamPollInterval,
  statementTimeout: Settings.teamStatementTimeout,
  sslMode: Settings.teamSslMode,
  caFile: Settings.teamCaFile,
} as const;

export const SSL_MODES: readonly SslMode[] = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];

export interface TeamSourceSettings {
  /** `flowyml.metadataUrl`, else the PostgreSQL URL of the active stack in the folder's flowyml.yaml. */
  metadataUrl: string | undefined;
  metadataUrlFromStack: boolean;
  /** `flowyml.catalogUrl`, else the `catalog_endpoint` of the active stack in the folder's flowyml.yaml. */
  catalogUrl: string | undefined;
  catalogUrlFromStack: boolean;
  /** Seconds between change checks; 0 turns polling off. */
  pollIntervalSeconds: number;
  statementTimeoutMs: number;
  sslMode: SslMode | undefined;
  caFile: string | undefined;
}

export function readTeamSettings(folder: vscode.WorkspaceFolder | undefined): TeamSourceSettings {
  const config = vscode.workspace.getConfiguration('flowyml', folder);
  const text = (key: string) => {
    const value = config.get<unknown>(key, '');
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  };
  const number = (key: string, fallback: number, min: number) => {
    const value = config.get<unknown>(key, fallback);
    return typeof value === 'number' && Number.isFinite(value) && value >= min ? value : fallback;
  };
  const sslMode = text(TeamSettings.sslMode);
  const metadataSetting = text(TeamSettings.metadataUrl);
  const catalogSetting = text(TeamSettings.catalogUrl);
  const stack = (metadataSetting === undefined || catalogSetting === undefined) && folder !== undefined && folder.uri.scheme === 'file'
    ? stackTeamUrls(folder.uri.fsPath)
    : { metadataUrl: undefined, catalogUrl: undefined };
  const metadataFromStack = metadataSetting === undefined ? stack.metadataUrl : undefined;
  const catalogFromStack = catalogSetting === undefined ? stack.catalogUrl : undefined;
  return {
    metadataUrl: metadataSetting ?? metadataFromStack,
    metadataUrlFromStack: metadataFromStack !== undefined,
    catalogUrl: catalogSetting ?? catalogFromStack,
    catalogUrlFromStack: catalogFromStack !== undefined,
    pollIntervalSeconds: number(TeamSettings.pollInterval, 30, 0),
    statementTimeoutMs: number(TeamSettings.statementTimeout, 15_000, 100),
    sslMode: sslMode !== undefined && (SSL_MODES as readonly string[]).includes(sslMode) ? (sslMode as SslMode) : undefined,
    caFile: text(TeamSettings.caFile),
  };
}

export function affectsTeamSettings(event: vscode.ConfigurationChangeEvent): boolean {
  return Object.values(TeamSettings).some((key) => event.affectsConfiguration(`flowyml.${key}`));
}
