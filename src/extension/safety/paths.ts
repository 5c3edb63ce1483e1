/**
 * Where a path stored in a FlowyML store really points. Store paths come
 * from whoever wrote the store, so a path may be absolute, climb out with
 * `..`, or pass through a symbolic link inside the workspace.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Returns whether `file`, with symbolic links resolved, lies inside one of `folders`. */
export function isInsideFolders(file: string, folders: readonly string[]): boolean {
  const real = realPath(file);
  return folders.some((folder) => {
    const relative = path.relative(realPath(folder), real);
    return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
  });
}

/** Resolves every symbolic link in a path; returns the absolute path when the file does not exist. */
function realPath(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}
