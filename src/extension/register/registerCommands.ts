/**
 * The Register commands: a file or folder (palette or Explorer menu) or a
 * JSON or YAML editor selection becomes a new asset version in the folder's
 * catalog.db, or in a team catalog API when one is configured. The user
 * confirms the type, name, version, parents and tags. The core then plans
 * and writes the row (or posts the entry, through the same plan the CLI's
 * `register --catalog-url` uses), and the Assets view reloads and selects the
 * new version.
 */
import path from 'node:path';
import * as vscode from 'vscode';
import { describeError, loadWorkspace, register, StoreError, type SeedAssetType, type WorkspaceIndex } from '../../core';
import { planRemoteRegistration, postRemoteRegistration, remoteCatalogView } from '../../core/sources/remote-register';
import { Commands } from '../ids';
import type { Log } from '../log';
import { RegisterErrors, RegisterText, showError } from '../messages';
import { TeamText } from '../sources/teamMessages';
import type { CatalogTarget, TeamSourceService } from '../sources/teamSources';
import type { StoreService } from '../stores/storeService';
import type { AssetsTree } from '../tree/assetsTree';
import { confirmDuplicate, inputCheckpoint, inputName, inputTags, pickBump, pickParents, pickType } from './registerInputs';
import { revealVersion } from './reveal';
import type { WriteEngineService } from './writeEngine';

/** Types a selection can be registered as: a dict of numbers is Metrics, anything else an Artifact. */
const SELECTION_TYPES: readonly SeedAssetType[] = ['Metrics', 'Artifact'];

/** Progress messages are sent at most this often, so a fast read does not flood the notification. */
const PROGRESS_INTERVAL_MS = 200;

interface Target {
  folder: vscode.WorkspaceFolder;
  workspace: WorkspaceIndex;
  /** Disposes the index when it was loaded for this registration only. */
  release(): void;
  /** Set when the new version goes to a team catalog API instead of the folder's catalog.db. */
  catalog?: CatalogTarget;
}

type TargetItem = vscode.QuickPickItem & { folder: vscode.WorkspaceFolder; catalog?: CatalogTarget };

type Source = { kind: 'file'; path: string } | { kind: 'value'; text: string; syntax: register.ValueSyntax };

/** The handlers of the Register commands; commands.ts registers them. */
export class RegisterCommands {
  constructor(
    private readonly stores: StoreService,
    private readonly tree: AssetsTree,
    private readonly engines: WriteEngineService,
    private readonly log: Log,
    private readonly teamSources?: TeamSourceService,
  ) {}

  /** Registers the file or folder given by the Explorer menu, or one the user picks. */
  async registerFile(arg: unknown): Promise<void> {
    const engine = await this.earlyWriteEngine();
    if (engine === false) return;

    const uri = arg instanceof vscode.Uri ? arg : await pickFile();
    if (!uri) return;
    const file = uri.fsPath;
    const shown = path.basename(file);

    let inferred: SeedAssetType;
    try {
      inferred = register.inferAssetType(file);
    } catch (error) {
      await showError(this.log, RegisterErrors.register(shown, describeError(error)), error);
      return;
    }
    const type = await pickType(inferred, RegisterText.typePlaceholder(shown));
    if (!type) return;

    const defaultName = path.basename(file).replace(/\.[^.]*$/, '') || path.basename(file);
    await this.registerSource({ kind: 'file', path: file }, uri, type, defaultName, shown, engine);
  }

  /** Registers the JSON or YAML text selected in the active editor as Metrics or an Artifact. */
  async registerSelection(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    const text = editor ? editor.document.getText(editor.selection).trim() : '';
    if (!editor || text === '') {
      await showError(this.log, RegisterErrors.noSelection());
      return;
    }
    const engine = await this.earlyWriteEngine();
    if (engine === false) return;

    const syntax: register.ValueSyntax = editor.document.languageId === 'yaml' ? 'yaml' : 'json';
    const shown = vscode.l10n.t('the selection');
    let inferred: SeedAssetType;
    try {
      const valueType = register.inferValueType(register.parseValue(text, syntax));
      inferred = valueType === 'Metrics' ? 'Metrics' : 'Artifact';
    } catch (error) {
      await showError(this.log, RegisterErrors.register(shown, describeError(error)), error);
      return;
    }
    const type = await pickType(inferred, RegisterText.selectionTypePlaceholder(), SELECTION_TYPES);
    if (!type) return;

    const document = editor.document.uri;
    const defaultName = document.scheme === 'file' ? path.basename(document.fsPath).replace(/\.[^.]*$/, '') : '';
    await this.registerSource({ kind: 'value', text, syntax }, document, type, defaultName, shown, engine);
  }

  /** Asks for the rest of the request, plans it, confirms a duplicate, writes it and selects the new version. */
  private async registerSource(source: Source, near: vscode.Uri, type: SeedAssetType, defaultName: string, shown: string, early: register.WriteEngine | undefined): Promise<void> {
    const target = await this.chooseTarget(near, shown);
    if (!target) return;
    let engine = early;
    if (!target.catalog && !engine) {
      engine = await this.writeEngine();
      if (!engine) {
        target.release();
        return;
      }
    }

    try {
      const name = await inputName(defaultName);
      if (!name) return;
      const bump = await pickBump(target.workspace, name);
      if (!bump) return;
      const parents = await pickParents(target.workspace, type, name);
      if (!parents) return;
      const tags = await inputTags();
      if (!tags) return;
      let checkpoint: register.CheckpointFacts | undefined;
      if (type === 'Checkpoint') {
        checkpoint = await inputCheckpoint();
        if (!checkpoint) return;
      }

      if (target.catalog) {
        await this.registerRemote(target.catalog, target.workspace, { source, type, name, bump, parents, tags, checkpoint }, shown);
        return;
      }
      const writer = engine;
      if (!writer) return;
      const request = { workspace: target.workspace, source, type, name, bump, parents, tags, checkpoint };
      const plan = await withProgress(RegisterText.progressTitle(shown), (signal, report) => register.planRegistration({
        ...request,
        signal,
        onProgress: (progress) => report(progressText(progress)),
      }));
      if (!plan) return;
      for (const warning of plan.warnings) this.log.warn(`Registering ${shown}: ${warning}`);
      if (!(await confirmDuplicate(plan.duplicates))) return;

      const result = await withProgress(RegisterText.progressTitle(shown), (signal, report) => {
        report(RegisterText.progressWrite());
        return register.writeRegistration(plan, writer, {
          signal,
          onBusy: (waitedMs, timeoutMs) => report(RegisterText.progressBusy(Math.round(waitedMs / 1000), Math.round(timeoutMs / 1000))),
        });
      });
      if (!result) return;
      this.log.info(`Registered ${plan.type} ${plan.name} ${result.version} as ${result.id} through ${result.engine}`);

      await this.stores.refresh(`registered ${result.id}`);
      await revealVersion(this.tree, result.id, this.log);
      void vscode.window.showInformationMessage(RegisterText.registered(plan.type, plan.name, result.version), RegisterText.showDetails()).then((choice) => {
        if (choice) void vscode.commands.executeCommand(Commands.showDetails, result.id);
      });
    } catch (error) {
      if (error instanceof register.RegisterError && error.code === 'cancelled') {
        this.log.info(`Registering ${shown} was cancelled; nothing was written.`);
        return;
      }
      if (target.catalog && error instanceof StoreError) {
        await this.showRemoteError(target.catalog, shown, error);
        return;
      }
      await showError(this.log, RegisterErrors.register(shown, describeError(error)), error);
    } finally {
      target.release();
    }
  }

  /**
   * Plans against the team catalog, confirms a duplicate with the user, sends
   * POST /artifacts with the key from secret storage, reads the catalog
   * again and selects the new version in the Assets view.
   */
  private async registerRemote(catalog: CatalogTarget, workspace: WorkspaceIndex, request: Omit<register.RegisterRequest, 'workspace'>, shown: string): Promise<void> {
    const plan = await withProgress(RegisterText.progressTitle(shown), (signal, report) => planRemoteRegistration(workspace, catalog.client, {
      ...request,
      signal,
      onProgress: (progress) => report(progressText(progress)),
    }));
    if (!plan) return;
    for (const warning of plan.warnings) this.log.warn(`Registering ${shown}: ${warning}`);
    if (!(await confirmDuplicate(plan.duplicates))) return;

    // The POST is sent once and not cancelled: the server may store the entry even when its response is lost.
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: RegisterText.progressTitle(shown) }, async (progress) => {
      progress.report({ message: TeamText.progressSend(catalog.label) });
      const posted = await postRemoteRegistration(catalog.client, plan);
      progress.report({ message: TeamText.progressReload(catalog.label) });
      await this.teamSources?.reloadSource(catalog.label, catalog.folder);
      await this.stores.refresh(`registered ${posted.id}`);
      return posted;
    });
    if (result.sameContent) {
      this.log.warn(`${catalog.label} already held the same content as "${result.sameContent.name}" (${result.sameContent.artifact_id}); registered it again, as FlowyML does.`);
    }
    this.log.info(`Registered ${plan.type} ${plan.name} ${plan.version} as ${result.id} in ${catalog.label} (POST /artifacts)`);

    await revealVersion(this.tree, result.id, this.log);
    void vscode.window.showInformationMessage(TeamText.registeredRemote(plan.type, plan.name, plan.version, catalog.label), RegisterText.showDetails()).then((choice) => {
      if (choice) void vscode.commands.executeCommand(Commands.showDetails, result.id);
    });
  }

  /** Shows why a team catalog refused or missed a registration; an auth failure offers to set the key. */
  private async showRemoteError(catalog: CatalogTarget, shown: string, error: StoreError): Promise<void> {
    // The client's messages start with their own "Couldn't <operation>:"; the target's name replaces it.
    const reason = error.message.replace(/^Couldn't [^:]*: /, '');
    const fix = error.code === 'auth'
      ? { title: TeamText.setApiKey(), run: () => vscode.commands.executeCommand(Commands.setCatalogApiKey) }
      : undefined;
    await showError(this.log, RegisterErrors.register(shown, reason), undefined, fix);
  }

  /**
   * Checks trust before anything is asked. When no team catalog is
   * configured, also looks up the engine, as every registration then writes
   * catalog.db; otherwise the engine is looked up once a local store is
   * chosen. Returns false when registering cannot go on.
   */
  private async earlyWriteEngine(): Promise<register.WriteEngine | undefined | false> {
    if ((this.teamSources?.catalogTargets().length ?? 0) === 0) return (await this.writeEngine()) ?? false;
    if (!vscode.workspace.isTrusted) {
      await this.showUntrusted();
      return false;
    }
    return undefined;
  }

  private async showUntrusted(): Promise<void> {
    await showError(this.log, RegisterErrors.untrusted(), undefined, {
      title: RegisterText.manageTrust(),
      run: () => vscode.commands.executeCommand('workbench.trust.manage'),
    });
  }

  /**
   * Picks where the new version goes. Without a team catalog that is the
   * folder's catalog.db, with no question asked. With one, a quick pick
   * offers each folder's local store (the folder that contains the file first)
   * and each team catalog, labelled as such.
   */
  private async chooseTarget(near: vscode.Uri, shown: string): Promise<Target | undefined> {
    const catalogs = this.teamSources?.catalogTargets() ?? [];
    const home = vscode.workspace.getWorkspaceFolder(near) ?? vscode.workspace.workspaceFolders?.[0];
    if (catalogs.length === 0 || !home || home.uri.scheme !== 'file') return this.targetFor(near);

    await this.stores.whenLoaded();
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === 'file');
    const ordered = [home, ...folders.filter((folder) => folder.uri.toString() !== home.uri.toString())];
    const items: TargetItem[] = [];
    for (const folder of ordered) {
      const root = this.stores.roots.find((candidate) => candidate.folder?.uri.toString() === folder.uri.toString());
      const local = root?.index?.stores.find((store) => store.kind === 'catalog' && !store.remote);
      items.push({ label: `$(database) ${local?.path ?? '.flowyml/catalog.db'}`, description: TeamText.localStore(folder.name), folder });
    }
    for (const catalog of catalogs) {
      items.push({
        label: `$(cloud) ${catalog.label}`,
        description: TeamText.catalogKind(),
        detail: catalog.error ? TeamText.catalogUnavailable(catalog.error.message) : TeamText.catalogTargetDetail(catalog.folder.name),
        folder: catalog.folder,
        catalog,
      });
    }
    const picked = await vscode.window.showQuickPick(items, { placeHolder: TeamText.registerTargetPlaceholder(shown), matchOnDescription: true, ignoreFocusOut: true });
    if (!picked) return undefined;
    if (!picked.catalog) return this.localTarget(picked.folder);
    return this.catalogTarget(picked.catalog, shown);
  }

  /** The folder's index seen with the team catalog first, or undefined after showing why the catalog cannot take a version now. */
  private async catalogTarget(catalog: CatalogTarget, shown: string): Promise<Target | undefined> {
    // Take the current state: the catalog may have loaded or failed since the pick opened.
    const current = this.teamSources?.catalogTargets().find((candidate) => candidate.label === catalog.label && candidate.folder.uri.toString() === catalog.folder.uri.toString()) ?? catalog;
    if (current.error) {
      await this.showRemoteError(current, shown, current.error);
      return undefined;
    }
    const root = this.stores.roots.find((candidate) => candidate.folder?.uri.toString() === current.folder.uri.toString());
    const loaded = current.loaded && root?.index?.stores.some((store) => store.path === current.label && store.kind === 'catalog');
    if (!loaded || !root?.index) {
      await showError(this.log, RegisterErrors.register(shown, TeamText.catalogNotRead(current.label)));
      return undefined;
    }
    return { folder: current.folder, workspace: remoteCatalogView(root.index, current.label), release: () => undefined, catalog: current };
  }

  /** Returns the engine, or shows why registering is off (untrusted workspace or no engine) and returns undefined. */
  private async writeEngine(): Promise<register.WriteEngine | undefined> {
    if (!vscode.workspace.isTrusted) {
      await this.showUntrusted();
      return undefined;
    }
    const lookup = await this.engines.lookup();
    if (lookup.available) return lookup.engine;

    await showError(this.log, RegisterErrors.noEngine(), lookup.reason, {
      title: RegisterText.openSettings(),
      run: () => vscode.commands.executeCommand('workbench.action.openSettings', 'flowyml.pythonPath'),
    });

    return undefined;
  }

  /**
   * Returns the index of the folder the new version belongs to: the folder
   * that contains the file, else the first folder. A folder without stores
   * gets an empty index, and the write creates its catalog.db.
   */
  private async targetFor(near: vscode.Uri): Promise<Target | undefined> {
    const folder = vscode.workspace.getWorkspaceFolder(near) ?? vscode.workspace.workspaceFolders?.[0];
    if (!folder || folder.uri.scheme !== 'file') {
      await showError(this.log, RegisterErrors.noFolder());
      return undefined;
    }
    return this.localTarget(folder);
  }

  /** The index of a folder whose catalog.db receives the new version. */
  private async localTarget(folder: vscode.WorkspaceFolder): Promise<Target | undefined> {
    await this.stores.whenLoaded();
    const root = this.stores.roots.find((candidate) => candidate.folder?.uri.toString() === folder.uri.toString());
    if (!root) {
      const workspace = await loadWorkspace(folder.uri.fsPath);
      return { folder, workspace, release: () => workspace.dispose() };
    }
    // Versions and parents are checked against the loaded index, so a store that failed to load must not be skipped silently.
    // A team store that is down does not count: local versions are numbered from the local stores.
    const teamLabels = new Set(root.index?.stores.filter((store) => store.remote).map((store) => store.path) ?? []);
    for (const target of this.teamSources?.catalogTargets() ?? []) teamLabels.add(target.label);
    for (const label of this.teamSources?.configured('postgresql').map((source) => source.label) ?? []) teamLabels.add(label);
    if (!root.index || root.index.problems.some((problem) => problem.severity === 'error' && !teamLabels.has(problem.file))) {
      await showError(this.log, RegisterErrors.storeUnreadable(folder.name));
      return undefined;
    }

    return { folder, workspace: root.index, release: () => undefined };
  }
}

async function pickFile(): Promise<vscode.Uri | undefined> {
  const [picked] = await vscode.window.showOpenDialog({
    canSelectFiles: true,
    canSelectFolders: true,
    canSelectMany: false,
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    title: RegisterText.pickFileTitle(),
    openLabel: RegisterText.pickFileButton(),
  }) ?? [];

  return picked;
}

function progressText(progress: register.ExtractProgress): string {
  const percent = progress.bytesTotal > 0 ? Math.floor((progress.bytesDone / progress.bytesTotal) * 100) : 0;
  const file = path.basename(progress.file);

  return progress.phase === 'hash' ? RegisterText.progressHash(file, percent) : RegisterText.progressRead(file, percent);
}

/**
 * Runs a cancellable step under a progress notification. Returns undefined
 * when the user cancelled it. The step receives the cancellation through the signal.
 */
async function withProgress<T>(title: string, step: (signal: AbortSignal, report: (message: string) => void) => Promise<T>): Promise<T | undefined> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const controller = new AbortController();
    const subscription = token.onCancellationRequested(() => controller.abort());
    let lastReport = 0;
    const report = (message: string) => {
      const now = Date.now();
      if (now - lastReport < PROGRESS_INTERVAL_MS) return;
      lastReport = now;
      progress.report({ message });
    };
    try {
      return await step(controller.signal, report);
    } catch (error) {
      if (controller.signal.aborted && error instanceof register.RegisterError && error.code === 'cancelled') return undefined;
      throw error;
    } finally {
      subscription.dispose();
    }
  });
}
