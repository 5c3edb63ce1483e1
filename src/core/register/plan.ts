/**
 * Plans a registration: reads the file or value, picks the type, name and
 * next version, resolves parents against the workspace, hashes the content
 * and builds the metadata text. Nothing is written; `writeRegistration`
 * writes the plan.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { WorkspaceIndex } from '../api';
import type { AssetVersion, SeedAssetType } from '../model/types';
import { versionId } from '../model/build';
import { flowymlDirOf, relativeStorePath } from '../store/discover';
import { extractFile, type CheckpointFacts } from '../stats/extract';
import { ExtractionError, type Extraction, type ExtractProgress } from '../stats/types';
import { RegisterError } from './errors';
import { hashFile, hashFolder, hashValue, type HashBasis } from './hash';
import { PyDict, pythonJsonDumps } from './python-json';
import { extractValue, inferValueType, parseValue, type ValueSyntax } from './value';
import { nextVersion, type VersionBump, versionTaken } from './version';

export type RegisterSource =
  | { kind: 'file'; path: string }
  | { kind: 'value'; text: string; syntax: ValueSyntax };

export interface RegisterRequest {
  workspace: WorkspaceIndex;
  /** A file or folder (absolute, or relative to the current folder), or JSON/YAML text. */
  source: RegisterSource;
  /** The type to register as; inferred from the file or value when absent. */
  type?: SeedAssetType;
  /** Defaults to the file stem; required for a value. */
  name?: string;
  /** An explicit version. It must not exist yet for this name. */
  version?: string;
  /** How to derive the next version when none is given: `patch` by default. */
  bump?: VersionBump;
  /** Ids as `list` prints them (version ids or catalog aliases), or bare catalog artifact ids. */
  parents?: string[];
  tags?: Record<string, string>;
  /** Epoch, step, metrics and is_best of a Checkpoint. */
  checkpoint?: CheckpointFacts;
  signal?: AbortSignal;
  onProgress?: (progress: ExtractProgress) => void;
}

export interface PlannedParent {
  /** The version id as `list` prints it. */
  versionId: string;
  /** The id written into parent_ids. */
  catalogId: string;
  name: string;
  type: string;
  label: string;
}

export interface DuplicateVersion {
  id: string;
  name: string;
  type: string;
  label: string;
}

export interface RegistrationPlan {
  /** The folder the uri and store paths are relative to. */
  workspaceRoot: string;
  /** Absolute path of the catalog.db the row goes into; created if missing. */
  catalogPath: string;
  /** The catalog's path as `list` prints it in version ids. */
  catalogStore: string;
  type: SeedAssetType;
  name: string;
  /** The version to write. With `versionIsExplicit` false it is recomputed inside the write transaction. */
  version: string;
  versionIsExplicit: boolean;
  bump: VersionBump;
  parents: PlannedParent[];
  tags: Record<string, string>;
  properties: Record<string, unknown>;
  template?: unknown;
  contentHash: string;
  hashBasis: HashBasis;
  uri: string;
  /** Versions of the workspace with the same content hash: the caller asks before registering again. */
  duplicates: DuplicateVersion[];
  warnings: string[];
  assetId: string;
  assetCreatedAt: string;
  /** The metadata column, serialized as Python's json.dumps would. */
  metadataJson: string;
}

export async function planRegistration(request: RegisterRequest): Promise<RegistrationPlan> {
  const { workspace } = request;
  const base = path.basename(workspace.root) === '.flowyml' ? path.dirname(workspace.root) : workspace.root;
  const catalog = workspace.stores.find((s) => s.kind === 'catalog');
  const catalogPath = catalog?.absolutePath ?? path.join(flowymlDirOf(workspace.root), 'catalog.db');
  const catalogStore = catalog?.path ?? relativeStorePath(base, catalogPath);
  const assetCreatedAt = pythonLocalIsoTime();

  const tags = validateTags(request.tags ?? {});
  const parents = resolveParents(workspace, catalogStore, request.parents ?? []);

  let extraction: Extraction;
  let pythonProperties: PyDict | undefined;
  let contentHash: string;
  let hashBasis: HashBasis;
  let uri = '';
  let defaultName: string | undefined;

  if (request.source.kind === 'value') {
    const value = parseValue(request.source.text, request.source.syntax);
    const valueExtraction = extractValue(value, request.type ?? inferValueType(value));
    extraction = valueExtraction;
    pythonProperties = valueExtraction.pythonProperties;
    contentHash = hashValue(value);
    hashBasis = 'json-dumps';
  } else {
    const target = path.resolve(request.source.path);
    const options = { signal: request.signal, onProgress: request.onProgress };
    try {
      extraction = await extractFile(target, { ...options, type: request.type, checkpoint: request.checkpoint });
      const isFolder = fs.statSync(target).isDirectory();
      contentHash = isFolder ? await hashFolder(target, options) : await hashFile(target, options);
      hashBasis = isFolder ? 'folder-sha256sum' : 'file-bytes';
    } catch (error) {
      throw fromExtractionError(error);
    }
    const relative = path.relative(base, target);
    const inside = relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
    uri = inside ? relative.split(path.sep).join('/') : pathToFileURL(target).href;
    extraction.properties.file_path = inside ? uri : target;
    defaultName = path.basename(target).replace(/\.[^.]*$/, '') || path.basename(target);
  }

  const name = request.name ?? defaultName;
  if (name === undefined || name.trim() === '') throw new RegisterError('invalid-input', 'A name is required: pass --name, or register a file, whose stem is the default name.');

  const stored = storedVersionsOf(workspace, name);
  const bump = request.bump ?? 'patch';
  let version: string;
  if (request.version !== undefined) {
    if (request.version.trim() === '') throw new RegisterError('invalid-input', 'The version must not be empty.');
    if (versionTaken(stored, request.version)) throw duplicateVersion(name, request.version);
    version = request.version;
  } else {
    version = nextVersion(stored, bump);
  }

  const assetId = crypto.randomUUID();
  const metadata: Record<string, unknown> = {
    asset_id: assetId,
    asset_created_at: assetCreatedAt,
    properties: pythonProperties ?? extraction.properties,
  };
  if (hashBasis !== 'json-dumps') metadata.hash_basis = hashBasis;
  if (extraction.type === 'Prompt' && extraction.template !== undefined) metadata.template = extraction.template;

  const duplicates = workspace.versions
    .filter((v) => v.contentHash === contentHash)
    .map((v) => ({ id: v.id, name: v.name, type: v.type, label: v.label }));

  return {
    workspaceRoot: base,
    catalogPath,
    catalogStore,
    type: extraction.type,
    name,
    version,
    versionIsExplicit: request.version !== undefined,
    bump,
    parents,
    tags,
    properties: extraction.properties,
    template: extraction.template,
    contentHash,
    hashBasis,
    uri,
    duplicates,
    warnings: extraction.warnings,
    assetId,
    assetCreatedAt,
    metadataJson: pythonJsonDumps(metadata),
  };
}

/** Stored version strings of every version with this name, in every store of the workspace. */
export function storedVersionsOf(workspace: WorkspaceIndex, name: string): string[] {
  return workspace.versions.filter((v) => v.name === name && v.storedVersion !== undefined).map((v) => v.storedVersion as string);
}

export function duplicateVersion(name: string, version: string): RegisterError {
  return new RegisterError('duplicate-version', `Version ${version} of "${name}" already exists; choose another version, or leave it out to register the next one.`);
}

function validateTags(tags: Record<string, string>): Record<string, string> {
  for (const key of Object.keys(tags)) {
    if (key === '') throw new RegisterError('invalid-input', 'A tag needs a key: write tags as KEY=VALUE.');
  }
  return { ...tags };
}

/**
 * Resolves parent ids to versions of the workspace and picks the id written
 * into parent_ids:
 *
 * - a version read from catalog.db: its catalog artifact id;
 * - a metadata.db version merged with catalog rows: the artifact id of the
 *   alias given, else of the last alias. FlowyML writes a step's automatic
 *   `<step>_output` row while the step runs, so an explicitly registered row
 *   of the same output comes later;
 * - a metadata.db version with no catalog row: its metadata.db artifact id.
 *
 * Catalog ids are what FlowyML's own `get_lineage` looks up. A version that
 * only metadata.db records has no catalog id, and its artifact id
 * (`<run>_<step>_<output>`, unique per run) is the id FlowyML gives it.
 *
 * NOTE: model/build.ts resolves stored parent ids through catalog ids only,
 * so it shows a metadata.db artifact id parent as missing.
 */
function resolveParents(workspace: WorkspaceIndex, catalogStore: string, ids: string[]): PlannedParent[] {
  const parents: PlannedParent[] = [];
  for (const id of ids) {
    const bareCatalogId = versionId(catalogStore, 'artifacts', id);
    const version = workspace.getVersion(id) ?? workspace.getVersion(bareCatalogId);
    if (!version) {
      throw new RegisterError('unknown-parent', `Parent "${id}" is not an asset version of ${workspace.root}; use an id that "flowyml-assets list" prints.`);
    }
    const givenId = workspace.getVersion(id) ? id : bareCatalogId;
    const catalogId = catalogIdOf(version, givenId, catalogStore);
    if (parents.some((p) => p.catalogId === catalogId)) continue;
    parents.push({ versionId: version.id, catalogId, name: version.name, type: version.type, label: version.label });
  }
  return parents;
}

function catalogIdOf(version: AssetVersion, givenId: string, catalogStore: string): string {
  const inCatalog = (id: string) => parseVersionId(id)?.store === catalogStore;
  if (inCatalog(version.id)) return parseVersionId(version.id)!.key;
  if (givenId !== version.id && inCatalog(givenId)) return parseVersionId(givenId)!.key;
  const alias = version.aliases.filter(inCatalog).at(-1);
  if (alias) return parseVersionId(alias)!.key;
  return parseVersionId(version.id)?.key ?? version.id;
}

/** Splits `<store>:<table>:<key>`; each part is percent-encoded, so the colons are unambiguous. */
export function parseVersionId(id: string): { store: string; table: string; key: string } | undefined {
  const parts = id.split(':');
  if (parts.length !== 3) return undefined;
  try {
    return { store: decodeURIComponent(parts[0]), table: decodeURIComponent(parts[1]), key: decodeURIComponent(parts[2]) };
  } catch {
    return undefined;
  }
}

function fromExtractionError(error: unknown): unknown {
  if (!(error instanceof ExtractionError)) return error;
  let code: 'cancelled' | 'unreadable' | 'unsupported' = 'unsupported';
  if (error.code === 'cancelled') code = 'cancelled';
  if (error.code === 'unreadable') code = 'unreadable';
  return new RegisterError(code, error.message, { cause: error });
}

/**
 * Formats the current local time as Python's `datetime.now().isoformat()`
 * writes it: no zone, microseconds when they are not zero. The microseconds come
 * from the high-resolution clock, because Date has only milliseconds.
 */
export function pythonLocalIsoTime(now = performance.timeOrigin + performance.now()): string {
  const wholeMs = Math.floor(now);
  const date = new Date(wholeMs);
  const micros = Math.floor((now - Math.floor(now / 1000) * 1000) * 1000) % 1_000_000;
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const seconds = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  return micros === 0 ? seconds : `${seconds}.${pad(micros, 6)}`;
}
