/**
 * The extension's one log: a LogOutputChannel named "FlowyML", so users pick
 * the level with VS Code's "Set Log Level…". Repeats of the same message
 * within a minute are counted rather than written again.
 */
import * as vscode from 'vscode';
import { LOG_CHANNEL_NAME } from './ids';

const REPEAT_WINDOW_MS = 60_000;

interface RecentMessage {
  firstAt: number;
  suppressed: number;
}

export class Log implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;
  private readonly recent = new Map<string, RecentMessage>();

  constructor(channel: vscode.LogOutputChannel = vscode.window.createOutputChannel(LOG_CHANNEL_NAME, { log: true })) {
    this.channel = channel;
  }

  trace(message: string): void {
    this.channel.trace(message);
  }

  debug(message: string): void {
    this.channel.debug(message);
  }

  info(message: string): void {
    this.channel.info(message);
  }

  warn(message: string): void {
    if (this.isRepeat(`warn:${message}`)) return;
    this.channel.warn(message);
  }

  /** Logs an error with its stack; the same message again within a minute is only counted. */
  error(message: string, error?: unknown): void {
    if (this.isRepeat(`error:${message}`)) return;
    if (error === undefined) this.channel.error(message);
    else this.channel.error(message, error instanceof Error ? error : new Error(String(error)));
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }

  private isRepeat(key: string): boolean {
    const now = Date.now();
    const seen = this.recent.get(key);
    if (seen && now - seen.firstAt < REPEAT_WINDOW_MS) {
      seen.suppressed += 1;
      return true;
    }
    if (seen && seen.suppressed > 0) {
      this.channel.info(`The previous message was repeated ${seen.suppressed} more times: ${key.slice(key.indexOf(':') + 1)}`);
    }
    this.recent.set(key, { firstAt: now, suppressed: 0 });

    return false;
  }
}
