/**
 * A small stand-in for a FlowyML remote catalog server, for tests on
 * 127.0.0.1. FlowyML ships only the client (RemoteCatalogBackend) and no
 * server, so this one follows what that client sends and accepts: the seven
 * endpoints under /artifacts, their query parameters, `{"items": [...]}`
 * lists, entry objects with the thirteen CatalogEntry keys, and
 * `Authorization: Bearer <key>`. Filtering, ordering (created_at, newest
 * first) and lineage follow FlowyML's LocalCatalogBackend.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ServerEntry {
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

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization: string | undefined;
  body: string;
}

export interface CatalogServer {
  url: string;
  entries: ServerEntry[];
  requests: RecordedRequest[];
  /** Number of coming requests that get HTTP 503. */
  failNext: number;
  /** Delay before every response, in milliseconds. */
  delayMs: number;
  close(): Promise<void>;
}

export async function startCatalogServer(apiKey: string, entries: ServerEntry[] = []): Promise<CatalogServer> {
  const state = { failNext: 0, delayMs: 0 };
  const requests: RecordedRequest[] = [];
  const sockets = new Set<import('node:net').Socket>();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams), authorization: req.headers.authorization, body });
      const send = (status: number, value: unknown) => {
        const text = typeof value === 'string' ? value : JSON.stringify(value);
        const finish = () => {
          if (res.destroyed) return;
          res.writeHead(status, { 'Content-Type': 'application/json' });
          res.end(text);
        };
        if (state.delayMs > 0) setTimeout(finish, state.delayMs);
        else finish();
      };
      if (state.failNext > 0) {
        state.failNext -= 1;
        send(503, { detail: 'catalog database is restarting' });
        return;
      }
      if (req.headers.authorization !== `Bearer ${apiKey}`) {
        send(401, { detail: 'invalid or missing API key' });
        return;
      }
      route(req.method ?? 'GET', url, body, entries, send);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/api/v1/catalog`,
    entries,
    requests,
    get failNext() { return state.failNext; },
    set failNext(n: number) { state.failNext = n; },
    get delayMs() { return state.delayMs; },
    set delayMs(ms: number) { state.delayMs = ms; },
    close: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}

const PREFIX = '/api/v1/catalog/artifacts';

function route(method: string, url: URL, body: string, entries: ServerEntry[], send: (status: number, value: unknown) => void): void {
  if (!url.pathname.startsWith(PREFIX)) {
    send(404, { detail: 'not found' });
    return;
  }
  const rest = url.pathname.slice(PREFIX.length);
  const q = url.searchParams;
  const newestFirst = () => [...entries].sort((a, b) => b.created_at.localeCompare(a.created_at));
  const limit = Number(q.get('limit') ?? '100');

  // The fixed paths come before /{artifact_id}, which would otherwise match them.
  if (method === 'POST' && rest === '') {
    const entry = JSON.parse(body) as ServerEntry;
    entry.artifact_id = entry.artifact_id || crypto.randomUUID();
    entry.created_at = entry.created_at || new Date().toISOString().replace('Z', '');
    entries.push(entry);
    send(200, { artifact_id: entry.artifact_id });
  } else if (method === 'GET' && rest === '') {
    const tags = q.has('tags') ? JSON.parse(q.get('tags')!) as Record<string, string> : undefined;
    let list = newestFirst().filter((e) =>
      (!q.has('artifact_type') || e.artifact_type === q.get('artifact_type'))
      && (!q.has('source_pipeline') || e.source_pipeline === q.get('source_pipeline'))
      && (!q.has('source_step') || e.source_step === q.get('source_step')));
    list = list.slice(0, limit);
    // FlowyML filters tags after the limit.
    if (tags) list = list.filter((e) => Object.entries(tags).every(([k, v]) => e.tags[k] === v));
    send(200, { items: list });
  } else if (method === 'GET' && rest === '/search') {
    const needle = q.get('q') ?? '';
    const hit = (e: ServerEntry) => [e.name, e.artifact_type, JSON.stringify(e.tags), e.source_pipeline].some((field) => field.includes(needle));
    send(200, { items: newestFirst().filter(hit).slice(0, limit) });
  } else if (method === 'GET' && rest === '/by-hash') {
    send(200, entries.find((e) => e.content_hash !== '' && e.content_hash === q.get('hash')) ?? null);
  } else if (method === 'GET' && /^\/[^/]+\/lineage$/.test(rest)) {
    const id = decodeURIComponent(rest.slice(1, -'/lineage'.length));
    const entry = entries.find((e) => e.artifact_id === id);
    if (!entry) {
      send(200, { artifact_id: id, error: 'not found' });
      return;
    }
    send(200, {
      artifact: entry,
      parents: entry.parent_ids.map((p) => entries.find((e) => e.artifact_id === p)).filter((e) => e !== undefined),
      children: entries.filter((e) => e.parent_ids.includes(id)),
    });
  } else if (method === 'PUT' && /^\/[^/]+\/tags$/.test(rest)) {
    const id = decodeURIComponent(rest.slice(1, -'/tags'.length));
    const entry = entries.find((e) => e.artifact_id === id);
    if (entry) Object.assign(entry.tags, JSON.parse(body) as Record<string, string>);
    send(entry ? 200 : 404, entry ? { ok: true } : { detail: 'not found' });
  } else if (method === 'GET' && /^\/[^/]+$/.test(rest)) {
    const entry = entries.find((e) => e.artifact_id === decodeURIComponent(rest.slice(1)));
    send(entry ? 200 : 404, entry ?? { detail: 'not found' });
  } else {
    send(405, { detail: `${method} ${rest} is not part of the catalog API` });
  }
}

/** Reads the rows of a catalog.db with sql.js directly, shaped as the API sends them. */
export async function entriesFromCatalogDb(file: string): Promise<ServerEntry[]> {
  const { default: initSqlJs } = await import('sql.js');
  const fs = await import('node:fs');
  const SQL = await initSqlJs();
  const db = new SQL.Database(fs.readFileSync(file));
  try {
    const statement = db.prepare('SELECT * FROM artifacts ORDER BY rowid');
    const entries: ServerEntry[] = [];
    while (statement.step()) {
      const row = statement.getAsObject() as Record<string, string | null>;
      entries.push({
        artifact_id: String(row.artifact_id),
        name: String(row.name),
        artifact_type: String(row.artifact_type),
        content_hash: row.content_hash ?? '',
        source_step: row.source_step ?? '',
        source_run_id: row.source_run_id ?? '',
        source_pipeline: row.source_pipeline ?? '',
        parent_ids: JSON.parse(row.parent_ids ?? '[]') as string[],
        tags: JSON.parse(row.tags ?? '{}') as Record<string, unknown>,
        metadata: JSON.parse(row.metadata ?? '{}') as Record<string, unknown>,
        uri: row.uri ?? '',
        created_at: String(row.created_at),
        version: row.version,
      });
    }
    statement.free();
    return entries;
  } finally {
    db.close();
  }
}
