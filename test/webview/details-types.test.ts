/**
 * The type-specific parts of the details panel, for one version of every
 * asset type in the sample workspace (a FlowyML 2.1 store with a catalog),
 * under light, dark and high-contrast variables. Needs `npm run build` first.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { loadWorkspace, type AssetTypeName, type WorkspaceIndex } from '../../src/core';
import { detailsStrings, toDetailsView, type Localizer } from '../../src/extension/details/detailsView';
import type { DetailsView, HostToDetailsMessage } from '../../src/protocol/details';
import { launchBrowser, REPO_ROOT, WebviewPage, WebviewServer } from './harness';
import { THEMES } from './themes';

const english: Localizer = {
  t: (message, ...args) => message.replace(/\{(\d+)\}/g, (_match, position: string) => String(args[Number(position)])),
  language: 'en',
};

/** Read only: the tests never write to the committed sample. */
const SAMPLE_WORKSPACE = path.join(REPO_ROOT, 'samples/workspace');

/** The section titles each type shows, in order, for the sample's newest version of that type's first asset. */
const EXPECTED_SECTIONS: [AssetTypeName, string, string[]][] = [
  ['Dataset', 'customers_raw', ['Column statistics']],
  ['Model', 'churn_model', ['Model', 'Hyperparameters', 'Training history']],
  ['Metrics', 'churn_eval', ['Values', 'Across versions']],
  ['Checkpoint', 'churn_model_v1.0.0_epoch1', ['Checkpoint', 'Metrics at this checkpoint']],
  ['Prompt', 'support_agent', ['Template', 'Model settings']],
  ['Report', 'churn_model_card', []],
  ['Artifact', 'feature_config', []],
  ['FeatureSet', 'churn_features', []],
];

describe('details webview per asset type', { timeout: 180_000 }, () => {
  let browser: Browser;
  let server: WebviewServer;
  let index: WorkspaceIndex;
  const views = new Map<AssetTypeName, DetailsView>();

  before(async () => {
    [browser, server, index] = await Promise.all([launchBrowser(), WebviewServer.start(), loadWorkspace(SAMPLE_WORKSPACE)]);
    for (const [type, name] of EXPECTED_SECTIONS) {
      const asset = index.assets().find((candidate) => candidate.type === type && candidate.name === name);
      assert.ok(asset, `${type} ${name} is not in ${SAMPLE_WORKSPACE}`);
      views.set(type, await toDetailsView(await index.details(asset.latest.id), index, english));
    }
  });

  after(async () => {
    index?.dispose();
    await browser?.close();
    await server?.stop();
  });

  for (const theme of THEMES) {
    it(`every type renders under ${theme.name}`, async () => {
      const webview = await WebviewPage.open(browser, server, 'details', theme);
      try {
        for (const [type, name, sections] of EXPECTED_SECTIONS) {
          const view = views.get(type) as DetailsView;
          await webview.post({ type: 'show', details: view, strings: detailsStrings(english) } satisfies HostToDetailsMessage);
          await webview.page.locator('h1.name', { hasText: name }).waitFor();

          assert.deepEqual(await webview.page.locator('.type-section > h2').allTextContents(), sections, type);
          if (theme.name === 'dark' || type === 'Dataset') await webview.screenshot(`webview-${type.toLowerCase()}-${theme.name}`);
        }
        assert.deepEqual(await webview.violations(), []);
      } finally {
        await webview.close();
      }
    });
  }

  it('dataset columns show stats and bars', async () => {
    const webview = await WebviewPage.open(browser, server, 'details', THEMES[1]);
    try {
      const view = views.get('Dataset') as DetailsView;
      await webview.post({ type: 'show', details: view, strings: detailsStrings(english) } satisfies HostToDetailsMessage);
      const rows = webview.page.locator('.column-stats tbody tr');
      await rows.first().waitFor();

      assert.deepEqual(await webview.page.locator('.column-stats tbody th').allTextContents(),
        ['customer_id', 'plan', 'tenure_months', 'monthly_spend', 'support_tickets', 'churned']);
      const tenure = rows.nth(2);
      assert.deepEqual(await tenure.locator('td:not(.bar)').allTextContents(), ['numeric', '400', '70', '37.79', '21.22', '1', '38', '72']);
      assert.equal(await tenure.locator('svg.range-bar rect.band').count(), 1);
      assert.equal(await rows.nth(1).locator('td.top-values').textContent(), 'pro, basic, plus');
      assert.equal(await webview.page.locator('svg.range-bar').count(), 4);
    } finally {
      await webview.close();
    }
  });

  it('training history draws one chart per metric', async () => {
    const webview = await WebviewPage.open(browser, server, 'details', THEMES[0]);
    try {
      const view = views.get('Model') as DetailsView;
      await webview.post({ type: 'show', details: view, strings: detailsStrings(english) } satisfies HostToDetailsMessage);
      const charts = webview.page.locator('.chart-section svg');
      await charts.first().waitFor();

      assert.equal(await charts.count(), 2);
      assert.equal(await charts.locator('g.series').count(), 2);
      assert.equal(await charts.nth(0).locator('g.series circle').count(), 3);
      assert.deepEqual(await webview.page.locator('.legend-item').allTextContents(), ['loss', 'accuracy']);
      assert.deepEqual(await charts.nth(0).locator('.axis.x text').allTextContents(), ['1', '2', '3']);
    } finally {
      await webview.close();
    }
  });

  it('prompt shows its stored template', async () => {
    const webview = await WebviewPage.open(browser, server, 'details', THEMES[2]);
    try {
      const view = views.get('Prompt') as DetailsView;
      await webview.post({ type: 'show', details: view, strings: detailsStrings(english) } satisfies HostToDetailsMessage);
      await webview.page.locator('pre.template').waitFor();

      assert.match(await webview.page.locator('pre.template').textContent() ?? '', /Customer \{customer_name\} \(plan: \{plan\}\)/);
      assert.equal(await webview.page.locator('.text-section .note').count(), 1);
    } finally {
      await webview.close();
    }
  });
});
