/**
 * Reads a few small entries of a zip archive (a Keras `.keras` file, a
 * PyTorch `.pt` archive) with fflate's streaming Unzip. The archive is read
 * from the start in chunks, and reading stops as soon as the wanted entries
 * are complete, so a large weights entry after them is never read.
 */
import fs from 'node:fs';
import { Unzip, UnzipInflate } from 'fflate';
import { ExtractionError, type ExtractOptions, throwIfAborted } from './types';
import { progressReporter } from './tabular';

/** Entries larger than this are not collected: the entries read here are configuration files of a few kilobytes. */
const MAX_ENTRY_BYTES = 64 * 1024 * 1024;
const CHUNK_BYTES = 256 * 1024;

export interface ZipRead {
  /** Names of the entries met before reading stopped, in archive order. */
  names: string[];
  entries: Map<string, Uint8Array>;
}

export function isZipFile(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const magic = Buffer.alloc(4);
    return fs.readSync(fd, magic, 0, 4, 0) === 4 && magic.readUInt32LE(0) === 0x04034b50;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Collects the entries `wanted` accepts. Reading stops once `done` returns
 * true (for example, when both config files are collected) or at the end of
 * the archive.
 */
export async function readZipEntries(
  file: string,
  wanted: (name: string) => boolean,
  done: (read: ZipRead) => boolean,
  options: ExtractOptions,
): Promise<ZipRead> {
  const read: ZipRead = { names: [], entries: new Map() };
  const pending = new Set<string>();
  let failure: Error | undefined;

  const unzip = new Unzip((entry) => {
    read.names.push(entry.name);
    if (!wanted(entry.name)) return;
    if ((entry.originalSize ?? 0) > MAX_ENTRY_BYTES) {
      failure = new ExtractionError('invalid', `${file}: entry ${entry.name} is larger than ${MAX_ENTRY_BYTES} bytes.`);
      return;
    }
    const chunks: Uint8Array[] = [];
    let length = 0;
    pending.add(entry.name);
    entry.ondata = (error, data, final) => {
      if (error) {
        failure = new ExtractionError('invalid', `${file}: entry ${entry.name} could not be decompressed: ${error.message}`);
        return;
      }
      length += data.length;
      if (length > MAX_ENTRY_BYTES) {
        failure = new ExtractionError('invalid', `${file}: entry ${entry.name} is larger than ${MAX_ENTRY_BYTES} bytes.`);
        entry.terminate();
        return;
      }
      chunks.push(data);
      if (final) {
        read.entries.set(entry.name, Buffer.concat(chunks));
        pending.delete(entry.name);
      }
    };
    entry.start();
  });
  unzip.register(UnzipInflate);

  const handle = await fs.promises.open(file, 'r');
  try {
    const size = (await handle.stat()).size;
    const report = progressReporter(file, size, 'extract', options);
    let position = 0;
    while (position < size) {
      throwIfAborted(options.signal);
      // A fresh buffer per chunk, because fflate keeps references to pushed bytes of stored entries.
      const buffer = Buffer.alloc(CHUNK_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      try {
        unzip.push(buffer.subarray(0, bytesRead), position >= size);
      } catch (error) {
        throw new ExtractionError('invalid', `${file} is not a readable zip archive: ${(error as Error).message}`, { cause: error });
      }
      if (failure) throw failure;
      report(position);
      if (pending.size === 0 && done(read)) break;
    }
    report(size, true);
  } finally {
    await handle.close();
  }
  if (failure) throw failure;
  return read;
}
