/**
 * Writes a planned registration as one row of catalog.db, in the shape
 * FlowyML's `ArtifactCatalog.register` writes: a uuid4 id, naive local
 * `created_at` with microseconds, JSON columns as Python's json.dumps
 * writes them, and `""` for the source step, run and pipeline.
 *
 * The row goes in with one INSERT inside a `BEGIN IMMEDIATE` transaction,
 * so a killed process leaves the store as it was or with the whole row:
 * SQLite rolls back an uncommitted transaction from its journal. An
 * automatic version is computed again inside the transaction, so two
 * registrations of one name never get the same version.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { versionId } from '../model/build';
import { compareVersionStrings } from '../model/versions';
import { CATALOG_DDL, type CatalogRow, INSERT_ROW } from './catalog-schema';
import { EngineError, type WriteConnection, type WriteEngine } from './engine';
import { RegisterError } from './errors';
import { duplicateVersion, pythonLocalIsoTime, type RegistrationPlan } from './plan';
import { pythonJsonDumps } from './python-json';
import { highestVersion, nextVersion, versionTaken } from './version';
import { assertWritableTarget } from './write-target';

/** How long to wait for another writer's lock before giving up, by default. */
export const DEFAULT_BUSY_TIMEOUT_MS = 30_000;
const RETRY_PAUSE_MS = 50;

export interface WriteOptions {
  busyTimeoutMs?: number;
  /** Called while another writer holds the lock, about every 150 ms. */
  onBusy?: (waitedMs: number, timeoutMs: number) => void;
  signal?: AbortSignal;
}

export interface WriteResult {
  /** The version id as `list` prints it. */
  id: string;
  artifactId: string;
  version: string;
  createdAt: string;
  /** The engine that wrote the row, for messages and logs. */
  engine: string;
  row: CatalogRow;
  /** True when catalog.db did not exist and was created with FlowyML's schema. */
  createdStore: boolean;
}

export async function writeRegistration(plan: RegistrationPlan, engine: WriteEngine, options: WriteOptions = {}): Promise<WriteResult> {
  const timeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  assertWritableTarget(plan.catalogPath);
  const createdStore = await ensureCatalogFile(plan.catalogPath, engine);

  let connection: WriteConnection;
  try {
    connection = await engine.open(plan.catalogPath);
  } catch (error) {
    throw writeFailed(plan, error);
  }

  try {
    const started = Date.now();
    await whileBusy(plan, () => connection.exec('BEGIN IMMEDIATE'), started, timeoutMs, options);
    let row: CatalogRow;
    try {
      // FlowyML runs the same statements on every ArtifactCatalog(); on an existing store they change nothing.
      for (const statement of CATALOG_DDL) await connection.exec(statement);
      const stored = (await connection.all('SELECT version FROM artifacts WHERE name = ? AND version IS NOT NULL', [plan.name]))
        .map((r) => String(r[0]));
      const version = versionInTransaction(plan, stored);
      row = rowOf(plan, version);
      await connection.exec(INSERT_ROW, Object.values(row));
      await whileBusy(plan, () => connection.exec('COMMIT'), started, timeoutMs, options);
    } catch (error) {
      await connection.exec('ROLLBACK').catch(() => undefined);
      throw error;
    }
    return {
      id: versionId(plan.catalogStore, 'artifacts', row.artifact_id),
      artifactId: row.artifact_id,
      version: row.version,
      createdAt: row.created_at,
      engine: engine.description,
      row,
      createdStore,
    };
  } catch (error) {
    if (error instanceof RegisterError) throw error;
    throw writeFailed(plan, error);
  } finally {
    await connection.close().catch(() => undefined);
  }
}

function versionInTransaction(plan: RegistrationPlan, stored: string[]): string {
  if (plan.versionIsExplicit) {
    if (versionTaken(stored, plan.version)) throw duplicateVersion(plan.name, plan.version);
    return plan.version;
  }
  // The plan's version came from the workspace as loaded; another writer may have stored higher versions since.
  const highest = highestVersion(stored);
  const stillNext = highest === undefined || compareVersionStrings(plan.version, highest) > 0;
  return stillNext && !versionTaken(stored, plan.version) ? plan.version : nextVersion(stored, plan.bump);
}

function rowOf(plan: RegistrationPlan, version: string): CatalogRow {
  return {
    artifact_id: crypto.randomUUID(),
    name: plan.name,
    artifact_type: plan.type,
    content_hash: plan.contentHash,
    source_step: '',
    source_run_id: '',
    source_pipeline: '',
    parent_ids: pythonJsonDumps(plan.parents.map((p) => p.catalogId)),
    tags: pythonJsonDumps(plan.tags),
    metadata: plan.metadataJson,
    uri: plan.uri,
    created_at: pythonLocalIsoTime(),
    version,
  };
}

/**
 * Runs a statement that needs a lock, retrying while SQLite reports busy.
 * Each attempt waits up to the engine's lock attempt inside SQLite, and
 * between attempts `onBusy` receives the time waited so far.
 */
async function whileBusy(plan: RegistrationPlan, statement: () => Promise<void>, started: number, timeoutMs: number, options: WriteOptions): Promise<void> {
  for (;;) {
    if (options.signal?.aborted) throw new RegisterError('cancelled', 'The registration was cancelled; nothing was written.');
    try {
      await statement();
      return;
    } catch (error) {
      if (!(error instanceof EngineError) || error.code !== 'busy') throw error;
    }
    const waited = Date.now() - started;
    if (waited >= timeoutMs) {
      throw new RegisterError('busy', `${plan.catalogPath} stayed locked by another writer for ${Math.round(timeoutMs / 1000)} s, so nothing was written. Try again when the running pipeline step has finished.`);
    }
    options.onBusy?.(waited, timeoutMs);
    await new Promise((resolve) => setTimeout(resolve, Math.min(RETRY_PAUSE_MS, timeoutMs - waited)));
  }
}

function writeFailed(plan: RegistrationPlan, error: unknown): RegisterError {
  if (error instanceof RegisterError) return error;
  const message = error instanceof Error ? error.message : String(error);
  let hint = '';
  if (error instanceof EngineError && error.code === 'readonly') hint = ' The file or its folder is read-only.';
  if (error instanceof EngineError && error.code === 'full') hint = ' The disk is full.';
  return new RegisterError('write-failed', `Could not write to ${plan.catalogPath}: ${message}.${hint} Nothing was written.`, { cause: error });
}

/**
 * Creates catalog.db with FlowyML's schema when it does not exist. The
 * schema is written to a temporary file first and hard-linked into place.
 * So a killed process never leaves an empty catalog.db. The link fails when
 * another process created catalog.db meanwhile, so a store that FlowyML
 * created concurrently is never replaced.
 */
async function ensureCatalogFile(catalogPath: string, engine: WriteEngine): Promise<boolean> {
  if (fs.existsSync(catalogPath)) return false;
  const folder = path.dirname(catalogPath);
  fs.mkdirSync(folder, { recursive: true });
  const temporary = path.join(folder, `.catalog-${crypto.randomUUID()}.db.tmp`);
  try {
    const connection = await engine.open(temporary, { create: true });
    try {
      await connection.exec('BEGIN IMMEDIATE');
      for (const statement of CATALOG_DDL) await connection.exec(statement);
      await connection.exec('COMMIT');
    } finally {
      await connection.close();
    }
    try {
      fs.linkSync(temporary, catalogPath);
      return true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return false;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV') throw error;
      // NOTE: file systems without hard links get a copy, which a reader could see half-written for a moment.
      try {
        fs.copyFileSync(temporary, catalogPath, fs.constants.COPYFILE_EXCL);
        return true;
      } catch (copyError) {
        if ((copyError as NodeJS.ErrnoException).code === 'EEXIST') return false;
        throw copyError;
      }
    }
  } catch (error) {
    throw new RegisterError('write-failed', `Could not create ${catalogPath}: ${error instanceof Error ? error.message : String(error)}. Nothing was written.`, { cause: error });
  } finally {
    fs.rmSync(temporary, { force: true });
    fs.rmSync(`${temporary}-journal`, { force: true });
  }
}
