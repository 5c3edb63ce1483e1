/**
 * Starts the FlowyML language server (dist/server.js) for Python files and
 * owns its client. The server reads the stores itself. This side passes the
 * store paths, the team stores and the store limits, sets the protocol trace
 * from the settings and the log level, and restarts the server on request or
 * when one of those changes.
 */
import * as vscode from 'vscode';
import { LanguageClient, Trace, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { describeError } from '../../core';
import { ReloadIndexRequest, StepLocationsRequest, TRUSTED_HOVER_COMMANDS, type FlowymlInitializationOptions } from '../../protocol/lsp';
import { affectsStorePaths, affectsTraceServer, readStorePaths, readTraceServer } from '../config';
import { Settings, type TraceServer } from '../ids';
import type { StoreLimits } from '../limits/storeLimits';
import type { Log } from '../log';
import { LanguageText, showError } from '../messages';
import { adaptHover } from './hoverLinks';
import { teamServerSetup } from '../sources/teamLanguage';
import type { TeamSecrets } from '../sources/teamSecrets';
import { affectsTeamSettings } from '../sources/teamSettings';

/** The client id; vscode-languageclient also reads `<id>.trace.server` from the settings by this id. */
const CLIENT_ID = Settings.section;

const TRACE_BY_SETTING: Record<TraceServer, Trace> = {
  off: Trace.Off,
  messages: Trace.Messages,
  verbose: Trace.Verbose,
};

export class FlowymlLanguageClient implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private readonly channel: vscode.LogOutputChannel;
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Settles when the client from the latest start has started or failed. */
  private starting: Promise<void> = Promise.resolve();
  /** The reason the latest start failed, or undefined after a successful start. */
  private startError: string | undefined;
  private disposed = false;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: Log,
    private readonly teamSecrets?: TeamSecrets,
    onDidChangeStackUrls?: vscode.Event<void>,
    private readonly limits?: StoreLimits,
  ) {
    this.channel = vscode.window.createOutputChannel(LanguageText.channelName(), { log: true });
    this.subscriptions.push(
      log.channel.onDidChangeLogLevel(() => this.applyTrace()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (affectsStorePaths(event)) void this.restart('flowyml.storePaths changed');
        else if (affectsTeamSettings(event)) void this.restart('the team store settings changed');
        // vscode-languageclient resets the trace to `flowyml.trace.server` on every configuration change,
        // after this listener runs. Applying the log level after it keeps the more detailed of the two.
        else if (affectsTraceServer(event)) setTimeout(() => this.applyTrace(), 0);
      }),
    );
    if (teamSecrets) this.subscriptions.push(teamSecrets.onDidChange(() => void this.restart('a team store password or API key changed')));
    // The server reads the team stores of the first folder, whose URLs may come from its flowyml.yaml.
    if (onDidChangeStackUrls) this.subscriptions.push(onDidChangeStackUrls(() => void this.restart('a team store URL in flowyml.yaml changed')));
    if (limits) this.subscriptions.push(limits.onDidChange((reason) => void this.restart(reason)));
    this.starting = this.start();
  }

  /** Stops the server and starts it again with the current settings. */
  async restart(reason: string): Promise<void> {
    this.log.info(`Restarting the FlowyML language server: ${reason}`);
    await this.starting;
    const previous = this.client;
    this.client = undefined;
    if (previous) {
      try {
        await previous.dispose();
      } catch (error) {
        this.log.warn(`Couldn't stop the FlowyML language server cleanly: ${describeError(error)}`);
      }
    }
    this.starting = this.start();
    await this.starting;
  }

  /** Runs the Restart Language Server command: restarts, and shows why when the server does not start. */
  async restartCommand(): Promise<void> {
    await this.restart('Restart Language Server command');
    if (this.startError !== undefined) await showError(this.log, LanguageText.restartFailed(this.startError));
  }

  /** Asks the server to reload every store now, as the Refresh command does for the Assets view. */
  async reloadIndex(): Promise<void> {
    await this.starting;
    if (!this.client?.isRunning()) return;

    try {
      const status = await this.client.sendRequest(ReloadIndexRequest);
      this.log.debug(`The language server reloaded its index (generation ${status.generation})`);
    } catch (error) {
      this.log.warn(`Couldn't reload the language server's index: ${describeError(error)}`);
    }
  }

  /** Returns the definitions of the step the store calls `step`, or none when the server is not running. */
  async stepLocations(step: string): Promise<vscode.Location[]> {
    await this.starting;
    const client = this.client;
    if (!client?.isRunning()) return [];
    const locations = await client.sendRequest(StepLocationsRequest, { step });
    return locations.map((location) => client.protocol2CodeConverter.asLocation(location));
  }

  dispose(): void {
    this.disposed = true;
    const client = this.client;
    this.client = undefined;
    // Stopping waits for the server's shutdown reply, so the output channel is closed only after it.
    for (const subscription of this.subscriptions) subscription.dispose();
    const stopped = client ? client.dispose().catch(() => undefined) : Promise.resolve();
    void stopped.then(() => this.channel.dispose());
  }

  private async start(): Promise<void> {
    if (this.disposed) return;

    const module = this.context.asAbsolutePath('dist/server.js');
    const team = await teamServerSetup(this.teamSecrets);
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc, options: team.env ? { env: team.env } : undefined },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [{ scheme: 'file', language: 'python' }],
      initializationOptions: {
        ...initializationOptions(),
        ...(team.options ? { teamSources: team.options } : {}),
        ...(this.limits ? { limits: this.limits.serverOptions() } : {}),
      },
      outputChannel: this.channel,
      traceOutputChannel: this.channel,
      // Hover links may run only the FlowyML commands the server builds, so a `command:` link in store text stays inert.
      markdown: { isTrusted: { enabledCommands: [...TRUSTED_HOVER_COMMANDS] } },
      middleware: {
        provideHover: async (document, position, token, next) => {
          const hover = await next(document, position, token);
          return hover ? adaptHover(hover, TRUSTED_HOVER_COMMANDS) : hover;
        },
      },
    };
    const client = new LanguageClient(CLIENT_ID, LanguageText.clientName(), serverOptions, clientOptions);
    this.client = client;

    const started = Date.now();
    this.startError = undefined;
    try {
      await client.start();
      this.log.info(`Started the FlowyML language server in ${Date.now() - started} ms`);
      await this.applyTrace();
    } catch (error) {
      this.startError = describeError(error);
      this.log.error(LanguageText.startFailed(this.startError), error);
    }
  }

  /** Sets the protocol trace to the more detailed of `flowyml.trace.server` and the FlowyML log level. */
  private async applyTrace(): Promise<void> {
    const client = this.client;
    if (!client?.isRunning()) return;

    const trace = Math.max(TRACE_BY_SETTING[readTraceServer()], traceOfLogLevel(this.log.channel.logLevel)) as Trace;
    await client.setTrace(trace);
  }
}

/** Trace at the Trace log level, Debug traces messages, any other level leaves the setting alone. */
function traceOfLogLevel(level: vscode.LogLevel): Trace {
  if (level === vscode.LogLevel.Trace) return Trace.Verbose;
  if (level === vscode.LogLevel.Debug) return Trace.Messages;

  return Trace.Off;
}

/**
 * Builds the server's options. The server reads given store paths instead of
 * discovering stores, so the list starts with each folder itself (its
 * `.flowyml` stores), then adds the `flowyml.storePaths` entries.
 */
function initializationOptions(): FlowymlInitializationOptions {
  // NOTE: one server serves every folder with one list, so only the first folder's value is sent.
  const extra = readStorePaths(vscode.workspace.workspaceFolders?.[0]);

  return extra.length > 0 ? { storePaths: ['.', ...extra] } : {};
}
