/**
 * Turns a `postgresql://` URL (FlowyML's SQLAlchemy `db_url`) and the
 * source settings into a node-postgres client configuration. The password
 * comes from the URL or from the caller (VS Code's SecretStorage, or an
 * environment variable on the command line), never from a settings file.
 */
import fs from 'node:fs';
import type { ClientConfig } from 'pg';
import type { ConnectionOptions } from 'node:tls';
import { StoreError } from '../errors';
import { redactUrl } from './redact';

/** libpq's sslmode values. */
export type SslMode = 'disable' | 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';
const SSL_MODES: readonly SslMode[] = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];

export interface PostgresSourceOptions {
  /** `postgresql://[user[:password]@]host[:port]/database[?sslmode=…&sslrootcert=…]`; SQLAlchemy's `postgresql+driver://` is accepted. */
  url: string;
  /** Used when the URL carries no password. */
  password?: string;
  /** Overrides the URL's sslmode. */
  sslMode?: SslMode;
  /** A PEM file of the certificate authorities to trust; overrides the URL's sslrootcert. */
  caFile?: string;
  /** Server-side limit for each query, in milliseconds. */
  statementTimeoutMs?: number;
  /** Limit for opening a connection, in milliseconds. */
  connectTimeoutMs?: number;
  /** Rows fetched per query while loading. */
  pageSize?: number;
}

export const DEFAULT_STATEMENT_TIMEOUT_MS = 15_000;
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
export const DEFAULT_PAGE_SIZE = 2_000;

export interface ResolvedPostgresConfig {
  /** `postgresql://host:port/database`, with no user, password or query: safe to show and to use in ids. */
  label: string;
  user: string | undefined;
  password: string | undefined;
  sslMode: SslMode | undefined;
  statementTimeoutMs: number;
  client: ClientConfig;
}

export function isPostgresUrl(text: string): boolean {
  return /^postgres(ql)?(\+[a-z0-9_]+)?:\/\//i.test(text.trim());
}

export function resolvePostgresConfig(options: PostgresSourceOptions): ResolvedPostgresConfig {
  const raw = options.url.trim();
  if (!isPostgresUrl(raw)) {
    throw new StoreError('invalid-input', `"${redactUrl(raw)}" is not a PostgreSQL URL; write it as postgresql://user@host:5432/database.`);
  }
  let url: URL;
  try {
    url = new URL(raw.replace(/^postgres(ql)?(\+[a-z0-9_]+)?:/i, 'postgresql:'));
  } catch {
    throw new StoreError('invalid-input', `"${redactUrl(raw)}" is not a valid PostgreSQL URL; write it as postgresql://user@host:5432/database.`);
  }

  const query = url.searchParams;
  const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || undefined;
  const host = url.hostname.replace(/^\[|\]$/g, '') || query.get('host') || undefined;
  const port = url.port ? Number(url.port) : query.get('port') ? Number(query.get('port')) : undefined;
  const user = decodeURIComponent(url.username) || query.get('user') || undefined;
  const urlPassword = url.password ? decodeURIComponent(url.password) : undefined;
  const password = urlPassword ?? options.password;

  const sslModeText = options.sslMode ?? query.get('sslmode') ?? undefined;
  if (sslModeText !== undefined && !SSL_MODES.includes(sslModeText as SslMode)) {
    throw new StoreError('invalid-input', `sslmode "${sslModeText}" is not one of ${SSL_MODES.join(', ')}.`);
  }
  const sslMode = sslModeText as SslMode | undefined;
  const caFile = options.caFile ?? query.get('sslrootcert') ?? undefined;

  const statementTimeoutMs = options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
  const label = `postgresql://${url.host}${database ? `/${database}` : ''}`;
  const client: ClientConfig = {
    host,
    port,
    database,
    user,
    password,
    ssl: tlsOptions(sslMode, caFile, label),
    application_name: 'flowyml-assets',
    connectionTimeoutMillis: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    statement_timeout: statementTimeoutMs,
    // The client gives up a little after the server would have cancelled, so a
    // server that stops responding cannot hold a read open for ever.
    query_timeout: statementTimeoutMs + 5_000,
    // Every transaction of these sessions is read-only, even one a caller forgets to mark.
    options: '-c default_transaction_read_only=on',
  };
  return { label, user, password, sslMode, statementTimeoutMs, client };
}

/**
 * Maps libpq's sslmode onto Node's TLS options. `require` encrypts without
 * checking the certificate, `verify-ca` checks the chain but not the host
 * name, and `verify-full` checks both, as libpq does.
 * NOTE: node-postgres cannot fall back from TLS to plain text, so `allow` and
 * `prefer` connect without TLS; use `require` or stricter to insist on TLS.
 */
function tlsOptions(mode: SslMode | undefined, caFile: string | undefined, label: string): false | ConnectionOptions {
  if (mode === undefined || mode === 'disable' || mode === 'allow' || mode === 'prefer') return false;
  if (mode === 'require' && caFile === undefined) return { rejectUnauthorized: false };

  let ca: string | undefined;
  if (caFile !== undefined) {
    try {
      ca = fs.readFileSync(caFile, 'utf8');
    } catch (error) {
      throw new StoreError('tls', `Couldn't read the certificate authority file "${caFile}" for ${label}: ${(error as Error).message}.`, label, { cause: error });
    }
  }
  // libpq treats `require` with a root certificate file as `verify-ca`.
  if (mode === 'verify-ca' || mode === 'require') return { ca, checkServerIdentity: () => undefined };
  return { ca };
}
