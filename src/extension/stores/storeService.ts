/**
 * Finds and loads the FlowyML stores of every workspace folder, and keeps
 * one WorkspaceIndex per folder. Every view reads the stores through this
 * service, which announces each reload with `onDidChange`.
 */
import fs from 'node:fs';
import * as vscode from 'vscode';
import { describeError, reloadWorkspace, type AssetVersion, type WorkspaceIndex } from '../../core';
import { discoverStores, resolveExplicitStore, type StoreCandidate } from '../../core/store/discover';
import type { StoreSource } from '../../core/store/workspace';
import { affectsStorePaths, readStorePaths } from '../config';
import { ContextKeys, type StoreState } from '../ids';
import type { Log } from '../log';
import type { TeamSourceService } from '../sources/teamSources';
import { StoreLimits } from '../limits/storeLimits';

/** The stores of one workspace folder, loaded together into one index. */
export interface StoreRoot {
  /** The workspace folder; undefined for stores read while no folder is open. */
  folder: vscode.WorkspaceFolder | undefined;
  /** Absolute folder that version ids and store paths are relative to. */
  root: string;
  /** The folder's name, shown when several folders have stores. */
  name: string;
  stores: StoreCandidate[];
  /** Undefined when loading failed as a whole, and `error` then contains the reason. */
  index: WorkspaceIndex | undefined;
  error: string | undefined;
  loadedAt: Date;
  loadMs: number;
}

export class StoreService implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires after every reload, successful or not. */
  readonly onDidChange = this.changed.event;

  private current: StoreRoot[] = [];
  private currentState: StoreState = 'searching';
  private running: Promise<void> | undefined;
  private rerun = false;
  /** True when a pending rerun was asked for by something other than a file change. */
  private rerunForced = false;
  /** Sizes and modification times of every store file, taken as the last reload began. */
  private loadedFingerprint: string | undefined;
  private readonly firstLoad: Promise<void>;
  private readonly subscriptions: vscode.Disposable[] = [];
  /** The read time limit and the memory guard, from the settings. */
  /** The read time limit and memory guard, which the language server applies too. */
  readonly limits: StoreLimits;

  constructor(private readonly log: Log, private readonly teamSources?: TeamSourceService) {
    this.limits = new StoreLimits(log, (reason) => void this.refresh(reason));
    this.subscriptions.push(this.limits);
    if (teamSources) this.subscriptions.push(teamSources.onDidChange(() => void this.refresh('a team store changed')));
    this.subscriptions.push(
      this.changed,
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.refresh('workspace folders changed')),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (affectsStorePaths(event)) void this.refresh('flowyml.storePaths changed');
      }),
    );
    void this.setStateContext('searching');
    this.firstLoad = this.refresh('activation');
  }

  get roots(): readonly StoreRoot[] {
    return this.current;
  }

  get state(): StoreState {
    return this.currentState;
  }

  /** Resolves once the first load after activation has finished. */
  whenLoaded(): Promise<void> {
    return this.firstLoad;
  }

  /** Finds a version by id or catalog alias in any folder. */
  findVersion(id: string): { root: StoreRoot; version: AssetVersion } | undefined {
    for (const root of this.current) {
      const version = root.index?.getVersion(id);
      if (version) return { root, version };
    }

    return undefined;
  }

  /**
   * Reloads every store. A refresh requested while one runs starts once more
   * after it, so the last change is never lost and loads never overlap.
   */
  refresh(reason: string, options: { onlyIfChanged?: boolean } = {}): Promise<void> {
    const forced = options.onlyIfChanged !== true;
    if (this.running) {
      this.rerun = true;
      this.rerunForced ||= forced;
      return this.running;
    }
    if (!forced && this.unchangedSinceLoad(reason)) return Promise.resolve();
    this.running = this.reloadUntilSettled(reason).finally(() => {
      this.running = undefined;
    });

    return this.running;
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    for (const root of this.current) root.index?.dispose();
    this.current = [];
  }

  private async reloadUntilSettled(reason: string): Promise<void> {
    let cause = reason;
    do {
      this.rerun = false;
      this.rerunForced = false;
      await this.reload(cause);
      cause = 'a change during the previous reload';
      if (this.rerun && !this.rerunForced && this.unchangedSinceLoad(cause)) this.rerun = false;
    } while (this.rerun);
  }

  /**
   * Returns true when no store file differs from the last load. A watcher
   * event often reports a write the last reload already read, such as a
   * registration that reloaded the stores itself. Reloading again would only
   * redraw the views.
   */
  private unchangedSinceLoad(reason: string): boolean {
    if (this.loadedFingerprint === undefined || this.fingerprint() !== this.loadedFingerprint) return false;
    this.log.debug(`Not reloading for "${reason}": no store file changed since the last load`);
    return true;
  }

  /** Size and modification time, in nanoseconds, of each store database and its journal and WAL. */
  private fingerprint(): string {
    const parts: string[] = [];
    for (const { folder, root } of this.searchRoots()) {
      for (const store of this.findStores(root, folder)) {
        for (const file of [store.absolutePath, `${store.absolutePath}-journal`, `${store.absolutePath}-wal`]) {
          const stat = fs.statSync(file, { bigint: true, throwIfNoEntry: false });
          parts.push(stat ? `${file}:${stat.size}:${stat.mtimeNs}:${stat.ino}` : `${file}:-`);
        }
      }
    }
    return parts.join('|');
  }

  private async reload(reason: string): Promise<void> {
    const started = Date.now();
    this.log.debug(`Reloading FlowyML stores: ${reason}`);
    this.loadedFingerprint = this.fingerprint();

    const next: StoreRoot[] = [];
    for (const { folder, root, name } of this.searchRoots()) {
      const stores = this.findStores(root, folder);
      const sources = this.teamSources?.sourcesFor(folder) ?? [];
      if (stores.length === 0 && sources.length === 0) continue;
      const previous = this.current.find((loaded) => loaded.root === root)?.index;
      next.push(await this.loadRoot(folder, root, name, stores, sources, previous));
    }

    const previous = this.current;
    this.current = next;
    for (const root of previous) root.index?.dispose();

    let state: StoreState = 'found';
    if (next.length === 0) state = 'none';
    else if (next.every((root) => root.index === undefined)) state = 'error';
    await this.setStateContext(state);
    this.log.info(`Loaded ${next.reduce((sum, root) => sum + root.stores.length, 0)} FlowyML stores in ${Date.now() - started} ms (${reason})`);
    this.changed.fire();
  }

  private searchRoots(): { folder: vscode.WorkspaceFolder | undefined; root: string; name: string }[] {
    const folders = vscode.workspace.workspaceFolders ?? [];

    return folders
      .filter((folder) => folder.uri.scheme === 'file')
      .map((folder) => ({ folder, root: folder.uri.fsPath, name: folder.name }));
  }

  /** Lists the folder's own `.flowyml` stores and its `flowyml.storePaths` entries, each database once. */
  private findStores(root: string, folder: vscode.WorkspaceFolder | undefined): StoreCandidate[] {
    const found = [...discoverStores(root)];
    for (const entry of readStorePaths(folder)) {
      for (const candidate of resolveExplicitStore(root, entry)) {
        if (!found.some((known) => known.absolutePath === candidate.absolutePath)) found.push(candidate);
      }
    }

    return found;
  }

  private async loadRoot(
    folder: vscode.WorkspaceFolder | undefined,
    root: string,
    name: string,
    stores: StoreCandidate[],
    sources: StoreSource[] = [],
    previous?: WorkspaceIndex,
  ): Promise<StoreRoot> {
    const started = Date.now();
    try {
      // With no local store, an empty list would mean "discover", so pass the folder, which contains none.
      const storePaths = stores.length > 0 ? stores.map((store) => store.absolutePath) : [root];
      // Reads only what changed since `previous`, which stays open for the views until the new index replaces it.
      const index = await reloadWorkspace(previous, root, { storePaths, sources, ...this.limits.loadOptions() });
      this.limits.offer(root, index.problems);
      const loadMs = Date.now() - started;
      // The index lists the team stores too, so the counts are not put under the local store's name alone.
      const opened = index.stores.map((store) => store.path).join(', ') || 'no store';
      this.log.info(`Opened ${opened} in ${root}: ${index.versions.length} versions, ${index.runs.length} runs in ${loadMs} ms`);
      for (const problem of index.problems) {
        if (problem.severity === 'error') this.log.error(problem.message);
        else this.log.warn(problem.message);
      }

      return { folder, root, name, stores, index, error: undefined, loadedAt: new Date(), loadMs };
    } catch (error) {
      this.log.error(`Couldn't load the FlowyML stores in ${root}`, error);

      return { folder, root, name, stores, index: undefined, error: describeError(error), loadedAt: new Date(), loadMs: Date.now() - started };
    }
  }

  private async setStateContext(state: StoreState): Promise<void> {
    this.currentState = state;
    await vscode.commands.executeCommand('setContext', ContextKeys.storeState, state);
  }
}
