/**
 * Runs the language server over in-memory streams and talks to it with the
 * LSP client side of vscode-languageserver-protocol, the way an editor does.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import {
  CodeLensRequest, DefinitionRequest, DidChangeTextDocumentNotification, DidChangeWatchedFilesNotification, DidOpenTextDocumentNotification,
  ExitNotification, HoverRequest, InitializedNotification, InitializeRequest, LogMessageNotification, LogTraceNotification, ReferencesRequest,
  ShutdownRequest,
  createProtocolConnection, StreamMessageReader, StreamMessageWriter,
  type CodeLens, type FileEvent, type Hover, type Location, type MarkupContent, type Position, type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { createConnection } from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';
import { IndexChangedNotification, IndexStatusRequest, type IndexStatus } from '../../src/protocol/lsp';
import { createServer, type ServerOptions } from '../../src/server/server';

export interface TestClient {
  connection: ProtocolConnection;
  /** Messages the server logged, in order. */
  logs: string[];
  /** Index statuses the server announced. */
  indexChanges: IndexStatus[];
  /** `$/logTrace` messages, sent while the trace setting is on. */
  traces: string[];
  open(file: string, text?: string): Promise<OpenDocument>;
  hover(document: OpenDocument, position: Position): Promise<Hover | null>;
  hoverText(document: OpenDocument, position: Position): Promise<string | undefined>;
  codeLens(document: OpenDocument): Promise<CodeLens[]>;
  definition(document: OpenDocument, position: Position): Promise<Location[] | null>;
  references(document: OpenDocument, position: Position, includeDeclaration?: boolean): Promise<Location[] | null>;
  status(): Promise<IndexStatus>;
  fileEvents(changes: FileEvent[]): Promise<void>;
  close(): Promise<void>;
}

export interface OpenDocument {
  uri: string;
  text: string;
  version: number;
  /** Replaces the whole text, as a client sends an edit. */
  change(text: string): Promise<void>;
}

export interface StartOptions {
  roots: string[];
  server?: ServerOptions;
  initializationOptions?: unknown;
}

export async function startServer(options: StartOptions): Promise<TestClient> {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const serverConnection = createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
  const server = createServer(serverConnection, { scan: false, reloadDelayMs: 50, ...options.server });
  serverConnection.listen();

  const connection = createProtocolConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  const logs: string[] = [];
  const indexChanges: IndexStatus[] = [];
  const traces: string[] = [];
  connection.onNotification(LogMessageNotification.type, (message) => logs.push(message.message));
  connection.onNotification(LogTraceNotification.type, (message) => traces.push(message.message));
  connection.onNotification(IndexChangedNotification, (status) => indexChanges.push(status));
  connection.listen();

  await connection.sendRequest(InitializeRequest.type, {
    processId: null,
    rootUri: null,
    workspaceFolders: options.roots.map((root) => ({ uri: URI.file(root).toString(), name: path.basename(root) })),
    capabilities: {},
    initializationOptions: options.initializationOptions,
  });
  await connection.sendNotification(InitializedNotification.type, {});
  await server.ready;

  const send = async (uri: string, text: string, version: number) => {
    await connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text }] });
  };

  const client: TestClient = {
    connection,
    logs,
    indexChanges,
    traces,
    async open(file, text) {
      const content = text ?? fs.readFileSync(file, 'utf8');
      const uri = URI.file(file).toString();
      await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'python', version: 1, text: content } });
      const document: OpenDocument = {
        uri,
        text: content,
        version: 1,
        async change(next) {
          document.version += 1;
          document.text = next;
          await send(uri, next, document.version);
        },
      };
      return document;
    },
    hover: (document, position) => connection.sendRequest(HoverRequest.type, { textDocument: { uri: document.uri }, position }),
    async hoverText(document, position) {
      const hover = await client.hover(document, position);
      return hover ? (hover.contents as MarkupContent).value : undefined;
    },
    async codeLens(document) {
      return (await connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: document.uri } })) ?? [];
    },
    async definition(document, position) {
      return (await connection.sendRequest(DefinitionRequest.type, { textDocument: { uri: document.uri }, position })) as Location[] | null;
    },
    references: (document, position, includeDeclaration = false) =>
      connection.sendRequest(ReferencesRequest.type, { textDocument: { uri: document.uri }, position, context: { includeDeclaration } }),
    status: () => connection.sendRequest(IndexStatusRequest),
    fileEvents: (changes) => connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes }),
    async close() {
      await connection.sendRequest(ShutdownRequest.type);
      // The server's exit handler would end the process; a test keeps running, so it is not sent.
      void ExitNotification;
      connection.dispose();
      serverConnection.dispose();
      server.dispose();
    },
  };
  return client;
}

/**
 * Returns the LSP position of the `occurrence`-th match of `needle` in
 * `text`, moved `delta` UTF-16 code units into the match. It is computed from
 * the text's lines, independently of the server's own conversion.
 */
export function positionOf(text: string, needle: string, options: { occurrence?: number; delta?: number } = {}): Position {
  let offset = -1;
  for (let i = 0; i <= (options.occurrence ?? 0); i++) {
    offset = text.indexOf(needle, offset + 1);
    if (offset < 0) throw new Error(`"${needle}" occurs fewer than ${(options.occurrence ?? 0) + 1} times`);
  }
  offset += options.delta ?? 0;
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(description: string, check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${description}${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
