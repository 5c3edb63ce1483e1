/**
 * The Register commands: a file or folder (palette or Explorer menu) or a
 * JSON or YAML editor selection becomes a new asset version in the folder's
 * catalog.db. The user confirms the type, name, version, parents and tags.
 * The core then plans and writes the row, and the Assets view reloads and
 * selects the new version.
 */
import path from 'node:path';
import * as vscode from 'vscode';
import { describeError, loadWorkspace, register, type SeedAssetType, type WorkspaceIndex } from '../../core';
import { Commands } from '../ids';
import type { Log } from '../log';
import { RegisterErrors, RegisterText, showError } from '../messages';
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
}

type Source = { kind: 'file'; path: string } | { kind: 'value'; text: string; syntax: register.ValueSyntax };

/** The handlers of the Register commands; commands.ts registers them. */
export class RegisterCommands {
  constructor(
    private readonly stores: StoreService,
    private readonly tree: AssetsTree,
    private readonly engines: WriteEngineService,
    private readonly log: Log,
  ) {}

  /** Registers the file or folder given by the Explorer menu, or one the user picks. */
  async registerFile(arg: unknown): Promise<void> {
    const engine = await this.writeEngine();
    if (!engine) return;

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
    const engine = await this.writeEngine();
    if (!engine) return;

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
  private async registerSource(source: Source, near: vscode.Uri, type: SeedAssetType, defaultName: string, shown: string, engine: register.WriteEngine): Promise<void> {
    const target = await this.targetFor(near);
    if (!target) return;

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
        return register.writeRegistration(plan, engine, {
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
      await showError(this.log, RegisterErrors.register(shown, describeError(error)), error);
    } finally {
      target.release();
    }
  }

  /** Returns the engine, or shows why registering is off (untrusted workspace or no engine) and returns undefined. */
  private async writeEngine(): Promise<register.WriteEngine | undefined> {
    if (!vscode.workspace.isTrusted) {
      await showError(this.log, RegisterErrors.untrusted(), undefined, {
        title: RegisterText.manageTrust(),
        run: () => vscode.commands.executeCommand('workbench.trust.manage'),
      });
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

    await this.stores.whenLoaded();
    const root = this.stores.roots.find((candidate) => candidate.folder?.uri.toString() === folder.uri.toString());
    if (!root) {
      const workspace = await loadWorkspace(folder.uri.fsPath);
      return { folder, workspace, release: () => workspace.dispose() };
    }
    // Versions and parents are checked against the loaded index, so a store that failed to load must not be skipped silently.
    if (!root.index || root.index.problems.some((problem) => problem.severity === 'error')) {
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
