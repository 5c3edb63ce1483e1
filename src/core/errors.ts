/**
 * Errors the core reports about a store. Each names the file and the cause,
 * so every surface (tree, panel, command line) can show it as it is.
 */
export type StoreErrorCode =
  | 'missing'          // the file does not exist
  | 'not-sqlite'       // the header is not "SQLite format 3"
  | 'truncated'        // shorter than the header says, or cut inside a page
  | 'corrupt'          // SQLite reported a malformed image
  | 'busy'             // a writer kept the store changing for longer than the wait
  | 'needs-recovery'   // a hot journal left by a crashed writer
  | 'schema'           // a required table or column is missing
  | 'io'               // the operating system refused a read
  | 'not-found'        // an id or name that the store does not hold
  | 'invalid-input'    // a malformed value given by the caller
  | 'exists'           // a file the caller would write already exists
  | 'auth'             // a database or catalog server rejected the credentials
  | 'unreachable'      // a database or catalog server could not be reached
  | 'timeout'          // a query or request took longer than its timeout
  | 'too-large'        // a store holds more versions than the memory guard allows
  | 'tls'              // the TLS handshake with a server failed
  | 'server';          // a database or catalog server reported an error

export class StoreError extends Error {
  readonly code: StoreErrorCode;
  readonly file: string | undefined;

  constructor(code: StoreErrorCode, message: string, file?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
    this.code = code;
    this.file = file;
  }
}

/** Converts anything thrown into an Error whose message names the operation. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
