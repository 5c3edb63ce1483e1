/**
 * The details panel's webview in headless Chromium: rendering from a real
 * store under light, dark and high-contrast variables, messages back to the
 * host, and hostile strings. Needs `npm run build` first.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { loadWorkspace, type WorkspaceIndex } from '../../src/core';
import { detailsLimit, detailsStrings, FULL_LOAD_CEILING_BYTES, toDetailsView, type Localizer } from '../../src/extension/details/detailsView';
import type { DetailsView, HostToDetailsMessage } from '../../src/protocol/details';
import { THEMES } from './themes';
import { launchBrowser, REPO_ROOT, WebviewPage, WebviewServer } from './harness';

/** English texts with `{0}`-style arguments filled in, as vscode.l10n.t does without a translation. */
const english: Localizer = {
  t: (message, ...args) => message.replace(/\{(\d+)\}/g, (_match, position: string) => String(args[Number(position)])),
  language: 'en',
};

const SAMPLE_STORE = path.join(REPO_ROOT, 'media/sample-workspace');
const NOW = new Date('2026-12-05T12:00:00Z');

describe('details webview', { timeout: 120_000 }, () => {
  let browser: Browser;
  let server: WebviewServer;
  let index: WorkspaceIndex;
  let trainView: DetailsView;

  before(async () => {
    [browser, server, index] = await Promise.all([launchBrowser(), WebviewServer.start(), loadWorkspace(SAMPLE_STORE)]);
    const train = index.assets().find((asset) => asset.name === 'iris_train');
    assert.ok(train, 'iris_train is not in the sample store');
    trainView = await toDetailsView(await index.details(train.latest.id), index, english, NOW);
  });

  after(async () => {
    index?.dispose();
    await browser?.close();
    await server?.stop();
  });

  for (const theme of THEMES) {
    it(`renders a Dataset under ${theme.name}`, async () => {
      const webview = await WebviewPage.open(browser, server, 'details', theme);
      try {
        await webview.post(show(trainView));
        const page = webview.page;
        await page.locator('h1.name').waitFor();

        assert.equal(await page.locator('h1.name').textContent(), 'iris_train');
        assert.equal(await page.locator('vscode-badge.type').textContent(), 'Dataset');
        assert.equal(await page.locator('.version').textContent(), '#3');
        assert.equal(await page.locator('.derived-marker').count(), 1);
        assert.equal(await page.locator('.facts dt').count(), trainView.facts.length);
        assert.deepEqual(
          await page.locator('.properties th').allTextContents(),
          trainView.properties.map((property) => property.key + (property.typed ? '●' : '')),
        );
        assert.ok((await page.locator('.properties th').allTextContents()).includes('num_samples●'));
        assert.deepEqual(await page.locator('.links.parents .link').allTextContents(), ['iris_raw']);
        assert.deepEqual(await page.locator('.links.children .link').allTextContents(), ['iris_logreg']);
        assert.equal(await page.locator('.links.parents .link.derived').count(), 1);
        assert.equal(await page.locator('pre.raw').textContent(), trainView.raw.text);

        const colors = await page.evaluate(() => ({
          text: getComputedStyle(document.body).color,
          background: getComputedStyle(document.body).backgroundColor,
        }));
        assert.equal(colors.text, cssRgb(theme.variables['--vscode-foreground']));
        assert.equal(colors.background, cssRgb(theme.variables['--vscode-editor-background']));

        await webview.screenshot(`webview-details-${theme.name}`);
        assert.deepEqual(await webview.violations(), []);
      } finally {
        await webview.close();
      }
    });
  }

  it('link and button clicks post messages', async () => {
    const webview = await WebviewPage.open(browser, server, 'details', THEMES[1]);
    try {
      await webview.post(show(trainView));
      await webview.page.locator('.links.parents .link').click();
      await webview.page.locator('vscode-button.copy-id').click();

      const posted = await webview.posted();
      assert.deepEqual(posted[0], { type: 'ready' });
      assert.deepEqual(posted.slice(1), [
        { type: 'openVersion', id: trainView.parents[0].id },
        { type: 'copyText', text: trainView.id },
      ]);
      assert.deepEqual(await webview.violations(), []);
    } finally {
      await webview.close();
    }
  });

  it('details cap notice posts loadFull', async () => {
    // A cap of 1 KiB makes the core preview the sample's iris_train row, as it does above 256 KiB by default.
    const capped = await loadWorkspace(SAMPLE_STORE, { detailsCapBytes: 1024 });
    const webview = await WebviewPage.open(browser, server, 'details', THEMES[0]);
    try {
      const train = capped.assets().find((asset) => asset.name === 'iris_train');
      assert.ok(train);
      const details = await capped.details(train.latest.id);
      assert.equal(details.rawTruncated, true);
      const view = await toDetailsView(details, capped, english, NOW);
      const size = (train.latest.metadataBytes / 1024).toFixed(1).replace(/\.0$/, '');
      assert.deepEqual(view.limit, {
        message: `Showing a preview: ${size} KB of metadata, limit 1 KB. The copies of the data embedded in the row are left out.`,
        loadLabel: 'Load anyway',
      });

      await webview.post(show(view));
      await webview.page.locator('.limit-notice').waitFor();
      assert.equal(await webview.page.locator('.limit-message').textContent(), view.limit?.message);
      await webview.page.locator('vscode-button.load-full').click();
      const posted = await webview.posted();
      assert.deepEqual(posted.slice(1), [{ type: 'loadFull', id: view.id }]);
      assert.deepEqual(await webview.violations(), []);

      // Above the ceiling the notice has no button and names the command line instead.
      const huge = detailsLimit({ ...details, version: { ...details.version, metadataBytes: FULL_LOAD_CEILING_BYTES + 1 } }, english);
      assert.equal(huge?.loadLabel, undefined);
      assert.match(huge?.message ?? '', /larger than the 64 MB the panel loads in full; read it with "flowyml-assets show --full /);
      // Below the cap there is no notice.
      assert.equal(trainView.limit, undefined);
    } finally {
      await webview.close();
      capped.dispose();
    }
  });

  it('state keeps the shown id and raw toggle', async () => {
    const webview = await WebviewPage.open(browser, server, 'details', THEMES[0]);
    try {
      await webview.post(show(trainView));
      await webview.page.locator('vscode-collapsible.raw-section').click({ position: { x: 40, y: 10 } });
      await webview.page.waitForFunction(() => (window.flowymlTest.state as { rawExpanded?: boolean })?.rawExpanded === true);

      assert.deepEqual(await webview.state(), { id: trainView.id, rawExpanded: true });
    } finally {
      await webview.close();
    }
  });

  it('loading and error messages render', async () => {
    const webview = await WebviewPage.open(browser, server, 'details', THEMES[2]);
    try {
      await webview.post({ type: 'loading', id: 'some-id' } satisfies HostToDetailsMessage);
      await webview.page.locator('vscode-progress-ring').waitFor();
      assert.equal(await webview.page.locator('#root').getAttribute('aria-busy'), 'true');

      await webview.post({ type: 'error', id: 'some-id', message: 'Couldn\'t read the store: it is locked.' } satisfies HostToDetailsMessage);
      await webview.page.locator('.problem').waitFor();

      assert.equal(await webview.page.locator('.problem').textContent(), 'Couldn\'t read the store: it is locked.');
      assert.equal(await webview.page.locator('#root').getAttribute('aria-busy'), 'false');
      assert.deepEqual(await webview.violations(), []);
    } finally {
      await webview.close();
    }
  });

  it('recorder catches injected inline code', async () => {
    const webview = await WebviewPage.open(browser, server, 'details', THEMES[0]);
    try {
      await webview.page.evaluate(() => {
        const probe = document.createElement('div');
        probe.innerHTML = '<img src="data:," onload="window.flowymlPwned=3"><span style="color: red">x</span>';
        document.body.append(probe);
      });
      await webview.page.waitForFunction(() => window.flowymlTest.violations.length >= 2);

      const violations = await webview.violations();
      assert.ok(violations.some((line) => line.startsWith('script-src')), violations.join('\n'));
      assert.ok(violations.some((line) => line.startsWith('style-src')), violations.join('\n'));
      assert.equal(await webview.page.evaluate(() => (window as unknown as { flowymlPwned?: number }).flowymlPwned), undefined);
    } finally {
      await webview.close();
    }
  });

  it('hostile strings render as inert text', async () => {
    const markup = '<img src=x onerror="window.flowymlPwned=1"><b>bold</b>';
    const script = '<script>window.flowymlPwned=2</script>';
    const control = 'tab\there\u0007bell\u001b[31mred\u202eevil';
    const longName = 'n'.repeat(10_000);
    const hostile: DetailsView = {
      ...trainView,
      name: `${longName}${markup}`,
      type: script,
      versionLabel: control,
      facts: [{ label: markup, value: script }, { label: 'Control', value: control, code: true }],
      properties: [{ key: script, value: markup, typed: true }, { key: 'long', value: longName, typed: false }],
      tags: [{ key: markup, value: script }],
      parents: [{ id: `javascript:alert(1)`, name: markup, type: script, label: control, derived: false }],
      children: [],
      raw: { text: `${script}${markup}`, truncated: true, bytes: 99 },
      problem: markup,
    };
    const webview = await WebviewPage.open(browser, server, 'details', THEMES[1]);
    try {
      await webview.post(show(hostile));
      const page = webview.page;
      await page.locator('h1.name').waitFor();

      assert.equal(await page.locator('#root img').count(), 0);
      assert.equal(await page.locator('#root b').count(), 0);
      assert.equal(await page.locator('#root script').count(), 0);
      assert.equal(await page.evaluate(() => (window as unknown as { flowymlPwned?: number }).flowymlPwned), undefined);
      assert.equal(await page.locator('h1.name').getAttribute('title'), hostile.name);
      assert.equal((await page.locator('h1.name').textContent())?.length, 120);
      assert.equal(await page.locator('vscode-badge.type').textContent(), script);
      assert.equal(await page.locator('.version').textContent(), 'tab\\there\\x07bell\\x1b[31mred\\u202eevil');
      assert.equal(await page.locator('.facts dd.code').textContent(), 'tab\\there\\x07bell\\x1b[31mred\\u202eevil');
      assert.equal(await page.locator('.problem').textContent(), markup);
      assert.equal(await page.locator('.tags vscode-badge').textContent(), `${markup}=${script}`);
      assert.equal(await page.locator('pre.raw').textContent(), `${script}${markup}`);
      assert.equal(await page.locator('.links.parents .link').getAttribute('href'), null);

      await webview.screenshot('webview-details-hostile', { fullPage: false });

      await page.locator('.links.parents .link').click();
      assert.deepEqual((await webview.posted()).at(-1), { type: 'openVersion', id: 'javascript:alert(1)' });
      assert.deepEqual(await webview.violations(), []);
    } finally {
      await webview.close();
    }
  });
});

function show(details: DetailsView): HostToDetailsMessage {
  return { type: 'show', details, strings: detailsStrings(english) };
}

/** Converts `#rrggbb` to the `rgb(r, g, b)` form getComputedStyle returns. */
function cssRgb(hex: string): string {
  const value = Number.parseInt(hex.slice(1), 16);

  return `rgb(${(value >> 16) & 255}, ${(value >> 8) & 255}, ${value & 255})`;
}
