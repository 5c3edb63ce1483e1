/**
 * The server's log. Messages go to the client's console (`window/logMessage`);
 * trace messages go through `$/logTrace`, which the connection sends only
 * while the client's trace setting is on, so they cost nothing otherwise.
 */
import type { Connection } from 'vscode-languageserver';

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  trace(message: string, verbose?: string): void;
}

/** Repeats of one message beyond this count are dropped, so a broken store cannot flood the log. */
const MAX_REPEATS = 5;

export function connectionLogger(connection: Connection): Logger {
  const counts = new Map<string, number>();
  const limited = (send: (message: string) => void) => (message: string) => {
    // Messages with timings differ every time; forgetting old ones keeps the map small.
    if (counts.size > 1000) counts.clear();
    const seen = (counts.get(message) ?? 0) + 1;
    counts.set(message, seen);
    if (seen < MAX_REPEATS) send(message);
    else if (seen === MAX_REPEATS) send(`${message} (repeated ${MAX_REPEATS} times; further repeats are not logged)`);
  };
  return {
    info: limited((m) => connection.console.info(m)),
    warn: limited((m) => connection.console.warn(m)),
    error: limited((m) => connection.console.error(m)),
    trace: (message, verbose) => connection.tracer.log(message, verbose),
  };
}
