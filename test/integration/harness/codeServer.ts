/**
 * Starts and stops code-server (VS Code's server and web workbench) on
 * 127.0.0.1 for one test file, with telemetry, update checks and the
 * marketplace turned off.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { resolveTools, type VscodeTestTools } from './tools';

/** User settings that keep the workbench quiet and offline. */
const QUIET_SETTINGS: Record<string, unknown> = {
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'workbench.startupEditor': 'none',
  'workbench.enableExperiments': false,
  'workbench.tips.enabled': false,
  'chat.disableAIFeatures': true,
  'git.enabled': false,
  'security.workspace.trust.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

/**
 * The gallery points at a closed port on 127.0.0.1, so an extension lookup
 * fails at once instead of reaching the marketplace.
 */
const OFFLINE_GALLERY = JSON.stringify({
  serviceUrl: 'http://127.0.0.1:9/gallery',
  itemUrl: 'http://127.0.0.1:9/item',
  resourceUrlTemplate: 'http://127.0.0.1:9/resource/{publisher}/{name}/{version}/{path}',
});

const LISTEN_TIMEOUT_MS = 90_000;

export interface CodeServerOptions {
  /** Extensions folder; a fresh empty one by default. Pass the folder a VSIX was installed into. */
  extensionsDir?: string;
  /** Extra user settings, merged over the quiet defaults. */
  settings?: Record<string, unknown>;
}

export interface WorkbenchTarget {
  /** A folder to open, or a `.code-workspace` file for a multi-root workspace. */
  folder?: string;
  workspaceFile?: string;
  /** Loads this extension folder in development mode. */
  extensionDevelopmentPath?: string;
  /** A CommonJS module whose `run()` the extension host calls after start-up (mocha suites). */
  extensionTestsPath?: string;
}

export class CodeServer {
  private constructor(
    readonly tools: VscodeTestTools,
    readonly runDir: string,
    readonly port: number,
    private readonly process: ChildProcess,
  ) {}

  /** Starts a server in a new temporary folder and waits until it accepts HTTP requests. */
  static async start(options: CodeServerOptions = {}): Promise<CodeServer> {
    const tools = resolveTools();
    const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowyml-cs-'));
    const extensionsDir = options.extensionsDir ?? path.join(runDir, 'extensions');
    for (const dir of ['user-data/User', 'xdg', 'empty']) fs.mkdirSync(path.join(runDir, dir), { recursive: true });
    fs.mkdirSync(extensionsDir, { recursive: true });
    fs.writeFileSync(
      path.join(runDir, 'user-data/User/settings.json'),
      JSON.stringify({ ...QUIET_SETTINGS, ...options.settings }, null, 2),
    );
    fs.writeFileSync(path.join(runDir, 'config.yaml'), 'auth: none\ncert: false\n');

    const port = await findFreePort();
    const log = fs.openSync(path.join(runDir, 'server.log'), 'w');
    const child = spawn(tools.node, [
      tools.codeServerEntry,
      '--config', path.join(runDir, 'config.yaml'),
      '--bind-addr', `127.0.0.1:${port}`,
      '--auth', 'none',
      '--user-data-dir', path.join(runDir, 'user-data'),
      '--extensions-dir', extensionsDir,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      // Lets the workbench read ?payload=[["extensionDevelopmentPath", …], ["extensionTestsPath", …]].
      '--vscode-option', 'enable-smoke-test-driver',
      '--ignore-last-opened',
    ], {
      // A process group of its own, so stop() ends the server and its extension hosts together.
      detached: true,
      stdio: ['ignore', 'pipe', log],
      env: {
        ...process.env,
        PATH: `${path.dirname(tools.node)}:${process.env.PATH}`,
        XDG_CONFIG_HOME: path.join(runDir, 'xdg'),
        XDG_DATA_HOME: path.join(runDir, 'xdg'),
        EXTENSIONS_GALLERY: OFFLINE_GALLERY,
      },
    });
    const server = new CodeServer(tools, runDir, port, child);
    await server.waitForListening(log);

    return server;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Returns the `vscode-remote:` URI by which the server's extension host opens a local path. */
  remoteUri(localPath: string): string {
    return `vscode-remote://127.0.0.1:${this.port}${path.resolve(localPath)}`;
  }

  /** Builds the workbench URL that opens a folder or workspace file, optionally with a development extension. */
  workbenchUrl(target: WorkbenchTarget): string {
    const params = new URLSearchParams();
    if (target.workspaceFile) params.set('workspace', path.resolve(target.workspaceFile));
    else params.set('folder', path.resolve(target.folder ?? path.join(this.runDir, 'empty')));

    const payload: [string, string][] = [];
    if (target.extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', this.remoteUri(target.extensionDevelopmentPath)]);
    if (target.extensionTestsPath) payload.push(['extensionTestsPath', this.remoteUri(target.extensionTestsPath)]);
    if (payload.length > 0) params.set('payload', JSON.stringify(payload));

    return `${this.baseUrl}/?${params.toString()}`;
  }

  /** Returns the last lines of the server log, for failure messages. */
  logTail(lines = 40): string {
    const file = path.join(this.runDir, 'server.log');
    if (!fs.existsSync(file)) return '';

    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  }

  /** Wraps a test failure with the tail of the server log and of the extension host logs, which explain most failures. */
  withLogs(error: unknown): Error {
    const message = error instanceof Error ? error.message : String(error);

    return new Error(`${message}\n--- code-server log ---\n${this.logTail()}\n--- extension host log ---\n${this.extensionHostLog().slice(-4000)}`, { cause: error });
  }

  /** Returns every log file of the windows opened so far, the FlowyML and language server channels included. */
  allLogs(): string {
    const logs = path.join(this.runDir, 'user-data/logs');
    if (!fs.existsSync(logs)) return '';

    return fs.readdirSync(logs, { recursive: true, encoding: 'utf8' })
      .map((file) => path.join(logs, file))
      .filter((file) => fs.statSync(file).isFile())
      .map((file) => fs.readFileSync(file, 'utf8'))
      .join('\n');
  }

  /** Returns the extension host logs of every window opened so far. */
  extensionHostLog(): string {
    const logs = path.join(this.runDir, 'user-data/logs');
    if (!fs.existsSync(logs)) return '';

    const files = fs.readdirSync(logs, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('remoteexthost.log') || file.endsWith('exthost.log'));

    return files.map((file) => fs.readFileSync(path.join(logs, file), 'utf8')).join('\n');
  }

  /** Ends the server's process group and removes the run folder unless KEEP_RUN_DIR is set. */
  async stop(): Promise<void> {
    const exited = new Promise<void>((resolve) => {
      if (this.process.exitCode !== null || this.process.signalCode !== null) resolve();
      else this.process.once('exit', () => resolve());
    });
    if (this.process.pid !== undefined) {
      try {
        process.kill(-this.process.pid, 'SIGTERM');
      } catch {
        // The group has already exited.
      }
    }
    const forceKill = setTimeout(() => {
      if (this.process.pid !== undefined) {
        try {
          process.kill(-this.process.pid, 'SIGKILL');
        } catch {
          // The group has already exited.
        }
      }
    }, 5_000);
    await exited;
    clearTimeout(forceKill);

    if (!process.env.KEEP_RUN_DIR) fs.rmSync(this.runDir, { recursive: true, force: true });
  }

  /** Copies code-server's stdout into the log and resolves once it reports its HTTP listener. */
  private waitForListening(logFd: number): Promise<void> {
    return new Promise((resolve, reject) => {
      let seen = '';
      const timer = setTimeout(() => {
        reject(new Error(`code-server did not listen on port ${this.port} within ${LISTEN_TIMEOUT_MS} ms:\n${seen}`));
      }, LISTEN_TIMEOUT_MS);
      this.process.stdout?.on('data', (chunk: Buffer) => {
        fs.writeSync(logFd, chunk);
        if (!seen.includes('HTTP server listening')) {
          seen += chunk.toString('utf8');
          if (seen.includes('HTTP server listening')) {
            clearTimeout(timer);
            resolve();
          }
        }
      });
      this.process.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`code-server exited with code ${code} before listening:\n${seen}`));
      });
    });
  }
}

/**
 * Installs a VSIX into an extensions folder with code-server's own command
 * line, which needs no network for a local file.
 */
export function installVsix(vsixPath: string, extensionsDir: string): string {
  const tools = resolveTools();
  const xdg = fs.mkdtempSync(path.join(os.tmpdir(), 'flowyml-cs-xdg-'));
  try {
    const result = spawnSync(tools.node, [
      tools.codeServerEntry,
      '--extensions-dir', extensionsDir,
      '--user-data-dir', path.join(xdg, 'user-data'),
      '--force',
      '--install-extension', path.resolve(vsixPath),
    ], {
      encoding: 'utf8',
      env: { ...process.env, XDG_CONFIG_HOME: xdg, XDG_DATA_HOME: xdg, EXTENSIONS_GALLERY: OFFLINE_GALLERY },
      timeout: 120_000,
    });
    const output = `${result.stdout}\n${result.stderr}`;
    if (result.status !== 0) {
      throw new Error(`Installing ${vsixPath} failed with exit code ${result.status}:\n${output}`);
    }

    return output;
  } finally {
    fs.rmSync(xdg, { recursive: true, force: true });
  }
}

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
