/**
 * Setup of the language server for the first folder's team stores. URLs and
 * settings go in its initialization options, and the password and API key in
 * its environment, because LSP tracing can log initialization options.
 */
import * as vscode from 'vscode';
import { redactUrl } from '../../core/sources/redact';
import type { TeamSourceOptions } from '../../protocol/lsp';
import type { TeamSecrets } from './teamSecrets';
import { readTeamSettings } from './teamSettings';

export interface TeamServerSetup {
  options: TeamSourceOptions | undefined;
  /** The server process's environment, or undefined to inherit the extension host's. */
  env: NodeJS.ProcessEnv | undefined;
}

export async function teamServerSetup(secrets: TeamSecrets | undefined): Promise<TeamServerSetup> {
  // NOTE: one server serves every folder, so only the first folder's team stores are read.
  const settings = readTeamSettings(vscode.workspace.workspaceFolders?.[0]);
  if (settings.metadataUrl === undefined && settings.catalogUrl === undefined) return { options: undefined, env: undefined };

  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.FLOWYML_DB_PASSWORD;
  delete env.FLOWYML_CATALOG_API_KEY;
  let metadataUrl: string | undefined;
  if (settings.metadataUrl !== undefined) {
    const { url, password } = splitPassword(settings.metadataUrl);
    metadataUrl = url;
    const secret = password ?? (await secrets?.password(redactUrl(settings.metadataUrl)));
    if (secret !== undefined) env.FLOWYML_DB_PASSWORD = secret;
  }
  if (settings.catalogUrl !== undefined) {
    const key = await secrets?.apiKey(redactUrl(settings.catalogUrl));
    if (key !== undefined) env.FLOWYML_CATALOG_API_KEY = key;
  }

  return {
    options: {
      metadataUrl,
      catalogUrl: settings.catalogUrl,
      statementTimeoutMs: settings.statementTimeoutMs,
      sslMode: settings.sslMode,
      caFile: settings.caFile,
      pollIntervalSeconds: settings.pollIntervalSeconds,
    },
    env,
  };
}

/** Moves a password out of `scheme://user:password@host/…`, decoded. */
function splitPassword(url: string): { url: string; password: string | undefined } {
  const match = /^([a-z0-9+.-]+:\/\/[^/:@]*):([^/@]*)@/i.exec(url);
  if (!match) return { url, password: undefined };
  let password = match[2];
  try {
    password = decodeURIComponent(password);
  } catch {
    // Not percent-encoded: use it as written.
  }
  return { url: `${match[1]}@${url.slice(match[0].length)}`, password };
}
