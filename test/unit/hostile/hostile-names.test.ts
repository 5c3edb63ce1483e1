// Names a store may hold that a terminal or a JSON consumer must survive:
// non-ASCII text, a 10,000-character name, markup, quotes, newlines, ANSI
// escape sequences, other C0 and C1 control characters, a NUL and a bidi
// override. Human output must carry no raw control character; JSON output
// must give back each name exactly.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadWorkspace, type WorkspaceIndex } from '../../../src/core/index';
import {
  BASELINE_COUNTS, BASIC_RUNS, CATALOG_IDS, STACK_TRACE_LINE, STORE, TERMINAL_CONTROL, countByStore, ensureCliBuilt,
  executeSql, hashTree, makeWorkspace, parseJsonOutput, registeredRow, runCli, versionIdOf, type CatalogRow,
  type CliResult, type HostileWorkspace,
} from '../../helpers/hostile-stores';

/** Ids with non-ASCII text, spaces and quotes, as real catalog ids have, and names chosen to break naive output. */
const HOSTILE = [
  { id: 'ümlaut-ÿ-名前', name: 'ümlaut-ÿ-名前 🚀 café' },
  { id: 'long-name', name: `long_${'x'.repeat(9995)}` },
  { id: 'markup', name: '<script>alert("x")</script><b>bold</b> &amp;' },
  { id: 'with space & quote\'"', name: 'it\'s "quoted" `and` back\\slash' },
  { id: 'newlines', name: 'first line\nsecond line\r\nthird\ttabbed' },
  { id: 'ansi', name: '\u001b[31mred\u001b[0m \u001b]8;;http://127.0.0.1/\u0007link\u001b]8;;\u0007' },
  { id: 'controls', name: 'bell\u0007 backspace\u0008 del\u007f csi\u009b2J nul\u0000 \u202eevil' },
] as const;

const METADATA_ANSI = { id: `${BASIC_RUNS[0]}_evaluate_metrics`, name: '\u001b[1;31miris_eval\u001b[0m\u001b[2J' };
const ESC = '\u001b';

function hostileRows(): CatalogRow[] {
  return HOSTILE.map((h) => registeredRow(h.id, h.name, 'Dataset', [CATALOG_IDS.raw], {
    tags: { note: `tag with ${ESC}[32mcolour${ESC}[0m` },
    version: `v1.0.0${ESC}[5m`,
  }));
}

interface Listed {
  id: string;
  name: string;
}

describe('hostile names', () => {
  let workspace: HostileWorkspace;
  let hashesBefore: Map<string, string>;
  let index: WorkspaceIndex;
  let listText: CliResult;
  let listJson: CliResult;
  const showText = new Map<string, CliResult>();
  const showJson = new Map<string, CliResult>();
  const lineage = new Map<string, CliResult>();

  before(async () => {
    ensureCliBuilt();
    workspace = makeWorkspace('names');
    const columns = ['artifact_id', 'name', 'artifact_type', 'parent_ids', 'tags', 'metadata', 'created_at', 'version'] as const;
    executeSql(workspace.file(STORE.catalog), hostileRows().map((row) => ({
      sql: `INSERT INTO artifacts (${columns.join(', ')}, content_hash, source_step, source_run_id, source_pipeline, uri)
        VALUES (${columns.map(() => '?').join(', ')}, '', '', '', '', '')`,
      params: columns.map((c) => (typeof row[c] === 'string' ? row[c] : JSON.stringify(row[c]))),
    })));
    executeSql(workspace.file(STORE.metadata), [
      { sql: 'UPDATE artifacts SET name = ? WHERE artifact_id = ?', params: [METADATA_ANSI.name, METADATA_ANSI.id] },
    ]);
    hashesBefore = hashTree(workspace.root);

    index = await loadWorkspace(workspace.root);
    listText = runCli(['list', workspace.root]);
    listJson = runCli(['list', '--json', workspace.root]);
    for (const h of HOSTILE) {
      const id = versionIdOf(STORE.catalog, h.id);
      showText.set(h.id, runCli(['show', id, workspace.root]));
      showJson.set(h.id, runCli(['show', '--json', id, workspace.root]));
    }
    const root = versionIdOf(STORE.catalog, CATALOG_IDS.raw);
    for (const format of ['json', 'dot', 'mermaid']) {
      lineage.set(format, runCli(['lineage', root, workspace.root, '--direction', 'down', '--format', format]));
    }
  }, { timeout: 300_000 });

  after(() => {
    index?.dispose();
    workspace?.remove();
  });

  test('every hostile row loads', () => {
    assert.deepEqual(countByStore(index.versions), {
      ...BASELINE_COUNTS,
      [STORE.catalog]: BASELINE_COUNTS[STORE.catalog] + HOSTILE.length,
    });
    assert.deepEqual(index.problems, []);
  });

  test('core keeps names exactly', () => {
    for (const h of HOSTILE) {
      assert.equal(index.getVersion(versionIdOf(STORE.catalog, h.id))?.name, h.name, h.id);
    }
    assert.equal(index.getVersion(versionIdOf(STORE.metadata, METADATA_ANSI.id))?.name, METADATA_ANSI.name);
  });

  test('list text has no controls', () => {
    assert.equal(listText.status, 0, listText.stderr);
    assert.ok(!listText.stdout.includes(ESC), 'no ESC in stdout');
    assert.doesNotMatch(listText.stdout, TERMINAL_CONTROL);
    assert.doesNotMatch(listText.stderr, TERMINAL_CONTROL);
  });

  test('list text keeps one line per version', () => {
    const lines = listText.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 1 + index.versions.length);
  });

  test('list text shows non-ASCII as is', () => {
    assert.ok(listText.stdout.includes('ümlaut-ÿ-名前 🚀 café'), 'the non-ASCII name is printed unescaped');
  });

  test('show text has no controls', () => {
    for (const h of HOSTILE) {
      const result = showText.get(h.id)!;
      assert.equal(result.status, 0, `${h.id}: ${result.stderr}`);
      assert.ok(!result.stdout.includes(ESC), `${h.id}: no ESC in stdout`);
      assert.doesNotMatch(result.stdout, TERMINAL_CONTROL, h.id);
      assert.doesNotMatch(result.stderr, STACK_TRACE_LINE, h.id);
    }
  });

  test('list JSON round-trips names', () => {
    assert.equal(listJson.status, 0, listJson.stderr);
    const listed = parseJsonOutput<Listed[]>(listJson);
    for (const h of HOSTILE) {
      assert.equal(listed.find((v) => v.id === versionIdOf(STORE.catalog, h.id))?.name, h.name, h.id);
    }
    assert.equal(listed.find((v) => v.id === versionIdOf(STORE.metadata, METADATA_ANSI.id))?.name, METADATA_ANSI.name);
  });

  test('show JSON round-trips names', () => {
    for (const h of HOSTILE) {
      const result = showJson.get(h.id)!;
      assert.equal(result.status, 0, `${h.id}: ${result.stderr}`);
      const printed = parseJsonOutput<{ name: string; tags: Record<string, string>; version: string }>(result);
      assert.equal(printed.name, h.name, h.id);
      assert.equal(printed.tags.note, `tag with ${ESC}[32mcolour${ESC}[0m`, h.id);
      assert.equal(printed.version, `v1.0.0${ESC}[5m`, h.id);
    }
  });

  test('lineage JSON keeps names', () => {
    const result = lineage.get('json')!;
    assert.equal(result.status, 0, result.stderr);
    const graph = parseJsonOutput<{ nodes: { id: string; name: string }[] }>(result);
    for (const h of HOSTILE) {
      assert.equal(graph.nodes.find((n) => n.id === versionIdOf(STORE.catalog, h.id))?.name, h.name, h.id);
    }
  });

  for (const format of ['dot', 'mermaid']) {
    test(`lineage ${format} has no ESC`, () => {
      const result = lineage.get(format)!;
      assert.equal(result.status, 0, result.stderr);
      assert.ok(!result.stdout.includes(ESC), 'no ESC in stdout');
      assert.doesNotMatch(result.stdout, /[\u0000-\u0009\u000b-\u001f]/, 'no C0 control except newline');
    });

    // DEL and the C1 range include CSI (U+009B), which some terminals act on like ESC [.
    test(`lineage ${format} has no DEL/C1`, () => {
      const result = lineage.get(format)!;
      assert.doesNotMatch(result.stdout, /[\u007f-\u009f]/);
    });
  }

  test('store files stay byte-identical', () => {
    assert.deepEqual(hashTree(workspace.root), hashesBefore);
  });
});
