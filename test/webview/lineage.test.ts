/**
 * The lineage panel's webview in headless Chromium, fed the graph the host
 * computes with the core from the sample workspace and the big catalog
 * fixture: nodes and edges, depth, search, selection, clusters, the size
 * check, the layout worker, exports, saved state, hostile names and CSP.
 * Needs `npm run build` first.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { loadWorkspace, type WorkspaceIndex } from '../../src/core';
import type { LineageGraph, LineageNode } from '../../src/core/api';
import { lineageExportText } from '../../src/extension/lineage/lineageView';
import type { LineageViewState } from '../../src/protocol/lineage';
import { launchBrowser, REPO_ROOT, type WebviewPage } from './harness';
import { graphMessage, LineageServer, syntheticMessage, waitForDraw } from './lineage-harness';
import { THEMES } from './themes';

const SAMPLE = path.join(REPO_ROOT, 'samples/workspace');
/** churn_model v2.0.0, by its catalog id, which the workspace resolves as an alias of the metadata.db version. */
const CHURN_MODEL = '.flowyml/catalog.db:artifacts:b2366405-6ef7-4648-a541-9a9ad04ffd68';
const SHARED = process.env.FLOWYML_SHARED ?? path.resolve(REPO_ROOT, '../shared');
const BIG_CATALOG = path.join(SHARED, 'fixtures/flowyml-2.1-catalog-big');
/** ranker v17.0.0 in the big catalog, parent of about 6,000 versions. */
const RANKER_V17 = '.flowyml/catalog.db:artifacts:ca533a36-edc9-416a-ac23-7642479bd719';
/** A ranker_eval Metrics version at the end of the big catalog's longest parent chain: 305 parents deep. */
const DEEPEST_EVAL = '.flowyml/catalog.db:artifacts:8d66de04-351b-4c69-9e8a-2fa045cd1074';

interface PostedMessage {
  type: string;
  [key: string]: unknown;
}

async function drawnIds(webview: WebviewPage): Promise<string[]> {
  return (await webview.page.locator('g.node').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-id') ?? ''))).sort();
}

async function drawnEdges(webview: WebviewPage): Promise<string[]> {
  return (await webview.page.locator('path.edge').evaluateAll((edges) => edges.map((edge) => `${edge.getAttribute('data-from')} ${edge.getAttribute('data-kind')} ${edge.getAttribute('data-to')}`))).sort();
}

async function postedOfType(webview: WebviewPage, type: string): Promise<PostedMessage[]> {
  return ((await webview.posted()) as PostedMessage[]).filter((message) => message.type === type);
}

/** Picks an option of a vscode-single-select by value and lets it fire `change`, as a user's choice does. */
async function choose(webview: WebviewPage, selector: string, value: string): Promise<void> {
  await webview.page.locator(selector).evaluate((select, chosen) => {
    (select as HTMLElement & { value: string }).value = chosen;
    select.dispatchEvent(new Event('change', { bubbles: true }));
  }, value);
}

/** Types into a vscode-textfield and fires `input`. */
async function type(webview: WebviewPage, selector: string, text: string): Promise<void> {
  await webview.page.locator(selector).evaluate((field, value) => {
    (field as HTMLElement & { value: string }).value = value;
    field.dispatchEvent(new Event('input', { bubbles: true }));
  }, text);
}

function fanOut(children: number): LineageGraph {
  const nodes: LineageNode[] = [{ id: 'root', kind: 'asset', name: 'root_data', type: 'Dataset', version: 'v1.0.0 (#1)' }];
  const edges: LineageGraph['edges'] = [];
  for (let i = 0; i < children; i++) {
    nodes.push({ id: `child-${i}`, kind: 'asset', name: `child_${i}`, type: 'Model', version: `#${i + 1}` });
    edges.push({ from: 'root', to: `child-${i}`, kind: 'parent', derived: false });
  }

  return { nodes, edges };
}

describe('lineage webview', { timeout: 240_000 }, () => {
  let browser: Browser;
  let server: LineageServer;
  let sample: WorkspaceIndex;

  before(async () => {
    [browser, server, sample] = await Promise.all([launchBrowser(), LineageServer.start(), loadWorkspace(SAMPLE)]);
  });

  after(async () => {
    sample?.dispose();
    await browser?.close();
    await server?.stop();
  });

  for (const theme of THEMES) {
    it(`draws churn_model v2.0.0 under ${theme.name}`, async () => {
      const message = graphMessage(sample, CHURN_MODEL, { up: 2, down: 2 });
      const webview = await server.open(browser, theme);
      try {
        await webview.post(message);
        await waitForDraw(webview, 1);

        const runLinks = message.graph.nodes.filter((node) => node.kind === 'step').map((node) => `${node.run} run ${node.id}`);
        assert.deepEqual(await drawnIds(webview), message.graph.nodes.map((node) => node.id).sort());
        assert.deepEqual(await drawnEdges(webview), [...message.graph.edges.map((edge) => `${edge.from} ${edge.kind} ${edge.to}`), ...runLinks].sort());
        assert.equal(await webview.page.locator('path.edge.derived').count(), message.graph.edges.filter((edge) => edge.derived).length);

        const focus = webview.page.locator('g.node.focus');
        assert.equal(await focus.getAttribute('data-id'), message.focusId);
        assert.equal(await focus.locator('text.name').textContent(), 'churn_model');
        assert.equal(await focus.locator('text.meta').textContent(), 'Model · v2.0.0 (#2)');
        assert.equal(await webview.page.locator('g.node.type-Dataset text.name').first().textContent(), 'customers_clean');
        assert.ok(await webview.page.locator('g.node.type-FeatureSet').count() >= 1, 'an upstream FeatureSet is drawn');

        const stroke = await webview.page.locator('g.node.type-Dataset rect.box').first().evaluate((rect) => getComputedStyle(rect).stroke);
        assert.notEqual(stroke, 'none', 'Dataset boxes take a theme colour');

        await webview.screenshot(`webview-lineage-${theme.name}`, { fullPage: false });
        assert.deepEqual(await webview.violations(), []);
      } finally {
        await webview.close();
      }
    });
  }

  it('depth controls request and redraw', async () => {
    const webview = await server.open(browser, THEMES[1]);
    try {
      await webview.post(graphMessage(sample, CHURN_MODEL, { up: 2, down: 2 }));
      await waitForDraw(webview, 1);
      await choose(webview, 'vscode-single-select.depth-up', '1');

      assert.deepEqual((await postedOfType(webview, 'setDepth')).at(-1), { type: 'setDepth', depth: { up: 1, down: 2 } });

      const shallower = graphMessage(sample, CHURN_MODEL, { up: 1, down: 0 });
      await webview.post(shallower);
      await waitForDraw(webview, 2);

      assert.deepEqual(await drawnIds(webview), shallower.graph.nodes.map((node) => node.id).sort());
      assert.ok(!(await drawnIds(webview)).some((id) => id.includes('clean_data')), 'customers_clean is two generations up');
      assert.deepEqual((await webview.state() as LineageViewState).depth, { up: 1, down: 0 });
    } finally {
      await webview.close();
    }
  });

  it('search selects a node and lists its path', async () => {
    const message = graphMessage(sample, CHURN_MODEL, { up: 2, down: 2 });
    const webview = await server.open(browser, THEMES[0]);
    try {
      await webview.post(message);
      await waitForDraw(webview, 1);
      await type(webview, 'vscode-textfield.search', 'CUSTOMERS');
      const results = webview.page.locator('.search-results button');

      assert.deepEqual(await results.allTextContents(), ['Dataset customers_clean v1.0.0 (#1)']);

      await results.first().click();
      const selected = webview.page.locator('g.node.selected');
      await selected.waitFor();
      const customers = message.graph.nodes.find((node) => node.name === 'customers_clean')!;

      assert.equal(await selected.getAttribute('data-id'), customers.id);
      assert.equal((await webview.state() as LineageViewState).selectedId, customers.id);
      const path = await webview.page.locator('.focused-path button').allTextContents();
      assert.ok(path.includes('Dataset customers_clean v1.0.0 (#1)'), path.join(' | '));
      assert.ok(path.includes('Step: clean'), path.join(' | '));
      assert.equal(await webview.page.locator('.focused-path [aria-current="true"]').textContent(), 'Dataset customers_clean v1.0.0 (#1)');

      await type(webview, 'vscode-textfield.search', 'no-such-node');
      assert.equal(await webview.page.locator('.search-results.empty').textContent(), 'No node matches.');
      await type(webview, 'vscode-textfield.search', 'artifacts:b2366405');
      assert.equal(await results.count(), 0, 'the alias is not a drawn id');
      await type(webview, 'vscode-textfield.search', '3b719cb5-68f2-4062-8982-6f28fdf4051b_train_model');
      assert.ok(await results.count() >= 1, 'search matches ids');
    } finally {
      await webview.close();
    }
  });

  it('hover highlights upstream and downstream', async () => {
    const message = graphMessage(sample, CHURN_MODEL, { up: 2, down: 2 });
    const webview = await server.open(browser, THEMES[1]);
    try {
      await webview.post(message);
      await waitForDraw(webview, 1);
      await webview.page.locator('g.node.focus').hover();
      await webview.page.locator('g.node.hovered').waitFor();
      const upstream = await webview.page.locator('g.node.upstream').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-id')));
      const downstream = await webview.page.locator('g.node.downstream').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-id')));

      assert.ok(upstream.some((id) => id?.includes('clean_data')), 'customers_clean is upstream');
      assert.ok(downstream.some((id) => id?.includes('churn_model_card') || id?.includes('model_card')), 'the model card step is downstream');
      assert.ok(!upstream.some((id) => downstream.includes(id)), 'no node is both');
      assert.ok(await webview.page.locator('path.edge.upstream').count() > 0);
    } finally {
      await webview.close();
    }
  });

  it('keyboard moves between nodes and opens details', async () => {
    const message = graphMessage(sample, CHURN_MODEL, { up: 2, down: 2 });
    const webview = await server.open(browser, THEMES[1]);
    try {
      await webview.post(message);
      await waitForDraw(webview, 1);
      await webview.page.locator('svg.graph').focus();
      await webview.page.keyboard.press('ArrowLeft');
      const step = message.graph.nodes.find((node) => node.name === 'train_model')!;

      assert.equal(await webview.page.locator('g.node.selected').getAttribute('data-id'), step.id);
      assert.match(await webview.page.locator('.status').textContent() ?? '', /train_model/);

      await webview.page.keyboard.press('Home');
      await webview.page.keyboard.press('Enter');
      await webview.page.locator('g.node.focus').dblclick();

      assert.deepEqual(await postedOfType(webview, 'openDetails'), [
        { type: 'openDetails', id: message.focusId },
        { type: 'openDetails', id: message.focusId },
      ]);

      // A step opens its code: on Enter and on double-click, and never its (absent) details.
      await webview.page.locator(`g.node[data-id="${step.id}"]`).dispatchEvent('click');
      await webview.page.keyboard.press('Enter');
      await webview.page.locator(`g.node[data-id="${step.id}"]`).dispatchEvent('dblclick');
      assert.deepEqual(await postedOfType(webview, 'openStepCode'), [
        { type: 'openStepCode', id: step.id },
        { type: 'openStepCode', id: step.id },
      ]);
      assert.equal((await postedOfType(webview, 'openDetails')).length, 2);

      const evaluation = message.graph.nodes.find((node) => node.name === 'churn_eval')!;
      await webview.page.locator(`g.node[data-id="${evaluation.id}"]`).dispatchEvent('click');
      await webview.page.locator('vscode-button.refocus').click();
      assert.deepEqual(await postedOfType(webview, 'refocus'), [{ type: 'refocus', id: evaluation.id }]);
    } finally {
      await webview.close();
    }
  });

  it('selected path hides unrelated nodes', async () => {
    const message = graphMessage(sample, CHURN_MODEL, { up: 2, down: 2 });
    const webview = await server.open(browser, THEMES[0]);
    try {
      await webview.post(message);
      await waitForDraw(webview, 1);
      const checkpoint = message.graph.nodes.find((node) => node.name === 'churn_model_v2.0.0_epoch1')!;
      await webview.page.locator(`g.node[data-id="${checkpoint.id}"]`).click();
      await webview.page.locator('vscode-checkbox.path-only').click();
      await waitForDraw(webview, 2);
      const ids = await drawnIds(webview);

      assert.ok(ids.includes(checkpoint.id));
      assert.ok(ids.includes(message.focusId), 'the checkpoint descends from the model');
      assert.ok(!ids.some((id) => id.includes('epoch2')), 'a sibling checkpoint is hidden');
      assert.ok(ids.length < message.graph.nodes.length);
    } finally {
      await webview.close();
    }
  });

  it('siblings collapse into a searchable cluster', async () => {
    const webview = await server.open(browser, THEMES[1]);
    try {
      await webview.post(syntheticMessage('root', fanOut(60)));
      await waitForDraw(webview, 1);
      const cluster = webview.page.locator('g.node.kind-cluster');

      assert.deepEqual(await drawnIds(webview), ['cluster:out:root', 'root']);
      assert.equal(await cluster.locator('text.name').textContent(), '60 more');
      assert.equal(await cluster.locator('text.meta').textContent(), 'Model');

      await cluster.click();
      await type(webview, 'vscode-textfield.cluster-filter', 'child_42');
      assert.deepEqual(await webview.page.locator('.cluster-members button').allTextContents(), ['Model child_42 #43']);

      await webview.page.locator('.cluster-members button').click();
      await waitForDraw(webview, 2);
      assert.deepEqual(await drawnIds(webview), ['child-42', 'cluster:out:root', 'root']);
      assert.equal(await cluster.locator('text.name').textContent(), '59 more');
      assert.equal(await webview.page.locator('g.node.selected').getAttribute('data-id'), 'child-42');

      await cluster.click();
      await webview.page.locator('vscode-button.expand-cluster').click();
      await waitForDraw(webview, 3);
      assert.equal((await drawnIds(webview)).length, 61);
      assert.deepEqual((await webview.state() as LineageViewState).expanded, ['cluster:out:root']);
      assert.deepEqual(await webview.violations(), []);
    } finally {
      await webview.close();
    }
  });

  it('exports JSON, DOT, Mermaid, SVG and PNG', async () => {
    const message = graphMessage(sample, CHURN_MODEL, { up: 2, down: 2 });
    const webview = await server.open(browser, THEMES[1]);
    try {
      await webview.post(message);
      await waitForDraw(webview, 1);
      for (const format of ['json', 'dot', 'mermaid', 'svg', 'png']) {
        await choose(webview, 'vscode-single-select.export-format', format);
        await webview.page.locator('vscode-button.export').click();
      }
      await webview.page.waitForFunction(() => window.flowymlTest.posted.filter((m) => (m as { type?: string }).type === 'export').length === 5);
      const exports = await postedOfType(webview, 'export');

      assert.deepEqual(exports.slice(0, 3), [{ type: 'export', format: 'json' }, { type: 'export', format: 'dot' }, { type: 'export', format: 'mermaid' }]);

      const svg = String(exports[3].content);
      assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      assert.ok(!svg.includes('var(--'), 'the SVG carries resolved colours');
      assert.ok(svg.includes('>customers_clean<'), 'the SVG carries node names');

      const png = Buffer.from(String(exports[4].content), 'base64');
      assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      assert.deepEqual(await webview.violations(), []);
    } finally {
      await webview.close();
    }
  });

  it('JSON export matches the command line', () => {
    const message = graphMessage(sample, CHURN_MODEL, { up: 2, down: 2 });
    const exported = JSON.parse(lineageExportText(message.graph, 'json')) as LineageGraph;
    const cli = JSON.parse(execFileSync(process.execPath, [path.join(REPO_ROOT, 'dist/cli.js'), 'lineage', CHURN_MODEL, SAMPLE, '--depth', '2', '--format', 'json'], { encoding: 'utf8' })) as LineageGraph;
    const sortById = (nodes: LineageNode[]) => [...nodes].sort((a, b) => a.id.localeCompare(b.id));
    const edgeText = (graph: LineageGraph) => graph.edges.map((edge) => JSON.stringify(edge)).sort();

    assert.deepEqual(sortById(exported.nodes), sortById(cli.nodes));
    assert.deepEqual(edgeText(exported), edgeText(cli));
    assert.match(lineageExportText(message.graph, 'dot'), /^digraph lineage \{/);
    assert.match(lineageExportText(message.graph, 'mermaid'), /^flowchart LR/);
  });

  it('state restores zoom, selection and depth after reload', async () => {
    const message = graphMessage(sample, CHURN_MODEL, { up: 3, down: 1 });
    const webview = await server.open(browser, THEMES[0]);
    try {
      await webview.post(message);
      await waitForDraw(webview, 1);
      const customers = message.graph.nodes.find((node) => node.name === 'customers_clean')!;
      // The graph is wider than the page, so the node may be outside the view: click it by event.
      await webview.page.locator(`g.node[data-id="${customers.id}"]`).dispatchEvent('click');
      await webview.page.mouse.move(300, 400);
      await webview.page.mouse.wheel(0, -300);
      await webview.page.waitForFunction(() => (window.flowymlTest.state as { zoom?: { k: number } })?.zoom !== undefined);
      const saved = await webview.state() as LineageViewState;
      assert.equal(saved.selectedId, customers.id);
      const transform = await webview.page.locator('g.viewport').getAttribute('transform');

      await webview.page.addInitScript((state) => {
        window.flowymlTest.state = state;
      }, saved);
      await webview.page.reload();
      await webview.page.waitForFunction(() => window.flowymlTest.posted.some((m) => (m as { type?: string }).type === 'ready'));
      await webview.post(message);
      await waitForDraw(webview, 1);

      assert.equal(await webview.page.locator('g.node.selected').getAttribute('data-id'), customers.id);
      assert.equal(await webview.page.locator('g.viewport').getAttribute('transform'), transform);
      assert.equal(await webview.page.locator('vscode-single-select.depth-up').evaluate((select) => (select as HTMLElement & { value: string }).value), '3');
    } finally {
      await webview.close();
    }
  });

  it('store updates redraw in place', async () => {
    const message = graphMessage(sample, CHURN_MODEL, { up: 2, down: 2 });
    const webview = await server.open(browser, THEMES[1]);
    try {
      await webview.post(message);
      await waitForDraw(webview, 1);
      await webview.page.locator('g.node.focus').evaluate((node) => node.setAttribute('data-marker', 'kept'));
      const added: LineageNode = { id: 'new-version', kind: 'asset', name: 'churn_model_card_v2', type: 'Report', version: '#3' };
      await webview.post({ ...message, graph: { nodes: [...message.graph.nodes, added], edges: [...message.graph.edges, { from: message.focusId, to: added.id, kind: 'parent', derived: false }] } });
      await waitForDraw(webview, 2);

      assert.ok((await drawnIds(webview)).includes('new-version'));
      assert.equal(await webview.page.locator('g.node.focus').getAttribute('data-marker'), 'kept', 'the focus element was updated, not replaced');
    } finally {
      await webview.close();
    }
  });

  it('hostile names stay text', async () => {
    const long = `${'a'.repeat(398)}😀z`;
    const markup = '<img src=x onerror="document.title=\'pwned\'"><script>alert(1)</script>';
    const graph: LineageGraph = {
      nodes: [
        { id: 'long', kind: 'asset', name: long, type: 'Dataset', version: 'v1.0.0 (#1)' },
        { id: '<b>id</b>"\'', kind: 'asset', name: markup, type: 'Other: <svg onload=alert(1)>', version: '#2' },
        { id: 'missing:%3Cx%3E', kind: 'missing', name: '<x>' },
      ],
      edges: [
        { from: 'long', to: '<b>id</b>"\'', kind: 'parent', derived: true },
        { from: 'missing:%3Cx%3E', to: 'long', kind: 'parent', derived: false },
      ],
    };
    const webview = await server.open(browser, THEMES[2]);
    try {
      await webview.post(syntheticMessage('long', graph));
      await waitForDraw(webview, 1);
      const hostile = webview.page.locator('g.node[data-id="<b>id</b>\\"\'"]');

      assert.equal(await webview.page.locator('img').count(), 0);
      assert.equal(await webview.page.locator('svg.graph svg, svg.graph script').count(), 0);
      const hostileLabel = await hostile.locator('text.name').textContent() ?? '';
      assert.ok(hostileLabel.startsWith('<img src=x'), hostileLabel);
      assert.ok(hostileLabel.endsWith('…'), hostileLabel);
      assert.equal(await hostile.locator('title').textContent(), `${markup}\nOther: <svg onload=alert(1)> · #2 ◇ derived\n<b>id</b>"'`);
      const longName = await webview.page.locator('g.node[data-id="long"] text.name').textContent() ?? '';
      assert.ok(longName.endsWith('…'), longName);
      assert.ok(longName.length <= 26, longName);
      assert.ok((await webview.page.locator('g.node[data-id="long"] title').textContent())?.startsWith(long));
      assert.equal(await webview.page.locator('g.node.kind-missing text.meta').textContent(), 'not in the store');
      assert.notEqual(await webview.page.title(), 'pwned');
      assert.deepEqual(await webview.violations(), []);
    } finally {
      await webview.close();
    }
  });

  it('a cycle and a 300-deep chain draw', async () => {
    const nodes: LineageNode[] = Array.from({ length: 300 }, (_, i) => ({ id: `v${i}`, kind: 'asset', name: `chain_${i}`, type: 'Dataset', version: `#${i + 1}` }));
    const edges: LineageGraph['edges'] = nodes.slice(1).map((node, i) => ({ from: `v${i}`, to: node.id, kind: 'parent', derived: false }));
    edges.push({ from: 'v299', to: 'v0', kind: 'parent', derived: false });
    const webview = await server.open(browser, THEMES[1]);
    try {
      await webview.post(syntheticMessage('v150', { nodes, edges }));
      await waitForDraw(webview, 1);

      assert.equal(await webview.page.locator('g.node').count(), 300);
      assert.equal(await webview.page.locator('path.edge').count(), 300);
      assert.deepEqual(await webview.violations(), []);
    } finally {
      await webview.close();
    }
  });

  it('deepest real chain draws whole', async (context) => {
    if (!fs.existsSync(BIG_CATALOG)) {
      context.skip(`${BIG_CATALOG} is missing: set FLOWYML_SHARED to the shared folder`);
      return;
    }
    const big = await loadWorkspace(BIG_CATALOG);
    const webview = await server.open(browser, THEMES[1]);
    try {
      // Every ancestor: the longest chain of parents in the store ends here.
      const message = graphMessage(big, DEEPEST_EVAL, { up: null, down: 0 });
      assert.ok(message.graph.nodes.length > 305, `${message.graph.nodes.length} nodes`);
      await webview.post(message);
      await waitForDraw(webview, 1, 60_000);

      const summary = await webview.page.locator('svg.graph').getAttribute('aria-label') ?? '';
      assert.ok(Number(/(\d+) nodes/.exec(summary)?.[1]) > 305, summary);
      assert.equal(await webview.page.locator('g.node.focus text.name').textContent(), 'ranker_eval');
      // The keyboard moves upstream from the focus, and the page still responds.
      await webview.page.locator('svg.graph').focus();
      await webview.page.keyboard.press('ArrowLeft');
      assert.notEqual(await webview.page.locator('g.node.selected').getAttribute('data-id'), message.focusId);
      await webview.screenshot('webview-lineage-deepest-chain', { fullPage: false });
      assert.deepEqual(await webview.violations(), []);
    } finally {
      await webview.close();
      big.dispose();
    }
  });

  it('6,000-child fan-out stays usable', async (context) => {
    if (!fs.existsSync(BIG_CATALOG)) {
      context.skip(`${BIG_CATALOG} is missing: set FLOWYML_SHARED to the shared folder`);
      return;
    }
    const big = await loadWorkspace(BIG_CATALOG);
    const webview = await server.open(browser, THEMES[1]);
    try {
      const message = graphMessage(big, RANKER_V17, { up: 2, down: 2 });
      const started = Date.now();
      await webview.post(message);
      await waitForDraw(webview, 1);
      const firstDraw = Date.now() - started;
      const cluster = webview.page.locator('g.node.kind-cluster');
      const clusterSize = Number((await cluster.locator('text.name').textContent())?.split(' ')[0]);

      assert.ok(message.graph.nodes.length > 6000, `${message.graph.nodes.length} nodes`);
      assert.ok(clusterSize >= 6000, `cluster of ${clusterSize}`);
      assert.ok((await drawnIds(webview)).length < 100, 'the fan-out is collapsed');
      assert.ok(firstDraw < 20_000, `first draw took ${firstDraw} ms`);

      await cluster.click();
      await type(webview, 'vscode-textfield.cluster-filter', 'ranker');
      assert.ok(await webview.page.locator('.cluster-members li').count() > 0);
      await webview.page.locator('vscode-button.expand-cluster').click();
      await webview.page.locator('.size-check').waitFor();

      assert.match(await webview.page.locator('.size-check span').textContent() ?? '', /^This graph has \d+ nodes/);
      assert.equal(await webview.page.evaluate(() => 1 + 1), 2, 'the page still answers');

      await webview.page.locator('vscode-button.draw-anyway').click();
      await waitForDraw(webview, 2, 120_000);
      const summary = await webview.page.locator('svg.graph').getAttribute('aria-label') ?? '';
      const total = Number(/(\d+) nodes/.exec(summary)?.[1]);
      assert.ok(total > 6000, summary);
      // Only the nodes near the view are in the DOM until the view takes in the whole graph.
      const windowed = await webview.page.locator('g.node').count();
      assert.ok(windowed > 0, 'no node is in the DOM');
      assert.ok(windowed < total / 4, `${windowed} of ${total} nodes in the DOM`);
      // Zooming out to the smallest scale brings in the nodes the larger view takes in.
      await webview.page.locator('vscode-button.fit').click();
      await webview.page.waitForFunction((count) => document.querySelectorAll('g.node').length > count, windowed);
      // The export contains every node, whatever part of the graph the view shows.
      await webview.page.locator('.export-format').evaluate((select) => { (select as HTMLSelectElement).value = 'svg'; });
      await webview.page.locator('vscode-button.export').click();
      const [exported] = await postedOfType(webview, 'export') as { content?: string }[];
      assert.equal(exported.content?.match(/<g [^>]*class="node /g)?.length, total);
      assert.equal(await webview.page.evaluate(() => window.flowymlLineage?.usedWorker), true);
      await webview.screenshot('webview-lineage-fan-out', { fullPage: false });
      assert.deepEqual(await webview.violations(), []);
    } finally {
      await webview.close();
      big.dispose();
    }
  });
});
