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
 */
import crypto from 'node:crypto';
import * as vscode from 'vscode';
import { StoreError, describeError } from '../../core';
import { isPostgresUrl } from '../../core/sources/postgres-config';
import { PostgresSource } from '../../core/sources/postgres';
import { redactUrl } from '../../core/sources/redact';
import { RemoteCatalogSource } from '../../core/sources/remote-catalog';
import type { SourceLog } from '../../core/sources/log';
import type { LoadedSource, StoreSource } from '../../core/store/workspace';
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

export class TeamSourceService implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when a team store finished loading, changed, or failed anew. */
  readonly onDidChange = this.changed.event;

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
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.rebuild('workspace folders changed')),
      secrets.onDidChange(() => void this.rebuild('a password or API key changed')),
    );
    void this.rebuild('activation');
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
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const settings = readTeamSettings(folder);
      if (settings.pollIntervalSeconds > 0) interval = interval === 0 ? settings.pollIntervalSeconds : Math.min(interval, settings.pollIntervalSeconds);
      const created = await this.createSources(folder, settings);
      next.push(...created);
    }
    if (generation !== this.generation) {
      await this.closeAll(next);
      return;
    }
    this.states = next;
    if (next.length > 0) this.log.info(`Team stores: ${next.map((s) => s.source.label).join(', ')} (${reason})`);
    if (previous.length > 0 || next.length > 0) this.changed.fire();

    if (next.length === 0) return;
    await Promise.all(next.map((state) => this.reload(state, generation)));
    if (generation !== this.generation) return;
    this.changed.fire();
    if (interval > 0 && next.length > 0) this.timer = setInterval(() => void this.checkAll(generation), interval * 1000);
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
