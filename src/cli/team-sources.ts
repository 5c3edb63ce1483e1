/**
 * The `--db-url` and `--catalog-url` options: team stores read beside the
 * stores of DIR. Secrets come from the URL or from the environment, so they
 * never have to be typed into a command line that a shell history keeps.
 */
import { PostgresSource } from '../core/sources/postgres';
import { RemoteCatalogSource } from '../core/sources/remote-catalog';
import type { SourceLog } from '../core/sources/log';
import type { StoreSource } from '../core/store/workspace';
import { terminalSafe } from './format';
import { UsageError, stringListOption, type OptionValues } from './shared';

export const TEAM_SOURCE_HELP = [
  '--db-url URL      also read a FlowyML metadata store on PostgreSQL (repeatable), e.g.',
  '                  postgresql://user@host:5432/flowyml?sslmode=verify-full&sslrootcert=ca.pem;',
  '                  the password comes from the URL, else $FLOWYML_DB_PASSWORD, else $PGPASSWORD',
  '--catalog-url URL also read a FlowyML remote catalog API (repeatable), e.g.',
  '                  https://flowyml.example.com/api/v1/catalog; the bearer key comes from',
  '                  $FLOWYML_CATALOG_API_KEY; register sends the new version there',
];

/**
 * Creates the log that writes retries and failures to stderr, away from --json output.
 * A message can quote a server's reply, so each is escaped to one line, as the final error line is.
 */
export function sourceLog(write: (text: string) => void): SourceLog {
  return {
    warn: (message) => write(`warning: ${terminalSafe(message)}\n`),
    error: (message) => write(`error: ${terminalSafe(message)}\n`),
  };
}

const stderrLog = sourceLog((text) => process.stderr.write(text));

/**
 * Creates the team sources of `--db-url` and `--catalog-url`. `timeoutMs`, from `--read-timeout`, limits each
 * PostgreSQL statement and each catalog request; a catalog GET is tried up to 3 times.
 */
export function teamSourcesFromOptions(values: OptionValues, env: NodeJS.ProcessEnv, timeoutMs?: number): StoreSource[] {
  const sources: StoreSource[] = [];
  for (const url of stringListOption(values, 'db-url')) {
    sources.push(construct(() => new PostgresSource({ url, password: env.FLOWYML_DB_PASSWORD ?? env.PGPASSWORD, statementTimeoutMs: timeoutMs }, stderrLog)));
  }
  for (const url of stringListOption(values, 'catalog-url')) {
    sources.push(construct(() => new RemoteCatalogSource({ url, apiKey: env.FLOWYML_CATALOG_API_KEY, timeoutMs }, stderrLog)));
  }
  return sources;
}

/** Runs `make`, turning a malformed URL into a usage error: exit code 2 with the usage text. */
function construct<T>(make: () => T): T {
  try {
    return make();
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
