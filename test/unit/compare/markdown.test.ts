// Golden checks of the Markdown export on fixture versions, and of its
// escaping on hostile names from a generated store. Expected rows use the
// values read with sqlite3 from the stores.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { compareVersions, comparisonToMarkdown, loadWorkspace, type WorkspaceIndex } from '../../../src/core/index';
import { codeSpan, escapeText } from '../../../src/core/compare/markdown';
import { SAMPLE_WORKSPACE, SMALL_FIXTURES } from '../../helpers/paths';
import { HOSTILE_NAME, PROJECT, generatedPair, makeGeneratedWorkspace, metaId, pythonMissing } from './support';

/** Splits a table row at the pipes GFM treats as cell borders (not `\|`). */
function cellsOf(line: string): string[] {
  return line.slice(1, -1).split(/(?<!\\)\|/).map((cell) => cell.trim());
}

/** Checks that every row of every table has as many cells as its header. */
function assertTablesWellFormed(markdown: string): void {
  let width: number | undefined;
  for (const line of markdown.split('\n')) {
    if (!line.startsWith('|')) {
      width = undefined;
      continue;
    }
    assert.ok(line.endsWith('|'), `row ends with a pipe: ${line}`);
    const cells = cellsOf(line).length;
    width ??= cells;
    assert.equal(cells, width, `row has ${width} cells: ${line}`);
  }
}

/** Returns the text outside code spans and fenced blocks, where Markdown and HTML would act. */
function textOutsideCode(markdown: string): string {
  const withoutBlocks = markdown.replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1$/gm, '');
  return withoutBlocks.replace(/(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, '');
}

describe('markdown of fixture comparisons', () => {
  let sample: WorkspaceIndex;
  let basic: WorkspaceIndex;
  before(async () => {
    sample = await loadWorkspace(SAMPLE_WORKSPACE);
    basic = await loadWorkspace(path.join(SMALL_FIXTURES, 'flowyml-1.7-basic'));
  });
  after(() => {
    sample.dispose();
    basic.dispose();
  });

  test('model markdown rows', async () => {
    const c = await compareVersions(sample,
      metaId('67cdd6d6-49fc-4f58-a727-66a40bf51245_train_model_model/churn'), metaId('3b719cb5-68f2-4062-8982-6f28fdf4051b_train_model_model/churn'));
    const markdown = comparisonToMarkdown(c);
    const lines = markdown.split('\n');
    assert.equal(lines[0], '## Compare Model `churn_model`: `v1.0.0 (#1)` → `v2.0.0 (#2)`');
    assert.ok(lines.includes('| Run | `67cdd6d6` | `3b719cb5` |'));
    assert.ok(lines.includes('| `properties.hyperparameters.C` | 0.05 | 1 | +0.95 (+1900%) ↑ |'));
    assert.ok(lines.includes('| `loss` | 0.45131 | 0.45104 | -0.00027 (-0.05983%) ↓ |'));
    assert.ok(lines.includes('| `accuracy` | 0.7984 | 0.7959 | -0.0025 (-0.3131%) ↓ |'));
    assert.ok(lines.includes('| `tags.stage` | `archived` | `production` | changed |'));
    assert.ok(lines.includes('| `run.parameters.C` | 0.05 | 1 | +0.95 (+1900%) ↑ |'));
    assert.ok(lines.includes('| changed input | FeatureSet `churn_features` | `#3` · run `67cdd6d6` | `#4` · run `3b719cb5` |'));
    assert.ok(lines.includes('| changed input (other asset name, same step output) | Checkpoint `churn_model_v1.0.0_epoch3` → `churn_model_v2.0.0_epoch3` '
      + '| `v1.0.0 (#1)` · run `67cdd6d6` | `v2.0.0 (#1)` · run `3b719cb5` |'));
    assert.ok(lines.includes('1 other input is the same version in A and B.'));
    assert.equal(lines.filter((line) => line.includes('properties.hyperparameters.C')).length, 1, 'a field appears in one table only');
    assert.ok(!markdown.includes('asset_id'), 'record ids are left out');
    assertTablesWellFormed(markdown);
  });

  test('dataset markdown rows', async () => {
    const c = await compareVersions(basic,
      metaId('e1748314-59ac-402c-be97-68ae98e4d297_preprocess_data/train'), metaId('894d7adb-c71d-4754-a1af-2b905affe663_preprocess_data/train'));
    const markdown = comparisonToMarkdown(c);
    const lines = markdown.split('\n');
    assert.equal(lines[0], '## Compare Dataset `iris_train`: `#1` → `#3`');
    assert.ok(lines.includes('| Rows (`num_samples`) | 105 | 113 | +8 (+7.619%) ↑ |'));
    assert.ok(lines.includes('| Features (`num_features`) | 4 | 4 | unchanged |'));
    assert.ok(lines.includes('Schema: no column was added, removed or retyped.'));
    assert.ok(lines.includes('| `sepal_length` | `mean` | -0.052333 | -0.002104 | +0.050229 (+95.98%) ↑ |'));
    assert.ok(lines.includes('| `sepal_length` | `max` | 2.2422 | 2.4837 | +0.2415 (+10.77%) ↑ |'));
    assert.ok(!lines.some((line) => line.startsWith('| `sepal_length` | `min`')), 'unchanged statistics are left out');
    assert.ok(lines.includes('| `run.parameters.max_iter` | 200 | 500 | +300 (+150%) ↑ |'));
    assert.ok(lines.includes('| changed input | Dataset `iris_raw` | `#1` · run `e1748314` | `#3` · run `894d7adb` |'));
    assertTablesWellFormed(markdown);
  });

  test('prompt markdown diff block', async () => {
    const c = await compareVersions(sample,
      metaId('65a6059f-4688-43f0-b4f4-764f97df1c3f_define_summarizer_prompt/summarizer', PROJECT),
      metaId('b3e24d76-e080-44cb-a107-074421ea2f8b_define_summarizer_prompt/summarizer', PROJECT));
    const markdown = comparisonToMarkdown(c);
    assert.ok(markdown.includes([
      '```diff',
      '-Summarize this support ticket:',
      '+You triage {product} tickets. Summarize the ticket below for an on-call engineer, then give a severity from 1-4.',
      ' ',
      '+Ticket:',
      ' {ticket}',
      '```',
    ].join('\n')));
    assert.ok(markdown.includes('Variables added: `product`. Variables removed: none.'));
    assert.ok(markdown.includes('| `properties.model_config.temperature` | 0.2 | 0.1 | -0.1 (-50%) ↓ |'));
    assert.ok(!markdown.includes('`extra.value`'), 'the template is shown once, in the diff');
  });

  test('different types warn in markdown', async () => {
    const c = await compareVersions(sample,
      metaId('67cdd6d6-49fc-4f58-a727-66a40bf51245_train_model_model/churn'), metaId('67cdd6d6-49fc-4f58-a727-66a40bf51245_evaluate_metrics/eval'));
    const markdown = comparisonToMarkdown(c);
    assert.ok(markdown.includes('> **Warning:** A and B are different types. Only the properties both have line up, and no per-type comparison is made.'));
    assert.ok(markdown.includes('| Asset | Model `churn_model` | Metrics `churn_eval` |'));
  });
});

describe('markdown escaping', { skip: pythonMissing() ?? false }, () => {
  let root: string;
  let ws: WorkspaceIndex;
  before(async () => {
    root = makeGeneratedWorkspace();
    ws = await loadWorkspace(root);
  });
  after(() => {
    ws.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('hostile name in the title', async () => {
    const markdown = comparisonToMarkdown(await compareVersions(ws, ...generatedPair('hostile_data/hostile')));
    assert.equal(markdown.split('\n')[0], `## Compare Dataset \`\`${HOSTILE_NAME}\`\`: \`#1\` → \`#2\``);
  });

  test('pipes and newlines stay in their cell', async () => {
    const markdown = comparisonToMarkdown(await compareVersions(ws, ...generatedPair('hostile_data/hostile')));
    const lines = markdown.split('\n');
    assert.ok(lines.includes('| `a\\|b` | `mean` | 1 | 2 | +1 (+100%) ↑ |'));
    assert.ok(lines.includes('| `extra.note` | `plain` | `line one\\nline two \\| <b>bold</b>` | changed |'));
    assertTablesWellFormed(markdown);
  });

  test('NaN and missing metric rows', async () => {
    const lines = comparisonToMarkdown(await compareVersions(ws, ...generatedPair('evaluate_metrics/eval'))).split('\n');
    const metricRows = lines.filter((line) => /^\| `[a-z_]+` \|/.test(line));
    assert.deepEqual(metricRows, [
      '| `lr` | 0.01 | 0.02 | +0.01 (+100%) ↑ |',
      '| `grad_norm` | Infinity | Infinity | unchanged |',
      '| `tokens` | 1152921504606846976 | 1152921504606846978 | +2 (+1.735e-16%) ↑ |',
      '| `loss` | 0.5 | NaN | changed |',
      '| `accuracy` | NaN | NaN | unchanged |',
      '| `only_in_a` | 1 | — | removed |',
      '| `stalled` | NaN | 0.25 | changed |',
      '| `only_in_b` | — | 2 | added |',
    ]);
  });

  test('no html outside code spans', async () => {
    for (const output of ['hostile_data/hostile', 'load_data/customers', 'evaluate_metrics/eval', 'audit_report/audit']) {
      const c = await compareVersions(ws, ...generatedPair(output));
      c.notes.push('<script>alert(1)</script> *not bold* [link](http://example.com)');
      const outside = textOutsideCode(comparisonToMarkdown(c));
      assert.ok(!/<(?!\\)/.test(outside.replace(/\\</g, '')), `no unescaped < outside code in ${output}: ${outside}`);
      assert.ok(outside.includes('\\<script\\>alert(1)\\</script\\> \\*not bold\\* \\[link\\](http://example.com)'));
    }
  });

  test('code span fences around backticks', () => {
    assert.equal(codeSpan('a`b'), '``a`b``');
    assert.equal(codeSpan('`edge`'), '`` `edge` ``');
    assert.equal(codeSpan(' padded '), '`  padded  `');
    assert.equal(codeSpan('x|y'), '`x\\|y`');
    assert.equal(codeSpan('x|y', false), '`x|y`');
    assert.equal(codeSpan('a\u001b[31mred'), '`a\\u{1b}[31mred`');
    assert.equal(codeSpan(''), '*(empty)*');
  });

  test('prose escaping', () => {
    assert.equal(escapeText('a_b *c* <d> & e|f\nnext'), 'a\\_b \\*c\\* \\<d\\> \\& e\\|f next');
    assert.equal(escapeText('back\\slash `tick`'), 'back\\\\slash \\`tick\\`');
  });
});
