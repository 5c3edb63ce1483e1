/**
 * Temporary workspaces for the integration tests. Tests never open the
 * committed samples or the shared fixtures directly, because the extension
 * and the tests may write into the folder they open.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './tools';

/** Returns the shared fixtures folder: FLOWYML_SHARED, or `shared` beside the clone. */
export function sharedFolder(): string {
  return path.resolve(process.env.FLOWYML_SHARED ?? path.join(REPO_ROOT, '../shared'));
}

/** The path of a fixture store under the shared folder, or undefined when it is not there. */
export function findFixture(name: string): string | undefined {
  const folder = path.join(sharedFolder(), 'fixtures', name);

  return fs.existsSync(folder) ? folder : undefined;
}

/** A folder under the OS temp folder that `removeAll` deletes. */
export class TempWorkspaces {
  private readonly root = fs.mkdtempSync(path.join(os.tmpdir(), 'flowyml-ws-'));

  /**
   * Copies a fixture or sample folder into a new temporary workspace. The
   * shared fixtures are read-only, so the copy is made writable.
   */
  copy(source: string, name = path.basename(source)): string {
    const target = path.join(this.root, name);
    fs.cpSync(source, target, { recursive: true });
    makeWritable(target);

    return target;
  }

  /** Creates an empty workspace folder, optionally with files (relative path to content). */
  create(name: string, files: Record<string, string> = {}): string {
    const target = path.join(this.root, name);
    fs.mkdirSync(target, { recursive: true });
    for (const [relative, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(target, relative)), { recursive: true });
      fs.writeFileSync(path.join(target, relative), content);
    }

    return target;
  }

  /** Writes a `.code-workspace` file that opens these folders as one multi-root workspace. */
  multiRoot(name: string, folders: string[], settings: Record<string, unknown> = {}): string {
    const file = path.join(this.root, `${name}.code-workspace`);
    fs.writeFileSync(file, JSON.stringify({ folders: folders.map((folder) => ({ path: folder })), settings }, null, 2));

    return file;
  }

  removeAll(): void {
    if (!process.env.KEEP_RUN_DIR) fs.rmSync(this.root, { recursive: true, force: true });
  }
}

function makeWritable(target: string): void {
  const stat = fs.statSync(target);
  fs.chmodSync(target, stat.mode | 0o200);
  if (!stat.isDirectory()) return;

  for (const entry of fs.readdirSync(target)) makeWritable(path.join(target, entry));
}
