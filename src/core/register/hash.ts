/**
 * Content hashes of registered assets. A value hashes as FlowyML hashes the
 * data it registers, `sha256(json.dumps(data, sort_keys=True, default=str))`.
 * A file hashes as its bytes, and the row records `hash_basis`, so that an
 * integrity check can hash the same input again.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { openRegularFile, readFailure } from '../files/local-file';
import { listFiles } from '../stats/extract';
import { progressReporter } from '../stats/tabular';
import { type ExtractOptions, throwIfAborted } from '../stats/types';
import { compareCodePoints, pythonJsonDumps, type PyValue } from './python-json';

/**
 * The input a content hash was computed from:
 * - `file-bytes`: the file's bytes;
 * - `folder-sha256sum`: the text `sha256sum` prints for every file of the
 *   folder (`<hex>  <relative path>\n`, paths with `/`, sorted by code point);
 * - `json-dumps`: FlowyML's own hash of a value (rows with no `hash_basis`).
 */
export type HashBasis = 'file-bytes' | 'folder-sha256sum' | 'json-dumps';

export function hashValue(value: PyValue): string {
  return crypto.createHash('sha256').update(pythonJsonDumps(value, { sortKeys: true }), 'utf8').digest('hex');
}

/**
 * Hashes a regular file's bytes. A FIFO, a device or a socket is refused
 * without being opened, and every read failure is a LocalFileError that names
 * the file and the cause.
 */
export async function hashFile(file: string, options: ExtractOptions = {}): Promise<string> {
  const { handle, size: total } = await openRegularFile(file);
  const report = progressReporter(file, total, 'hash', options);
  const hash = crypto.createHash('sha256');
  const buffer = Buffer.alloc(1024 * 1024);
  let done = 0;
  try {
    for (;;) {
      throwIfAborted(options.signal);
      let bytesRead: number;
      try {
        ({ bytesRead } = await handle.read(buffer, 0, buffer.length, null));
      } catch (error) {
        throw readFailure(file, error);
      }
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      done += bytesRead;
      report(done);
    }
  } finally {
    await handle.close();
  }
  report(total, true);
  return hash.digest('hex');
}

/** Hashes a folder's regular files as `sha256sum` lists them; a file or sub-folder that cannot be read fails with a LocalFileError naming it. */
export async function hashFolder(folder: string, options: ExtractOptions = {}): Promise<string> {
  const entries: [string, string][] = [];
  let files: string[];
  try {
    files = listFiles(folder);
  } catch (error) {
    throw readFailure((error as NodeJS.ErrnoException).path ?? folder, error);
  }
  for (const file of files) {
    const relative = path.relative(folder, file).split(path.sep).join('/');
    entries.push([relative, await hashFile(file, options)]);
  }
  entries.sort(([a], [b]) => compareCodePoints(a, b));
  const listing = entries.map(([relative, hex]) => `${hex}  ${relative}\n`).join('');
  return crypto.createHash('sha256').update(listing, 'utf8').digest('hex');
}
