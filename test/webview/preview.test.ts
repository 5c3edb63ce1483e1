/**
 * The artifact preview webview in headless Chromium: head rows read from a
 * real materialized CSV, an image as data, a model summary, the Cancel
 * button, and hostile cell text, all without CSP violations. Needs
 * `npm run build` first.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { previewFile } from '../../src/core/stack';
import type { HostToPreviewMessage, PreviewContent, PreviewStrings } from '../../src/protocol/preview';
import { THEMES } from './themes';
import { launchBrowser, REPO_ROOT, WebviewPage, WebviewServer } from './harness';

const CSV = path.join(REPO_ROOT, 'samples/workspace/.flowyml/artifacts/735883f5-2c8d-4ebb-8396-a04fd41bec3c/build_features/frames/features/data.csv');
const PIXEL = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';
const STRINGS: PreviewStrings = { cancel: 'Cancel', loading: 'Reading', truncated: 'cut', moreRows: 'first rows only', rowsOf: 'rows shown', bytes: 'bytes', warnings: 'Warnings' };

function show(content: PreviewContent, title = 'frames/features #1'): HostToPreviewMessage {
  return { type: 'show', view: { title, file: 'data.csv', bytes: 10, content }, strings: STRINGS };
}

describe('preview webview', { timeout: 120_000 }, () => {
  let browser: Browser;
  let server: WebviewServer;

  before(async () => {
    [browser, server] = await Promise.all([launchBrowser(), WebviewServer.start()]);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('renders CSV head rows', async () => {
    const result = await previewFile(CSV, { rows: 10 });
    assert.equal(result.preview.kind, 'table');
    const webview = await WebviewPage.open(browser, server, 'preview', THEMES[0]);
    try {
      await webview.post(show(result.preview));
      const page = webview.page;
      await page.locator('table.head-rows').waitFor();

      if (result.preview.kind !== 'table') return;
      assert.deepEqual(await page.locator('thead th').allTextContents(), result.preview.columns);
      assert.equal(await page.locator('tbody tr').count(), 10);
      assert.deepEqual(await page.locator('tbody tr').nth(9).locator('td').allTextContents(), result.preview.rows[9]);
      assert.equal(await page.locator('.caption').textContent(), `CSV · 10 / ${result.preview.totalRows} rows shown · first rows only`);
      assert.deepEqual(await webview.violations(), []);
    } finally {
      await webview.close();
    }
  });

  it('image, summary and cancel', async () => {
    const webview = await WebviewPage.open(browser, server, 'preview', THEMES[1]);
    try {
      const page = webview.page;
      await webview.post(show({ kind: 'image', mime: 'image/png', base64: PIXEL }));
      await page.locator('.image-preview img').waitFor();
      assert.equal(await page.locator('.image-preview img').evaluate((image) => (image as HTMLImageElement).naturalWidth), 1);

      await webview.post(show({ kind: 'summary', facts: [{ label: 'metadata.json class_name', value: 'LogisticRegression' }], warnings: ['never unpickled'] }));
      await page.locator('table.facts').waitFor();
      assert.deepEqual(await page.locator('table.facts td').allTextContents(), ['LogisticRegression']);
      assert.deepEqual(await page.locator('ul.warnings li').allTextContents(), ['never unpickled']);

      await webview.post({ type: 'loading', file: 'big.parquet', strings: STRINGS } satisfies HostToPreviewMessage);
      await page.locator('vscode-button', { hasText: 'Cancel' }).click();
      assert.deepEqual((await webview.posted()).at(-1), { type: 'cancel' });
      assert.deepEqual(await webview.violations(), []);
    } finally {
      await webview.close();
    }
  });

  it('hostile cells stay text', async () => {
    const markup = '<img src=x onerror="window.flowymlPwned=1">';
    const webview = await WebviewPage.open(browser, server, 'preview', THEMES[2]);
    try {
      const page = webview.page;
      await webview.post(show({ kind: 'table', format: 'CSV', columns: [markup], rows: [['<script>window.flowymlPwned=2</script>']], totalRows: 1, truncated: false }, markup));
      await page.locator('table.head-rows').waitFor();

      assert.equal(await page.locator('#root img').count(), 0);
      assert.equal(await page.locator('#root script').count(), 0);
      assert.equal(await page.locator('thead th').textContent(), markup);
      assert.equal(await page.locator('h1.name').textContent(), markup);
      assert.equal(await page.evaluate(() => (window as unknown as { flowymlPwned?: number }).flowymlPwned), undefined);
      assert.deepEqual(await webview.violations(), []);
    } finally {
      await webview.close();
    }
  });
});
