// The PostgreSQL source against a real PostgreSQL server from Debian's
// packages, started for this file on 127.0.0.1 and loaded with the rows of
// real FlowyML stores. The command line's list, show and lineage over
// PostgreSQL must equal the same commands over the SQLite files, row for
// row, once the store part of each id is mapped.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { run } from '../../../src/cli/main';
import { StoreError, loadWorkspace } from '../../../src/core/index';
import { versionId } from '../../../src/core/model/build';
import { PostgresSource } from '../../../src/core/sources/postgres';
import { SAMPLE_WORKSPACE, SMALL_FIXTURES } from '../../helpers/paths';
import { createDatabase, loadMetadataStore, ownerQuery } from '../../helpers/postgres/load';
import { findPostgresBin, startPostgres, type TestPostgres } from '../../helpers/postgres/server';

const skip = findPostgresBin() ? false : 'PostgreSQL server binaries are missing under /usr/lib/postgresql (apt-get install -y postgresql)';

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** Replaces the store part of every id, and the store field, so SQLite and PostgreSQL output can be compared. */
function mapStores(text: string, stores: Record<string, string>): string {
  let result = text;
  for (const [from, to] of Object.entries(stores)) {
    const encodedFrom = from.split('/').map((part) => encodeURIComponent(part).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)).join('/');
    result = result.split(`${encodedFrom}:`).join(`${to}:`).split(`"store": "${from}"`).join(`"store": "${to}"`);
  }
  return result;
}

const FIXTURES = [
  { database: 'lineage', dir: SAMPLE_WORKSPACE },
  { database: 'basic', dir: path.join(SMALL_FIXTURES, 'flowyml-1.7-basic') },
  { database: 'report', dir: path.join(SMALL_FIXTURES, 'flowyml-1.7-featureset-report') },
];

describe('PostgreSQL source', { skip }, () => {
  let server: TestPostgres;
  let emptyDir: string;

  before(async () => {
    server = await startPostgres({ tls: true });
    for (const fixture of FIXTURES) {
      const report = await loadMetadataStore(server, fixture.database, path.join(fixture.dir, '.flowyml', 'metadata.db'));
      assert.equal(report.dangling.artifacts, 0, `${fixture.database}: every artifact row names a run of its store`);
    }
    emptyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowyml-pg-empty-'));
  });

  after(async () => {
    await server?.stop();
    if (emptyDir) fs.rmSync(emptyDir, { recursive: true, force: true });
  });

  for (const fixture of FIXTURES) {
    test(`list, show and lineage equal SQLite: ${fixture.database}`, async () => {
      const url = server.url('reader', { database: fixture.database });
      const label = `postgresql://127.0.0.1:${server.port}/${fixture.database}`;
      const stores = { [label]: 'STORE', '.flowyml/metadata.db': 'STORE' };

      const pgList = await cli('list', emptyDir, '--db-url', url, '--json');
      const sqliteList = await cli('list', fixture.dir, '--store', '.flowyml/metadata.db', '--json');
      assert.equal(pgList.code, 0, pgList.err);
      assert.equal(sqliteList.code, 0, sqliteList.err);
      const pgEntries = JSON.parse(mapStores(pgList.out, stores)) as { id: string }[];
      const sqliteEntries = JSON.parse(mapStores(sqliteList.out, stores)) as { id: string }[];
      assert.ok(sqliteEntries.length > 5, 'the fixture has versions to compare');
      assert.equal(pgEntries.length, sqliteEntries.length);
      for (let i = 0; i < sqliteEntries.length; i += 1) assert.deepEqual(pgEntries[i], sqliteEntries[i], `list row ${i}`);

      // show and lineage for ten versions spread over the list, first and last
      // included, to keep the file's run time short; list covers every row.
      const stride = Math.max(1, Math.ceil((sqliteEntries.length - 1) / 9));
      const sampled = sqliteEntries.filter((_, i) => i % stride === 0 || i === sqliteEntries.length - 1);
      for (const entry of sampled) {
        const key = entry.id.slice('STORE:'.length);
        const pgId = `${versionId(label, 'artifacts', 'x').slice(0, -'artifacts:x'.length)}${key}`;
        const sqliteId = `.flowyml/metadata.db:${key}`;

        const pgShow = await cli('show', pgId, emptyDir, '--db-url', url, '--json');
        const sqliteShow = await cli('show', sqliteId, fixture.dir, '--store', '.flowyml/metadata.db', '--json');
        assert.equal(pgShow.code, 0, pgShow.err);
        assert.deepEqual(JSON.parse(mapStores(pgShow.out, stores)), JSON.parse(mapStores(sqliteShow.out, stores)), `show ${key}`);

        const pgLineage = await cli('lineage', pgId, emptyDir, '--db-url', url);
        const sqliteLineage = await cli('lineage', sqliteId, fixture.dir, '--store', '.flowyml/metadata.db');
        assert.equal(pgLineage.code, 0, pgLineage.err);
        assert.deepEqual(JSON.parse(mapStores(pgLineage.out, stores)), JSON.parse(mapStores(sqliteLineage.out, stores)), `lineage ${key}`);
      }
    });
  }

  test('local catalog.db joins PostgreSQL runs', async () => {
    // The sample's catalog.db records the same runs as its metadata.db: with the
    // metadata on PostgreSQL, its rows must merge and link exactly as with SQLite.
    const url = server.url('reader', { database: 'lineage' });
    const label = `postgresql://127.0.0.1:${server.port}/lineage`;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowyml-pg-mixed-'));
    try {
      fs.mkdirSync(path.join(dir, '.flowyml'));
      fs.copyFileSync(path.join(SAMPLE_WORKSPACE, '.flowyml', 'catalog.db'), path.join(dir, '.flowyml', 'catalog.db'));
      const stores = { [label]: 'META', '.flowyml/metadata.db': 'META' };

      const mixed = await cli('list', dir, '--db-url', url, '--json');
      const local = await cli('list', SAMPLE_WORKSPACE, '--store', '.flowyml/metadata.db', '--store', '.flowyml/catalog.db', '--json');
      assert.equal(mixed.code, 0, mixed.err);
      const mixedEntries = JSON.parse(mapStores(mixed.out, stores)) as { id: string; aliases: string[]; parents: string[] }[];
      const localEntries = JSON.parse(mapStores(local.out, stores)) as { id: string; aliases: string[]; parents: string[] }[];
      assert.deepEqual(mixedEntries, localEntries);
      const merged = mixedEntries.filter((e) => e.id.startsWith('META:') && e.aliases.some((a) => a.startsWith('.flowyml/catalog.db:')));
      assert.ok(merged.length > 0, 'catalog rows merged into PostgreSQL versions by run id and step');

      const model = localEntries.find((e) => e.id.startsWith('.flowyml/catalog.db:') && e.parents.length > 0)!;
      const mixedLineage = await cli('lineage', model.id, dir, '--db-url', url, '--direction', 'up');
      const localLineage = await cli('lineage', model.id, SAMPLE_WORKSPACE, '--store', '.flowyml/metadata.db', '--store', '.flowyml/catalog.db', '--direction', 'up');
      assert.equal(mixedLineage.code, 0, mixedLineage.err);
      assert.deepEqual(JSON.parse(mapStores(mixedLineage.out, stores)), JSON.parse(mapStores(localLineage.out, stores)));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('small pages read the same rows', async () => {
    const url = server.url('reader', { database: 'lineage' });
    const messages: string[] = [];
    const paged = new PostgresSource({ url, pageSize: 4 }, { info: (m) => messages.push(m) });
    const whole = new PostgresSource({ url });
    const a = await loadWorkspace(emptyDir, { sources: [paged] });
    const b = await loadWorkspace(emptyDir, { sources: [whole] });
    try {
      assert.deepEqual(a.versions.map((v) => v.id), b.versions.map((v) => v.id));
      assert.equal(a.versions.length, 47);
      // 8 runs in 3 pages of 4 (the last one empty), 47 artifacts in 12 pages.
      assert.match(messages.join('\n'), /Read 8 runs and 47 artifact rows from .* in 15 pages/);
    } finally {
      a.dispose();
      b.dispose();
    }
  });

  test('polling sees an inserted row', async () => {
    await loadMetadataStore(server, 'polled', path.join(SMALL_FIXTURES, 'flowyml-1.7-basic', '.flowyml', 'metadata.db'));
    const source = new PostgresSource({ url: server.url('reader', { database: 'polled' }) });
    try {
      const before = await source.fingerprint();
      assert.deepEqual(await source.fingerprint(), before, 'no change, same fingerprint');
      const first = await loadWorkspace(emptyDir, { sources: [source] });
      const count = first.versions.length;
      const run = first.runs[0];
      first.dispose();

      // What FlowyML's save_artifact inserts; created_at comes from the column default.
      const artifactId = `${run.runId}_${run.steps[0].name}_late_output`;
      await ownerQuery(server, 'polled', 'INSERT INTO artifacts (artifact_id, name, type, run_id, path, metadata) VALUES ($1, $2, $3, $4, NULL, $5)', [
        artifactId, 'late_output', 'dict', run.runId,
        JSON.stringify({ artifact_id: artifactId, name: 'late_output', type: 'dict', run_id: run.runId, step: run.steps[0].name, value: '{}', created_at: '2026-12-04T19:30:00.000000' }),
      ]);

      const afterInsert = await source.fingerprint();
      assert.equal(afterInsert.artifacts, before.artifacts + 1);
      assert.notDeepEqual(afterInsert, before);
      const second = await loadWorkspace(emptyDir, { sources: [source] });
      try {
        assert.equal(second.versions.length, count + 1);
        const added = second.versions.find((v) => v.name === 'late_output');
        assert.equal(added?.step, run.steps[0].name);
      } finally {
        second.dispose();
      }
    } finally {
      await source.close();
    }
  });

  test('slow query hits the statement timeout', async () => {
    // A view in place of the artifacts table makes the reader's own query slow.
    await createDatabase(server, 'slow');
    await ownerQuery(server, 'slow', 'CREATE TABLE runs (run_id VARCHAR NOT NULL PRIMARY KEY, metadata TEXT, created_at VARCHAR)');
    await ownerQuery(server, 'slow', `CREATE VIEW artifacts AS SELECT 'a'::varchar AS artifact_id, 'n'::varchar AS name, 'dict'::varchar AS type,
      'r'::varchar AS run_id, '{}'::text AS metadata, NULL::varchar AS created_at FROM pg_sleep(5)`);
    await ownerQuery(server, 'slow', `GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${server.reader.user}`);

    const source = new PostgresSource({ url: server.url('reader', { database: 'slow' }), statementTimeoutMs: 300 });
    const started = Date.now();
    const workspace = await loadWorkspace(path.join(SMALL_FIXTURES, 'flowyml-1.7-basic'), { sources: [source] });
    try {
      const elapsed = Date.now() - started;
      assert.ok(elapsed < 4_000, `gave up after ${elapsed} ms, before the 5 s sleep ended`);
      const problem = workspace.problems.find((p) => p.file === source.label);
      assert.equal(problem?.code, 'timeout');
      assert.match(problem?.message ?? '', /statement timeout of 300 ms/);
      assert.ok(workspace.versions.length > 0, 'the local store still loads');
    } finally {
      workspace.dispose();
      await source.close();
    }
  });

  test('transactions are read-only', async () => {
    // Even with the owner's account, which may write, a query that would write fails.
    await createDatabase(server, 'guarded');
    await ownerQuery(server, 'guarded', 'CREATE TABLE runs (run_id VARCHAR NOT NULL PRIMARY KEY, metadata TEXT, created_at VARCHAR)');
    await ownerQuery(server, 'guarded', 'CREATE TABLE written (n INTEGER)');
    await ownerQuery(server, 'guarded', `CREATE FUNCTION write_row() RETURNS varchar LANGUAGE sql VOLATILE AS $$ INSERT INTO written VALUES (1) RETURNING 'x'::varchar $$`);
    await ownerQuery(server, 'guarded', `CREATE VIEW artifacts AS SELECT write_row() AS artifact_id, 'n'::varchar AS name, 'dict'::varchar AS type,
      'r'::varchar AS run_id, '{}'::text AS metadata, NULL::varchar AS created_at`);

    const source = new PostgresSource({ url: server.url('owner', { database: 'guarded' }) });
    try {
      await assert.rejects(source.load(), (error: unknown) => error instanceof StoreError && /read-only transaction/.test(error.message));
      const written = await ownerQuery(server, 'guarded', 'SELECT count(*)::int AS n FROM written');
      assert.equal(written.rows[0].n, 0);
    } finally {
      await source.close();
    }
  });

  test('bad connections give clear errors', async () => {
    await createDatabase(server, 'unrelated');
    await ownerQuery(server, 'unrelated', 'CREATE TABLE notes (id INTEGER)');
    await ownerQuery(server, 'unrelated', `GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${server.reader.user}`);
    await createDatabase(server, 'broken');
    await ownerQuery(server, 'broken', 'CREATE TABLE runs (run_id VARCHAR NOT NULL PRIMARY KEY, metadata TEXT, created_at VARCHAR)');
    await ownerQuery(server, 'broken', `CREATE VIEW artifacts AS SELECT 'a'::varchar AS artifact_id, 'n'::varchar AS name, 'dict'::varchar AS type,
      'r'::varchar AS run_id, (1 / 0)::text AS metadata, NULL::varchar AS created_at`);
    await ownerQuery(server, 'broken', `GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${server.reader.user}`);

    const wrongPassword = 'not-the-password-7261';
    const closedPort = server.port === 1 ? 2 : 1;
    const cases = [
      { name: 'wrong password', url: server.url('reader', { database: 'lineage', password: wrongPassword }), code: 'auth', message: /rejected the credentials of user "flowyml_reader"/ },
      { name: 'no password', url: `postgresql://${server.reader.user}@127.0.0.1:${server.port}/lineage`, code: 'auth', message: /asks for a password for user "flowyml_reader" and none is set/ },
      { name: 'unreachable host', url: `postgresql://${server.reader.user}:${wrongPassword}@127.0.0.1:${closedPort}/lineage`, code: 'unreachable', message: /could not be reached \(.*ECONNREFUSED/ },
      { name: 'missing database', url: server.url('reader', { database: 'nowhere' }), code: 'missing', message: /database "nowhere" does not exist/ },
      { name: 'wrong schema', url: server.url('reader', { database: 'unrelated' }), code: 'schema', message: /is not a FlowyML metadata store: table "artifacts" is missing/ },
      { name: 'server error', url: server.url('reader', { database: 'broken' }), code: 'server', message: /the server reported an error \(division by zero\)/ },
      { name: 'untrusted certificate', url: server.url('reader', { database: 'lineage', query: 'sslmode=verify-full' }), code: 'tls', message: /TLS connection failed \(self.signed certificate\); check sslmode/ },
    ];
    for (const c of cases) {
      const source = new PostgresSource({ url: c.url, connectTimeoutMs: 3_000 });
      const workspace = await loadWorkspace(path.join(SMALL_FIXTURES, 'flowyml-1.7-basic'), { sources: [source] });
      try {
        const problem = workspace.problems.find((p) => p.file === source.label);
        assert.equal(problem?.code, c.code, `${c.name}: ${problem?.message}`);
        assert.match(problem?.message ?? '', c.message, c.name);
        assert.ok(problem?.message.includes(source.label), `${c.name}: the message names the source`);
        assert.ok(!problem?.message.includes(wrongPassword), `${c.name}: no wrong password in the message`);
        assert.ok(!problem?.message.includes(server.reader.password), `${c.name}: no password in the message`);
        assert.ok(workspace.versions.length > 0, `${c.name}: the local store still loads`);
      } finally {
        workspace.dispose();
        await source.close();
      }
    }
  });

  test('TLS modes are honoured', async () => {
    const ca = encodeURIComponent(server.caFile!);
    for (const query of [`sslmode=verify-full&sslrootcert=${ca}`, `sslmode=verify-ca&sslrootcert=${ca}`, 'sslmode=require']) {
      const result = await cli('list', emptyDir, '--db-url', server.url('reader', { database: 'basic', query }), '--json');
      assert.equal(result.code, 0, `${query}: ${result.err}`);
      assert.ok((JSON.parse(result.out) as unknown[]).length > 0, query);
    }

    const source = new PostgresSource({ url: server.url('reader', { database: 'basic' }), sslMode: 'verify-full', caFile: server.caFile });
    try {
      await source.load();
      const encrypted = await ownerQuery(server, 'postgres', `SELECT count(*)::int AS n FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid)
        WHERE a.application_name = 'flowyml-assets' AND a.datname = 'basic' AND s.ssl`);
      assert.ok(encrypted.rows[0].n >= 1, 'the source\'s open connection uses TLS');
    } finally {
      await source.close();
    }

    const plain = new PostgresSource({ url: server.url('reader', { database: 'basic', query: 'sslmode=verify-full' }), sslMode: 'disable' });
    try {
      await plain.load();
    } finally {
      await plain.close();
    }
  });

  test('password stays out of output and logs', async () => {
    const password = server.reader.password;
    const url = server.url('reader', { database: 'lineage' });
    const bareUrl = `postgresql://${server.reader.user}@127.0.0.1:${server.port}/lineage`;
    const captured: string[] = [];
    const writeErr = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      captured.push(String(chunk));
      return (writeErr as (...args: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof process.stderr.write;
    const previous = process.env.FLOWYML_DB_PASSWORD;
    try {
      const runs = [
        await cli('list', emptyDir, '--db-url', url, '--json'),
        await cli('lineage', 'no-such-id', emptyDir, '--db-url', url),
        await cli('list', emptyDir, '--db-url', server.url('reader', { database: 'lineage', password: `${password}x` })),
      ];
      process.env.FLOWYML_DB_PASSWORD = password;
      const fromEnv = await cli('list', emptyDir, '--db-url', bareUrl, '--json');
      runs.push(fromEnv);
      assert.equal(fromEnv.code, 0, 'the password from FLOWYML_DB_PASSWORD signs in');
      assert.equal((JSON.parse(fromEnv.out) as unknown[]).length, 47);
      assert.equal(runs[2].code, 1);
      assert.match(runs[2].err, /rejected the credentials/);

      const messages: string[] = [];
      const source = new PostgresSource({ url: server.url('reader', { database: 'slow' }), statementTimeoutMs: 200 }, {
        info: (m) => messages.push(m), warn: (m) => messages.push(m), error: (m) => messages.push(m),
      });
      await assert.rejects(source.load(), (error: Error) => {
        messages.push(error.message, String(error.stack));
        return true;
      });
      await source.close();

      const everything = [...runs.flatMap((r) => [r.out, r.err]), ...captured, ...messages].join('\n');
      assert.ok(everything.length > 1000, 'there is output to search');
      assert.ok(!everything.includes(password), 'the password appears nowhere');
      assert.ok(!everything.includes(encodeURIComponent(password)), 'nor percent-encoded');
    } finally {
      process.stderr.write = writeErr;
      if (previous === undefined) delete process.env.FLOWYML_DB_PASSWORD;
      else process.env.FLOWYML_DB_PASSWORD = previous;
    }
  });
});
