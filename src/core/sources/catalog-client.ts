/**
 * Client of FlowyML's remote catalog HTTP API (`FLOWYML_CATALOG_ENDPOINT`),
 * with the endpoints, query parameters and JSON shapes of FlowyML's own
 * RemoteCatalogBackend (2.1): GET /artifacts, /artifacts/{id},
 * /artifacts/search, /artifacts/{id}/lineage, /artifacts/by-hash, and
 * POST /artifacts. The key goes in `Authorization: Bearer <key>`.
 *
 * Reads are retried after a timeout, a network error, HTTP 429 or a 5xx
 * response, and each retry is logged. A POST is never retried, because the server
 * may have stored the row before the response was lost.
 */
import { StoreError } from '../errors';
import { parseTolerantJson } from '../json/tolerant';
import { isPlainObject } from '../model/properties';
import type { SourceLog } from './log';
import { redactUrl, scrubSecrets } from './redact';

/** One catalog row as the API sends it: CatalogEntry.to_dict() in FlowyML. */
export interface CatalogEntry {
  artifact_id: string;
  name: string;
  artifact_type: string;
  content_hash: string;
  source_step: string;
  source_run_id: string;
  source_pipeline: string;
  parent_ids: string[];
  tags: Record<string, unknown>;
  metadata: Record<string, unknown>;
  uri: string;
  created_at: string;
  version: string | null;
}

export interface CatalogLineage {
  artifact: CatalogEntry | undefined;
  parents: CatalogEntry[];
  children: CatalogEntry[];
}

export interface CatalogClientOptions {
  /** Base URL, e.g. `https://flowyml.example.com/api/v1/catalog`; a trailing `/` is dropped, as FlowyML does. */
  url: string;
  apiKey?: string;
  /** Per request, in milliseconds. FlowyML's client waits 30 s. */
  timeoutMs?: number;
  /** Extra attempts for a read that timed out or met a network or server error. */
  retries?: number;
  /** Wait before the first retry, doubled for each further one, in milliseconds. */
  retryDelayMs?: number;
}

export const DEFAULT_CATALOG_TIMEOUT_MS = 30_000;
const DEFAULT_RETRIES = 2;
const DEFAULT_RETRY_DELAY_MS = 250;
/** Error bodies are quoted up to this many characters. */
const MAX_BODY_IN_MESSAGE = 200;

export class CatalogClient {
  /** The base URL without credentials or query, safe to show. */
  readonly label: string;
  private readonly base: string;

  constructor(private readonly options: CatalogClientOptions, private readonly log: SourceLog = {}) {
    const trimmed = options.url.trim().replace(/\/+$/, '');
    let parsed: URL;
    try {
      parsed = new URL(trimmed);
    } catch {
      throw new StoreError('invalid-input', `"${redactUrl(trimmed)}" is not a valid catalog URL; write it as https://host/api/v1/catalog.`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new StoreError('invalid-input', `"${redactUrl(trimmed)}" is not an http(s) URL; the catalog API is served over HTTP.`);
    }
    this.base = trimmed;
    this.label = redactUrl(trimmed);
  }

  /** GET /artifacts: entries, newest first as FlowyML's backends order them. */
  async list(filter: { artifactType?: string; sourcePipeline?: string; sourceStep?: string; limit?: number; tags?: Record<string, string> } = {}): Promise<CatalogEntry[]> {
    const query = new URLSearchParams();
    if (filter.artifactType !== undefined) query.set('artifact_type', filter.artifactType);
    if (filter.sourcePipeline !== undefined) query.set('source_pipeline', filter.sourcePipeline);
    if (filter.sourceStep !== undefined) query.set('source_step', filter.sourceStep);
    query.set('limit', String(filter.limit ?? 100));
    if (filter.tags !== undefined) query.set('tags', JSON.stringify(filter.tags));
    return entryList(await this.request('GET', `/artifacts?${query}`, 'list the catalog'), this.label, this.log);
  }

  /** GET /artifacts/{id}: one entry, or undefined when the server has none (HTTP 404). */
  async get(artifactId: string): Promise<CatalogEntry | undefined> {
    const body = await this.request('GET', `/artifacts/${encodeURIComponent(artifactId)}`, `read catalog entry "${artifactId}"`, { notFoundIsEmpty: true });
    return body === undefined || body === null ? undefined : toEntry(body, this.label);
  }

  /** GET /artifacts/search: FlowyML matches `q` as a substring of name, type, tags and pipeline. */
  async search(q: string, limit = 100): Promise<CatalogEntry[]> {
    const query = new URLSearchParams({ q, limit: String(limit) });
    return entryList(await this.request('GET', `/artifacts/search?${query}`, 'search the catalog'), this.label, this.log);
  }

  /** GET /artifacts/{id}/lineage: the entry with its existing parents and its children, one level. */
  async lineage(artifactId: string): Promise<CatalogLineage> {
    const body = await this.request('GET', `/artifacts/${encodeURIComponent(artifactId)}/lineage`, `read the lineage of "${artifactId}"`);
    if (!isPlainObject(body) || typeof body.error === 'string') return { artifact: undefined, parents: [], children: [] };
    return {
      artifact: body.artifact === undefined || body.artifact === null ? undefined : toEntry(body.artifact, this.label),
      parents: Array.isArray(body.parents) ? body.parents.map((e) => toEntry(e, this.label)) : [],
      children: Array.isArray(body.children) ? body.children.map((e) => toEntry(e, this.label)) : [],
    };
  }

  /** GET /artifacts/by-hash: the entry with this content hash, or undefined. */
  async byHash(hash: string): Promise<CatalogEntry | undefined> {
    const body = await this.request('GET', `/artifacts/by-hash?${new URLSearchParams({ hash })}`, 'look up a content hash', { notFoundIsEmpty: true });
    if (body === undefined || body === null || (isPlainObject(body) && Object.keys(body).length === 0)) return undefined;
    return toEntry(body, this.label);
  }

  /**
   * POST /artifacts with a CatalogEntry body, given as JSON text so that the
   * metadata keeps Python's formatting. Returns the id the server assigned.
   */
  async register(bodyJson: string): Promise<string> {
    const body = await this.request('POST', '/artifacts', 'register in the catalog', { body: bodyJson });
    const id = isPlainObject(body) && typeof body.artifact_id === 'string' ? body.artifact_id : '';
    if (id === '') throw new StoreError('server', `The catalog at ${this.label} accepted the new entry but sent no artifact_id back.`, this.label);
    return id;
  }

  private async request(method: 'GET' | 'POST', path: string, operation: string, extra: { body?: string; notFoundIsEmpty?: boolean } = {}): Promise<unknown> {
    const attempts = method === 'GET' ? 1 + Math.max(0, this.options.retries ?? DEFAULT_RETRIES) : 1;
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_CATALOG_TIMEOUT_MS;
    let delay = this.options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;
    const where = `${method} ${this.label}${path.replace(/\?.*$/, '')}`;

    for (let attempt = 1; ; attempt += 1) {
      let failure: StoreError;
      try {
        const response = await fetch(`${this.base}${path}`, {
          method,
          headers: this.headers(),
          body: extra.body,
          signal: AbortSignal.timeout(timeoutMs),
        });
        const text = await response.text();
        if (response.ok) return parseBody(text, operation, this.label);
        if (response.status === 404 && extra.notFoundIsEmpty) return undefined;
        failure = this.httpError(response.status, text, operation);
        if (!(response.status >= 500 || response.status === 429)) throw failure;
      } catch (error) {
        if (error instanceof StoreError && !isRetryable(error)) throw error;
        failure = error instanceof StoreError ? error : this.networkError(error, operation, timeoutMs);
      }
      if (attempt >= attempts) throw failure;
      this.log.warn?.(`${where} failed (${failure.message}); retry ${attempt} of ${attempts - 1} in ${delay} ms`);
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay *= 2;
    }
  }

  private headers(): Record<string, string> {
    const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json' };
    if (this.options.apiKey) headers.Authorization = `Bearer ${this.options.apiKey}`;
    return headers;
  }

  private httpError(status: number, body: string, operation: string): StoreError {
    const quoted = scrubSecrets(body.trim().slice(0, MAX_BODY_IN_MESSAGE), [this.options.apiKey]);
    if (status === 401 || status === 403) {
      const reason = this.options.apiKey ? 'rejected the API key' : 'requires an API key and none is set';
      return new StoreError('auth', `Couldn't ${operation}: the catalog at ${this.label} ${reason} (HTTP ${status}).`, this.label);
    }
    if (status === 404) return new StoreError('not-found', `Couldn't ${operation}: the catalog at ${this.label} responded with HTTP 404${quoted ? ` (${quoted})` : ''}; check the URL.`, this.label);
    return new StoreError(status >= 500 || status === 429 ? 'server' : 'invalid-input', `Couldn't ${operation}: the catalog at ${this.label} responded with HTTP ${status}${quoted ? ` (${quoted})` : ''}.`, this.label);
  }

  private networkError(error: unknown, operation: string, timeoutMs: number): StoreError {
    const name = (error as { name?: string }).name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      return new StoreError('timeout', `Couldn't ${operation}: the catalog at ${this.label} did not respond within ${timeoutMs} ms.`, this.label);
    }
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const detail = scrubSecrets(cause?.code ?? cause?.message ?? (error as Error).message ?? String(error), [this.options.apiKey]);
    return new StoreError('unreachable', `Couldn't ${operation}: the catalog at ${this.label} is unreachable (${detail}); it is offline or the URL is wrong.`, this.label);
  }
}

function isRetryable(error: StoreError): boolean {
  return error.code === 'server' || error.code === 'timeout' || error.code === 'unreachable';
}

function parseBody(text: string, operation: string, label: string): unknown {
  if (text.trim() === '') return null;
  try {
    return parseTolerantJson(text);
  } catch (error) {
    throw new StoreError('server', `Couldn't ${operation}: the catalog at ${label} sent a body that is not JSON (${(error as Error).message}).`, label);
  }
}

/**
 * Reads `{"items": [...]}` or a bare array, as FlowyML's client accepts both.
 * An entry without a string artifact_id is left out with a warning that gives
 * its position, so one bad entry does not hide the rest of the catalog.
 */
function entryList(body: unknown, label: string, log: { warn?(message: string): void }): CatalogEntry[] {
  const items = Array.isArray(body) ? body : isPlainObject(body) && Array.isArray(body.items) ? body.items : undefined;
  if (items === undefined) throw new StoreError('server', `The catalog at ${label} sent a list that is neither an array nor {"items": [...]}.`, label);
  const entries: CatalogEntry[] = [];
  items.forEach((item, position) => {
    if (isPlainObject(item) && typeof item.artifact_id === 'string') {
      entries.push(toEntry(item, label));
      return;
    }
    const name = isPlainObject(item) && typeof item.name === 'string' ? ` (name "${item.name.slice(0, 200)}")` : '';
    log.warn?.(`The catalog at ${label} sent entry ${position + 1} of ${items.length}${name} without a string artifact_id; it is left out.`);
  });
  return entries;
}

/** Reads one entry, ignoring unknown keys; JSON columns may also arrive as JSON text. */
export function toEntry(value: unknown, label: string): CatalogEntry {
  if (!isPlainObject(value) || typeof value.artifact_id !== 'string') {
    throw new StoreError('server', `The catalog at ${label} sent an entry without a string artifact_id.`, label);
  }
  const str = (key: string) => (typeof value[key] === 'string' ? (value[key] as string) : '');
  const json = (key: string, fallback: unknown) => {
    const raw = value[key];
    if (typeof raw !== 'string') return raw ?? fallback;
    try {
      return parseTolerantJson(raw);
    } catch {
      return fallback;
    }
  };
  const parents = json('parent_ids', []);
  const tags = json('tags', {});
  const metadata = json('metadata', {});
  return {
    artifact_id: value.artifact_id,
    name: str('name'),
    artifact_type: str('artifact_type'),
    content_hash: str('content_hash'),
    source_step: str('source_step'),
    source_run_id: str('source_run_id'),
    source_pipeline: str('source_pipeline'),
    parent_ids: Array.isArray(parents) ? parents.filter((p): p is string => typeof p === 'string') : [],
    tags: isPlainObject(tags) ? tags : {},
    metadata: isPlainObject(metadata) ? metadata : {},
    uri: str('uri'),
    created_at: str('created_at'),
    version: typeof value.version === 'string' ? value.version : null,
  };
}
