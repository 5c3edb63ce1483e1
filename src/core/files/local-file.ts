/**
 * Safe reads of the local files a store row names. Any program or person may
 * have written the row, so its path may leave the workspace (absolute, `..`, a
 * symbolic link that leads out). It may also name something that is not a file:
 * a FIFO blocks a reader forever, and a device such as /dev/zero never ends.
 * Callers check where a path really points with {@link isOutside} and what it
 * is with {@link specialKind} before they read it, and {@link openRegularFile}
 * checks the type again on the open descriptor, so a file swapped for a FIFO
 * in between cannot block the read either.
 */
import fs from 'node:fs';
import path from 'node:path';

/** A read of one local file that failed; the message names the file and the cause. */
export class LocalFileError extends Error {
  readonly file: string;
  /** The cause alone, without the file name. */
  readonly reason: string;

  constructor(file: string, reason: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LocalFileError';
    this.file = file;
    this.reason = reason;
  }
}

/** Returns what a stat describes when it is neither a regular file nor a folder ("a FIFO", "a character device" …), else undefined. */
export function specialKind(stat: fs.Stats): string | undefined {
  if (stat.isFile() || stat.isDirectory()) return undefined;
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';

  return 'neither a regular file nor a folder';
}

/** Returns true when the path as written, or the real path behind its symbolic links when it exists, lies outside `root`. */
export function isOutside(absolute: string, root: string, exists: boolean): boolean {
  if (!within(absolute, path.resolve(root))) return true;
  if (!exists) return false;
  try {
    return !within(fs.realpathSync(absolute), fs.realpathSync(root));
  } catch {
    // The path vanished or a link loops: treat it as outside, so it is not read.
    return true;
  }
}

function within(target: string, folder: string): boolean {
  const relative = path.relative(folder, target);

  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** Turns a failed file operation into a LocalFileError naming the file and the system's reason. */
export function readFailure(file: string, error: unknown): LocalFileError {
  if (error instanceof LocalFileError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reason = code === 'ENOENT' ? 'it does not exist' : error instanceof Error ? error.message : String(error);

  return new LocalFileError(file, reason, `Can't read ${file}: ${reason}.`, { cause: error });
}

/**
 * Opens a regular file for reading. Anything else is rejected before it is
 * opened. The open itself does not block (O_NONBLOCK) and the type is checked
 * again on the descriptor. Every failure is a LocalFileError.
 */
export async function openRegularFile(file: string): Promise<{ handle: fs.promises.FileHandle; size: number }> {
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(file);
  } catch (error) {
    throw readFailure(file, error);
  }
  const before = specialKind(stat);
  if (before !== undefined || stat.isDirectory()) {
    const reason = `it is ${before ?? 'a folder'}, not a regular file, so it was not opened`;
    throw new LocalFileError(file, reason, `${file}: ${reason}.`);
  }

  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | fs.constants.O_NOCTTY);
  } catch (error) {
    throw readFailure(file, error);
  }
  try {
    const opened = await handle.stat();
    if (!opened.isFile() || opened.ino !== stat.ino || opened.dev !== stat.dev) {
      const reason = `it changed into ${specialKind(opened) ?? 'another file'} while it was being opened, so it was not read`;
      throw new LocalFileError(file, reason, `${file}: ${reason}.`);
    }
    return { handle, size: opened.size };
  } catch (error) {
    await handle.close();
    throw readFailure(file, error);
  }
}
