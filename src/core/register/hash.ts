/**
 * Content hashes of registered assets. A value hashes as FlowyML hashes the
 * data it registers, `sha256(json.dumps(data, sort_keys=True, default=str))`.
 * A file hashes as its bytes, and the row records `hash_basis`, so that an
 * integrity check can hash the same input again.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
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

export async function hashFile(file: string, options: ExtractOptions = {}): Promise<string> {
  const total = fs.statSync(file).size;
  const report = progressReporter(file, total, 'hash', options);
  const hash = crypto.createHash('sha256');
  const stream = fs.createReadStream(file, { highWaterMark: 1024 * 1024 });
  let done = 0;
  try {
    for await (const chunk of stream) {
      throwIfAborted(options.signal);
      hash.update(chunk as Buffer);
      done += (chunk as Buffer).length;
      report(done);
    }
  } finally {
    stream.destroy();
  }
  report(total, true);
  return hash.digest('hex');
}

export async function hashFolder(folder: string, options: ExtractOptions = {}): Promise<string> {
  const entries: [string, string][] = [];
  for (const file of listFiles(folder)) {
    const relative = path.relative(folder, file).split(path.sep).join('/');
    entries.push([relative, await hashFile(file, options)]);
  }
  entries.sort(([a], [b]) => compareCodePoints(a, b));
  const listing = entries.map(([relative, hex]) => `${hex}  ${relative}\n`).join('');
  return crypto.createHash('sha256').update(listing, 'utf8').digest('hex');
}
