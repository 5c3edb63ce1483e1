/** Receiver of a team source's start, retry and failure messages. Every method is optional, so a caller passes only what it shows. */
export interface SourceLog {
  debug?(message: string): void;
  info?(message: string): void;
  warn?(message: string): void;
  error?(message: string): void;
}
