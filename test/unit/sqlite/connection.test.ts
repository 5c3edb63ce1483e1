import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { buildSync } from 'esbuild';
import { StoreError } from '../../../src/core/errors';
import { openSnapshotDatabase } from '../../../src/core/sqlite';
import { SqlJsConnection } from '../../../src/core/sqlite/connection';
import { loadSqlJs, locateSqlJsWasm, testLazyPages } from '../../../src/core/sqlite/sqljs';
import type { SqlJsDatabase, SqlJsStatement, SqlJsStatic } from '../../../src/core/sqlite/sqljs';
import { LazyDatabaseImage } from '../../../src/core/sqlite/lazy-source';
import { Snapshot } from '../../../src/core/sqlite/snapshot';
import { pythonUnavailable, runPython } from '../../helpers/python-writer';
import { temporaryDir } from './support';

const REPO_ROOT = path.resolve(__dirname, '../../..');

describe('sql.js loading', () => {
  test('loads once', async () => {
    const [first, second] = await Promise.all([loadSqlJs(), loadSqlJs()]);
    assert.equal(first, second);
    assert.equal(await loadSqlJs(), first);
  });

  test('lazy page self-test passes', async () => {
    assert.equal(testLazyPages(await loadSqlJs()), undefined);
  });

  test('self-test fails when sql.js copies the array', async () => {
    const sql = await loadSqlJs();
    // A stand-in for a sql.js version that copies the constructor's array instead of keeping it.
    const copying: SqlJsStatic = {
      Database: class {
        constructor(data?: ArrayLike<number> | LazyDatabaseImage | null) {
          const bytes = data instanceof LazyDatabaseImage ? new Uint8Array(data.length) : data;
          return new sql.Database(bytes);
        }
      } as unknown as SqlJsStatic['Database'],
    };
    assert.match(testLazyPages(copying) ?? '', /self-test/);
  });

  test('failed self-test falls back to whole file', async () => {
    const file = path.join(temporaryDir('fallback'), 'small.db');
    const sql = await loadSqlJs();
    const source = new sql.Database();
    source.run('CREATE TABLE t(x); INSERT INTO t VALUES (1), (2)');
    fs.writeFileSync(file, (source as unknown as { export(): Uint8Array }).export());
    source.close();

    const snapshot = new Snapshot(file, { sql, lazyPagesFailure: 'test' }, { wholeFileMaxBytes: 0 });
    try {
      assert.deepEqual(await snapshot.read('sum', (conn) => conn.get('SELECT sum(x) AS total FROM t')), { total: 3 });
      assert.equal(snapshot.stats.mode, 'whole-file');
    } finally {
      snapshot.close();
    }
  });

  test('wasm found in the package when unbundled', () => {
    const wasm = locateSqlJsWasm();
    assert.ok(wasm.endsWith(path.join('sql.js', 'dist', 'sql-wasm.wasm')), wasm);
    assert.ok(fs.existsSync(wasm));
  });

  test('wasm found beside a CommonJS bundle', { timeout: 60_000 }, () => {
    const dir = temporaryDir('bundle');
    const entry = path.join(dir, 'entry.ts');
    fs.writeFileSync(entry, [
      `import { loadSqlJs } from ${JSON.stringify(path.join(REPO_ROOT, 'src/core/sqlite'))};`,
      `import { locateSqlJsWasm } from ${JSON.stringify(path.join(REPO_ROOT, 'src/core/sqlite/sqljs'))};`,
      'loadSqlJs().then((sql) => {',
      '  const db = new sql.Database();',
      '  console.log(locateSqlJsWasm(), JSON.stringify(db.exec("SELECT 6 * 7")[0].values));',
      '});',
    ].join('\n'));
    const bundle = path.join(dir, 'out', 'bundle.js');
    buildSync({ entryPoints: [entry], outfile: bundle, bundle: true, platform: 'node', format: 'cjs', logLevel: 'error' });
    fs.copyFileSync(locateSqlJsWasm(), path.join(dir, 'out', 'sql-wasm.wasm'));

    const output = execFileSync(process.execPath, [bundle], { encoding: 'utf8', cwd: dir }).trim();
    assert.equal(output, `${path.join(dir, 'out', 'sql-wasm.wasm')} [[42]]`);
  });
});

describe('statement cleanup', () => {
  function fakeDatabase(failAt: 'bind' | 'step'): { database: SqlJsDatabase; freed: () => number } {
    let freed = 0;
    const statement: SqlJsStatement = {
      bind: () => {
        if (failAt === 'bind') throw new Error('Wrong API use : tried to bind a value of an unknown type');
        return true;
      },
      step: () => {
        // sql.js throws some errors as plain strings.
        if (failAt === 'step') throw 'Statement closed';
        return false;
      },
      getAsObject: () => ({}),
      get: () => [],
      getColumnNames: () => [],
      free: () => {
        freed += 1;
        return true;
      },
    };
    const database: SqlJsDatabase = { prepare: () => statement, run: () => undefined, close: () => undefined };

    return { database, freed: () => freed };
  }

  for (const failAt of ['bind', 'step'] as const) {
    test(`statement freed when ${failAt} throws`, () => {
      const { database, freed } = fakeDatabase(failAt);
      const conn = new SqlJsConnection(database, '/stores/a.db', 'list runs');
      assert.throws(() => conn.all('SELECT 1', [1]), (error) => {
        assert.ok(error instanceof StoreError);
        assert.equal(error.code, 'invalid-input');
        assert.match(error.message, /^Couldn't list runs in \/stores\/a\.db: /);
        assert.match(error.message, /query: SELECT 1/);
        return true;
      });
      assert.equal(freed(), 1);
    });
  }
});

const python = pythonUnavailable();

describe('typed rows', { skip: python ?? false }, () => {
  const file = path.join(temporaryDir('rows'), 'rows.db');

  before(() => {
    runPython(`
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.executescript("""
CREATE TABLE big (id INTEGER PRIMARY KEY AUTOINCREMENT, n INTEGER, label TEXT, data BLOB, ratio REAL, note TEXT);
CREATE INDEX big_label ON big(label);
INSERT INTO big (n, label, data, ratio) VALUES (9007199254740993, 'above 2^53', x'00ff10', 0.5);
INSERT INTO big (n, label, data, ratio) VALUES (-9223372036854775808, 'min int64', NULL, NULL);
INSERT INTO big (n, label, data, ratio) VALUES (9223372036854775807, 'max int64', NULL, NULL);
INSERT INTO big (n, label, data, ratio) VALUES (9007199254740991, 'max safe', NULL, NULL);
INSERT INTO big (n, label, data, ratio) VALUES (42, 'small', NULL, NULL);
CREATE TABLE runs (run_id TEXT, metadata TEXT);
""")
db.commit()
`, [file]);
  });

  test('integers beyond 2^53 stay exact', async () => {
    const db = await openSnapshotDatabase(file);
    try {
      const rows = await db.read('read numbers', (conn) => conn.all('SELECT n, label FROM big ORDER BY id'));
      assert.deepEqual(rows, [
        { n: 9007199254740993n, label: 'above 2^53' },
        { n: -9223372036854775808n, label: 'min int64' },
        { n: 9223372036854775807n, label: 'max int64' },
        { n: 9007199254740991, label: 'max safe' },
        { n: 42, label: 'small' },
      ]);
    } finally {
      db.close();
    }
  });

  test('parameters of every type', async () => {
    const db = await openSnapshotDatabase(file);
    try {
      const row = await db.read('find', (conn) => conn.get(
        'SELECT id, data, ratio FROM big WHERE n = ? AND label = ? AND data = ? AND ratio > ? AND note IS ?',
        [9007199254740993n, 'above 2^53', Uint8Array.of(0, 255, 16), 0.25, null],
      ));
      assert.deepEqual(row, { id: 1, data: Uint8Array.of(0, 255, 16), ratio: 0.5 });
      assert.equal(await db.read('find', (conn) => conn.get('SELECT id FROM big WHERE n = ?', [-1])), undefined);
    } finally {
      db.close();
    }
  });

  test('tables and columns', async () => {
    const db = await openSnapshotDatabase(file);
    try {
      await db.read('list tables', (conn) => {
        // AUTOINCREMENT adds sqlite_sequence, which is not a user table.
        assert.deepEqual(conn.tables(), ['big', 'runs']);
        assert.deepEqual(conn.columns('big'), ['id', 'n', 'label', 'data', 'ratio', 'note']);
        assert.deepEqual(conn.columns('runs'), ['run_id', 'metadata']);
        assert.deepEqual(conn.columns('absent'), []);
      });
    } finally {
      db.close();
    }
  });

  test('query errors name operation and file', async () => {
    const db = await openSnapshotDatabase(file);
    try {
      const cases: [string, string, RegExp][] = [
        ['SELECT nope FROM big', 'schema', /no such column: nope/],
        ['SELECT * FROM absent', 'schema', /no such table: absent/],
        ['SELEC 1', 'invalid-input', /syntax error/],
        ['', 'invalid-input', /Nothing to prepare/],
        ['DELETE FROM big', 'invalid-input', /readonly|read-only|query_only/i],
      ];
      for (const [sql, code, pattern] of cases) {
        await assert.rejects(db.read('load versions', (conn) => conn.all(sql)), (error) => {
          assert.ok(error instanceof StoreError, String(error));
          assert.equal(error.code, code, error.message);
          assert.match(error.message, pattern);
          assert.ok(error.message.startsWith(`Couldn't load versions in ${file}: `), error.message);
          return true;
        });
      }
      const count = await db.read('count', (conn) => conn.get('SELECT count(*) AS n FROM big'));
      assert.deepEqual(count, { n: 5 }, 'the rejected DELETE must not change anything');
    } finally {
      db.close();
    }
  });

  test('callback errors pass through', async () => {
    const db = await openSnapshotDatabase(file);
    try {
      const failure = new RangeError('bad metadata');
      await assert.rejects(db.read('parse', () => {
        throw failure;
      }), (error) => error === failure);
      assert.equal(db.stats.retries, 0);
    } finally {
      db.close();
    }
  });

  test('async callback is rejected', async () => {
    const db = await openSnapshotDatabase(file);
    try {
      await assert.rejects(db.read('load', async (conn) => conn.tables()), (error) => {
        assert.ok(error instanceof StoreError);
        assert.equal(error.code, 'invalid-input');
        assert.match(error.message, /must be synchronous/);
        return true;
      });
    } finally {
      db.close();
    }
  });

  test('small file loads whole, option forces lazy', async () => {
    const whole = await openSnapshotDatabase(file);
    const lazy = await openSnapshotDatabase(file, { wholeFileMaxBytes: 0 });
    try {
      assert.equal(whole.stats.mode, 'whole-file');
      assert.equal(lazy.stats.mode, 'lazy');
      const sql = 'SELECT * FROM big ORDER BY id';
      assert.deepEqual(await lazy.read('read', (conn) => conn.all(sql)), await whole.read('read', (conn) => conn.all(sql)));
    } finally {
      whole.close();
      lazy.close();
    }
  });

  test('schema change reopens', async () => {
    const changing = path.join(temporaryDir('schema'), 'schema.db');
    runPython('import sqlite3, sys; db = sqlite3.connect(sys.argv[1]); db.execute("CREATE TABLE a (x)"); db.commit()', [changing]);
    const db = await openSnapshotDatabase(changing);
    try {
      assert.deepEqual(await db.read('list', (conn) => conn.tables()), ['a']);
      const cookie = db.state?.schemaCookie;

      runPython('import sqlite3, sys; db = sqlite3.connect(sys.argv[1]); db.execute("ALTER TABLE a ADD COLUMN y"); db.commit()', [changing]);
      assert.deepEqual(await db.read('list', (conn) => conn.columns('a')), ['x', 'y']);
      assert.equal(db.state?.schemaCookie, (cookie ?? 0) + 1);
      assert.equal(db.stats.reopens, 1);
    } finally {
      db.close();
    }
  });

  test('closed database rejects reads', async () => {
    const db = await openSnapshotDatabase(file);
    db.close();
    await assert.rejects(db.read('read', (conn) => conn.tables()), /was closed/);
  });
});

describe('a writer that changes the file during every query', () => {
  /** A store that reads page by page, and a read callback that touches the file the way a committing writer does. */
  async function busyStore(name: string): Promise<{ file: string; touchingRead: (conn: SqlJsConnection) => unknown }> {
    const file = path.join(temporaryDir(name), 'busy.db');
    const sql = await loadSqlJs();
    const source = new sql.Database();
    source.run('CREATE TABLE t(x); INSERT INTO t VALUES (1), (2), (3)');
    fs.writeFileSync(file, (source as unknown as { export(): Uint8Array }).export());
    source.close();
    let touches = 0;
    const touchingRead = (conn: SqlJsConnection): unknown => {
      const row = conn.get('SELECT sum(x) AS total FROM t');
      // A new modification time is what a commit leaves behind.
      touches += 1;
      const stamp = new Date(Date.UTC(2026, 0, 1, 0, 0, touches));
      fs.utimesSync(file, stamp, stamp);
      return row;
    };
    return { file, touchingRead };
  }

  test('busy store loads whole and succeeds', async () => {
    const { file, touchingRead } = await busyStore('busy-whole');
    const db = await openSnapshotDatabase(file, { wholeFileMaxBytes: 0, busyTimeoutMs: 5000 });
    try {
      assert.deepEqual(await db.read('sum', (conn) => touchingRead(conn as SqlJsConnection)), { total: 6 });
      assert.equal(db.stats.mode, 'whole-file');
      assert.equal(db.stats.retries, 3);
    } finally {
      db.close();
    }
  });

  test('busy store without fallback times out', async () => {
    const { file, touchingRead } = await busyStore('busy-lazy');
    const db = await openSnapshotDatabase(file, { wholeFileMaxBytes: 0, busyWholeMaxBytes: 0, busyTimeoutMs: 300 });
    try {
      await assert.rejects(db.read('sum', (conn) => touchingRead(conn as SqlJsConnection)), (error) => {
        assert.ok(error instanceof StoreError);
        assert.equal(error.code, 'busy');
        return true;
      });
      assert.equal(db.stats.mode, 'lazy');
    } finally {
      db.close();
    }
  });
});

describe('row values', () => {
  test('large integers stay exact bigints', async () => {
    const sql = await loadSqlJs();
    const database = new sql.Database();
    try {
      database.run('CREATE TABLE t(id INTEGER, big INTEGER, real REAL, text TEXT)');
      database.run("INSERT INTO t VALUES (1, 9007199254740993, 1e300, 'a'), (2, -9007199254740993, 2.5, NULL), (3, 42, 9007199254740992.0, 'c')");
      const connection = new SqlJsConnection(database, 'memory.db', 'read values');
      assert.deepEqual(connection.all('SELECT * FROM t ORDER BY id'), [
        { id: 1, big: 9007199254740993n, real: 1e300, text: 'a' },
        { id: 2, big: -9007199254740993n, real: 2.5, text: null },
        { id: 3, big: 42, real: 9007199254740992, text: 'c' },
      ]);
      assert.deepEqual(connection.get('SELECT big, id AS big FROM t WHERE id = 1'), { big: 1 });
    } finally {
      database.close();
    }
  });
});
