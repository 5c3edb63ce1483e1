/**
 * Keeps one loaded WorkspaceIndex per workspace folder and the NameIndex
 * over all of them. A store change reloads the folder it belongs to after a
 * short quiet period; a reload that finds every store file unchanged is
 * skipped. Requests lease the current index, so a reload never closes a
 * database that a hover is still reading.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describeError, reloadWorkspace, type LoadOptions, type WorkspaceIndex } from '../../core';
import { discoverStores, resolveExplicitStore } from '../../core/store/discover';
import type { FolderIndexStatus, IndexStatus } from '../../protocol/lsp';
import type { Logger } from '../log';
import { NameIndex, type FolderStore } from './nameIndex';
import { teamStamp, type TeamSources } from './teamSources';
import { watchStoreFolders, watchTargets, type StoreWatcher } from './storeWatcher';

export interface StoreServiceOptions {
  /** Quiet period after the last store file event before reloading, in milliseconds. */
  reloadDelayMs: number;
  /** Explicit store paths relative to each folder; empty means discovery. */
  storePaths: string[];
  /** Watch store folders with fs.watch; the client's file events work either way. */
  watch: boolean;
  log: Logger;
  /** Team stores, read with the first folder's stores and checked for changes every `pollMs`. */
  teamSources?: TeamSources;
  /** The read time limit and the memory guard, as `loadWorkspace` takes them. */
  limits?: Pick<LoadOptions, 'open' | 'sizeGuard'>;
}

interface FolderState {
  root: string;
  workspace: WorkspaceIndex | undefined;
  signature: string | undefined;
  loadedAt: string | undefined;
  loadMs: number | undefined;
  watcher: StoreWatcher | undefined;
  timer: NodeJS.Timeout | undefined;
  /** The load in progress, so overlapping requests share it. */
  loading: Promise<boolean> | undefined;
  /** Set when a change arrives during a load, so one more load follows. */
  dirty: boolean;
}

interface Generation {
  index: NameIndex;
  leases: number;
  /** Workspaces to dispose once this generation is replaced and its last lease ends. */
  retire: WorkspaceIndex[];
  replaced: boolean;
}

export class StoreService {
  private readonly folders = new Map<string, FolderState>();
  private current: Generation = { index: new NameIndex([]), leases: 0, retire: [], replaced: false };
  private generationNumber = 0;
  private readonly listeners: ((status: IndexStatus) => void)[] = [];
  private disposed = false;

  private readonly teamTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: StoreServiceOptions) {
    const team = options.teamSources;
    if (team && team.pollMs > 0) {
      this.teamTimer = setInterval(() => {
        const first = this.firstFolder();
        if (first) this.schedule(first);
      }, team.pollMs);
      this.teamTimer.unref();
    }
  }

  onDidChange(listener: (status: IndexStatus) => void): void {
    this.listeners.push(listener);
  }

  /** Sets the workspace folders and loads them all. */
  async setFolders(roots: string[]): Promise<void> {
    const wanted = new Set(roots.map((r) => path.resolve(r)));
    for (const [root, state] of this.folders) {
      if (wanted.has(root)) continue;
      this.stopFolder(state);
      this.folders.delete(root);
    }
    for (const root of wanted) {
      if (!this.folders.has(root)) this.folders.set(root, emptyState(root));
    }
    await this.reloadAll(true);
  }

  /** Reloads every folder; without `force`, folders whose store files are unchanged are skipped. */
  async reloadAll(force: boolean): Promise<IndexStatus> {
    const results = await Promise.all([...this.folders.values()].map((state) => this.load(state, force)));
    if (results.some(Boolean) || force) this.publish();
    return this.status();
  }

  /** Schedules a reload of the folder that contains `file`, or of every folder when none does. */
  fileChanged(file: string): void {
    const resolved = path.resolve(file);
    const owners = [...this.folders.values()].filter((s) => resolved === s.root || resolved.startsWith(s.root + path.sep));
    for (const state of owners.length > 0 ? owners : this.folders.values()) this.schedule(state);
  }

  /**
   * Runs `use` against the current index. The index's databases stay open
   * until `use` settles, even if a reload replaces the index meanwhile.
   */
  async withIndex<T>(use: (index: NameIndex) => Promise<T> | T): Promise<T> {
    const generation = this.current;
    generation.leases += 1;
    try {
      return await use(generation.index);
    } finally {
      generation.leases -= 1;
      this.disposeIfUnused(generation);
    }
  }

  status(): IndexStatus {
    const folders: FolderIndexStatus[] = [...this.folders.values()].map((state) => ({
      root: state.root,
      stores: state.workspace?.stores.map((s) => s.path) ?? [],
      versions: state.workspace?.versions.length ?? 0,
      runs: state.workspace?.runs.length ?? 0,
      problems: state.workspace?.problems.map((p) => p.message) ?? [],
      loadedAt: state.loadedAt,
      loadMs: state.loadMs,
    }));
    return { folders, generation: this.generationNumber };
  }

  dispose(): void {
    this.disposed = true;
    if (this.teamTimer) clearInterval(this.teamTimer);
    for (const state of this.folders.values()) this.stopFolder(state);
    this.folders.clear();
    this.current.replaced = true;
    this.current.retire.push(...this.current.index.folders.map((f) => f.workspace));
    this.disposeIfUnused(this.current);
  }

  private firstFolder(): FolderState | undefined {
    return this.folders.values().next().value;
  }

  private schedule(state: FolderState): void {
    if (this.disposed) return;
    if (state.timer) clearTimeout(state.timer);
    state.timer = setTimeout(() => {
      state.timer = undefined;
      void this.load(state, false).then((changed) => {
        if (changed) this.publish();
      });
    }, this.options.reloadDelayMs);
  }

  /** Loads one folder; returns whether its index changed. */
  private load(state: FolderState, force: boolean): Promise<boolean> {
    if (state.loading) {
      state.dirty = true;
      return state.loading;
    }
    state.loading = this.loadOnce(state, force).finally(() => {
      state.loading = undefined;
      if (state.dirty && !this.disposed) {
        state.dirty = false;
        this.schedule(state);
      }
    });
    return state.loading;
  }

  private async loadOnce(state: FolderState, force: boolean): Promise<boolean> {
    const team = this.firstFolder() === state ? this.options.teamSources : undefined;
    const signature = storeSignature(state.root, this.options.storePaths) + (team ? `\n${await teamStamp(team)}` : '');
    if (!force && signature === state.signature) {
      this.options.log.trace(`Store files of ${state.root} are unchanged; reload skipped.`);
      return false;
    }

    const started = performance.now();
    let workspace: WorkspaceIndex;
    try {
      // Reads only what changed since the current index, which leases keep open until they end.
      workspace = await reloadWorkspace(state.workspace, state.root, { storePaths: this.options.storePaths, sources: team?.sources, ...this.options.limits });
    } catch (error) {
      this.options.log.error(`Couldn't load the stores of ${state.root}: ${describeError(error)}`);
      return false;
    }
    if (this.disposed || this.folders.get(state.root) !== state) {
      workspace.dispose();
      return false;
    }

    const previous = state.workspace;
    state.workspace = workspace;
    state.signature = signature;
    state.loadedAt = new Date().toISOString();
    state.loadMs = Math.round(performance.now() - started);
    this.replaceIndex(previous);
    this.logLoad(state, workspace);
    this.rewatch(state, workspace);
    return true;
  }

  private logLoad(state: FolderState, workspace: WorkspaceIndex): void {
    const { log } = this.options;
    log.info(`Loaded ${workspace.stores.length} store(s) of ${state.root}: ${workspace.versions.length} versions, ${workspace.runs.length} runs in ${state.loadMs} ms.`);
    // A broken store can report one problem per row; the first few name the cause.
    const shown = workspace.problems.slice(0, 10);
    for (const problem of shown) {
      if (problem.severity === 'error') log.error(problem.message);
      else log.warn(problem.message);
    }
    if (workspace.problems.length > shown.length) log.warn(`${workspace.problems.length - shown.length} more load problems in ${state.root} are not shown.`);
  }

  private replaceIndex(retired: WorkspaceIndex | undefined): void {
    const folders: FolderStore[] = [];
    for (const state of this.folders.values()) {
      if (state.workspace) folders.push({ root: state.root, workspace: state.workspace });
    }
    const previous = this.current;
    this.current = { index: new NameIndex(folders), leases: 0, retire: [], replaced: false };
    this.generationNumber += 1;
    previous.replaced = true;
    if (retired) previous.retire.push(retired);
    this.disposeIfUnused(previous);
  }

  private disposeIfUnused(generation: Generation): void {
    if (!generation.replaced || generation.leases > 0) return;
    for (const workspace of generation.retire.splice(0)) workspace.dispose();
  }

  private rewatch(state: FolderState, workspace: WorkspaceIndex): void {
    if (!this.options.watch) return;
    state.watcher?.dispose();
    // A team source's path is its URL; polling, not the file system, reports its changes.
    const targets = watchTargets(state.root, workspace.stores.filter((s) => s.remote === undefined).map((s) => s.absolutePath));
    state.watcher = watchStoreFolders(
      targets,
      () => this.schedule(state),
      (directory, error) => this.options.log.warn(`Couldn't watch ${directory} for store changes: ${error.message}. Changes there are picked up only from the editor's file events.`),
    );
  }

  private publish(): void {
    const status = this.status();
    for (const listener of this.listeners) listener(status);
  }

  private stopFolder(state: FolderState): void {
    if (state.timer) clearTimeout(state.timer);
    state.watcher?.dispose();
    if (state.workspace) {
      this.current.retire.push(state.workspace);
      state.workspace = undefined;
    }
  }
}

function emptyState(root: string): FolderState {
  return { root, workspace: undefined, signature: undefined, loadedAt: undefined, loadMs: undefined, watcher: undefined, timer: undefined, loading: undefined, dirty: false };
}

/**
 * Size, mtime and the header's change counter of every store file with its
 * journal and WAL. Equal signatures mean no commit happened in between:
 * SQLite increments the counter on each commit in rollback-journal mode, and
 * a WAL commit grows or rewrites the -wal file.
 */
function storeSignature(root: string, storePaths: string[]): string {
  const candidates = storePaths.length > 0 ? storePaths.flatMap((p) => resolveExplicitStore(root, p)) : discoverStores(root);
  const parts: string[] = [];
  for (const candidate of candidates) {
    const file = candidate.absolutePath;
    parts.push(`${file}|${fileStamp(file)}|${changeCounter(file)}|${fileStamp(`${file}-wal`)}|${fileStamp(`${file}-journal`)}`);
  }
  return parts.join('\n');
}

function fileStamp(file: string): string {
  try {
    const stat = fs.statSync(file);
    return `${stat.size}:${stat.mtimeMs}`;
  } catch {
    return '-';
  }
}

function changeCounter(file: string): string {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const bytes = Buffer.alloc(4);
    const read = fs.readSync(fd, bytes, 0, 4, 24);
    return read === 4 ? String(bytes.readUInt32BE(0)) : '-';
  } catch {
    return '-';
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
