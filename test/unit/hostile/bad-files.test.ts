// Stores that cannot be opened at all: a missing file, a file that is not
// SQLite, a truncated file and a file with the wrong schema. Each must become
// one problem naming the file and the cause while the other stores load.
import fs from 'node:fs';
import { BASELINE_COUNTS, STANDARD_CATALOG_ROWS, STORE, createCatalog, countsWithout, flipBit, generate } from '../../helpers/hostile-stores';
import { describeDamagedStore } from './damaged-store';

const PAGE = 4096;
const MISSING = 'path/that/does/not/exist.db';

describeDamagedStore('missing store given with --store', {
  label: 'missing',
  prepare: () => {},
  storePaths: [MISSING, '.flowyml'],
  file: MISSING,
  codes: ['missing'],
  cause: /does not exist/,
  remaining: { ...BASELINE_COUNTS },
});

describeDamagedStore('text file named metadata.db', {
  label: 'text',
  prepare: (ws) => {
    fs.writeFileSync(ws.file(STORE.metadata), 'run_id,pipeline_name,status\ne1748314,iris_training,completed\n'.repeat(20));
  },
  file: STORE.metadata,
  codes: ['not-sqlite'],
  cause: /not a SQLite database/,
  remaining: countsWithout(STORE.metadata),
});

describeDamagedStore('empty file named metadata.db', {
  label: 'empty',
  prepare: (ws) => fs.writeFileSync(ws.file(STORE.fraud), ''),
  file: STORE.fraud,
  codes: ['truncated', 'not-sqlite'],
  cause: /empty|0 bytes/,
  remaining: countsWithout(STORE.fraud),
});

describeDamagedStore('store cut inside a page', {
  label: 'cut-inside',
  prepare: (ws) => fs.truncateSync(ws.file(STORE.metadata), 20 * PAGE + 1234),
  file: STORE.metadata,
  codes: ['truncated'],
  cause: /truncated/,
  remaining: countsWithout(STORE.metadata),
});

describeDamagedStore('store cut at page boundary', {
  label: 'cut-boundary',
  prepare: (ws) => fs.truncateSync(ws.file(STORE.metadata), 20 * PAGE),
  file: STORE.metadata,
  codes: ['truncated'],
  cause: /truncated/,
  remaining: countsWithout(STORE.metadata),
});

describeDamagedStore('store cut inside its header', {
  label: 'cut-header',
  prepare: (ws) => fs.truncateSync(ws.file(STORE.recsys), 60),
  file: STORE.recsys,
  codes: ['truncated'],
  cause: /truncated/,
  remaining: countsWithout(STORE.recsys),
});

// With the header's "version valid for" field (offset 92) out of step with
// the change counter, SQLite ignores the stored page count, as it does for
// files written before SQLite 3.7.0, so only the missing pages show the cut.
describeDamagedStore('cut store with stale page count', {
  label: 'cut-stale-count',
  prepare: (ws) => {
    flipBit(ws.file(STORE.metadata), 95, 0);
    fs.truncateSync(ws.file(STORE.metadata), 20 * PAGE);
  },
  file: STORE.metadata,
  codes: ['truncated', 'corrupt'],
  cause: /truncated|corrupt|malformed/,
  remaining: countsWithout(STORE.metadata),
});

describeDamagedStore('catalog cut at page boundary', {
  label: 'cut-catalog',
  prepare: (ws) => fs.truncateSync(ws.file(STORE.catalog), 2 * PAGE),
  file: STORE.catalog,
  codes: ['truncated'],
  cause: /truncated/,
  remaining: countsWithout(STORE.catalog),
});

describeDamagedStore('catalog without parent_ids column', {
  label: 'no-parent-ids',
  prepare: (ws) => {
    fs.rmSync(ws.file(STORE.catalog));
    const rows = STANDARD_CATALOG_ROWS.map(({ parent_ids: _parents, ...row }) => row);
    createCatalog(ws.file(STORE.catalog), rows, { omitColumns: ['parent_ids'] });
  },
  file: STORE.catalog,
  codes: ['schema'],
  cause: /"parent_ids"/,
  remaining: countsWithout(STORE.catalog),
});

describeDamagedStore('metadata.db without artifacts.run_id', {
  label: 'no-run-id',
  prepare: (ws) => {
    generate({ command: 'drop-column', db: ws.file(STORE.metadata), table: 'artifacts', column: 'run_id' });
  },
  file: STORE.metadata,
  codes: ['schema'],
  cause: /"run_id".*"artifacts"|"artifacts".*"run_id"/,
  remaining: countsWithout(STORE.metadata),
});

describeDamagedStore('metadata.db copied as catalog.db', {
  label: 'wrong-kind',
  prepare: (ws) => {
    fs.copyFileSync(ws.file(STORE.recsys), ws.file(STORE.catalog));
  },
  file: STORE.catalog,
  codes: ['schema'],
  cause: /"artifact_type"/,
  remaining: countsWithout(STORE.catalog),
});

describeDamagedStore('catalog.db with no tables', {
  label: 'no-tables',
  prepare: (ws) => {
    fs.rmSync(ws.file(STORE.catalog));
    // SQLite writes no file for an empty database, so a table is created and dropped again.
    generate({ command: 'execute', db: ws.file(STORE.catalog), statements: [{ sql: 'CREATE TABLE t (x)' }, { sql: 'DROP TABLE t' }] });
  },
  file: STORE.catalog,
  codes: ['schema'],
  cause: /table "artifacts" is missing/,
  remaining: countsWithout(STORE.catalog),
});
