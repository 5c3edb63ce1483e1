/**
 * Reads flowyml.yaml for each workspace folder and each store root, keeps the
 * stack chosen for display, publishes the file's problems to the Problems
 * panel, and reloads when a stack file changes.
 */
import fs from 'node:fs';
import * as vscode from 'vscode';
import { findStackFile, readStackFile, type StackFile } from '../../core/stack';
import type { Log } from '../log';
import type { StoreService } from '../stores/storeService';

interface CachedFile {
  mtimeMs: number;
  size: number;
  file: StackFile;
}

export interface StackFolder {
  /** The folder FlowyML would run in: a workspace folder or a store root. */
  folder: string;
  name: string;
  file: StackFile | undefined;
}

export class StackService implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires after a stack file changed, or the stack chosen for display did. */
  readonly onDidChange = this.changed.event;
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('flowyml-stack');
  private readonly cache = new Map<string, CachedFile>();
  /** Stack chosen for display per stack file; FlowyML's own choice applies when absent. */
  private readonly selected = new Map<string, string>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly stores: StoreService, private readonly log: Log) {
    const watcher = vscode.workspace.createFileSystemWatcher('**/{flowyml,.flowyml}.{yaml,yml}');
    const reload = () => this.reload();
    this.subscriptions.push(
      this.changed,
      this.diagnostics,
      watcher,
      watcher.onDidChange(reload),
      watcher.onDidCreate(reload),
      watcher.onDidDelete(reload),
      vscode.workspace.onDidChangeWorkspaceFolders(reload),
      stores.onDidChange(reload),
    );
    this.publishDiagnostics();
  }

  /** Lists every folder to show in the Stack view: workspace folders, then store roots outside them, each with its file. */
  folders(): StackFolder[] {
    const seen = new Set<string>();
    const folders: StackFolder[] = [];
    const add = (folder: string, name: string) => {
      if (seen.has(folder)) return;
      seen.add(folder);
      folders.push({ folder, name, file: this.fileFor(folder) });
    };
    for (const folder of vscode.workspace.workspaceFolders ?? []) add(folder.uri.fsPath, folder.name);
    for (const root of this.stores.roots) add(root.root, root.name);

    return folders;
  }

  /** Returns the stack file FlowyML would read for a process started in `folder`, read again when it changed on disk. */
  fileFor(folder: string): StackFile | undefined {
    const found = findStackFile(folder);
    if (!found) return undefined;

    let stat: fs.Stats;
    try {
      stat = fs.statSync(found);
    } catch {
      return undefined;
    }
    const cached = this.cache.get(found);
    if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached.file;

    const file = readStackFile(found);
    this.cache.set(found, { mtimeMs: stat.mtimeMs, size: stat.size, file });
    this.log.info(`Read ${found}: ${file.stacks.length} stacks, active ${file.activeStack ?? 'none'} (${file.activeSource ?? 'no stack'}), ${file.diagnostics.length} problems`);

    return file;
  }

  /** Returns the stack shown for a file: the one chosen for display, else FlowyML's active stack. */
  shownStack(file: StackFile | undefined): string | undefined {
    if (!file) return undefined;
    const chosen = this.selected.get(file.path);

    return chosen && file.stacks.some((stack) => stack.name === chosen) ? chosen : file.activeStack;
  }

  /** Chooses the stack to display for a file; FlowyML's own choice of stack is unchanged. */
  select(file: StackFile, stack: string): void {
    if (stack === file.activeStack) this.selected.delete(file.path);
    else this.selected.set(file.path, stack);
    this.changed.fire();
  }

  reload(): void {
    this.publishDiagnostics();
    this.changed.fire();
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }

  private publishDiagnostics(): void {
    this.diagnostics.clear();
    const published = new Set<string>();
    for (const { file } of this.folders()) {
      if (!file || published.has(file.path)) continue;
      published.add(file.path);
      this.diagnostics.set(vscode.Uri.file(file.path), file.diagnostics.map((problem) => {
        const range = new vscode.Range(problem.range.startLine, problem.range.startColumn, problem.range.endLine, problem.range.endColumn);
        const diagnostic = new vscode.Diagnostic(range, problem.message, SEVERITIES[problem.severity]);
        diagnostic.source = 'FlowyML';
        diagnostic.code = problem.code;
        return diagnostic;
      }));
    }
  }
}

const SEVERITIES = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
} as const;
