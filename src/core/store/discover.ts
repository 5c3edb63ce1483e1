/**
 * Finds the SQLite databases of a workspace: `.flowyml/metadata.db`, every
 * `.flowyml/projects/<p>/metadata.db` and `.flowyml/catalog.db`. Discovery uses
 * plain file-system calls, because `.flowyml/` is often git-ignored and glob
 * searches honour ignore files.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface StoreCandidate {
  absolutePath: string;
  /** Path relative to the workspace root, with forward slashes. */
  path: string;
  kind: 'metadata' | 'catalog';
  project?: string;
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** A store path that exists but cannot be read as a database file. */
export interface SkippedStore {
  absolutePath: string;
  path: string;
  /** Why it is skipped, as a phrase: "a folder", "a FIFO", "a link that leads nowhere". */
  reason: string;
}

/**
 * Describes what a path is when it is not a regular file: undefined for a
 * regular file or a missing path. Opening a FIFO or a device for reading can
 * block or never end, so such paths are named and never opened.
 */
export function notRegularFile(p: string): string | undefined {
  let link: fs.Stats;
  try {
    link = fs.lstatSync(p);
  } catch {
    return undefined;
  }
  let target: fs.Stats;
  try {
    target = fs.statSync(p);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return link.isSymbolicLink() ? (code === 'ELOOP' ? 'a loop of links' : 'a link that leads nowhere') : `unreadable (${code ?? 'unknown error'})`;
  }
  if (target.isFile()) return undefined;
  if (target.isDirectory()) return 'a folder';
  if (target.isFIFO()) return 'a FIFO';
  if (target.isCharacterDevice() || target.isBlockDevice()) return 'a device';
  if (target.isSocket()) return 'a socket';
  return 'not a regular file';
}

export function relativeStorePath(root: string, absolutePath: string): string {
  const relative = path.relative(root, absolutePath);
  const usable = relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? absolutePath : relative;
  return usable.split(path.sep).join('/');
}

/** Returns the `.flowyml` folder of a workspace folder, or the folder itself when it is one. */
export function flowymlDirOf(folder: string): string {
  return path.basename(folder) === '.flowyml' ? folder : path.join(folder, '.flowyml');
}

/**
 * Lists the stores under one workspace folder, in a stable order: root,
 * projects, catalog. A store path that exists but is not a regular file is
 * left out, and added to `skipped` when given.
 */
export function discoverStores(root: string, skipped?: SkippedStore[]): StoreCandidate[] {
  const dir = flowymlDirOf(root);
  const base = path.basename(root) === '.flowyml' ? path.dirname(root) : root;
  const found: StoreCandidate[] = [];
  const consider = (db: string, kind: StoreCandidate['kind'], project?: string) => {
    if (isFile(db)) {
      found.push({ absolutePath: db, path: relativeStorePath(base, db), kind, ...(project === undefined ? {} : { project }) });
      return;
    }
    const reason = notRegularFile(db);
    if (reason !== undefined) skipped?.push({ absolutePath: db, path: relativeStorePath(base, db), reason });
  };

  consider(path.join(dir, 'metadata.db'), 'metadata');

  const projectsDir = path.join(dir, 'projects');
  if (isDirectory(projectsDir)) {
    const projects = fs.readdirSync(projectsDir).sort();
    for (const project of projects) {
      if (isDirectory(path.join(projectsDir, project))) consider(path.join(projectsDir, project, 'metadata.db'), 'metadata', project);
    }
  }

  consider(path.join(dir, 'catalog.db'), 'catalog');

  return found;
}

/**
 * Resolves an explicit store path: a database file, a `.flowyml` folder, or
 * a folder that holds one. A database file's kind comes from its name, and
 * any name other than catalog.db is read as a metadata store.
 */
export function resolveExplicitStore(root: string, target: string, skipped?: SkippedStore[]): StoreCandidate[] {
  const absolute = path.resolve(root, target);
  if (isDirectory(absolute)) {
    const inner: SkippedStore[] = [];
    const found = discoverStores(absolute, inner).map((c) => ({ ...c, path: relativeStorePath(root, c.absolutePath) }));
    skipped?.push(...inner.map((s) => ({ ...s, path: relativeStorePath(root, s.absolutePath) })));
    return found;
  }
  const kind = path.basename(absolute) === 'catalog.db' ? 'catalog' : 'metadata';
  const projectMatch = /[\\/]projects[\\/]([^\\/]+)[\\/]metadata\.db$/.exec(absolute);
  return [{ absolutePath: absolute, path: relativeStorePath(root, absolute), kind, project: projectMatch?.[1] }];
}
