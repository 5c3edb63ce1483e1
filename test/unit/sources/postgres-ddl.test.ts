// Checks test/helpers/postgres/flowyml-metadata.sql against FlowyML's own
// SQLAlchemy tables, as a real PostgreSQL server reports them after running
// the DDL (information_schema and pg_catalog), not as the file's text says.
//
// The expected columns below were written for this test from the Table(...)
// definitions of SQLMetadataStore._init_db in UnicoLab/FlowyML
// flowyml/storage/sql.py, read at commits 0062a4b6b52cce43fba1aa3503f226a795ae311f
// and b100fe1d627e148965064092f0bcd95c6d987549 (identical tables), mapped to
// PostgreSQL the way SQLAlchemy's PostgreSQL dialect renders them:
//   String (no length) -> VARCHAR -> character varying
//   Text               -> TEXT    -> text
//   Float (no precision) -> FLOAT -> double precision (PostgreSQL's FLOAT is float8)
//   Integer            -> INTEGER -> integer
//   Integer primary key, autoincrement -> SERIAL -> integer with a nextval() default
//   server_default=func.current_timestamp() -> DEFAULT CURRENT_TIMESTAMP
//   primary_key=True   -> NOT NULL and PRIMARY KEY; ForeignKey -> FOREIGN KEY
// No column sets index=True or unique=True, so no index besides the primary keys.
// projects, model_versions and pipeline_templates are not in those commits.
// Their expectations come from the DDL that SQLAlchemy wrote for them into a
// FlowyML 2.1 metadata.db (sqlite_master of samples/workspace/.flowyml/metadata.db).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createDatabase, METADATA_DDL, ownerQuery } from '../../helpers/postgres/load';
import { findPostgresBin, startPostgres, type TestPostgres } from '../../helpers/postgres/server';

const skip = findPostgresBin() ? false : 'PostgreSQL server binaries are missing under /usr/lib/postgresql (apt-get install -y postgresql)';

type Type = 'varchar' | 'text' | 'float' | 'integer';
/** [name, type, nullable, default]: `now` is CURRENT_TIMESTAMP, `serial` a sequence. */
type Column = [string, Type, boolean, ('now' | 'serial')?];
interface Table { columns: Column[]; primaryKey: string[]; foreignKeys: [string, string, string][] }

const PG_TYPE: Record<Type, string> = { varchar: 'character varying', text: 'text', float: 'double precision', integer: 'integer' };

const EXPECTED: Record<string, Table> = {
  runs: {
    columns: [['run_id', 'varchar', false], ['pipeline_name', 'varchar', true], ['status', 'varchar', true], ['start_time', 'varchar', true],
      ['end_time', 'varchar', true], ['duration', 'float', true], ['metadata', 'text', true], ['project', 'varchar', true], ['created_at', 'varchar', true, 'now']],
    primaryKey: ['run_id'],
    foreignKeys: [],
  },
  artifacts: {
    columns: [['artifact_id', 'varchar', false], ['name', 'varchar', true], ['type', 'varchar', true], ['run_id', 'varchar', true],
      ['path', 'varchar', true], ['metadata', 'text', true], ['project', 'varchar', true], ['created_at', 'varchar', true, 'now']],
    primaryKey: ['artifact_id'],
    foreignKeys: [['run_id', 'runs', 'run_id']],
  },
  metrics: {
    columns: [['id', 'integer', false, 'serial'], ['run_id', 'varchar', true], ['name', 'varchar', true], ['value', 'float', true],
      ['step', 'integer', true], ['timestamp', 'varchar', true, 'now']],
    primaryKey: ['id'],
    foreignKeys: [['run_id', 'runs', 'run_id']],
  },
  model_metrics: {
    columns: [['id', 'integer', false, 'serial'], ['project', 'varchar', true], ['model_name', 'varchar', true], ['run_id', 'varchar', true],
      ['metric_name', 'varchar', true], ['metric_value', 'float', true], ['environment', 'varchar', true], ['tags', 'text', true], ['created_at', 'varchar', true, 'now']],
    primaryKey: ['id'],
    foreignKeys: [],
  },
  parameters: {
    columns: [['id', 'integer', false, 'serial'], ['run_id', 'varchar', true], ['name', 'varchar', true], ['value', 'text', true]],
    primaryKey: ['id'],
    foreignKeys: [['run_id', 'runs', 'run_id']],
  },
  experiments: {
    columns: [['experiment_id', 'varchar', false], ['name', 'varchar', true], ['description', 'text', true], ['tags', 'text', true],
      ['project', 'varchar', true], ['created_at', 'varchar', true, 'now']],
    primaryKey: ['experiment_id'],
    foreignKeys: [],
  },
  experiment_runs: {
    columns: [['experiment_id', 'varchar', false], ['run_id', 'varchar', false], ['metrics', 'text', true], ['parameters', 'text', true], ['timestamp', 'varchar', true, 'now']],
    primaryKey: ['experiment_id', 'run_id'],
    foreignKeys: [['experiment_id', 'experiments', 'experiment_id'], ['run_id', 'runs', 'run_id']],
  },
  traces: {
    columns: [['event_id', 'varchar', false], ['trace_id', 'varchar', true], ['parent_id', 'varchar', true], ['event_type', 'varchar', true],
      ['name', 'varchar', true], ['inputs', 'text', true], ['outputs', 'text', true], ['start_time', 'float', true], ['end_time', 'float', true],
      ['duration', 'float', true], ['status', 'varchar', true], ['error', 'text', true], ['metadata', 'text', true], ['prompt_tokens', 'integer', true],
      ['completion_tokens', 'integer', true], ['total_tokens', 'integer', true], ['cost', 'float', true], ['model', 'varchar', true],
      ['project', 'varchar', true], ['created_at', 'varchar', true, 'now']],
    primaryKey: ['event_id'],
    foreignKeys: [],
  },
  pipeline_definitions: {
    columns: [['pipeline_name', 'varchar', false], ['definition', 'text', false], ['created_at', 'varchar', false], ['updated_at', 'varchar', false]],
    primaryKey: ['pipeline_name'],
    foreignKeys: [],
  },
  projects: {
    columns: [['name', 'varchar', false], ['description', 'text', true], ['tags', 'text', true], ['created_at', 'varchar', true, 'now'], ['updated_at', 'varchar', true]],
    primaryKey: ['name'],
    foreignKeys: [],
  },
  model_versions: {
    columns: [['id', 'integer', false, 'serial'], ['name', 'varchar', false], ['version', 'varchar', false], ['stage', 'varchar', false],
      ['framework', 'varchar', false], ['model_path', 'varchar', false], ['metrics', 'text', true], ['tags', 'text', true], ['schema', 'text', true],
      ['description', 'text', true], ['author', 'varchar', true], ['parent_version', 'varchar', true], ['created_at', 'varchar', true, 'now'], ['updated_at', 'varchar', true]],
    primaryKey: ['id'],
    foreignKeys: [],
  },
  pipeline_templates: {
    columns: [['template_id', 'varchar', false], ['name', 'varchar', false], ['description', 'text', true], ['definition', 'text', false],
      ['tags', 'text', true], ['author', 'varchar', true], ['category', 'varchar', true], ['is_public', 'integer', true],
      ['created_at', 'varchar', true, 'now'], ['updated_at', 'varchar', true]],
    primaryKey: ['template_id'],
    foreignKeys: [],
  },
};

describe('PostgreSQL DDL against FlowyML\'s tables', { skip }, () => {
  let server: TestPostgres;
  const database = 'ddlcheck';

  before(async () => {
    server = await startPostgres();
    await createDatabase(server, database);
    await ownerQuery(server, database, METADATA_DDL);
  });

  after(async () => {
    await server?.stop();
  });

  const query = async (sql: string, params: unknown[] = []) => (await ownerQuery(server, database, sql, params)).rows as Record<string, string>[];

  test('the same twelve tables', async () => {
    const tables = await query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name");
    assert.deepEqual(tables.map((t) => t.table_name), Object.keys(EXPECTED).sort());
  });

  for (const [table, expected] of Object.entries(EXPECTED)) {
    test(`${table}: columns, types, nullability, defaults, keys`, async () => {
      const columns = await query(
        `SELECT column_name, data_type, is_nullable, column_default, character_maximum_length, numeric_precision
         FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position`, [table]);
      assert.deepEqual(columns.map((c) => c.column_name), expected.columns.map(([name]) => name), 'column names in order');
      for (const [name, type, nullable, fallback] of expected.columns) {
        const column = columns.find((c) => c.column_name === name)!;
        assert.equal(column.data_type, PG_TYPE[type], `${table}.${name} type`);
        // A String without a length gives no length limit in PostgreSQL.
        if (type === 'varchar') assert.equal(column.character_maximum_length, null, `${table}.${name} has no length`);
        if (type === 'float') assert.equal(Number(column.numeric_precision), 53, `${table}.${name} is FLOAT(53)`);
        assert.equal(column.is_nullable, nullable ? 'YES' : 'NO', `${table}.${name} nullability`);
        const defaultText = column.column_default ?? '';
        if (fallback === 'now') assert.match(defaultText, /^\(?CURRENT_TIMESTAMP\)?(::character varying)?$/, `${table}.${name} default`);
        else if (fallback === 'serial') assert.match(defaultText, new RegExp(`^nextval\\('${table}_${name}_seq'::regclass\\)$`), `${table}.${name} default`);
        else assert.equal(column.column_default, null, `${table}.${name} has no default`);
      }

      const primaryKey = await query(
        `SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
         WHERE i.indrelid = $1::regclass AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)`, [table]);
      assert.deepEqual(primaryKey.map((r) => r.attname), expected.primaryKey, `${table} primary key`);

      const foreignKeys = await query(
        `SELECT kcu.column_name, ccu.table_name AS ref_table, ccu.column_name AS ref_column
         FROM information_schema.table_constraints tc
         JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema
         JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name AND ccu.table_schema = tc.table_schema
         WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_name = $1 ORDER BY kcu.column_name`, [table]);
      assert.deepEqual(foreignKeys.map((f) => [f.column_name, f.ref_table, f.ref_column]), expected.foreignKeys, `${table} foreign keys`);

      // No index=True or unique=True in the models: the primary key's index is the only one.
      const indexes = await query('SELECT indexname FROM pg_indexes WHERE schemaname = \'public\' AND tablename = $1', [table]);
      assert.deepEqual(indexes.map((i) => i.indexname), [`${table}_pkey`], `${table} indexes`);
      const unique = await query("SELECT conname FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'u'", [table]);
      assert.deepEqual(unique, [], `${table} has no unique constraint`);
    });
  }
});
