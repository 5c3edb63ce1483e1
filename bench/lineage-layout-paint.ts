/**
 * Measures the lineage panel's first paint in headless Chromium: the time
 * from posting a generated graph of 1k, 5k and 10k nodes to the end of the
 * drawing (layout in the worker included), as medians of three fresh pages.
 * The size check is pre-confirmed through the saved view state, so the
 * figure covers clustering, layout and the D3 join only.
 *
 *   npm run build && node --import tsx bench/lineage-layout-paint.ts
 */
import os from 'node:os';
import type { LineageGraph, LineageNode } from '../src/core/api';
import type { LineageViewState } from '../src/protocol/lineage';
import { launchBrowser } from '../test/webview/harness';
import { LineageServer, syntheticMessage } from '../test/webview/lineage-harness';
import { THEMES } from '../test/webview/themes';

const SIZES = (process.env.SIZES ?? "1000,5000,10000").split(",").map(Number);
const RUNS = 3;

/** The layout benchmark's graph generator, a plain JavaScript module without types. */
const GRAPH_MODULE: string = './lineage-layout-graph.mjs';

type Generator = (size: number) => unknown;

function lineageGraph(generateLineageGraph: Generator, size: number): LineageGraph {
  const generated = generateLineageGraph(size) as { nodes: { id: string; kind: string }[]; edges: { from: string; to: string }[] };
  const nodes: LineageNode[] = generated.nodes.map((node) => (node.kind === 'step'
    ? { id: node.id, kind: 'step', name: `step_${node.id}` }
    : { id: node.id, kind: 'asset', name: `asset_${node.id}`, type: 'Dataset', version: '#1' }));
  const kinds = new Map(nodes.map((node) => [node.id, node.kind]));
  const edges: LineageGraph['edges'] = generated.edges.map((edge) => ({
    from: edge.from,
    to: edge.to,
    kind: kinds.get(edge.from) === 'step' ? 'produced' : 'consumed',
    derived: kinds.get(edge.from) !== 'step',
  }));

  return { nodes, edges };
}

async function main(): Promise<void> {
const { generateLineageGraph } = (await import(GRAPH_MODULE)) as { generateLineageGraph: Generator };
const browser = await launchBrowser();
const server = await LineageServer.start();
const rows: string[] = [];
try {
  for (const size of SIZES) {
    const graph = lineageGraph(generateLineageGraph, size);
    const focusId = graph.nodes[Math.floor(size / 2)].id;
    const times: number[] = [];
    let drawn = 0;
    let usedWorker = false;
    const phases: { view: number; layout: number; draw: number }[] = [];
    for (let run = 0; run < RUNS; run++) {
      const webview = await server.open(browser, THEMES[1]);
      const state: LineageViewState = { focusId, depth: { up: null, down: null }, pathOnly: false, expanded: [], revealed: [], confirmedSize: Number.MAX_SAFE_INTEGER };
      await webview.page.addInitScript((saved) => { window.flowymlTest.state = saved; }, state);
      await webview.page.reload();
      await webview.page.waitForFunction(() => window.flowymlTest.posted.some((m) => (m as { type?: string }).type === 'ready'));
      const message = { ...syntheticMessage(focusId, graph), depth: { up: null, down: null } };
      const elapsed = await webview.page.evaluate(async (data) => {
        const started = performance.now();
        window.postMessage(data, '*');
        while ((window as unknown as { flowymlLineage: { drawCount: number } }).flowymlLineage.drawCount < 1) {
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        // One more frame, so the drawing is painted.
        await new Promise((resolve) => requestAnimationFrame(() => resolve(undefined)));
        return performance.now() - started;
      }, message);
      times.push(elapsed);
      drawn = await webview.page.locator('g.node').count();
      usedWorker = await webview.page.evaluate(() => (window as unknown as { flowymlLineage: { usedWorker: boolean } }).flowymlLineage.usedWorker);
      phases.push(await webview.page.evaluate(() => (window as unknown as { flowymlLineage: { timings: { view: number; layout: number; draw: number } } }).flowymlLineage.timings));
      await webview.close();
    }
    times.sort((a, b) => a - b);
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)].toFixed(0);
    const phaseText = ['view', 'layout', 'draw'].map((phase) => median(phases.map((timing) => timing[phase as 'view']))).join(' | ');
    rows.push(`| ${size} | ${graph.edges.length} | ${drawn} | ${usedWorker ? 'yes' : 'no'} | ${phaseText} | ${times[Math.floor(RUNS / 2)].toFixed(0)} |`);
    console.error(rows.at(-1));
  }
} finally {
  await browser.close();
  await server.stop();
}

console.log(`Machine: ${os.cpus()[0].model}, ${os.cpus().length} cores, headless Chromium (/usr/bin/chromium), ${new Date().toISOString().slice(0, 10)}`);
console.log(`Median of ${RUNS} fresh pages.\n`);
console.log('| Nodes | Edges | Drawn boxes (after clustering) | Layout in worker | View model (ms) | Layout (ms) | D3 join (ms) | First paint (ms) |');
console.log('|---:|---:|---:|---|---:|---:|---:|---:|');
for (const row of rows) console.log(row);
}

void main();
