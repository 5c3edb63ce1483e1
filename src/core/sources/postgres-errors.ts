/** Turns what node-postgres throws into a StoreError with a clear message and no secret in it. */
import { StoreError, type StoreErrorCode } from '../errors';
import { scrubSecrets } from './redact';

interface PgLikeError {
  message?: string;
  code?: string;
}

/** SQLSTATE codes and Node socket and TLS error codes, mapped to what the user has to fix. */
function classify(code: string | undefined, message: string): StoreErrorCode {
  if (code === '28P01' || code === '28000' || code === '42501') return 'auth';
  if (code === '57014') return 'timeout';
  if (code === '42P01' || code === '42703' || code === '3F000') return 'schema';
  if (code === '3D000') return 'missing';
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'EAI_AGAIN' || code === 'ECONNRESET') return 'unreachable';
  if (code !== undefined && /^(ERR_TLS|ERR_SSL|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO|CERT_)/.test(code)) return 'tls';
  const text = message.toLowerCase();
  if (text.includes('does not support ssl') || text.includes('certificate')) return 'tls';
  if (text.includes('client password must be a string')) return 'auth';
  if (text.includes('query read timeout') || text.includes('statement timeout')) return 'timeout';
  if (text.includes('timeout') || text.includes('connection terminated')) return 'unreachable';
  return 'server';
}

export function postgresError(error: unknown, operation: string, label: string, details: { user?: string; statementTimeoutMs: number; secrets: (string | undefined)[] }): StoreError {
  if (error instanceof StoreError) return error;
  const pgError = (typeof error === 'object' && error !== null ? error : {}) as PgLikeError;
  const raw = pgError.message ?? String(error);
  const code = classify(pgError.code, raw);
  const cause = scrubSecrets(raw, details.secrets);

  let message: string;
  switch (code) {
    case 'auth':
      message = cause.toLowerCase().includes('client password must be a string')
        ? `Couldn't ${operation} in ${label}: the server asks for a password for user "${details.user ?? '(default)'}" and none is set.`
        : `Couldn't ${operation} in ${label}: the server rejected the credentials of user "${details.user ?? '(default)'}" (${cause}).`;
      break;
    case 'timeout':
      message = `Couldn't ${operation} in ${label}: a query ran longer than the statement timeout of ${details.statementTimeoutMs} ms and was cancelled (${cause}).`;
      break;
    case 'unreachable':
      message = `Couldn't ${operation} in ${label}: the server could not be reached (${cause}).`;
      break;
    case 'tls':
      message = `Couldn't ${operation} in ${label}: the TLS connection failed (${cause}); check sslmode and the certificate authority file.`;
      break;
    case 'schema':
      message = `Couldn't ${operation} in ${label}: ${cause}; the database does not have the FlowyML tables this reader expects.`;
      break;
    case 'missing':
      message = `Couldn't ${operation} in ${label}: ${cause}.`;
      break;
    default:
      message = `Couldn't ${operation} in ${label}: the server reported an error (${cause}).`;
  }
  return new StoreError(code, message, label);
}
