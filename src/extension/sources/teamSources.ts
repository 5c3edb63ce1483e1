/**
 * Keeps the team stores of each workspace folder: a PostgreSQL metadata
 * store (`flowyml.metadataUrl`) and a remote catalog (`flowyml.catalogUrl`).
 *
 * Loading runs here, apart from the store service's reload, so a slow or
 * unreachable server never holds up the local stores: the store service gets
 * the rows of the last finished load (or its error) at once. A timer then
 * checks each source for changes: PostgreSQL by row counts and the latest
 * created_at, since FlowyML sends no notifications, and a catalog by its
 * listing. A change reloads the rows and fires `onDidChange`.
 *
 * The sources are built again when their settings, a password or API key,
 * or the workspace folders change, and when a folder's flowyml.yaml is
 * created, edited or deleted such that the URLs of its active stack differ.
 */
import crypto from 'node:crypto';
import * as vscode from 'vscode';
import { StoreError, describeError } from '../../core';
import { isPostgresUrl } from '../../core/sources/postgres-config';
import { PostgresSource } from '../../core/sources/postgres';
import { redactUrl } from '../../core/sources/redact';
import { RemoteCatalogSource } from '../../core/sources/remote-catalog';
import type { CatalogClient } from '../../core/sources/catalog-client';
import type { SourceLog } from '../../core/sources/log';
import { STACK_CONFIG_NAMES, teamUrlsChanged, type StackTeamUrls } from '../../core/sources/stack-url';
import type { LoadedSource, StoreSource } from '../../core/store/workspace';
import { ContextKeys } from '../ids';
import type { Log } from '../log';
import { TeamText } from './teamMessages';
import { TeamSecrets } from './teamSecrets';
import { affectsTeamSettings, readTeamSettings, type TeamSourceSettings } from './teamSettings';

interface SourceState {
  key: string;
  folder: vscode.WorkspaceFolder;
  kind: 'postgresql' | 'catalog-api';
  source: PostgresSource | RemoteCatalogSource;
  loaded: LoadedSource | undefined;
  error: StoreError | undefined;
  fingerprint: string | undefined;
  /** True once the first load has finished, successfully or not. */
  settled: boolean;
  busy: boolean;
}

/** A remote catalog that can receive new versions, with the folder it belongs to. */
export interface CatalogTarget {
  folder: vscode.WorkspaceFolder;
  label: string;
  client: CatalogClient;
  /** Why the last load failed, if it did: the register command shows it instead of posting. */
  error: StoreError | undefined;
  /** True once the catalog's entries are in the folder's index. */
  loaded: boolean;
}

/** Waits this long after the last flowyml.yaml event, because an editor's save can fire several. */
const STACK_DEBOUNCE_MS = 300;

export class TeamSourceService implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when a team store finished loading, changed, or failed anew. */
  readonly onDidChange = this.changed.event;
  private readonly stackChanged = new vscode.EventEmitter<void>();
  /** Fires when an edit of a flowyml.yaml changed the URL of a team store, before the sources are rebuilt. */
  readonly onDidChangeStackUrls = this.stackChanged.event;
  /** The URLs each folder's sources were last built from, by folder URI. */
  private builtUrls = new Map<string, StackTeamUrls>();
  private stackWatchers: vscode.Disposable[] = [];
  private readonly stackTimers = new Map<string, NodeJS.Timeout>();

  private states: SourceState[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly loggedErrors = new Map<string, string>();
  private generation = 0;

  constructor(private readonly secrets: TeamSecrets, private readonly log: Log) {
    this.subscriptions.push(
      this.changed,
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (affectsTeamSettings(event)) void this.rebuild('settings changed');
      }),
      this.stackChanged,
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        this.watchStackConfigs();
        void this.rebuild('workspace folders changed');
      }),
      secrets.onDidChange(() => void this.rebuild('a password or API key changed')),
    );
    this.watchStackConfigs();
    void this.rebuild('activation');
  }

  /** Lists the remote catalogs configured for any folder, in folder order. */
  catalogTargets(): CatalogTarget[] {
    return this.states
      .filter((state) => state.kind === 'catalog-api' && state.source instanceof RemoteCatalogSource)
      .map((state) => ({
        folder: state.folder,
        label: state.source.label,
        client: (state.source as RemoteCatalogSource).client,
        error: state.error,
        loaded: state.settled && state.loaded !== undefined && state.error === undefined,
      }));
  }

  /** Reads one source again now (after a registration), and fires `onDidChange` when its rows changed. */
  async reloadSource(label: string, folder: vscode.WorkspaceFolder): Promise<void> {
    const generation = this.generation;
    const state = this.states.find((s) => s.source.label === label && s.folder.uri.toString() === folder.uri.toString());
    if (!state) return;
    // A poll that is reading the source already may have missed the new row, so wait for it and read again.
    while (state.busy) await new Promise((resolve) => setTimeout(resolve, 50));
    if (await this.reload(state, generation)) this.changed.fire();
  }

  /** Sources to read with the folder's local stores: only those whose first load has finished. */
  sourcesFor(folder: vscode.WorkspaceFolder | undefined): StoreSource[] {
    return this.states
      .filter((state) => state.settled && state.folder.uri.toString() === folder?.uri.toString())
      .map((state) => ({
        label: state.source.label,
        load: async () => {
          if (state.error) throw state.error;
          if (!state.loaded) throw new StoreError('unreachable', `${state.source.label} has not been read yet.`, state.source.label);
          // The service owns the connections, so the index must not close them.
          return { ...state.loaded, close: undefined };
        },
      }));
  }

  /** Folders that have team stores configured, whose first load has finished. */
  foldersWithSources(): vscode.WorkspaceFolder[] {
    const seen = new Map<string, vscode.WorkspaceFolder>();
    for (const state of this.states) if (state.settled) seen.set(state.folder.uri.toString(), state.folder);
    return [...seen.values()];
  }

  /** Returns the labels of the configured PostgreSQL or catalog sources, with their folder. */
  configured(kind: 'postgresql' | 'catalog-api'): { folder: vscode.WorkspaceFolder; label: string }[] {
    return this.states.filter((s) => s.kind === kind).map((s) => ({ folder: s.folder, label: s.source.label }));
  }

  /** Checks every source now, as the timer does. */
  poll(): Promise<void> {
    return this.checkAll(this.generation);
  }

  dispose(): void {
    this.generation += 1;
    if (this.timer) clearInterval(this.timer);
    for (const timer of this.stackTimers.values()) clearTimeout(timer);
    for (const watcher of this.stackWatchers) watcher.dispose();
    for (const subscription of this.subscriptions) subscription.dispose();
    void this.closeAll(this.states);
    this.states = [];
  }

  private async rebuild(reason: string): Promise<void> {
    const generation = ++this.generation;
    if (this.timer) clearInterval(this.timer);
    const previous = this.states;
    this.states = [];
    await this.closeAll(previous);

    const next: SourceState[] = [];
    let interval = 0;
    const urls = new Map<string, StackTeamUrls>();
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const settings = readTeamSettings(folder);
      urls.set(folder.uri.toString(), { metadataUrl: settings.metadataUrl, catalogUrl: settings.catalogUrl });
      if (settings.pollIntervalSeconds > 0) interval = interval === 0 ? settings.pollIntervalSeconds : Math.min(interval, settings.pollIntervalSeconds);
      const created = await this.createSources(folder, settings);
      next.push(...created);
    }
    if (generation !== this.generation) {
      await this.closeAll(next);
      return;
    }
    this.states = next;
    this.builtUrls = urls;
    void vscode.commands.executeCommand('setContext', ContextKeys.teamCatalog, this.catalogTargets().length > 0);
    if (next.length > 0) this.log.info(`Team stores: ${next.map((s) => s.source.label).join(', ')} (${reason})`);
    if (previous.length > 0 || next.length > 0) this.changed.fire();

    if (next.length === 0) return;
    await Promise.all(next.map((state) => this.reload(state, generation)));
    if (generation !== this.generation) return;
    this.changed.fire();
    if (interval > 0 && next.length > 0) this.timer = setInterval(() => void this.checkAll(generation), interval * 1000);
  }

  /** Watches the stack config files of every local folder, after disposing the previous watchers. */
  private watchStackConfigs(): void {
    for (const watcher of this.stackWatchers) watcher.dispose();
    this.stackWatchers = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      if (folder.uri.scheme !== 'file') continue;
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, `{${STACK_CONFIG_NAMES.join(',')}}`));
      const onEvent = () => this.stackConfigTouched(folder);
      this.stackWatchers.push(watcher, watcher.onDidCreate(onEvent), watcher.onDidChange(onEvent), watcher.onDidDelete(onEvent));
    }
  }

  /** Rebuilds the sources once the folder's stack config settles, when the URLs read from it differ from the ones built. */
  private stackConfigTouched(folder: vscode.WorkspaceFolder): void {
    const key = folder.uri.toString();
    const pending = this.stackTimers.get(key);
    if (pending) clearTimeout(pending);
    this.stackTimers.set(key, setTimeout(() => {
      this.stackTimers.delete(key);
      const settings = readTeamSettings(folder);
      const now: StackTeamUrls = { metadataUrl: settings.metadataUrl, catalogUrl: settings.catalogUrl };
      if (!teamUrlsChanged(this.builtUrls.get(key), now)) {
        this.log.debug(`The stack config of ${folder.name} changed; its team store URLs did not.`);
        return;
      }
      this.stackChanged.fire();
      void this.rebuild(`the stack config of ${folder.name} changed`);
    }, STACK_DEBOUNCE_MS));
  }

  private async createSources(folder: vscode.WorkspaceFolder, settings: TeamSourceSettings): Promise<SourceState[]> {
    const states: SourceState[] = [];
    const sourceLog = this.sourceLog();
    if (settings.metadataUrl !== undefined) {
      const label = redactUrl(settings.metadataUrl);
      if (!isPostgresUrl(settings.metadataUrl)) {
        this.log.warn(TeamText.invalidSetting('flowyml.metadataUrl', `"${label}" is not a postgresql:// URL.`));
      } else {
        if (!settings.metadataUrlFromStack && /\/\/[^/@]*:[^/@]*@/.test(settings.metadataUrl)) void vscode.window.showWarningMessage(TeamText.passwordInUrl(label));
        try {
          const source = new PostgresSource({
            url: settings.metadataUrl,
            password: await this.secrets.password(label),
            statementTimeoutMs: settings.statementTimeoutMs,
            sslMode: settings.sslMode,
            caFile: settings.caFile,
          }, sourceLog);
          states.push(newState(folder, 'postgresql', source));
        } catch (error) {
          this.log.warn(TeamText.invalidSetting('flowyml.metadataUrl', describeError(error)));
        }
      }
    }
    if (settings.catalogUrl !== undefined) {
      try {
        const source = new RemoteCatalogSource({ url: settings.catalogUrl, apiKey: await this.secrets.apiKey(redactUrl(settings.catalogUrl)) }, sourceLog);
        states.push(newState(folder, 'catalog-api', source));
      } catch (error) {
        this.log.warn(TeamText.invalidSetting('flowyml.catalogUrl', describeError(error)));
      }
    }
    return states;
  }

  private async checkAll(generation: number): Promise<void> {
    const changed = await Promise.all(this.states.map((state) => this.check(state, generation)));
    if (generation === this.generation && changed.some(Boolean)) this.changed.fire();
  }

  /** Returns true when the source's rows or state changed. */
  private async check(state: SourceState, generation: number): Promise<boolean> {
    if (state.busy) return false;
    if (state.error || !state.loaded) return this.reload(state, generation);
    if (!(state.source instanceof PostgresSource)) return this.reload(state, generation);
    try {
      const fingerprint = JSON.stringify(await state.source.fingerprint());
      if (fingerprint === state.fingerprint) return false;
      this.log.info(`${state.source.label} changed: ${fingerprint}`);
      return this.reload(state, generation);
    } catch (error) {
      return this.fail(state, error);
    }
  }

  private async reload(state: SourceState, generation: number): Promise<boolean> {
    state.busy = true;
    const hadError = state.error !== undefined;
    try {
      const fingerprint = state.source instanceof PostgresSource ? JSON.stringify(await state.source.fingerprint()) : undefined;
      const loaded = await state.source.load();
      if (generation !== this.generation) return false;
      const listing = fingerprint ?? listingHash(loaded);
      const changed = hadError || !state.settled || listing !== state.fingerprint;
      state.loaded = loaded;
      state.fingerprint = listing;
      state.error = undefined;
      state.settled = true;
      if (hadError) this.log.info(`${state.source.label} is reachable again.`);
      this.loggedErrors.delete(state.key);
      return changed;
    } catch (error) {
      return this.fail(state, error);
    } finally {
      state.busy = false;
    }
  }

  /** Records a failure; logs it once until the message changes, so a dead server does not flood the log. */
  private fail(state: SourceState, error: unknown): boolean {
    const storeError = error instanceof StoreError ? error : new StoreError('server', describeError(error), state.source.label);
    const changed = !state.settled || state.error?.message !== storeError.message;
    state.error = storeError;
    state.settled = true;
    if (this.loggedErrors.get(state.key) !== storeError.message) {
      this.loggedErrors.set(state.key, storeError.message);
      this.log.error(storeError.message);
    }
    return changed;
  }

  private sourceLog(): SourceLog {
    return {
      debug: (message) => this.log.debug(message),
      info: (message) => this.log.info(message),
      warn: (message) => this.log.warn(message),
      error: (message) => this.log.error(message),
    };
  }

  private async closeAll(states: SourceState[]): Promise<void> {
    await Promise.all(states.map((state) => (state.source instanceof PostgresSource ? state.source.close() : Promise.resolve())));
  }
}

function newState(folder: vscode.WorkspaceFolder, kind: SourceState['kind'], source: PostgresSource | RemoteCatalogSource): SourceState {
  return { key: `${folder.uri.toString()}|${source.label}`, folder, kind, source, loaded: undefined, error: undefined, fingerprint: undefined, settled: false, busy: false };
}

/** Hashes a catalog listing's ids, versions, times and tags, because a catalog has no cheap change check. */
function listingHash(loaded: LoadedSource): string {
  const hash = crypto.createHash('sha256');
  for (const row of loaded.rows.catalog ?? []) hash.update(`${row.artifactId}\u0000${row.version ?? ''}\u0000${row.createdAt ?? ''}\u0000${JSON.stringify(row.tags)}\n`);
  return hash.digest('hex');
}
