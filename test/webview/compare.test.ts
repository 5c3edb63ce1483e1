/**
 * The compare panel's webview in headless Chromium, fed real comparisons
 * that the core computes from the fixture stores. They are churn_model
 * v1.0.0 against v2.0.0 of the sample workspace, two iris_train Datasets of
 * the 1.7 basic fixture, two ticket_summarizer prompts, a Dataset against a
 * Model, and one with hostile strings.
 * Needs `npm run build` first.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { compareVersions, comparisonToJson, loadWorkspace, type Comparison, type WorkspaceIndex } from '../../src/core';
import { compareStrings } from '../../src/extension/compare/compareStrings';
import type { Localizer } from '../../src/extension/details/detailsView';
import type { CompareToHostMessage, HostToCompareMessage } from '../../src/protocol/compare';
import { generatedPair, makeGeneratedWorkspace, pythonMissing } from '../unit/compare/support';
import { THEMES } from './themes';
import { launchBrowser, REPO_ROOT, WebviewPage, WebviewServer } from './harness';

const english: Localizer = {
  t: (message, ...args) => message.replace(/\{(\d+)\}/g, (_match, position: string) => String(args[Number(position)])),
  language: 'en',
};

const SAMPLE = path.join(REPO_ROOT, 'samples/workspace');
const BASIC = path.join(REPO_ROOT, 'test/fixtures/flowyml-1.7-basic');
const CHURN_V1 = '.flowyml/catalog.db:artifacts:cde232e1-6be5-461c-9e2b-bce60d6f48e6';
const CHURN_V2 = '.flowyml/catalog.db:artifacts:b2366405-6ef7-4648-a541-9a9ad04ffd68';
const IRIS_TRAIN_1 = '.flowyml/metadata.db:artifacts:e1748314-59ac-402c-be97-68ae98e4d297_preprocess_data%2Ftrain';
const IRIS_TRAIN_2 = '.flowyml/metadata.db:artifacts:0f5d4615-f51f-4c49-a9c6-b8246f0a87d3_preprocess_data%2Ftrain';
const SUMMARIZER_1 = '.flowyml/projects/support-genai/metadata.db:artifacts:65a6059f-4688-43f0-b4f4-764f97df1c3f_define_summarizer_prompt%2Fsummarizer';
const SUMMARIZER_2 = '.flowyml/projects/support-genai/metadata.db:artifacts:b3e24d76-e080-44cb-a107-074421ea2f8b_define_summarizer_prompt%2Fsummarizer';
const CUSTOMERS_CLEAN_1 = '.flowyml/metadata.db:artifacts:735883f5-2c8d-4ebb-8396-a04fd41bec3c_clean_data%2Fclean';

function show(comparison: Comparison): HostToCompareMessage {
  return { type: 'show', json: comparisonToJson(comparison), strings: compareStrings(english) };
}

describe('compare webview', { timeout: 120_000 }, () => {
  let browser: Browser;
  let server: WebviewServer;
  let sample: WorkspaceIndex;
  let basic: WorkspaceIndex;

  before(async () => {
    [browser, server, sample, basic] = await Promise.all([launchBrowser(), WebviewServer.start(), loadWorkspace(SAMPLE), loadWorkspace(BASIC)]);
  });

  after(async () => {
    sample?.dispose();
    basic?.dispose();
    await browser?.close();
    await server?.stop();
  });

  it('model comparison lists changed rows', async () => {
    const comparison = await compareVersions(sample, CHURN_V1, CHURN_V2);
    const webview = await WebviewPage.open(browser, server, 'compare', THEMES[1]);
    try {
      await webview.post(show(comparison));
      const page = webview.page;
      await page.locator('.section-fields tr.field-row').first().waitFor();

      assert.equal(await page.locator('h1.title').textContent(), 'Model churn_model: v1.0.0 (#1) → v2.0.0 (#2)');
      assert.deepEqual(await page.locator('.section-fields tr.field-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-path'))), [
        'tags.stage',
        'tags.promoted_by',
        'uri',
        'properties.training_history.loss',
        'properties.training_history.accuracy',
        'properties.hyperparameters.C',
        'extra.best_checkpoint',
        'extra.intercept',
        'extra.value',
        'run.parameters.model_version',
        'run.parameters.C',
      ]);
      assert.equal(await page.locator('.section-fields .counts').textContent(), '10 changed, 1 added, 0 removed, 24 unchanged');

      const c = page.locator('.section-fields tr.field-row[data-path="properties.hyperparameters.C"]');
      assert.equal(await c.locator('td.side-a').textContent(), '0.05');
      assert.equal(await c.locator('td.side-b').textContent(), '1');
      assert.equal(await c.locator('td.change span').textContent(), '+0.95 (+1900%)');
      assert.match((await c.getAttribute('class')) ?? '', /\bup\b/);
      const promoted = page.locator('.section-fields tr.field-row[data-path="tags.promoted_by"]');
      assert.equal(await promoted.getAttribute('data-kind'), 'added');
      assert.equal(await promoted.locator('td.side-a').textContent(), '');
      assert.equal(await promoted.locator('td.side-b').textContent(), 'ml-platform');

      const finalLoss = page.locator('.section-model tr.field-row[data-path="properties.training_history.loss[-1]"]');
      assert.equal(await finalLoss.locator('td.change span').textContent(), '-0.00027 (-0.05983%)');
      assert.match((await finalLoss.getAttribute('class')) ?? '', /\bdown\b/);
      assert.equal(await page.locator('.section-inputs tr.input-row').count(), 4);
      assert.equal(await page.locator('.section-inputs tr.input-row .compare-input').count(), 4);

      await webview.screenshot('compare-model-panel');
      assert.deepEqual(await webview.violations(), []);
    } finally {
      await webview.close();
    }
  });

  it('history chart draws both versions', async () => {
    const comparison = await compareVersions(sample, CHURN_V1, CHURN_V2);
    const webview = await WebviewPage.open(browser, server, 'compare', THEMES[0]);
    try {
      await webview.post(show(comparison));
      const page = webview.page;
      await page.locator('.history-chart svg').first().waitFor();

      assert.deepEqual(await page.locator('.history-chart').evaluateAll((charts) => charts.map((chart) => chart.getAttribute('data-series'))), ['loss', 'accuracy']);
      for (const series of ['loss', 'accuracy']) {
        const chart = page.locator(`.history-chart[data-series="${series}"]`);
        const lines = await chart.locator('g.history-line').evaluateAll((groups) => groups.map((group) => ({
          side: group.getAttribute('data-side'),
          points: group.querySelectorAll('circle').length,
          path: group.querySelector('path')?.getAttribute('d') ?? '',
        })));
        assert.deepEqual(lines.map((line) => `${line.side}/${line.points}`), ['a/3', 'b/3'], series);
        for (const line of lines) assert.match(line.path, /^M[\d.]+,[\d.]+L/, series);
        assert.deepEqual(await chart.locator('figcaption .legend-label').allTextContents(), ['v1.0.0 (#1)', 'v2.0.0 (#2)'], series);
      }
      // Loss ends lower in B (0.45104 < 0.45131), so B's last point sits lower on the chart: a larger y.
      const lastY = (side: string) => page.locator(`.history-chart[data-series="loss"] g.side-${side} circle`).last().getAttribute('cy');
      assert.ok(Number(await lastY('b')) > Number(await lastY('a')));
      const dash = await page.locator('.history-chart g.side-a path').first().evaluate((path) => getComputedStyle(path).strokeDasharray);
      assert.notEqual(dash, 'none');

      await page.locator('.history-charts').screenshot({ path: path.join(REPO_ROOT, 'test-results', 'compare-history-chart.png') });
      assert.deepEqual(await webview.violations(), []);
    } finally {
      await webview.close();
    }
  });

  it('toggle shows unchanged fields', async () => {
    const comparison = await compareVersions(sample, CHURN_V1, CHURN_V2);
    const webview = await WebviewPage.open(browser, server, 'compare', THEMES[1]);
    try {
      await webview.post(show(comparison));
      const page = webview.page;
      const rows = page.locator('.section-fields tr.field-row');
      await rows.first().waitFor();
      assert.equal(await rows.count(), 11);
      assert.equal(await page.locator('.section-fields tr.kind-unchanged').count(), 0);

      await page.locator('vscode-checkbox.show-all').click();
      await page.locator('.section-fields tr.kind-unchanged').first().waitFor();

      assert.equal(await rows.count(), comparison.fields.length);
      assert.equal(await page.locator('.section-fields tr.kind-unchanged').count(), comparison.fields.filter((field) => field.kind === 'unchanged').length);
      assert.deepEqual(await webview.state(), { a: comparison.a.id, b: comparison.b.id, showAll: true });

      await page.locator('vscode-checkbox.show-all').click();
      await page.locator('.section-fields tr.kind-unchanged').first().waitFor({ state: 'detached' });
      assert.equal(await rows.count(), 11);
    } finally {
      await webview.close();
    }
  });

  it('buttons post diff and input messages', async () => {
    const comparison = await compareVersions(sample, CHURN_V1, CHURN_V2);
    const webview = await WebviewPage.open(browser, server, 'compare', THEMES[1]);
    try {
      await webview.post(show(comparison));
      const page = webview.page;
      await page.locator('.section-inputs .compare-input').first().waitFor();

      await page.locator('vscode-button.diff-properties').click();
      await page.locator('.section-fields tr.field-row[data-path="properties.training_history.loss"] .open-diff').click();
      await page.locator('.section-inputs .compare-input').first().click();
      await page.locator('vscode-button.copyMarkdown').click();

      const posted = (await webview.posted()) as CompareToHostMessage[];
      const actions = posted.filter((message) => message.type !== 'ready');
      const features = comparison.inputs[0];
      assert.deepEqual(actions, [
        { type: 'openDiff', path: 'properties' },
        { type: 'openDiff', path: 'properties.training_history.loss' },
        { type: 'compareInputs', a: features.a?.id, b: features.b?.id },
        { type: 'action', action: 'copyMarkdown' },
      ]);
    } finally {
      await webview.close();
    }
  });

  it('dataset comparison shows columns on toggle', async () => {
    const comparison = await compareVersions(basic, IRIS_TRAIN_1, IRIS_TRAIN_2);
    const webview = await WebviewPage.open(browser, server, 'compare', THEMES[1]);
    try {
      await webview.post(show(comparison));
      const page = webview.page;
      await page.locator('.section-dataset').waitFor();

      assert.deepEqual(await page.locator('.section-fields tr.field-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-path'))), [
        'run.parameters.seed', 'run.parameters.test_size', 'run.parameters.C', 'run.parameters.max_iter',
      ]);
      assert.equal(await page.locator('.section-fields tr.field-row[data-path="run.parameters.test_size"] td.change span').textContent(), '-0.1 (-33.33%)');
      assert.equal(await page.locator('.section-dataset p.empty').first().textContent(), 'No column was added, removed or retyped.');
      assert.equal(await page.locator('.section-dataset .column-card').count(), 0);
      assert.deepEqual(await page.locator('.section-inputs tr.input-row td.name').allTextContents(), ['Dataset iris_raw']);

      await page.locator('vscode-checkbox.show-all').click();
      await page.locator('.section-dataset .column-card').first().waitFor();

      assert.deepEqual(await page.locator('.section-dataset .column-card').evaluateAll((cards) => cards.map((card) => card.getAttribute('data-column'))), [
        'sepal_length', 'sepal_width', 'petal_length', 'petal_width', 'target',
      ]);
      const bars = page.locator('.column-card[data-column="sepal_length"] svg.paired-bars');
      assert.deepEqual(await bars.locator('g.stat').evaluateAll((stats) => stats.map((stat) => stat.getAttribute('data-stat'))), ['mean', 'std', 'min', 'max']);
      assert.equal(await bars.locator('rect.side-a').count(), 4);
      assert.equal(await bars.locator('rect.side-b').count(), 4);
      assert.equal(await page.locator('.column-card[data-column="sepal_length"] tr.field-row[data-path="properties.column_stats.sepal_length.mean"] td.side-b').textContent(), '-0.052333');
      // min is negative (-1.8638), so its bars extend left of the zero line in the middle.
      const zero = Number(await bars.locator('line.zero').getAttribute('x1'));
      const minBar = bars.locator('g.stat[data-stat="min"] rect.side-a');
      assert.ok(Number(await minBar.getAttribute('x')) + Number(await minBar.getAttribute('width')) <= zero + 0.001);
      const maxBar = bars.locator('g.stat[data-stat="max"] rect.side-b');
      assert.equal(Number(await maxBar.getAttribute('x')), zero);

      await webview.screenshot('compare-dataset-panel');
      assert.deepEqual(await webview.violations(), []);
    } finally {
      await webview.close();
    }
  });

  it('prompt comparison shows the template diff', async () => {
    const comparison = await compareVersions(sample, SUMMARIZER_1, SUMMARIZER_2);
    const webview = await WebviewPage.open(browser, server, 'compare', THEMES[2]);
    try {
      await webview.post(show(comparison));
      const page = webview.page;
      await page.locator('.section-prompt pre.template-diff').waitFor();

      assert.equal(await page.locator('.section-prompt .template-status').textContent(), 'The template changed.');
      assert.ok(await page.locator('.section-prompt .template-diff .op-added').count() > 0);
      assert.ok(await page.locator('.section-prompt .template-diff .op-removed').count() > 0);
      assert.equal(
        await page.locator('.section-prompt .variables-added').textContent(),
        `Variables added: ${comparison.section.kind === 'Prompt' && comparison.section.variables.added.length > 0 ? comparison.section.variables.added.join(', ') : 'none'}`,
      );

      await page.locator('vscode-button.diff-template').click();
      const posted = (await webview.posted()) as CompareToHostMessage[];
      assert.deepEqual(posted.at(-1), { type: 'openDiff', path: 'template' });

      await webview.screenshot('compare-prompt-panel');
      assert.deepEqual(await webview.violations(), []);
    } finally {
      await webview.close();
    }
  });

  it('different assets show the banner', async () => {
    const comparison = await compareVersions(sample, CUSTOMERS_CLEAN_1, CHURN_V2);
    assert.ok(comparison.banner);
    const webview = await WebviewPage.open(browser, server, 'compare', THEMES[1]);
    try {
      await webview.post(show(comparison));
      const banner = webview.page.locator('.banner.different[role="alert"]');
      await banner.waitFor();

      assert.equal(await banner.textContent(), comparison.banner.message);
      assert.equal(await webview.page.locator('h1.title').textContent(), 'Dataset customers_clean v1.0.0 (#1) → Model churn_model v2.0.0 (#2)');
    } finally {
      await webview.close();
    }
  });

  it('summarized comparison offers Load All', async () => {
    const comparison = await compareVersions(basic, IRIS_TRAIN_1, IRIS_TRAIN_2, { hugeValueBytes: 64 });
    assert.equal(comparison.summarized, true);
    const webview = await WebviewPage.open(browser, server, 'compare', THEMES[1]);
    try {
      await webview.post(show(comparison));
      const load = webview.page.locator('.banner.summarized vscode-button.load-all');
      await load.waitFor();
      await load.click();

      const posted = (await webview.posted()) as CompareToHostMessage[];
      assert.deepEqual(posted.at(-1), { type: 'action', action: 'loadAll' });
      assert.equal(await webview.page.locator('.section-dataset p.note').textContent(), compareStrings(english).statsBySummary);
    } finally {
      await webview.close();
    }
  });

  it('hostile strings render as inert text', async () => {
    const markup = '<img src=x onerror="window.flowymlPwned=1"><b>bold</b>';
    const comparison = await compareVersions(sample, CHURN_V1, CHURN_V2);
    comparison.a.name = markup;
    comparison.b.label = `${markup}\u202e`;
    comparison.banner = { differentType: false, differentName: true, message: markup };
    comparison.notes = [markup];
    const stage = comparison.fields.find((field) => field.path === 'tags.stage')!;
    stage.path = `tags["${markup}"]`;
    stage.b = `<script>window.flowymlPwned=2</script>${markup}`;
    if (comparison.section.kind === 'Model') comparison.section.history.b[markup] = [1, 'NaN', 2];
    if (comparison.inputs[0].b) comparison.inputs[0].b.name = markup;

    const webview = await WebviewPage.open(browser, server, 'compare', THEMES[1]);
    try {
      await webview.post(show(comparison));
      const page = webview.page;
      await page.locator('.banner.different').waitFor();

      assert.equal(await page.locator('#root img, #root script, #root b').count(), 0);
      assert.equal(await page.locator('.banner.different').textContent(), markup);
      assert.equal(await page.locator('.section-notes li').textContent(), markup);
      assert.equal(await page.locator(`.section-fields tr.field-row td.path`, { hasText: '<img' }).textContent(), `tags["${markup}"]`);
      assert.equal(await page.locator('.section-fields tr.field-row', { hasText: '<script>' }).locator('td.side-b').textContent(), `<script>window.flowymlPwned=2</script>${markup}`);
      // The right-to-left override is shown as an escape, so the label reads in stored order.
      assert.ok((await page.locator('tr.version.side-b .version-link').textContent())?.includes('\\u202e'));
      assert.equal(await page.locator('.history-chart figcaption .series-name').last().textContent(), markup);
      assert.equal(await page.locator('.history-chart').last().locator('g.side-b circle').count(), 2);
      assert.equal(await page.evaluate(() => (window as unknown as { flowymlPwned?: number }).flowymlPwned), undefined);
      assert.deepEqual(await webview.violations(), []);
      await webview.screenshot('compare-hostile', { fullPage: false });
    } finally {
      await webview.close();
    }
  });

  it('error message replaces the panel', async () => {
    const webview = await WebviewPage.open(browser, server, 'compare', THEMES[1]);
    try {
      await webview.post({ type: 'error', message: 'Couldn\'t find the asset version x: it is no longer in the store.' } satisfies HostToCompareMessage);
      const problem = webview.page.locator('.problem[role="alert"]');
      await problem.waitFor();

      assert.equal(await problem.textContent(), 'Couldn\'t find the asset version x: it is no longer in the store.');
    } finally {
      await webview.close();
    }
  });
});

describe('compare webview on a generated store', { timeout: 120_000, skip: pythonMissing() ?? false }, () => {
  let browser: Browser;
  let server: WebviewServer;
  let root: string;
  let generated: WorkspaceIndex;

  before(async () => {
    root = makeGeneratedWorkspace();
    [browser, server, generated] = await Promise.all([launchBrowser(), WebviewServer.start(), loadWorkspace(root)]);
  });

  after(async () => {
    generated?.dispose();
    await browser?.close();
    await server?.stop();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('dataset schema and stat bars', async () => {
    const comparison = await compareVersions(generated, ...generatedPair('load_data/customers'));
    const webview = await WebviewPage.open(browser, server, 'compare', THEMES[0]);
    try {
      await webview.post(show(comparison));
      const page = webview.page;
      await page.locator('.section-dataset ul.schema li').first().waitFor();

      assert.deepEqual(await page.locator('.section-dataset ul.schema li').evaluateAll((items) => items.map((item) => `${item.getAttribute('data-column')}:${item.className}`)), [
        'age:column-retyped', 'legacy_flag:column-removed', 'region:column-added',
      ]);
      assert.equal(await page.locator('.section-dataset ul.schema li[data-column="age"] .dtype').textContent(), 'numeric → categorical');
      const rows = page.locator('.section-dataset > table.fields tr.field-row[data-path="properties.num_samples"]');
      assert.equal(await rows.locator('td.path').textContent(), 'rows (num_samples)');
      assert.equal(await rows.locator('td.change span').textContent(), '+20 (+20%)');

      assert.deepEqual(await page.locator('.section-dataset .column-card').evaluateAll((cards) => cards.map((card) => card.getAttribute('data-column'))), [
        'customer_id', 'age', 'spend', 'legacy_flag', 'region',
      ]);
      const spend = page.locator('.column-card[data-column="spend"]');
      assert.equal(await spend.locator('tr.field-row[data-path="properties.column_stats.spend.mean"] td.change span').textContent(), '+6.25 (+9.766%)');
      // spend has no nulls count in A, so its nulls row has a B bar only.
      assert.equal(await spend.locator('g.stat[data-stat="nulls"] rect.side-a').count(), 0);
      assert.equal(await spend.locator('g.stat[data-stat="nulls"] rect.side-b').count(), 1);
      const maxA = Number(await spend.locator('g.stat[data-stat="max"] rect.side-a').getAttribute('width'));
      const maxB = Number(await spend.locator('g.stat[data-stat="max"] rect.side-b').getAttribute('width'));
      assert.ok(maxB > maxA, `the B bar of max (175.5) is longer than the A bar (150): ${maxB} > ${maxA}`);

      await webview.screenshot('compare-dataset-schema');
      assert.deepEqual(await webview.violations(), []);
    } finally {
      await webview.close();
    }
  });

  it('metrics keep NaN and missing last', async () => {
    const comparison = await compareVersions(generated, ...generatedPair('evaluate_metrics/eval'));
    const webview = await WebviewPage.open(browser, server, 'compare', THEMES[1]);
    try {
      await webview.post(show(comparison));
      const page = webview.page;
      const rows = page.locator('.section-metrics tr.field-row');
      await rows.first().waitFor();

      assert.deepEqual(await rows.evaluateAll((items) => items.map((item) => `${item.getAttribute('data-path')}:${item.getAttribute('data-kind')}`)), [
        'properties.lr:changed',
        'properties.grad_norm:unchanged',
        'properties.tokens:changed',
        'properties.loss:changed',
        'properties.accuracy:unchanged',
        'properties.only_in_a:removed',
        'properties.stalled:changed',
        'properties.only_in_b:added',
      ]);
      const tokens = page.locator('.section-metrics tr.field-row[data-path="properties.tokens"]');
      assert.equal(await tokens.locator('td.side-a').textContent(), String(2n ** 60n));
      assert.equal(await tokens.locator('td.side-b').textContent(), String(2n ** 60n + 2n));
      const accuracy = page.locator('.section-metrics tr.field-row[data-path="properties.accuracy"]');
      assert.equal(await accuracy.locator('td.side-a').textContent(), 'NaN');
      assert.equal(await accuracy.locator('td.side-b').textContent(), 'NaN');
      assert.equal(await page.locator('.section-metrics tr.field-row[data-path="properties.grad_norm"] td.side-a').textContent(), 'Infinity');

      await webview.screenshot('compare-metrics');
      assert.deepEqual(await webview.violations(), []);
    } finally {
      await webview.close();
    }
  });
});
