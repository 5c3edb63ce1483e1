/**
 * Reloads the stores when a pipeline writes to them. Watches each workspace
 * folder's `.flowyml` databases and their `-journal` and `-wal` files, and
 * waits for a quiet moment, because one commit touches several files in a row.
 */
import * as vscode from 'vscode';
import type { StoreService } from './storeService';

/** Long enough to cover one commit's journal, database and mtime updates; short enough to feel live. */
const DEBOUNCE_MS = 300;

const STORE_FILES = '.flowyml/{*.db,*.db-journal,*.db-wal,projects/*/*.db,projects/*/*.db-journal,projects/*/*.db-wal}';

export class StoreWatcher implements vscode.Disposable {
  /** The watchers of the current workspace folders and their listeners. */
  private watching: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly folderSubscription: vscode.Disposable;

  constructor(private readonly service: StoreService) {
    this.watchFolders();
    this.folderSubscription = vscode.workspace.onDidChangeWorkspaceFolders(() => this.watchFolders());
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.folderSubscription.dispose();
    for (const disposable of this.watching) disposable.dispose();
    this.watching = [];
  }

  private watchFolders(): void {
    for (const disposable of this.watching) disposable.dispose();
    this.watching = (vscode.workspace.workspaceFolders ?? []).flatMap((folder) => {
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, STORE_FILES));
      const schedule = (uri: vscode.Uri) => this.schedule(uri);

      return [watcher, watcher.onDidCreate(schedule), watcher.onDidChange(schedule), watcher.onDidDelete(schedule)];
    });
  }

  // NOTE: a quiet change reloads the whole index unless no store file's size or modification
  // time changed since the last load. A file touched without a commit still causes a reload.
  private schedule(uri: vscode.Uri): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      void this.service.refresh(`${vscode.workspace.asRelativePath(uri)} changed`, { onlyIfChanged: true });
    }, DEBOUNCE_MS);
  }
}
