// Checks that text from stores, flowyml.yaml, a catalog server and the command
// line reaches the terminal escaped in stack, stack --check, render, the catalog's
// retry warnings, --json output and messages that echo DIR or ID. Also checks that
// --vars-file rejects a device, a FIFO and a file above the size cap. Each store
// is built with Python's sqlite3 in a temp folder.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { run } from '../../../src/cli/main';
import { MAX_VARS_FILE_BYTES } from '../../../src/cli/commands/render';
import { startCatalogServer } from '../../helpers/catalog-server';
import { STORE, createCatalog, registeredRow, versionIdOf } from '../../helpers/hostile-stores';

const ESC = '\u001b';
const BEL = '\u0007';
/** Characters no line written to a terminal may contain: C0 except newline and tab, DEL, C1 and bidi controls. */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

interface CliRun {
  code: number;
  out: string;
  err: string;
}

async function cli(...args: string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function assertNoRawControl(result: CliRun): void {
  assert.doesNotMatch(result.out, RAW_CONTROL, 'stdout has a raw control character');
  assert.doesNotMatch(result.err, RAW_CONTROL, 'stderr has a raw control character');
}

const temps: string[] = [];
function tempDir(label: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `flowyml-guard-${label}-`));
  temps.push(dir);
  return dir;
}

/** Creates a workspace whose only store is a catalog.db with these rows. */
function catalogWorkspace(label: string, rows: Parameters<typeof createCatalog>[1]): string {
  const root = tempDir(label);
  fs.mkdirSync(path.join(root, '.flowyml'));
  createCatalog(path.join(root, STORE.catalog), rows);
  return root;
}

const catalogId = (artifactId: string) => versionIdOf(STORE.catalog, artifactId);

after(() => {
  for (const dir of temps) fs.rmSync(dir, { recursive: true, force: true });
});

describe('stack --check escapes catalog text', () => {
  let root: string;

  before(() => {
    root = catalogWorkspace('check', [
      registeredRow('esc', `name${ESC}]0;TITLE${BEL}${ESC}[2J`, `Model${ESC}[5m`, [], { version: `v${ESC}[37m`, uri: `u${ESC}[36m` }),
      registeredRow('newline', 'a|b`c`|d\n| x |', 'Dataset', [], { version: 'v1', uri: 'gone.csv' }),
    ]);
  });

  test('catalog fields escaped', async () => {
    const result = await cli('stack', root, '--check');
    assertNoRawControl(result);
    const lines = result.out.split('\n');
    assert.ok(
      lines.includes('| name\\u{1b}]0;TITLE\\u{7}\\u{1b}[2J v\\u{1b}[37m (#1) | Other: Model\\u{1b}[5m | `u\\u{1b}[36m` | catalog uri | The catalog uri names this file, and it does not exist. |'),
      result.out,
    );
    assert.ok(lines.includes('| a\\|b`c`\\|d\\n\\| x \\| v1 (#1) | Dataset | `gone.csv` | catalog uri | The catalog uri names this file, and it does not exist. |'), result.out);
    assert.ok(lines.includes('- name\\u{1b}]0;TITLE\\u{7}\\u{1b}[2J v\\u{1b}[37m (#1) (`.flowyml/catalog.db:artifacts:esc`)'), result.out);
    assert.ok(lines.includes('- a|b`c`|d\\n| x | v1 (#1) (`.flowyml/catalog.db:artifacts:newline`)'), result.out);
    assert.equal(result.code, 1);
  });
});

describe('stack --check escapes remote catalog text', () => {
  test('remote entry fields escaped', async () => {
    const server = await startCatalogServer('key', [{
      artifact_id: 'remote-1', name: `remote${ESC}]0;RT${BEL}${ESC}[2J`, artifact_type: 'Dataset', content_hash: '', source_step: '',
      source_run_id: '', source_pipeline: '', parent_ids: [], tags: {}, metadata: {}, uri: `data/r${ESC}[36m.csv`,
      created_at: '2026-01-08T00:00:00', version: 'v1',
    }]);
    const previousKey = process.env.FLOWYML_CATALOG_API_KEY;
    process.env.FLOWYML_CATALOG_API_KEY = 'key';
    let result: CliRun;
    try {
      result = await cli('stack', tempDir('remote-check'), '--check', '--catalog-url', server.url);
    } finally {
      if (previousKey === undefined) delete process.env.FLOWYML_CATALOG_API_KEY;
      else process.env.FLOWYML_CATALOG_API_KEY = previousKey;
      await server.close();
    }
    assertNoRawControl(result);
    const lines = result.out.split('\n');
    assert.ok(lines.includes('| remote\\u{1b}]0;RT\\u{7}\\u{1b}[2J v1 (#1) | Dataset | `data/r\\u{1b}[36m.csv` | catalog uri | The catalog uri names this file, and it does not exist. |'), result.out);
    assert.ok(lines.some((line) => line.startsWith('- remote\\u{1b}]0;RT\\u{7}\\u{1b}[2J v1 (#1) (`http%3A//127.0.0.1%3A')), result.out);
  });
});

describe('stack escapes flowyml.yaml text', () => {
  let root: string;

  before(() => {
    root = catalogWorkspace('yaml', [registeredRow('plain', 'plain', 'Dataset', [])]);
    fs.writeFileSync(path.join(root, 'flowyml.yaml'), [
      'active_stack: "l\\e]0;T\\a\\e[2J"',
      'stacks:',
      '  "l\\e]0;T\\a\\e[2J":',
      '    orchestrator:',
      '      type: "lo\\e[31m"',
      '    artifact_routing:',
      '      "Mo\\e[5mdel":',
      '        store: "x\\e[1m"',
      '        path: "{run_id}\\e[7m{bogus}"',
      '',
    ].join('\n'));
  });

  test('stack names, rules and warnings escaped', async () => {
    const result = await cli('stack', root);
    assertNoRawControl(result);
    const lines = result.out.split('\n');
    assert.ok(lines.includes('Stacks: l\\u{1b}]0;T\\u{7}\\u{1b}[2J (active, from active_stack)'), result.out);
    assert.ok(lines.includes('Routing of stack l\\u{1b}]0;T\\u{7}\\u{1b}[2J:'), result.out);
    assert.ok(lines.some((line) => line.startsWith('flowyml.yaml:7:7: warning: Unknown asset type `Mo\\u{1b}[5mdel`')), result.out);
    assert.ok(lines.some((line) => line.includes('`{run_id}\\u{1b}[7m{bogus}`')), result.out);
  });

  test('unknown --stack name escaped', async () => {
    const result = await cli('stack', root, '--stack', `no${ESC}[2J`);
    assertNoRawControl(result);
    assert.equal(result.code, 1);
    assert.equal(result.err, `flowyml-assets: stack "no\\u{1b}[2J" is not in ${path.join(root, 'flowyml.yaml')}; it defines l\\u{1b}]0;T\\u{7}\\u{1b}[2J.`);
  });
});

describe('render escapes the stored template', () => {
  let root: string;
  const template = `Hello ${ESC}]0;OWNED${BEL}${ESC}[2J {ticket} \u202e done\r\n\tnext line\u0085\u009b31m\u007f`;

  before(() => {
    root = catalogWorkspace('render', [
      registeredRow('prompt', 'evil_prompt', 'Prompt', [], {
        metadata: { asset_id: 'asset-prompt', properties: { format: 'text', template, variables: ['ticket'] } },
      }),
    ]);
  });

  test('text keeps newlines and tabs', async () => {
    const result = await cli('render', catalogId('prompt'), root, '--var', `ticket=x${ESC}[1m`);
    assertNoRawControl(result);
    assert.equal(result.code, 0, result.err);
    assert.equal(result.out, 'Hello \\u{1b}]0;OWNED\\u{7}\\u{1b}[2J x\\u{1b}[1m \\u{202e} done\\u{d}\n\tnext line\\u{85}\\u{9b}31m\\u{7f}');
  });

  test('--json parses to rendered text', async () => {
    const result = await cli('render', catalogId('prompt'), root, '--var', 'ticket=x', '--json');
    assertNoRawControl(result);
    assert.equal(result.code, 0, result.err);
    assert.ok(result.out.includes('"rendered": "Hello \\u001b]0;OWNED\\u0007\\u001b[2J x \\u202e done\\r\\n\\tnext line\\u0085\\u009b31m\\u007f"'), result.out);
    assert.equal((JSON.parse(result.out) as { rendered: string }).rendered, template.replace('{ticket}', 'x'));
  });
});

describe('--vars-file takes only a regular file of limited size', () => {
  let root: string;

  before(() => {
    root = catalogWorkspace('vars', [
      registeredRow('prompt', 'p', 'Prompt', [], { metadata: { asset_id: 'asset-p', properties: { format: 'text', template: 'Hi {ticket}' } } }),
    ]);
  });

  test('character device rejected', async () => {
    const result = await cli('render', catalogId('prompt'), root, '--vars-file', '/dev/zero');
    assert.equal(result.code, 1);
    assert.equal(result.out, '');
    assert.equal(result.err, 'flowyml-assets: --vars-file /dev/zero is not a regular file; pass a JSON file of variables.');
  });

  test('FIFO rejected without blocking', { skip: process.platform === 'win32' ? 'no mkfifo' : false }, async () => {
    const fifo = path.join(tempDir('fifo'), `vars${ESC}[2J.json`);
    const mkfifo = spawnSync('mkfifo', [fifo]);
    assert.equal(mkfifo.status, 0, 'mkfifo created the FIFO');
    const result = await cli('render', catalogId('prompt'), root, '--vars-file', fifo);
    assert.equal(result.code, 1);
    assert.equal(result.err, `flowyml-assets: --vars-file ${path.dirname(fifo)}/vars\\u{1b}[2J.json is not a regular file; pass a JSON file of variables.`);
  });

  test('oversized file rejected', async () => {
    const big = path.join(tempDir('big'), 'vars.json');
    fs.writeFileSync(big, '');
    fs.truncateSync(big, MAX_VARS_FILE_BYTES + 1);
    const result = await cli('render', catalogId('prompt'), root, '--vars-file', big);
    assert.equal(result.code, 1);
    assert.equal(result.err, `flowyml-assets: --vars-file ${big} is 16777217 bytes; a variables file is read whole and may be at most 16777216 bytes. Shorten the file, or pass single values with --var NAME=VALUE.`);
  });

  test('regular file accepted', async () => {
    const file = path.join(tempDir('ok'), 'vars.json');
    fs.writeFileSync(file, '{"ticket": "printer"}');
    const result = await cli('render', catalogId('prompt'), root, '--vars-file', file);
    assert.equal(result.code, 0, result.err);
    assert.equal(result.out, 'Hi printer');
  });
});

describe('--json escapes DEL, C1 and bidi controls', () => {
  let root: string;
  const c1Name = 'c1\u009b31m\u0085x\u007f';
  const bidiName = 'gpj.\u202eexe\u200e\u200f\u2066\u2069\u061c';

  before(() => {
    root = catalogWorkspace('json', [
      registeredRow('c1ctl', c1Name, 'Dataset', [], { tags: { t: '\u202e\u2066x' } }),
      registeredRow('bidi', bidiName, 'Dataset', ['c1ctl']),
    ]);
  });

  test('list --json', async () => {
    const result = await cli('list', root, '--json');
    assertNoRawControl(result);
    assert.ok(result.out.includes('"name": "c1\\u009b31m\\u0085x\\u007f"'), result.out);
    assert.ok(result.out.includes('"name": "gpj.\\u202eexe\\u200e\\u200f\\u2066\\u2069\\u061c"'), result.out);
    assert.deepEqual((JSON.parse(result.out) as { name: string }[]).map((entry) => entry.name).sort(), [c1Name, bidiName].sort());
  });

  test('show --json', async () => {
    const result = await cli('show', catalogId('c1ctl'), root, '--json');
    assertNoRawControl(result);
    assert.ok(result.out.includes('"t": "\\u202e\\u2066x"'), result.out);
    const version = JSON.parse(result.out) as { name: string; tags: Record<string, string> };
    assert.equal(version.name, c1Name);
    assert.deepEqual(version.tags, { t: '\u202e\u2066x' });
  });

  test('lineage default JSON', async () => {
    const result = await cli('lineage', catalogId('c1ctl'), root);
    assertNoRawControl(result);
    assert.ok(result.out.includes('gpj.\\u202eexe\\u200e\\u200f\\u2066\\u2069\\u061c'), result.out);
    assert.ok(JSON.stringify(JSON.parse(result.out)).includes(JSON.stringify(bidiName)));
  });

  test('list text escapes bidi marks', async () => {
    const result = await cli('list', root);
    assertNoRawControl(result);
    assert.ok(result.out.includes('c1\\u{9b}31m\\u{85}x\\u{7f}'), result.out);
    assert.ok(result.out.includes('gpj.\\u{202e}exe\\u{200e}\\u{200f}\\u{2066}…'), result.out);
  });
});

describe('arguments echoed in messages are escaped', () => {
  let root: string;

  before(() => {
    root = catalogWorkspace('args', [registeredRow('plain', 'plain', 'Dataset', [])]);
  });

  test('DIR without a store', async () => {
    const dir = path.join(tempDir('nostore'), `p2${ESC}[31m`);
    fs.mkdirSync(dir);
    const result = await cli('list', dir);
    assertNoRawControl(result);
    assert.equal(result.code, 1);
    assert.equal(result.err.split('\n').at(-1), `error: no FlowyML store found under ${path.dirname(dir)}/p2\\u{1b}[31m (looked for .flowyml/metadata.db, .flowyml/projects/*/metadata.db and .flowyml/catalog.db).`);
  });

  test('unknown ID', async () => {
    const result = await cli('show', `bad${ESC}[2Jid`, root);
    assertNoRawControl(result);
    assert.equal(result.code, 1);
    assert.match(result.err, /^flowyml-assets: No asset version with id "bad\\u\{1b\}\[2Jid"/);
  });

  test('unknown command', async () => {
    const result = await cli(`frob${ESC}]0;T${BEL}`);
    assertNoRawControl(result);
    assert.equal(result.code, 2);
    assert.match(result.err, /^Unknown command "frob\\u\{1b\}\]0;T\\u\{7\}"\./);
  });
});

describe('catalog retry warnings escape the server reply', () => {
  let server: http.Server;
  let url: string;

  before(async () => {
    server = http.createServer((_request, response) => {
      response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(`Internal ${ESC}[31mboom${ESC}]0;ERRT${BEL}\nsecond line`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/catalog`;
  });

  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('warnings escaped to one line', async () => {
    const written: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    let result: CliRun;
    try {
      result = await cli('list', tempDir('remote'), '--catalog-url', url);
    } finally {
      process.stderr.write = write;
    }
    assertNoRawControl(result);
    const warnings = written.filter((text) => text.startsWith('warning: '));
    assert.equal(warnings.length, 2, written.join(''));
    for (const warning of warnings) {
      assert.doesNotMatch(warning, RAW_CONTROL);
      assert.equal(warning.indexOf('\n'), warning.length - 1, 'one line');
      assert.ok(warning.includes('Internal \\u{1b}[31mboom\\u{1b}]0;ERRT\\u{7}\\nsecond line'), warning);
    }
  });
});
