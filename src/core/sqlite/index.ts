import { Snapshot } from './snapshot';
import { loadSqlEngine } from './sqljs';
import type { OpenOptions, SnapshotDatabase } from './types';

export { loadSqlJs } from './sqljs';
export type { FileState, OpenOptions, ReadConnection, SnapshotDatabase, SnapshotStats, SqlRow, SqlValue } from './types';

/**
 * Opens a SQLite file for lock-free, consistent reads and checks that it can
 * be read by counting its schema entries. Throws a StoreError naming the file
 * when it is missing, not SQLite, truncated, corrupt, busy for longer than
 * `busyTimeoutMs`, or left with a hot journal by a crashed writer.
 */
export async function openSnapshotDatabase(path: string, options?: OpenOptions): Promise<SnapshotDatabase> {
  const engine = await loadSqlEngine();
  const snapshot = new Snapshot(path, engine, options);
  try {
    await snapshot.read('read the schema', (conn) => conn.get('SELECT count(*) AS entries FROM sqlite_schema'));
  } catch (error) {
    snapshot.close();
    throw error;
  }

  return snapshot;
}
