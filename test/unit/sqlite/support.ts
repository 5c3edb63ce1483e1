import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '../../..');

/** The shared folder with the real FlowyML stores: FLOWYML_SHARED, else ../shared beside the repository. */
export const SHARED_DIR = process.env.FLOWYML_SHARED ?? path.resolve(REPO_ROOT, '../shared');

/** Returns the path of a fixture file, or a skip message naming the folder when it is missing. */
export function fixturePath(relative: string): { file: string } | { skip: string } {
  const file = path.join(SHARED_DIR, 'fixtures', relative);
  if (fs.existsSync(file)) return { file };

  return { skip: `${path.dirname(file)} is missing: set FLOWYML_SHARED to the shared folder to run this test` };
}

const temporaryDirs: string[] = [];
process.on('exit', () => {
  for (const dir of temporaryDirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** Creates a temporary folder that is removed when the process exits. */
export function temporaryDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `flowyml-sqlite-${prefix}-`));
  temporaryDirs.push(dir);

  return dir;
}
