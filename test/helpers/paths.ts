import fs from 'node:fs';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const SAMPLE_WORKSPACE = path.join(REPO_ROOT, 'samples', 'workspace');
export const SMALL_FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures');

/** The shared fixtures folder: $FLOWYML_SHARED, else ../shared beside the repository. */
export const SHARED = path.resolve(process.env.FLOWYML_SHARED ?? path.join(REPO_ROOT, '..', 'shared'));

/** A fixture from the shared folder, or a skip reason naming the missing folder. */
export function sharedFixture(name: string): { dir: string; skip: string | false } {
  const dir = path.join(SHARED, 'fixtures', name);
  return { dir, skip: fs.existsSync(dir) ? false : `shared fixture folder ${dir} is missing` };
}
