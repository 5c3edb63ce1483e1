/**
 * Loads every store of a workspace folder into one WorkspaceIndex. A store
 * that fails to open is reported as a problem naming the file and the cause;
 * the other stores still load.
 */
import type { AssetSummary, LineageDirection, LineageGraph, VersionDetails, WorkspaceIndex } from '../api';
import { StoreError, describeError } from '../errors';
import { parseTolerantJson } from '../json/tolerant';
import { LineageIndex } from '../lineage/graph';
import { buildModel, sortAssetVersions, type BuiltModel, type RowRef, type StoreRows, type VersionSource } from '../model/build';
import { mapProperties, storedPropertiesOf, isPlainObject, BULK_DATA_KEYS } from '../model/properties';
import type { AssetVersion, LoadProblem, RunInfo, StoreInfo } from '../model/types';
import { openSnapshotDatabase } from '../sqlite/index';
import type { OpenOptions, SnapshotDatabase } from '../sqlite/types';
import { readCatalogMetadata, readCatalogStore } from './catalog-store';
import { discoverStores, notRegularFile, resolveExplicitStore, type SkippedStore, type StoreCandidate } from './discover';
import { readArtifactMetadata, readMetadataStore } from './metadata-store';
import { quickCheckSmallStore } from './integrity';
import { columnsKey, fileIdentity, readCatalogTags, readRunLight, schemaVersionOf, type StoreCache } from './marks';
import { checkStoreSize, type SizeGuardOptions } from './size-guard';
import { detectSchema } from './schema';
import { hasOwn, setOwn } from '../json/records';

export interface LoadOptions {
  /** Explicit store paths (database files or folders), relative to the root; replaces discovery. */
  storePaths?: string[];
  open?: OpenOptions;
  /** Metadata JSON up to this size is loaded whole for details; larger rows are previewed. */
  detailsCapBytes?: number;
  /** Stores outside the folder, such as a PostgreSQL metadata store or a remote catalog, read beside the local ones. */
  sources?: StoreSource[];
  /** The memory guard: stores above this many versions are reported, not loaded (default 500,000). */
  sizeGuard?: SizeGuardOptions;
}

/** Reader of the metadata JSON of one version's rows, loaded on demand for `details`. */
export interface StoreDetailsReader {
  artifactMetadata(ref: RowRef, full: boolean, capBytes: number): Promise<{ text: string | undefined; truncated: boolean; bytes: number }>;
  catalogMetadata(ref: RowRef): Promise<string | undefined>;
}

/** The light rows of one store outside the folder, as its source loaded them. */
export interface LoadedSource {
  info: StoreInfo;
  rows: StoreRows;
  problems: LoadProblem[];
  reader: StoreDetailsReader;
  /** Called when the workspace index is disposed; a source shared between indexes leaves it out. */
  close?(): void;
}

/** A store that is not a file of the workspace folder. */
export interface StoreSource {
  /** Names the source in problems, without any secret. */
  readonly label: string;
  /** Loads the rows; throws a StoreError whose message names the source and the cause. */
  load(): Promise<LoadedSource>;
}

export interface OpenStore {
  info: StoreInfo;
  reader: StoreDetailsReader;
  close(): void;
}

/** One store file read for a workspace index, with the marks a later reload compares against. */
export interface LoadedStore {
  store: OpenStore;
  storeRows: StoreRows;
  storeProblems: LoadProblem[];
  cache: StoreCache;
}

/** Reads one store file; loadWorkspace reads it whole, reloadWorkspace (incremental.ts) reuses what it can. */
export type StoreLoader = (candidate: StoreCandidate) => Promise<LoadedStore>;

/** The parts of an index that reloadWorkspace reuses: the per-store caches, the rows in model order and the model. */
export interface ReloadBasis {
  caches: Map<string, StoreCache>;
  rows: StoreRows[];
  /** True when the index has rows from sources outside the folder, which a reload loads whole. */
  external: boolean;
  model: BuiltModel;
}

const reloadBases = new WeakMap<WorkspaceIndex, ReloadBasis>();

export function reloadBasisOf(index: WorkspaceIndex): ReloadBasis | undefined {
  return reloadBases.get(index);
}

/** Builds the model of a workspace from the rows of its stores; reloadWorkspace passes one that reuses the previous model. */
export type ModelBuilder = (rows: StoreRows[], external: boolean) => BuiltModel;

export const DEFAULT_DETAILS_CAP = 256 * 1024;

export async function loadWorkspace(root: string, options: LoadOptions = {}): Promise<WorkspaceIndex> {
  return assembleWorkspace(root, options, (candidate) => loadStore(candidate, options.open, options.sizeGuard));
}

/** Finds the stores, reads each with `loadOne`, loads the outside sources and builds the model. */
export async function assembleWorkspace(root: string, options: LoadOptions, loadOne: StoreLoader, build: ModelBuilder = buildModel): Promise<WorkspaceIndex> {
  const skipped: SkippedStore[] = [];
  const candidates = options.storePaths && options.storePaths.length > 0
    ? options.storePaths.flatMap((p) => resolveExplicitStore(root, p, skipped))
    : discoverStores(root, skipped);

  const problems: LoadProblem[] = [];
  for (const candidate of candidates) {
    // An explicit path is not checked by discovery, and a FIFO or a device would block the read or never end.
    const reason = notRegularFile(candidate.absolutePath);
    if (reason !== undefined) skipped.push({ absolutePath: candidate.absolutePath, path: candidate.path, reason });
  }
  for (const entry of skipped) {
    problems.push({ file: entry.path, severity: 'error', code: 'not-a-file', message: `${entry.path} is ${entry.reason}, not a database file, so it was not read.` });
  }
  const opened: OpenStore[] = [];
  const rows: StoreRows[] = [];
  const caches = new Map<string, StoreCache>();

  for (const candidate of candidates) {
    if (skipped.some((entry) => entry.absolutePath === candidate.absolutePath)) continue;
    try {
      const { store, storeRows, storeProblems, cache } = await loadOne(candidate);
      opened.push(store);
      rows.push(storeRows);
      problems.push(...storeProblems);
      caches.set(candidate.absolutePath, cache);
    } catch (error) {
      problems.push(problemFromError(candidate, error));
    }
  }

  const external = await Promise.all((options.sources ?? []).map(async (source) => {
    try {
      return { loaded: await source.load() };
    } catch (error) {
      return { problem: problemFromSourceError(source, error) };
    }
  }));
  for (const result of external) {
    if (result.problem) {
      problems.push(result.problem);
      continue;
    }
    const { loaded } = result;
    opened.push({ info: loaded.info, reader: loaded.reader, close: () => loaded.close?.() });
    rows.push(loaded.rows);
    problems.push(...loaded.problems);
  }

  const hasSources = (options.sources ?? []).length > 0;
  const model = build(rows, hasSources);
  problems.push(...model.problems);
  const index = new LoadedWorkspace(root, opened, model, problems, options.detailsCapBytes ?? DEFAULT_DETAILS_CAP);
  reloadBases.set(index, { caches, rows, external: hasSources, model });
  return index;
}

/** Reads one store whole, in one snapshot, and takes the marks of that snapshot. The memory guard runs first. */
export async function loadStore(
  candidate: StoreCandidate,
  openOptions: OpenOptions | undefined,
  sizeGuard: SizeGuardOptions | undefined,
): Promise<LoadedStore> {
  const identity = fileIdentity(candidate.absolutePath);
  const db = await openSnapshotDatabase(candidate.absolutePath, openOptions);
  try {
    await checkStoreSize(db, candidate.absolutePath, candidate.path, sizeGuard);
    const result = await db.read('load store', (conn) => {
      quickCheckSmallStore(conn, candidate.path);
      const detected = detectSchema(conn, candidate.path, candidate.kind);
      const info: StoreInfo = {
        path: candidate.path,
        absolutePath: candidate.absolutePath,
        kind: candidate.kind,
        schema: detected.schema,
        project: candidate.project,
      };
      const marks = { schemaVersion: schemaVersionOf(conn), columns: columnsKey(detected.columns) };
      if (candidate.kind === 'catalog') {
        const catalog = readCatalogStore(conn, candidate.path, detected.columns.artifacts);
        const tags = readCatalogTags(conn, detected.columns.artifacts);
        return { info, storeRows: { store: info, catalog: catalog.rows }, storeProblems: catalog.problems, marks: { ...marks, catalogTags: tags?.tags } };
      }
      const metadata = readMetadataStore(conn, candidate.path, detected.columns);
      const runLight = readRunLight(conn, detected.columns.runs);
      return { info, storeRows: { store: info, runs: metadata.runs, artifacts: metadata.artifacts }, storeProblems: metadata.problems, marks: { ...marks, runLight } };
    });
    const cache: StoreCache = {
      absolutePath: candidate.absolutePath,
      rows: result.storeRows,
      problems: result.storeProblems,
      identity: sameIdentity(identity, fileIdentity(candidate.absolutePath)) ? identity : undefined,
      state: db.state,
      ...result.marks,
    };
    return { store: openStoreOf(result.info, db), storeRows: result.storeRows, storeProblems: result.storeProblems, cache };
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Wraps the snapshot reader `db` as an open store that reads details from it and closes it on close. */
export function openStoreOf(info: StoreInfo, db: SnapshotDatabase): OpenStore {
  return { info, reader: snapshotDetailsReader(db), close: () => db.close() };
}

function sameIdentity(a: { dev: number; ino: number } | undefined, b: { dev: number; ino: number } | undefined): boolean {
  return a !== undefined && b !== undefined && a.dev === b.dev && a.ino === b.ino;
}

function snapshotDetailsReader(db: SnapshotDatabase): StoreDetailsReader {
  return {
    artifactMetadata: (ref, full, capBytes) => db.read('load version details', (conn) => readArtifactMetadata(conn, ref.rowid, full, capBytes)),
    catalogMetadata: (ref) => db.read('load catalog details', (conn) => readCatalogMetadata(conn, ref.rowid)),
  };
}

function problemFromSourceError(source: StoreSource, error: unknown): LoadProblem {
  const code = error instanceof StoreError ? error.code : 'io';
  const message = describeError(error);
  const named = message.includes(source.label) ? message : `${source.label}: ${message}`;
  return { file: source.label, severity: 'error', code, message: named };
}

function problemFromError(candidate: StoreCandidate, error: unknown): LoadProblem {
  const code = error instanceof StoreError ? error.code : 'io';
  const message = describeError(error);
  const named = message.includes(candidate.path) || message.includes(candidate.absolutePath) ? message : `${candidate.path}: ${message}`;
  return { file: candidate.path, severity: 'error', code, message: named };
}

class LoadedWorkspace implements WorkspaceIndex {
  readonly stores: StoreInfo[];
  readonly versions: AssetVersion[];
  readonly runs: RunInfo[];
  private readonly byId = new Map<string, AssetVersion>();
  private lineageCache: LineageIndex | undefined;
  private assetCache: AssetSummary[] | undefined;

  constructor(
    readonly root: string,
    private readonly open: OpenStore[],
    private readonly model: BuiltModel,
    readonly problems: LoadProblem[],
    private readonly detailsCapBytes: number,
  ) {
    this.stores = open.map((s) => s.info);
    this.versions = model.versions;
    this.runs = model.runs;
    for (const v of model.versions) {
      this.byId.set(v.id, v);
      for (const alias of v.aliases) this.byId.set(alias, v);
    }
  }

  /**
   * Built on first use, so a reload shows its versions without waiting for
   * the index (about 0.5 s of CPU per 75k versions, measured on a loaded
   * 2-core machine). The first lineage, children or details call pays it.
   */
  private get lineageIndex(): LineageIndex {
    this.lineageCache ??= new LineageIndex(this.model.versions, this.model.runs);
    return this.lineageCache;
  }

  getVersion(id: string): AssetVersion | undefined {
    return this.byId.get(id);
  }

  assets(): AssetSummary[] {
    if (this.assetCache) return this.assetCache;
    const groups = new Map<string, AssetVersion[]>();
    for (const v of this.versions) {
      const key = `${v.type}\u0000${v.name}`;
      const list = groups.get(key);
      if (list) list.push(v);
      else groups.set(key, [v]);
    }
    this.assetCache = [...groups.values()].map((list) => {
      const versions = sortAssetVersions(list);
      return { type: versions[0].type, name: versions[0].name, versions, latest: versions[versions.length - 1] };
    });
    return this.assetCache;
  }

  children(id: string): string[] {
    const version = this.byId.get(id);
    return this.lineageIndex.children(version?.id ?? id);
  }

  lineage(id: string, options?: { depth?: number; direction?: LineageDirection }): LineageGraph {
    const version = this.byId.get(id);
    const focus = version?.id ?? id;
    if (!version && !this.lineageIndex.has(focus)) {
      throw new StoreError('not-found', `No asset version, step or run with id "${id}" in ${this.root}.`);
    }
    return this.lineageIndex.subgraph(focus, options);
  }

  async details(id: string, options: { full?: boolean } = {}): Promise<VersionDetails> {
    const version = this.byId.get(id);
    if (!version) throw new StoreError('not-found', `No asset version with id "${id}" in ${this.root}.`);
    const source = this.model.sources.get(version.id) as VersionSource;

    let raw: Record<string, unknown> = {};
    let rawTruncated = false;
    const issues: string[] = [];
    let storedProperties: Record<string, unknown> = {};
    const topLevel: Record<string, unknown> = {};

    if (source.metadata) {
      const store = this.storeFor(source.metadata.store);
      const { artifactId } = source.metadata;
      const loaded = await store.reader.artifactMetadata(source.metadata, options.full === true, this.detailsCapBytes);
      if (loaded.text === undefined) issues.push(`${store.info.path}: the row of "${artifactId}" is no longer in the store; reload to see the current state.`);
      rawTruncated = loaded.truncated;
      const parsed = parseObject(loaded.text, `${store.info.path}: metadata of "${artifactId}"`, issues);
      raw = parsed;
      storedProperties = isPlainObject(parsed.properties) ? { ...parsed.properties } : {};
      for (const key of ['training_history', 'value']) if (parsed[key] !== undefined) topLevel[key] = parsed[key];
    }

    for (const ref of source.catalog) {
      const store = this.storeFor(ref.store);
      const text = await store.reader.catalogMetadata(ref);
      const parsed = parseObject(text, `${store.info.path}: metadata of catalog row "${ref.artifactId}"`, issues);
      const { properties, rest } = storedPropertiesOf(parsed);
      for (const [key, value] of Object.entries(properties)) {
        if (!hasOwn(storedProperties, key)) setOwn(storedProperties, key, value);
      }
      for (const [key, value] of Object.entries(rest)) if (!hasOwn(topLevel, key)) setOwn(topLevel, key, value);
      raw = source.metadata ? { ...raw, catalog: { ...(isPlainObject(raw.catalog) ? raw.catalog : {}), [ref.artifactId]: parsed } } : parsed;
    }

    for (const key of BULK_DATA_KEYS) delete storedProperties[key];
    const properties = mapProperties(version.type, storedProperties, topLevel);

    return {
      version,
      properties,
      raw,
      rawTruncated,
      rawCapBytes: this.detailsCapBytes,
      problem: issues.length > 0 ? issues.join(' ') : undefined,
      children: this.children(version.id),
    };
  }

  private storeFor(path: string): OpenStore {
    const store = this.open.find((s) => s.info.path === path);
    if (!store) throw new StoreError('not-found', `Store ${path} is not open.`, path);
    return store;
  }

  dispose(): void {
    for (const s of this.open) s.close();
  }
}

function parseObject(text: string | undefined, where: string, issues: string[]): Record<string, unknown> {
  if (text === undefined || text === '') return {};
  try {
    const value = parseTolerantJson(text);
    return isPlainObject(value) ? value : { value };
  } catch (error) {
    issues.push(`${where} is malformed JSON (${describeError(error)}).`);
    return {};
  }
}
