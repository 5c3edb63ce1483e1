/**
 * The root object `activate` builds. It creates every service, passes each
 * its dependencies, and owns their disposal in reverse order of creation.
 */
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { CompareCommands } from './compare/compareCommands';
import { DetailsPanel } from './details/detailsPanel';
import { FlowymlLanguageClient } from './language/languageClient';
import { LineagePanel } from './lineage/lineagePanel';
import { Log } from './log';
import { PromptCommands } from './prompt/promptCommands';
import { ProvenanceCommands } from './provenance/provenanceCommands';
import { RegisterCommands } from './register/registerCommands';
import { WriteEngineService } from './register/writeEngine';
import { StoreStatusBar } from './statusBar';
import { StoreService } from './stores/storeService';
import { teamCommandHandlers } from './sources/teamCommands';
import { TeamSecrets } from './sources/teamSecrets';
import { TeamSourceService } from './sources/teamSources';
import { StoreWatcher } from './stores/storeWatcher';
import { PreviewPanel } from './stack/previewPanel';
import { StackCommands } from './stack/stackCommands';
import { StackService } from './stack/stackService';
import { StackTree } from './stack/stackTree';
import { storageOf, storageSection, storageTooltipLines } from './stack/storageView';
import { AssetsTree } from './tree/assetsTree';

/** The API `activate` returns to other extensions and to the extension-host tests. */
export interface FlowymlApi {
  /** Resolves once the stores found at activation have loaded. */
  whenLoaded(): Promise<void>;
  /** Fires after every reload of the stores. */
  readonly onDidReload: vscode.Event<void>;
  /** The number of asset versions loaded across all folders. */
  versionCount(): number;
  /** The id of the version the details panel shows, if it is open. */
  detailsShownId(): string | undefined;
}

export class FlowymlExtension implements vscode.Disposable {
  readonly api: FlowymlApi;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(context: vscode.ExtensionContext) {
    const log = this.own(new Log());
    const folders = vscode.workspace.workspaceFolders ?? [];
    log.info(`FlowyML Assets ${context.extension.packageJSON.version} activating in VS Code ${vscode.version} with ${folders.length} workspace folders`);
    if (!vscode.workspace.isTrusted) log.info('Workspace is not trusted: stores are read, never written.');

    const teamSecrets = this.own(new TeamSecrets(context.secrets));
    const teamSources = this.own(new TeamSourceService(teamSecrets, log));
    const stores = this.own(new StoreService(log, teamSources));
    this.own(new StoreWatcher(stores));
    const stacks = this.own(new StackService(stores, log));
    const tree = this.own(new AssetsTree(stores, log, (index, version, details) => storageTooltipLines(storageOf(stacks, index, version, details))));
    const details = this.own(new DetailsPanel(context.extensionUri, context.workspaceState, stores, log,
      (index, version, versionDetails) => [storageSection(storageOf(stacks, index, version, versionDetails))]));
    this.own(new StackTree(stacks, stores));
    const preview = this.own(new PreviewPanel(context.extensionUri, log));
    const stack = new StackCommands(stores, stacks, details, preview, log);
    this.own(new StoreStatusBar(stores));
    const prompts = this.own(new PromptCommands(context.extensionUri, context.workspaceState, stores, log));
    const language = this.own(new FlowymlLanguageClient(context, log, teamSecrets, teamSources.onDidChangeStackUrls, stores.limits));
    const lineage = this.own(new LineagePanel(context.extensionUri, context.workspaceState, stores, log, (step) => language.stepLocations(step)));
    const compare = this.own(new CompareCommands(context.extensionUri, context.workspaceState, stores, log));
    const registering = new RegisterCommands(stores, tree, this.own(new WriteEngineService(log)), log, teamSources);
    const teamCommands = teamCommandHandlers(teamSources, teamSecrets, log);
    const provenance = this.own(new ProvenanceCommands(stores, tree, log, String(context.extension.packageJSON.version)));
    for (const command of registerCommands({
      extensionUri: context.extensionUri, stores, tree, details, prompts, lineage, compare, language, registering, stack, provenance, log, teamCommands,
    })) this.own(command);

    this.api = {
      whenLoaded: () => stores.whenLoaded(),
      onDidReload: stores.onDidChange,
      versionCount: () => stores.roots.reduce((sum, root) => sum + (root.index?.versions.length ?? 0), 0),
      detailsShownId: () => details.shownId,
    };
  }

  dispose(): void {
    for (const disposable of this.disposables.reverse()) disposable.dispose();
    this.disposables.length = 0;
  }

  private own<T extends vscode.Disposable>(disposable: T): T {
    this.disposables.push(disposable);

    return disposable;
  }
}
