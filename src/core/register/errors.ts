/** Causes of a failed registration. Every message names the value at fault and, where there is one, the fix. */
export type RegisterErrorCode =
  | 'disabled'          // no SQLite engine that takes file locks is available
  | 'unreadable'        // the file or folder cannot be read
  | 'unsupported'       // the file cannot be read as the requested type
  | 'invalid-input'     // a malformed name, version, tag or value
  | 'unknown-parent'    // a parent id that no version of the workspace has
  | 'duplicate-version' // the requested version already exists for that name
  | 'busy'              // another writer kept catalog.db locked past the timeout
  | 'cancelled'         // the caller aborted
  | 'write-failed';     // SQLite reported an error; the transaction was rolled back

export class RegisterError extends Error {
  constructor(readonly code: RegisterErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RegisterError';
  }
}
