/**
 * The FlowyML language server. `createServer` wires every handler onto a
 * connection it is given, so the binary runs it over stdio or IPC and tests
 * run it over in-memory streams.
 */
import path from 'node:path';
import { URI } from 'vscode-uri';
import {
  CodeLensRefreshRequest, DidChangeWatchedFilesNotification, FileChangeType, TextDocuments, TextDocumentSyncKind,
  type CodeLens, type Connection, type Hover, type InitializeParams, type InitializeResult, type Location, type Position,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { describeError } from '../core';
import { IndexChangedNotification, IndexStatusRequest, ReloadIndexRequest, StepLocationsRequest, type FlowymlInitializationOptions } from '../protocol/lsp';
import { codeLenses } from './features/codeLens';
import { assetHover, ioHover, pipelineHover, stepHover, stepRefHover, type HoverContext } from './features/hover';
import { inputDefinition, ioReferences, stepLocations, stepSymbols } from './features/navigation';
import { connectionLogger, type Logger } from './log';
import { targetAt, type SymbolTarget } from './python/model';
import { locateParserFiles, PythonParser } from './python/parser';
import { StoreService } from './store/storeService';
import { limitsOf } from './store/limits';
import { teamSourcesOf } from './store/teamSources';
import { PythonFiles, type ParsedFile, type ScanLimits } from './workspace/pythonFiles';

export interface ServerOptions {
  /** Quiet period after a store file event before reloading, in milliseconds. Default 300. */
  reloadDelayMs?: number;
  /** Folder holding tree-sitter.wasm and tree-sitter-python.wasm; searched for when omitted. */
  wasmDirectory?: string;
  /** Limits of the start-up scan of workspace .py files, or false to skip it. */
  scan?: ScanLimits | false;
  /** Watch store folders with fs.watch. Default true. */
  watchStores?: boolean;
}

export interface FlowymlLanguageServer {
  /** Settles when the first load of every workspace folder's stores has finished. */
  readonly ready: Promise<void>;
  dispose(): void;
}

const DEFAULT_SCAN: ScanLimits = { maxFiles: 5000, maxFileBytes: 1_000_000 };

export function createServer(connection: Connection, options: ServerOptions = {}): FlowymlLanguageServer {
  const log = connectionLogger(connection);
  const documents = new TextDocuments(TextDocument);
  const roots: string[] = [];
  let parser: PythonParser | undefined;
  let files: PythonFiles | undefined;
  let store: StoreService | undefined;
  let refreshCodeLens = false;
  let watchedFilesRegistration = false;
  let folderChanges = false;
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => { markReady = resolve; });

  connection.onInitialize(async (params: InitializeParams): Promise<InitializeResult> => {
    roots.push(...workspaceRoots(params));
    refreshCodeLens = params.capabilities.workspace?.codeLens?.refreshSupport === true;
    watchedFilesRegistration = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    folderChanges = params.capabilities.workspace?.workspaceFolders === true;

    parser = await PythonParser.load(locateParserFiles(options.wasmDirectory));
    files = new PythonFiles(parser, documents, log);
    store = new StoreService({
      reloadDelayMs: options.reloadDelayMs ?? 300,
      storePaths: storePathsOf(params.initializationOptions),
      teamSources: teamSourcesOf(params.initializationOptions, process.env, log),
      limits: limitsOf(params.initializationOptions),
      watch: options.watchStores ?? true,
      log,
    });
    store.onDidChange((status) => {
      void connection.sendNotification(IndexChangedNotification, status);
      if (refreshCodeLens) connection.sendRequest(CodeLensRefreshRequest.type).catch((error) => log.warn(`Couldn't ask the client to refresh CodeLens: ${describeError(error)}`));
    });

    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        codeLensProvider: { resolveProvider: false },
        definitionProvider: true,
        referencesProvider: true,
        workspaceSymbolProvider: true,
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'flowyml-assets-lsp' },
    };
  });

  connection.onInitialized(() => {
    if (watchedFilesRegistration) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [{ globPattern: '**/.flowyml/**/*.{db,db-journal,db-wal}' }, { globPattern: '**/*.py' }],
      });
    }
    // vscode-languageserver throws on this subscription when the client cannot send folder changes.
    if (folderChanges) {
      connection.workspace.onDidChangeWorkspaceFolders((event) => {
        for (const removed of event.removed) remove(roots, uriToPath(removed.uri));
        for (const added of event.added) roots.push(uriToPath(added.uri));
        void store?.setFolders(roots);
      });
    }

    log.info(`FlowyML language server started for ${roots.length > 0 ? roots.join(', ') : 'no workspace folder'}.`);
    void store!.setFolders(roots).then(() => markReady(), (error) => {
      log.error(`Couldn't load the stores: ${describeError(error)}`);
      markReady();
    });
    const scan = options.scan ?? DEFAULT_SCAN;
    if (scan) void files!.scan(roots, scan).catch((error) => log.error(`Couldn't scan the workspace for Python files: ${describeError(error)}`));
  });

  documents.onDidClose((event) => files?.closed(event.document.uri));

  connection.onDidChangeWatchedFiles((params) => {
    for (const change of params.changes) {
      const file = uriToPath(change.uri);
      if (file.endsWith('.py')) {
        if (change.type === FileChangeType.Deleted) files?.diskDeleted(change.uri);
        else files?.diskChanged(change.uri);
      } else {
        store?.fileChanged(file);
      }
    }
  });

  connection.onHover((params) => timed(log, 'hover', async (): Promise<Hover | null> => {
    const found = await symbolAt(params.textDocument.uri, params.position);
    if (!found) return null;
    const markdown = await store!.withIndex((index) => hoverText({ index, files: files!.all().map((f) => f.symbols), root: rootOf(params.textDocument.uri) }, found.target));
    const { span } = found.target;
    return { contents: { kind: 'markdown', value: markdown }, range: found.file.source.range(span.start, span.end) };
  }, null));

  connection.onCodeLens((params) => timed(log, 'codeLens', async (): Promise<CodeLens[]> => {
    await ready;
    const file = files?.get(params.textDocument.uri);
    if (!file) return [];
    return store!.withIndex((index) => codeLenses(index, file, rootOf(params.textDocument.uri)));
  }, []));

  connection.onDefinition((params) => timed(log, 'definition', async (): Promise<Location[] | null> => {
    const found = await symbolAt(params.textDocument.uri, params.position);
    if (found?.target.symbol.kind !== 'io' || found.target.symbol.role !== 'input') return null;
    const symbol = found.target.symbol;
    const locations = await store!.withIndex((index) => inputDefinition(symbol, files!.all(), index));
    return locations.length > 0 ? locations : null;
  }, null));

  connection.onReferences((params) => timed(log, 'references', async (): Promise<Location[] | null> => {
    const found = await symbolAt(params.textDocument.uri, params.position);
    if (found?.target.symbol.kind !== 'io') return null;
    return ioReferences(found.target.symbol, files!.all(), params.context.includeDeclaration);
  }, null));

  connection.onWorkspaceSymbol((params) => timed(log, 'workspaceSymbol', async () => stepSymbols(files?.all() ?? [], params.query), []));

  connection.onRequest(StepLocationsRequest, (params) => timed(log, 'stepLocations', async () => stepLocations(files?.all() ?? [], params.step), []));
  connection.onRequest(IndexStatusRequest, () => store?.status() ?? { folders: [], generation: 0 });
  connection.onRequest(ReloadIndexRequest, () => store?.reloadAll(true) ?? { folders: [], generation: 0 });

  connection.onShutdown(() => dispose());

  documents.listen(connection);

  async function symbolAt(uri: string, position: Position): Promise<{ file: ParsedFile; target: SymbolTarget } | undefined> {
    await ready;
    const file = files?.get(uri);
    if (!file) return undefined;
    const target = targetAt(file.symbols, file.source.offsetAt(position));
    return target ? { file, target } : undefined;
  }

  function rootOf(uri: string): string | undefined {
    const file = uriToPath(uri);
    return roots.filter((r) => file.startsWith(r + path.sep)).sort((a, b) => b.length - a.length)[0];
  }

  function dispose(): void {
    store?.dispose();
    parser?.dispose();
    store = undefined;
    parser = undefined;
  }

  return { ready, dispose };
}

async function hoverText(context: HoverContext, target: SymbolTarget): Promise<string> {
  const { symbol } = target;
  switch (symbol.kind) {
    case 'asset':
      // The callee (`Dataset.create`) and the name both describe the asset.
      return assetHover(context, symbol);
    case 'io':
      return ioHover(context, symbol);
    case 'step':
      return stepHover(context, { name: symbol.name, symbol });
    case 'step-ref':
      return stepRefHover(context, symbol.functionName);
    case 'pipeline':
      return pipelineHover(context, symbol);
    default: {
      const unknown: never = symbol;
      throw new Error(`Unhandled symbol ${JSON.stringify(unknown)}`);
    }
  }
}

/** Runs a request handler, traces its duration, and turns a failure into a logged error and `fallback`. */
async function timed<T>(log: Logger, request: string, handler: () => Promise<T>, fallback: T): Promise<T> {
  const started = performance.now();
  try {
    return await handler();
  } catch (error) {
    log.error(`${request} failed: ${describeError(error)}`);
    return fallback;
  } finally {
    log.trace(`${request} took ${(performance.now() - started).toFixed(1)} ms`);
  }
}

function workspaceRoots(params: InitializeParams): string[] {
  if (params.workspaceFolders && params.workspaceFolders.length > 0) return params.workspaceFolders.map((f) => uriToPath(f.uri));
  if (params.rootUri) return [uriToPath(params.rootUri)];
  if (params.rootPath) return [path.resolve(params.rootPath)];
  return [];
}

function storePathsOf(options: unknown): string[] {
  const paths = (options as FlowymlInitializationOptions | undefined)?.storePaths;
  return Array.isArray(paths) ? paths.filter((p): p is string => typeof p === 'string') : [];
}

function uriToPath(uri: string): string {
  return URI.parse(uri).fsPath;
}

function remove(list: string[], item: string): void {
  const index = list.indexOf(item);
  if (index >= 0) list.splice(index, 1);
}
