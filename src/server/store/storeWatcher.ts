/**
 * Watches the folders that contain a workspace folder's stores and reports
 * changes to database, rollback-journal and WAL files. It watches folders,
 * not files, because SQLite creates and deletes journals beside the database,
 * and a new project store may appear under `.flowyml/projects/`.
 */
import fs from 'node:fs';
import path from 'node:path';

const STORE_FILE = /(\.db|-journal|-wal)$/;

export interface WatchTarget {
  directory: string;
  /** Whether new subfolders (a project store, `.flowyml` itself) count as changes too. */
  structural: boolean;
}

/**
 * Lists the folders to watch: `.flowyml`, its `projects` folder and every
 * folder that contains a store, or the workspace folder itself while
 * `.flowyml` is missing.
 */
export function watchTargets(root: string, storeFiles: string[]): WatchTarget[] {
  const flowymlDir = path.basename(root) === '.flowyml' ? root : path.join(root, '.flowyml');
  if (!isDirectory(flowymlDir)) return [{ directory: root, structural: true }];

  const targets = new Map<string, WatchTarget>();
  targets.set(flowymlDir, { directory: flowymlDir, structural: true });
  const projects = path.join(flowymlDir, 'projects');
  if (isDirectory(projects)) {
    targets.set(projects, { directory: projects, structural: true });
    for (const entry of fs.readdirSync(projects, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        const directory = path.join(projects, entry.name);
        targets.set(directory, { directory, structural: false });
      }
    }
  }
  for (const file of storeFiles) {
    const directory = path.dirname(file);
    if (!targets.has(directory)) targets.set(directory, { directory, structural: false });
  }
  return [...targets.values()];
}

export interface StoreWatcher {
  dispose(): void;
}

/**
 * Starts one fs.watch per target. A folder that cannot be watched (removed,
 * or out of inotify watches) is reported through `onError`. The other
 * folders keep working, and the client's `workspace/didChangeWatchedFiles`
 * still triggers reloads.
 */
export function watchStoreFolders(targets: WatchTarget[], onChange: (file: string) => void, onError: (directory: string, error: Error) => void): StoreWatcher {
  const watchers: fs.FSWatcher[] = [];
  for (const target of targets) {
    try {
      const watcher = fs.watch(target.directory, { persistent: false }, (_event, fileName) => {
        const name = fileName?.toString();
        // Without a file name (possible on some platforms) any change may matter.
        if (name === undefined || STORE_FILE.test(name) || (target.structural && !name.includes('.')) || name === '.flowyml') {
          onChange(path.join(target.directory, name ?? ''));
        }
      });
      watcher.on('error', (error) => onError(target.directory, error));
      watchers.push(watcher);
    } catch (error) {
      onError(target.directory, error instanceof Error ? error : new Error(String(error)));
    }
  }
  return {
    dispose: () => {
      for (const watcher of watchers) watcher.close();
    },
  };
}

export function isStoreFile(file: string): boolean {
  return STORE_FILE.test(file);
}

function isDirectory(file: string): boolean {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
}
