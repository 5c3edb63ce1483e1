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

export function relativeStorePath(root: string, absolutePath: string): string {
  const relative = path.relative(root, absolutePath);
  const usable = relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? absolutePath : relative;
  return usable.split(path.sep).join('/');
}

/** Returns the `.flowyml` folder of a workspace folder, or the folder itself when it is one. */
export function flowymlDirOf(folder: string): string {
  return path.basename(folder) === '.flowyml' ? folder : path.join(folder, '.flowyml');
}

/** Lists the stores under one workspace folder, in a stable order: root, projects, catalog. */
export function discoverStores(root: string): StoreCandidate[] {
  const dir = flowymlDirOf(root);
  const base = path.basename(root) === '.flowyml' ? path.dirname(root) : root;
  const found: StoreCandidate[] = [];

  const rootDb = path.join(dir, 'metadata.db');
  if (isFile(rootDb)) found.push({ absolutePath: rootDb, path: relativeStorePath(base, rootDb), kind: 'metadata' });

  const projectsDir = path.join(dir, 'projects');
  if (isDirectory(projectsDir)) {
    const projects = fs.readdirSync(projectsDir).sort();
    for (const project of projects) {
      const db = path.join(projectsDir, project, 'metadata.db');
      if (isFile(db)) found.push({ absolutePath: db, path: relativeStorePath(base, db), kind: 'metadata', project });
    }
  }

  const catalogDb = path.join(dir, 'catalog.db');
  if (isFile(catalogDb)) found.push({ absolutePath: catalogDb, path: relativeStorePath(base, catalogDb), kind: 'catalog' });

  return found;
}

/**
 * Resolves an explicit store path: a database file, a `.flowyml` folder, or
 * a folder that holds one. A database file's kind comes from its name, and
 * any name other than catalog.db is read as a metadata store.
 */
export function resolveExplicitStore(root: string, target: string): StoreCandidate[] {
  const absolute = path.resolve(root, target);
  if (isDirectory(absolute)) return discoverStores(absolute).map((c) => ({ ...c, path: relativeStorePath(root, c.absolutePath) }));
  const kind = path.basename(absolute) === 'catalog.db' ? 'catalog' : 'metadata';
  const projectMatch = /[\\/]projects[\\/]([^\\/]+)[\\/]metadata\.db$/.exec(absolute);
  return [{ absolutePath: absolute, path: relativeStorePath(root, absolute), kind, project: projectMatch?.[1] }];
}
