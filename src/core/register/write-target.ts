/**
 * Rejects writes through symbolic links. A workspace from an untrusted
 * source can ship `.flowyml/catalog.db`, its folder or a journal file as a
 * link to a file elsewhere (a shell profile, another project's store);
 * SQLite would follow it and write there. Register writes only to a regular
 * file, or creates one, in a folder that is not a link.
 */
import fs from 'node:fs';
import path from 'node:path';
import { RegisterError } from './errors';

/** Files SQLite writes beside a database in journal mode delete or WAL. */
const SIDE_FILES = ['', '-journal', '-wal', '-shm'];

export function assertWritableTarget(catalogPath: string): void {
  const folder = path.dirname(catalogPath);
  const links = [folder, ...SIDE_FILES.map((suffix) => catalogPath + suffix)].filter(isSymbolicLink);
  if (links.length === 0) return;

  const target = safeReadLink(links[0]);
  throw new RegisterError(
    'write-failed',
    `Nothing was written: ${links[0]} is a symbolic link${target ? ` to ${target}` : ''}, and register never writes through links. `
      + 'Replace the link with the store file itself if you want to register into it.',
  );
}

function isSymbolicLink(file: string): boolean {
  try {
    return fs.lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

function safeReadLink(file: string): string | undefined {
  try {
    return fs.readlinkSync(file);
  } catch {
    return undefined;
  }
}
