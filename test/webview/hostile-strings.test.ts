/**
 * Every panel renders a store full of hostile strings in Chromium. The corpus
 * holds markup and script payloads, Markdown and command links, template
 * syntax, control characters, right-to-left overrides and 100,000-character
 * values. They are placed in names, tags, properties, column names,
 * templates, steps, pipelines and run ids. The store is written by Python's sqlite3 in FlowyML's catalog DDL and
 * read through loadWorkspace; the messages come from the host's own view
 * builders. No payload may run (a canary global stays untouched) and the page
 * must report no CSP violation. Needs `npm run build` first.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { compareVersions, comparisonToJson, loadWorkspace, type AssetVersion, type WorkspaceIndex } from '../../src/core';
import { compareStrings } from '../../src/extension/compare/compareStrings';
import { detailsStrings, toDetailsView, type Localizer } from '../../src/extension/details/detailsView';
import { loadStoredPrompt, promptStrings } from '../../src/extension/prompt/promptView';
import { createCatalog, makeWorkspace, registeredRow, type CatalogRow, type HostileWorkspace } from '../helpers/hostile-stores';
import { graphMessage, LineageServer, waitForDraw } from './lineage-harness';
import { launchBrowser, WebviewPage, WebviewServer } from './harness';
import { THEMES } from './themes';

const english: Localizer = {
  t: (message, ...args) => message.replace(/\{(\d+)\}/g, (_match, position: string) => String(args[Number(position)])),
  language: 'en',
};

/** Each payload that could run sets the canary. */
const CORPUS = [
  '<img src=x onerror="window.flowymlCanary=\'img\'">',
  '<script>window.flowymlCanary=\'script\'</script>',
  '"><svg onload="window.flowymlCanary=\'svg\'">',
  'javascript:window.flowymlCanary=\'url\'',
  '<iframe srcdoc="<script>parent.flowymlCanary=\'iframe\'</script>"></iframe>',
  '<style>body{display:none}</style><b>bold</b>',
  '[run](command:workbench.action.terminal.new) **bold** `code` # heading',
  '${window.flowymlCanary=\'template\'} {{constructor.constructor("window.flowymlCanary=\'ssti\'")()}} {0.__class__}',
  '\u202Egnp.exe\u202C \u2066isolate\u2069 \u200F',
  'nul\u0000bell\u0007esc\u001b[31mred\u001b[0m\r\nnext\u2028line',
  '&lt;escaped&gt; &amp; &#x3C;img&#x3E;',
  `long-${'x'.repeat(100_000)}`,
];

/** C0 controls, DEL, C1 controls, and the bidirectional embedding, override and isolate characters. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

const IDS = CORPUS.map((_, i) => `0000000${i}-hostile-4000-8000-${String(i).padStart(12, '0')}`);
const PROMPT_ID = '0000000p-hostile-4000-8000-prompt000000';

/** Rows that put the corpus into every string a panel shows. */
function hostileRows(): CatalogRow[] {
  const rows = CORPUS.map((text, i) => {
    const other = CORPUS[(i + 1) % CORPUS.length];
    return registeredRow(IDS[i], text, i % 2 === 0 ? 'Dataset' : 'Model', i > 0 ? [IDS[i - 1]] : [], {
      version: `v1.0.${i}`,
      tags: { [text.slice(0, 200)]: other, stage: text },
      source_step: other.slice(0, 300),
      source_run_id: text.slice(0, 300),
      source_pipeline: other,
      uri: text,
      metadata: {
        asset_id: `asset-${i}`,
        asset_created_at: '2026-12-04T20:07:03.598121',
        properties: {
          [text.slice(0, 300)]: other,
          description: text,
          feature_columns: [text, other],
          column_stats: { [text.slice(0, 300)]: { dtype: 'categorical', count: 3, nulls: 0, unique: 2, top_values: { [other.slice(0, 100)]: 2 } } },
        },
      },
    });
  });
  rows.push(registeredRow(PROMPT_ID, CORPUS[0], 'Prompt', [IDS[0]], {
    metadata: {
      asset_id: 'asset-prompt',
      asset_created_at: '2026-12-04T20:07:03.598121',
      template: `Hello {name}! ${CORPUS.slice(0, 8).join(' ')} {{literal}} {${CORPUS[0].replace(/[{}]/g, '')}}`,
      properties: { variables: ['name'], prompt_format: CORPUS[6] },
    },
  }));
  return rows;
}

describe('hostile strings in every panel', { timeout: 300_000 }, () => {
  let browser: Browser;
  let server: WebviewServer;
  let lineageServer: LineageServer;
  let workspace: HostileWorkspace;
  let index: WorkspaceIndex;
  let hostile: AssetVersion[];

  before(async () => {
    workspace = makeWorkspace('hostile-panels');
    fs.mkdirSync(workspace.file('.flowyml/hostile'), { recursive: true });
    createCatalog(workspace.file('.flowyml/hostile/catalog.db'), hostileRows());
    [browser, server, lineageServer] = await Promise.all([launchBrowser(), WebviewServer.start(), LineageServer.start()]);
    index = await loadWorkspace(workspace.root, { storePaths: [path.join('.flowyml', 'hostile', 'catalog.db')] });
    hostile = index.versions.filter((v) => v.store.endsWith('hostile/catalog.db'));
  });

  after(async () => {
    index?.dispose();
    await browser?.close();
    await server?.stop();
    await lineageServer?.stop();
    workspace?.remove();
  });

  it('store keeps every string', () => {
    assert.deepEqual(index.problems.filter((p) => p.severity === 'error'), []);
    assert.equal(hostile.length, CORPUS.length + 1);
    for (const text of CORPUS) assert.ok(hostile.some((v) => v.name === text), `a version is named ${JSON.stringify(text.slice(0, 40))}`);
  });

  it('details panel stays inert', async () => {
    const webview = await WebviewPage.open(browser, server, 'details', THEMES[1]);
    try {
      for (const version of hostile) {
        const view = await toDetailsView(await index.details(version.id), index, english, new Date('2026-12-05T12:00:00Z'));
        await webview.post({ type: 'show', details: view, strings: detailsStrings(english) });
        await webview.page.locator('h1.name').waitFor();
        const shown = await webview.page.locator('h1.name').textContent() ?? '';
        // Names with control or bidirectional characters are shown with those characters escaped.
        if (CONTROL.test(version.name)) {
          assert.doesNotMatch(shown, CONTROL);
        } else if (version.name.length > 10_000) {
          // Long names are cut with an ellipsis; the full name stays in the title attribute.
          assert.ok(shown.endsWith('…'), `shown without an ellipsis: ${shown.slice(-20)}`);
          assert.ok(shown.length < 1000, `shown as ${shown.length} characters`);
          assert.ok(version.name.startsWith(shown.slice(0, -1)), 'the shown text is the start of the name');
        } else {
          assert.equal(shown, version.name);
        }
      }
      await webview.screenshot('hostile-details', { fullPage: false });
      await assertInert(webview);
    } finally {
      await webview.close();
    }
  });

  it('lineage panel stays inert', async () => {
    const webview = await lineageServer.open(browser, THEMES[0]);
    try {
      const middle = hostile.find((v) => v.name === CORPUS[6]);
      assert.ok(middle);
      await webview.post(graphMessage(index, middle.id, { up: null, down: null }));
      await waitForDraw(webview, 1);
      const names = await webview.page.locator('g.node title').allTextContents();
      assert.ok(names.some((title) => title.startsWith(CORPUS[1])), 'the script payload is drawn as a node title');
      // The path list beside the graph names every version on the path, and cuts the 100,000-character one.
      const pathEntries = await webview.page.locator('.path-panel button').allTextContents();
      assert.ok(pathEntries.some((entry) => entry.includes('long-xxx') && entry.endsWith('…')), 'the long name is listed, cut');
      for (const entry of pathEntries) assert.ok(entry.length <= 120, `a path entry of ${entry.length} characters`);
      await webview.screenshot('hostile-lineage', { fullPage: false });
      await assertInert(webview);
    } finally {
      await webview.close();
    }
  });

  it('compare panel stays inert', async () => {
    const webview = await WebviewPage.open(browser, server, 'compare', THEMES[2]);
    try {
      for (let i = 1; i < hostile.length; i++) {
        const comparison = await compareVersions(index, hostile[i - 1].id, hostile[i].id);
        await webview.post({ type: 'show', json: comparisonToJson(comparison), strings: compareStrings(english) });
        await webview.page.locator('.section-fields').first().waitFor();
        // Each name in the title is cut, so a 100,000-character name cannot fill the header.
        const title = await webview.page.locator('h1.title').textContent() ?? '';
        assert.ok(title.length < 1000, `a title of ${title.length} characters`);
        const cells = await webview.page.locator('table.versions td').allTextContents();
        for (const cell of cells) assert.ok(cell.length <= 300, `a version cell of ${cell.length} characters`);
      }
      await webview.screenshot('hostile-compare', { fullPage: false });
      await assertInert(webview);
    } finally {
      await webview.close();
    }
  });

  it('prompt panel stays inert', async () => {
    const prompt = hostile.find((v) => v.type === 'Prompt');
    assert.ok(prompt);
    const loaded = loadStoredPrompt(await index.details(prompt.id), english);
    assert.ok(!('reason' in loaded), 'reason' in loaded ? loaded.reason : '');
    const webview = await WebviewPage.open(browser, server, 'prompt', THEMES[0]);
    try {
      await webview.post({ type: 'show', preview: { values: {}, ...loaded.preview }, strings: promptStrings(english), origin: { kind: 'version', id: prompt.id } });
      await webview.page.locator('.template').first().waitFor();
      const template = await webview.page.locator('.template').first().textContent() ?? '';
      assert.ok(template.includes(CORPUS[1]), 'the script payload shows as template text');
      await webview.screenshot('hostile-prompt', { fullPage: false });
      await assertInert(webview);
    } finally {
      await webview.close();
    }
  });
});

/** Checks that no payload ran, no element came from a payload, and CSP reported nothing. */
async function assertInert(webview: WebviewPage): Promise<void> {
  const state = await webview.page.evaluate(() => ({
    canary: (window as unknown as { flowymlCanary?: unknown }).flowymlCanary,
    injected: [...document.querySelectorAll('body img[src="x"], body iframe, body script:not([nonce]), body svg[onload], body style')].map((e) => e.outerHTML.slice(0, 200)),
    hidden: getComputedStyle(document.body).display,
  }));
  assert.equal(state.canary, undefined, 'a payload ran');
  assert.deepEqual(state.injected, [], 'a payload became an element');
  assert.notEqual(state.hidden, 'none', 'a payload styled the page');
  assert.deepEqual(await webview.violations(), []);
}
