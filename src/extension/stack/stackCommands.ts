/**
 * The commands of stacks and artifact files: open (preview), reveal and copy
 * the location of a version's files, switch the stack shown, show the
 * routing table, and check every artifact file against the store.
 *
 * Remote URIs are copied and shown, never fetched. A path outside the
 * workspace (absolute, `..`, or a symbolic link that leads out) is shown,
 * and opening or revealing it needs the user's confirmation first.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { describeError, type AssetVersion } from '../../core';
import { checkWorkspaceFiles, integrityCounts, integrityMarkdown, primaryFile, routingMarkdown, routingTable, flowymlFamily, type IntegrityReport, type MaterializedLocation } from '../../core/stack';
import type { DetailsPanel } from '../details/detailsPanel';
import { labelText } from '../format';
import type { Log } from '../log';
import { showError } from '../messages';
import type { StoreRoot, StoreService } from '../stores/storeService';
import type { PreviewPanel } from './previewPanel';
import type { StackService } from './stackService';
import { StackErrors, StackText } from './stackMessages';
import { locationFact, shownLocations, storageOf } from './storageView';

interface Target {
  root: StoreRoot;
  version: AssetVersion;
  locations: MaterializedLocation[];
}

export class StackCommands {
  constructor(
    private readonly stores: StoreService,
    private readonly stacks: StackService,
    private readonly details: DetailsPanel,
    private readonly preview: PreviewPanel,
    private readonly log: Log,
  ) {}

  /** Opens a version's file: a preview for data, models and images; a folder's data file. */
  async openArtifact(arg: unknown): Promise<void> {
    const target = await this.target(arg);
    if (!target) return;
    const location = this.chooseLocal(target);
    if (!location) {
      await showError(this.log, StackErrors.noFile(target.version.name));
      return;
    }
    const file = primaryFile(location);
    if (!file || !(await this.confirmOutside(location))) return;

    await this.preview.show(file, { title: `${target.version.name} ${target.version.label}`, root: target.root.root, outside: location.outsideWorkspace });
  }

  async revealArtifact(arg: unknown): Promise<void> {
    const target = await this.target(arg);
    if (!target) return;
    const location = this.chooseLocal(target);
    if (!location?.absolutePath) {
      await showError(this.log, StackErrors.noFile(target.version.name));
      return;
    }
    if (!(await this.confirmOutside(location))) return;

    const uri = vscode.Uri.file(location.absolutePath);
    if (!location.outsideWorkspace && vscode.workspace.getWorkspaceFolder(uri)) await vscode.commands.executeCommand('revealInExplorer', uri);
    else await vscode.commands.executeCommand('revealFileInOS', uri);
  }

  /** Copies the location: a remote URI as stored, a local file as a `file:` URI. */
  async copyArtifactUri(arg: unknown): Promise<void> {
    const target = await this.target(arg);
    if (!target) return;
    const candidates = shownLocations({ locations: target.locations, routing: undefined, stack: undefined }).filter((location) => location.remote || location.exists);
    const location = candidates.length > 1 ? await this.pick(candidates) : candidates[0];
    if (!location) {
      await showError(this.log, StackErrors.noUri(target.version.name));
      return;
    }
    const text = location.remote || !location.absolutePath ? location.display : vscode.Uri.file(location.absolutePath).toString();
    await vscode.env.clipboard.writeText(text);
    vscode.window.setStatusBarMessage(StackText.copiedUri(labelText(text, 80)), 3000);
  }

  async switchStack(): Promise<void> {
    const files = this.stacks.folders().flatMap((folder) => (folder.file ? [folder.file] : []));
    const unique = files.filter((file, index) => files.findIndex((other) => other.path === file.path) === index);
    if (unique.length === 0 || unique.every((file) => file.stacks.length === 0)) {
      await showError(this.log, StackErrors.noStackFile());
      return;
    }
    const items = unique.flatMap((file) => file.stacks.map((stack) => ({
      label: stack.name,
      description: unique.length > 1 ? file.path : undefined,
      detail: file.activeStack === stack.name ? StackText.activeStackDetail(file.activeSource ?? '') : undefined,
      picked: this.stacks.shownStack(file) === stack.name,
      file,
    })));
    const picked = await vscode.window.showQuickPick(items, { placeHolder: StackText.pickStack() });
    if (!picked) return;

    this.stacks.select(picked.file, picked.label);
    this.log.info(`Showing stack ${picked.label} of ${picked.file.path}`);
  }

  /** Opens the shown stack's routing table as a Markdown document beside the editor. */
  async showRoutingTable(): Promise<void> {
    const folder = this.stacks.folders().find((each) => each.file);
    const file = folder?.file;
    const stack = file?.stacks.find((each) => each.name === this.stacks.shownStack(file));
    if (!file || !stack) {
      await showError(this.log, StackErrors.noStackFile());
      return;
    }
    const index = this.stores.roots.find((root) => root.index)?.index;
    const content = `# ${StackText.routingTableTitle(stack.name)}\n\n${file.path}\n\n${routingMarkdown(routingTable(file, stack, index ? flowymlFamily(index) : '2.x'))}`;
    const document = await vscode.workspace.openTextDocument({ language: 'markdown', content });
    await vscode.window.showTextDocument(document, { preview: true });
  }

  /** Checks every loaded version's files, shows a summary, and offers the Markdown report. */
  async checkArtifactFiles(): Promise<IntegrityReport[]> {
    await this.stores.whenLoaded();
    const roots = this.stores.roots.filter((root) => root.index);
    if (roots.length === 0) {
      await showError(this.log, StackErrors.noStores());
      return [];
    }

    const reports: IntegrityReport[] = [];
    const controller = new AbortController();
    try {
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: StackText.checkingFiles(), cancellable: true }, async (progress, token) => {
        token.onCancellationRequested(() => controller.abort());
        for (const root of roots) {
          const index = root.index!;
          const file = this.stacks.fileFor(index.root);
          let last = 0;
          reports.push(await checkWorkspaceFiles(index, file, this.stacks.shownStack(file), {
            signal: controller.signal,
            onProgress: (done, total) => {
              const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
              progress.report({ message: root.name, increment: percent - last });
              last = percent;
            },
          }));
        }
      });
    } catch (error) {
      if (controller.signal.aborted) {
        this.log.info('Check Artifact Files was cancelled.');
        return [];
      }
      await showError(this.log, StackErrors.checkFiles(describeError(error)), error);
      return [];
    }
    const merged = reports.reduce((all, report) => all.concat(report.entries), [] as IntegrityReport['entries']);
    const counts = integrityCounts({ ...reports[0], entries: merged });
    const gone = reports.reduce((sum, report) => sum + report.versionsWithFilesGone.length, 0);
    this.log.info(`Checked artifact files of ${reports.length} folders: ${JSON.stringify(counts)}, ${gone} versions with all files gone`);

    const markdown = reports.map((report) => integrityMarkdown(report)).join('\n');
    const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: markdown });
    await vscode.window.showTextDocument(document, { preview: false });
    const summary = StackText.checkSummary(counts.missing, counts.modified, gone);
    void vscode.window.showInformationMessage(summary, StackText.saveReport()).then(async (choice) => {
      if (choice === StackText.saveReport()) await this.saveReport(markdown, roots[0].root);
    });

    return reports;
  }

  private async saveReport(markdown: string, folder: string): Promise<void> {
    const target = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.file(path.join(folder, 'flowyml-artifact-files.md')), filters: { Markdown: ['md'] } });
    if (!target) return;
    try {
      await fs.promises.writeFile(target.fsPath, markdown, 'utf8');
      vscode.window.setStatusBarMessage(StackText.reportSaved(target.fsPath), 5000);
    } catch (error) {
      await showError(this.log, StackErrors.saveReport(target.fsPath, describeError(error)), error);
    }
  }

  /** The version a command is for: a tree row or id, else the version in the details panel, else a pick. */
  private async target(arg: unknown): Promise<Target | undefined> {
    await this.stores.whenLoaded();
    const id = versionIdOf(arg) ?? this.details.shownId ?? await this.pickVersion();
    if (!id) return undefined;
    const found = this.stores.findVersion(id);
    if (!found?.root.index) return undefined;

    const index = found.root.index;
    const details = await index.details(found.version.id);
    const storage = storageOf(this.stacks, index, found.version, details);

    return { root: found.root, version: found.version, locations: storage.locations };
  }

  /** Returns the most specific existing local location: a stored path, then the output's own folder, then the step's whole output. */
  private chooseLocal(target: Target): MaterializedLocation | undefined {
    return target.locations.find((location) => location.exists && location.absolutePath);
  }

  private async pick(locations: MaterializedLocation[]): Promise<MaterializedLocation | undefined> {
    const items = locations.map((location) => {
      const fact = locationFact(location);
      return { label: fact.value, description: fact.label, location };
    });
    const picked = await vscode.window.showQuickPick(items, { placeHolder: StackText.pickLocation() });

    return picked?.location;
  }

  private async confirmOutside(location: MaterializedLocation): Promise<boolean> {
    if (!location.outsideWorkspace) return true;
    const answer = await vscode.window.showWarningMessage(StackText.openOutside(location.absolutePath ?? location.display), { modal: true }, StackText.open());

    return answer === StackText.open();
  }

  private async pickVersion(): Promise<string | undefined> {
    const items = this.stores.roots.flatMap((root) => (root.index?.versions ?? []).map((version) => ({
      label: labelText(version.name, 80),
      description: `${version.type} · ${labelText(version.label, 30)}`,
      id: version.id,
    })));
    const picked = await vscode.window.showQuickPick(items, { matchOnDescription: true });

    return picked?.id;
  }
}

function versionIdOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (typeof arg === 'object' && arg !== null && 'kind' in arg && (arg as { kind: unknown }).kind === 'version') {
    return (arg as unknown as { version: AssetVersion }).version.id;
  }

  return undefined;
}
