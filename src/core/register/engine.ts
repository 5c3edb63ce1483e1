/**
 * SQLite engines that write catalog.db through SQLite itself, so that
 * SQLite's file locks keep a concurrent writer (a running pipeline) from
 * being overwritten:
 *
 * - `node:sqlite`, built into Node 22.13+ and 24 (loaded only when the
 *   runtime has it);
 * - Python's `sqlite3`, run as a child process that receives SQL text and
 *   parameters as JSON lines on stdin. Parameters are bound by sqlite3,
 *   never put into SQL text or onto a command line.
 *
 * sql.js cannot be used for writing: it works on a copy of the file in
 * memory, and writing that copy back erases every commit made meanwhile.
 */
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import readline from 'node:readline';
import { RegisterError } from './errors';

export type SqlValue = string | number | null;

/** Each attempt to take a lock waits this long inside SQLite before the caller's retry loop reports progress. */
export const LOCK_ATTEMPT_MS = 100;

export interface WriteConnection {
  exec(sql: string, params?: SqlValue[]): Promise<void>;
  all(sql: string, params?: SqlValue[]): Promise<SqlValue[][]>;
  close(): Promise<void>;
}

export interface WriteEngine {
  readonly kind: 'node:sqlite' | 'python';
  /** For messages and logs: `node:sqlite (SQLite 3.50.4)`, `/usr/bin/python3 (Python 3.11.2, SQLite 3.40.1)`. */
  readonly description: string;
  /** Opens an existing database, or creates it when `create` is set. */
  open(file: string, options?: { create?: boolean }): Promise<WriteConnection>;
}

/** An error SQLite reported, classified so that the caller can wait on `busy`. */
export class EngineError extends Error {
  constructor(readonly code: 'busy' | 'readonly' | 'full' | 'failed' | 'exited', message: string) {
    super(message);
    this.name = 'EngineError';
  }
}

export interface EngineOptions {
  /**
   * Python interpreters to try, in order: the Python extension's
   * interpreter, then the `flowyml.pythonPath` setting. Empty entries are
   * skipped, and `python3` is always tried last.
   */
  pythonCandidates?: (string | undefined)[];
  /** Use only this kind of engine, for tests and for users who need one. */
  only?: 'node:sqlite' | 'python';
}

export interface EngineProbe {
  kind: 'node:sqlite' | 'python';
  /** `node:sqlite`, or the interpreter path or command. */
  candidate: string;
  available: boolean;
  /** The versions found, or why the candidate cannot be used. */
  detail: string;
}

/** Checks every engine candidate, in the order findWriteEngine would use them. */
export function probeWriteEngines(options: EngineOptions = {}): EngineProbe[] {
  const probes: EngineProbe[] = [];
  if (options.only !== 'python') {
    const sqlite = loadNodeSqlite();
    probes.push(sqlite
      ? { kind: 'node:sqlite', candidate: 'node:sqlite', available: true, detail: `SQLite ${nodeSqliteVersion(sqlite)}` }
      : { kind: 'node:sqlite', candidate: 'node:sqlite', available: false, detail: `Node ${process.versions.node} has no node:sqlite module` });
  }
  if (options.only !== 'node:sqlite') {
    for (const candidate of pythonCandidates(options)) probes.push(probePython(candidate));
  }
  return probes;
}

/**
 * Returns the first available engine: node:sqlite when the runtime has it,
 * else the first Python candidate with a working sqlite3 module. Throws a
 * RegisterError with code `disabled` that lists what was tried and how to
 * enable registering.
 */
export function findWriteEngine(options: EngineOptions = {}): WriteEngine {
  const probes: EngineProbe[] = [];
  if (options.only !== 'python') {
    const sqlite = loadNodeSqlite();
    if (sqlite) return new NodeSqliteEngine(sqlite);
    probes.push({ kind: 'node:sqlite', candidate: 'node:sqlite', available: false, detail: `Node ${process.versions.node} has no node:sqlite module` });
  }
  if (options.only !== 'node:sqlite') {
    for (const candidate of pythonCandidates(options)) {
      const probe = probePython(candidate);
      if (probe.available) return new PythonEngine(probe.executable ?? candidate, probe.detail);
      probes.push(probe);
    }
  }
  const tried = probes.map((p) => `${p.candidate}: ${p.detail}`).join('; ');
  throw new RegisterError('disabled', `register is disabled: no SQLite engine that takes SQLite's file locks is available (tried ${tried}). Run on Node 22.13 or later, which has node:sqlite, or install Python 3 with its sqlite3 module and point flowyml.pythonPath (or --python on the command line) to it.`);
}

function pythonCandidates(options: EngineOptions): string[] {
  const list = (options.pythonCandidates ?? []).filter((c): c is string => typeof c === 'string' && c.trim() !== '');
  list.push('python3');
  return [...new Set(list)];
}

/**
 * Starts a candidate once to check its sqlite3 module. The interpreter's
 * own path (sys.executable) is kept, so later writes skip launchers such as
 * pyenv shims, which took 0.6 s per start on the test machine.
 */
function probePython(candidate: string): EngineProbe & { executable?: string } {
  const script = 'import json, sqlite3, sys; print(json.dumps([sys.version.split()[0], sqlite3.sqlite_version, sys.executable]))';
  const result = spawnSync(candidate, ['-c', script], { encoding: 'utf8', timeout: 15_000, windowsHide: true });
  if (result.error) return { kind: 'python', candidate, available: false, detail: `could not be started (${result.error.message})` };
  if (result.status !== 0) return { kind: 'python', candidate, available: false, detail: `has no usable sqlite3 module (${result.stderr.trim().split('\n').pop() ?? `exit code ${result.status}`})` };
  const [python, sqlite, executable] = JSON.parse(result.stdout) as [string, string, string];
  return { kind: 'python', candidate, available: true, detail: `Python ${python}, SQLite ${sqlite}`, executable: executable || undefined };
}

// ---------------------------------------------------------------- node:sqlite

/** The parts of node:sqlite used here; @types/node 20 does not declare the module. */
interface NodeSqliteModule {
  DatabaseSync: new (path: string, options?: { open?: boolean }) => NodeSqliteDatabase;
}

interface NodeSqliteDatabase {
  exec(sql: string): void;
  prepare(sql: string): { run(...params: SqlValue[]): unknown; all(...params: SqlValue[]): Record<string, SqlValue>[] };
  close(): void;
}

/** Loads node:sqlite when the runtime has it; undefined on Node 20 and on Node 22 before the module lost its flag. */
function loadNodeSqlite(): NodeSqliteModule | undefined {
  const getBuiltin = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
  if (typeof getBuiltin !== 'function') return undefined;
  try {
    const loaded = getBuiltin('node:sqlite') as NodeSqliteModule | undefined;
    return typeof loaded?.DatabaseSync === 'function' ? loaded : undefined;
  } catch {
    return undefined;
  }
}

function nodeSqliteVersion(sqlite: NodeSqliteModule): string {
  const db = new sqlite.DatabaseSync(':memory:');
  try {
    return String(db.prepare('SELECT sqlite_version() AS v').all()[0]?.v ?? 'unknown');
  } finally {
    db.close();
  }
}

class NodeSqliteEngine implements WriteEngine {
  readonly kind = 'node:sqlite' as const;
  readonly description: string;

  constructor(private readonly sqlite: NodeSqliteModule) {
    this.description = `node:sqlite (SQLite ${nodeSqliteVersion(sqlite)})`;
  }

  async open(file: string): Promise<WriteConnection> {
    let db: NodeSqliteDatabase;
    try {
      db = new this.sqlite.DatabaseSync(file);
      db.exec(`PRAGMA busy_timeout = ${LOCK_ATTEMPT_MS}`);
    } catch (error) {
      throw nodeSqliteError(error);
    }
    // node:sqlite is synchronous: each call blocks the event loop for at most one lock attempt.
    return {
      exec: async (sql, params = []) => {
        try {
          if (params.length === 0) db.exec(sql);
          else db.prepare(sql).run(...params);
        } catch (error) {
          throw nodeSqliteError(error);
        }
      },
      all: async (sql, params = []) => {
        try {
          return db.prepare(sql).all(...params).map((row) => Object.values(row));
        } catch (error) {
          throw nodeSqliteError(error);
        }
      },
      close: async () => {
        db.close();
      },
    };
  }
}

/** node:sqlite errors carry SQLite's extended result code in `errcode`; its low byte is the primary code. */
function nodeSqliteError(error: unknown): EngineError {
  const { errcode, message } = error as { errcode?: number; message?: string };
  const text = message ?? String(error);
  switch (typeof errcode === 'number' ? errcode & 0xff : undefined) {
    case 5: // SQLITE_BUSY
    case 6: // SQLITE_LOCKED
      return new EngineError('busy', text);
    case 8: // SQLITE_READONLY
      return new EngineError('readonly', text);
    case 13: // SQLITE_FULL
      return new EngineError('full', text);
    default:
      return new EngineError('failed', text);
  }
}

// --------------------------------------------------------------------- Python

/**
 * The Python side of the engine. It reads one JSON request per line and
 * writes one JSON reply per line. When stdin closes (the Node process died),
 * it exits, and closing the connection without COMMIT rolls back any open
 * transaction.
 */
const PYTHON_ENGINE = String.raw`
import json, pathlib, sqlite3, sys

def reply(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()

def classify(error):
    name = getattr(error, "sqlite_errorname", "") or ""
    text = str(error)
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "database is locked" in text or "database is busy" in text:
        return "busy"
    if name.startswith("SQLITE_READONLY") or "readonly database" in text:
        return "readonly"
    if name.startswith("SQLITE_FULL") or "disk is full" in text:
        return "full"
    return "failed"

connection = None
for line in sys.stdin:
    request = json.loads(line)
    op = request["op"]
    try:
        if op == "open":
            uri = pathlib.Path(request["path"]).as_uri() + ("?mode=rwc" if request.get("create") else "?mode=rw")
            connection = sqlite3.connect(uri, uri=True, timeout=request["timeout_ms"] / 1000, isolation_level=None)
            connection.text_factory = lambda data: data.decode("utf-8", "replace")
            reply({"ok": True})
        elif op == "exec":
            connection.execute(request["sql"], request["params"])
            reply({"ok": True})
        elif op == "all":
            rows = connection.execute(request["sql"], request["params"]).fetchall()
            reply({"ok": True, "rows": [list(row) for row in rows]})
        elif op == "close":
            connection.close()
            reply({"ok": True})
            break
        else:
            reply({"ok": False, "code": "failed", "message": "unknown request " + op})
    except sqlite3.Error as error:
        reply({"ok": False, "code": classify(error), "message": str(error)})
`;

interface PythonReply {
  ok: boolean;
  rows?: SqlValue[][];
  code?: 'busy' | 'readonly' | 'full' | 'failed';
  message?: string;
}

class PythonEngine implements WriteEngine {
  readonly kind = 'python' as const;
  readonly description: string;

  constructor(private readonly python: string, versions: string) {
    this.description = `${python} (${versions})`;
  }

  async open(file: string, options: { create?: boolean } = {}): Promise<WriteConnection> {
    const child = spawn(this.python, ['-c', PYTHON_ENGINE], { stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    const session = new PythonSession(child, this.python);
    try {
      await session.request({ op: 'open', path: file, create: options.create === true, timeout_ms: LOCK_ATTEMPT_MS });
    } catch (error) {
      session.kill();
      throw error;
    }
    return {
      exec: async (sql, params = []) => {
        await session.request({ op: 'exec', sql, params });
      },
      all: async (sql, params = []) => (await session.request({ op: 'all', sql, params })).rows ?? [],
      close: async () => {
        try {
          await session.request({ op: 'close' });
        } finally {
          session.kill();
        }
      },
    };
  }
}

/** One Python child and its request queue: one request in flight at a time. */
class PythonSession {
  private readonly replies: string[] = [];
  private waiting: ((line: string | undefined) => void) | undefined;
  private stderr = '';
  private exited = false;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly child: ChildProcessWithoutNullStreams, private readonly python: string) {
    child.stderr.on('data', (chunk: Buffer) => {
      if (this.stderr.length < 64 * 1024) this.stderr += chunk.toString();
    });
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      if (this.waiting) {
        const wake = this.waiting;
        this.waiting = undefined;
        wake(line);
      } else {
        this.replies.push(line);
      }
    });
    const onEnd = () => {
      this.exited = true;
      if (this.waiting) {
        const wake = this.waiting;
        this.waiting = undefined;
        wake(undefined);
      }
    };
    child.on('exit', onEnd);
    child.on('error', (error) => {
      this.stderr += error.message;
      onEnd();
    });
    // A write to a child that already exited must surface as a failed request, not an unhandled error.
    child.stdin.on('error', () => undefined);
  }

  request(message: Record<string, unknown>): Promise<PythonReply> {
    const next = this.queue.then(() => this.send(message));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async send(message: Record<string, unknown>): Promise<PythonReply> {
    if (this.exited) throw this.exitError();
    this.child.stdin.write(`${JSON.stringify(message)}\n`);
    const line = this.replies.shift() ?? await new Promise<string | undefined>((resolve) => {
      this.waiting = resolve;
    });
    if (line === undefined) throw this.exitError();
    const reply = JSON.parse(line) as PythonReply;
    if (!reply.ok) throw new EngineError(reply.code ?? 'failed', reply.message ?? 'unknown error');
    return reply;
  }

  private exitError(): EngineError {
    const detail = this.stderr.trim().split('\n').slice(-3).join(' ');
    return new EngineError('exited', `the Python SQLite engine (${this.python}) exited${detail ? `: ${detail}` : ''}`);
  }

  kill(): void {
    if (!this.exited) this.child.kill();
  }
}
