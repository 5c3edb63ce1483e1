/**
 * Team stores for the language server, from its initialization options and
 * environment: the same PostgreSQL and remote catalog sources the extension
 * and the command line read, so hovers cover their versions too.
 */
import { describeError } from '../../core';
import type { SslMode } from '../../core/sources/postgres-config';
import { PostgresSource } from '../../core/sources/postgres';
import { RemoteCatalogSource } from '../../core/sources/remote-catalog';
import type { StoreSource } from '../../core/store/workspace';
import type { FlowymlInitializationOptions } from '../../protocol/lsp';
import type { Logger } from '../log';

export interface TeamSources {
  sources: (StoreSource & { fingerprint?(): Promise<unknown> })[];
  /** Milliseconds between change checks; 0 turns them off. */
  pollMs: number;
}

export function teamSourcesOf(options: unknown, env: NodeJS.ProcessEnv, log: Logger): TeamSources | undefined {
  const team = (options as FlowymlInitializationOptions | undefined)?.teamSources;
  if (!team || typeof team !== 'object') return undefined;
  const sourceLog = { info: (m: string) => log.info(m), warn: (m: string) => log.warn(m), error: (m: string) => log.error(m) };
  const sources: TeamSources['sources'] = [];
  try {
    if (typeof team.metadataUrl === 'string' && team.metadataUrl !== '') {
      sources.push(new PostgresSource({
        url: team.metadataUrl,
        password: env.FLOWYML_DB_PASSWORD,
        statementTimeoutMs: typeof team.statementTimeoutMs === 'number' ? team.statementTimeoutMs : undefined,
        sslMode: typeof team.sslMode === 'string' && team.sslMode !== '' ? (team.sslMode as SslMode) : undefined,
        caFile: typeof team.caFile === 'string' && team.caFile !== '' ? team.caFile : undefined,
      }, sourceLog));
    }
    if (typeof team.catalogUrl === 'string' && team.catalogUrl !== '') {
      sources.push(new RemoteCatalogSource({ url: team.catalogUrl, apiKey: env.FLOWYML_CATALOG_API_KEY }, sourceLog));
    }
  } catch (error) {
    log.error(`Couldn't set up the team stores: ${describeError(error)}`);
  }
  if (sources.length === 0) return undefined;
  const seconds = typeof team.pollIntervalSeconds === 'number' && team.pollIntervalSeconds >= 0 ? team.pollIntervalSeconds : 30;
  return { sources, pollMs: seconds * 1000 };
}

/**
 * Returns a text that changes when a team store changes. For PostgreSQL it
 * contains the row counts and latest created_at. A catalog has no cheap check, so
 * its part is the current poll period, and it is read again once per period.
 */
export async function teamStamp(team: TeamSources): Promise<string> {
  const parts = await Promise.all(team.sources.map(async (source) => {
    if (!source.fingerprint) return `${source.label}|${team.pollMs > 0 ? Math.floor(Date.now() / team.pollMs) : 0}`;
    try {
      return `${source.label}|${JSON.stringify(await source.fingerprint())}`;
    } catch (error) {
      return `${source.label}|error|${describeError(error)}`;
    }
  }));
  return parts.join('\n');
}
