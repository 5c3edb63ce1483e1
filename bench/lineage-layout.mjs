// Measures layered (Sugiyama) layout time of the three candidate libraries
// on generated lineage graphs of 1k, 5k and 10k nodes, and prints a Markdown
// table. Each measurement runs in its own child process with a time limit,
// so one slow library cannot stall the rest.
//
//   node --import tsx bench/lineage-layout.mjs [--runs 3] [--limit-seconds 60]
import { fork } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import os from 'node:os';
import { generateLineageGraph } from './lineage-layout-graph.mjs';

const NODE_WIDTH = 180;
const NODE_HEIGHT = 44;

const layouts = {
  // The project's own layered layout, measured beside the libraries.
  async 'layoutLayered (src/core/lineage/layout.ts)'(graph) {
    const { layoutLayered } = await import('../src/core/lineage/layout.ts');
    const nodes = graph.nodes.map((node) => ({ id: node.id, width: NODE_WIDTH, height: NODE_HEIGHT }));
    return () => layoutLayered(nodes, graph.edges);
  },
  async dagre(graph) {
    const { default: dagre } = await import('@dagrejs/dagre');
    return () => {
      const g = new dagre.graphlib.Graph();
      g.setGraph({ rankdir: 'LR', nodesep: 12, ranksep: 60 });
      g.setDefaultEdgeLabel(() => ({}));
      for (const node of graph.nodes) g.setNode(node.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
      for (const edge of graph.edges) g.setEdge(edge.from, edge.to);
      dagre.layout(g);
    };
  },
  async elkjs(graph) {
    const { default: ELK } = await import('elkjs/lib/elk.bundled.js');
    const elk = new ELK();
    return () => elk.layout({
      id: 'root',
      layoutOptions: { 'elk.algorithm': 'layered', 'elk.direction': 'RIGHT' },
      children: graph.nodes.map((node) => ({ id: node.id, width: NODE_WIDTH, height: NODE_HEIGHT })),
      edges: graph.edges.map((edge, i) => ({ id: `e${i}`, sources: [edge.from], targets: [edge.to] })),
    });
  },
  // d3-dag's defaults (simplex layering, two-layer decrossing, quadratic coordinates).
  async 'd3-dag'(graph) {
    const d3dag = await import('d3-dag');
    return () => {
      const dag = d3dag.graphConnect()(graph.edges.map((edge) => [edge.from, edge.to]));
      d3dag.sugiyama().nodeSize([NODE_HEIGHT, NODE_WIDTH])(dag);
    };
  },
  // d3-dag with its cheapest operators, to see whether any configuration reaches 10k nodes.
  async 'd3-dag (fast operators)'(graph) {
    const d3dag = await import('d3-dag');
    return () => {
      const dag = d3dag.graphConnect()(graph.edges.map((edge) => [edge.from, edge.to]));
      d3dag.sugiyama()
        .layering(d3dag.layeringLongestPath())
        .decross(d3dag.decrossTwoLayer())
        .coord(d3dag.coordGreedy())
        .nodeSize([NODE_HEIGHT, NODE_WIDTH])(dag);
    };
  },
};

async function measureInChild(library, size, runs) {
  const graph = generateLineageGraph(size);
  const run = await layouts[library](graph);
  const times = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], edges: graph.edges.length, rss: process.memoryUsage().rss };
}

if (process.argv[2] === '--child') {
  const [library, size, runs] = [process.argv[3], Number(process.argv[4]), Number(process.argv[5])];
  process.send(await measureInChild(library, size, runs));
  process.exit(0);
}

const runs = Number(valueOf('--runs') ?? 3);
const limitSeconds = Number(valueOf('--limit-seconds') ?? 60);
const sizes = [1000, 5000, 10000];
const rows = [];
for (const library of Object.keys(layouts)) {
  let timedOut = false;
  for (const size of sizes) {
    const result = timedOut ? { skipped: true } : await runChild(library, size, runs, limitSeconds);
    if (result.timedOut) timedOut = true;
    rows.push({ library, size, ...result });
    console.error(library, size, JSON.stringify(result));
  }
}

console.log(`Machine: ${os.cpus()[0].model}, ${os.cpus().length} cores, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`);
console.log(`Median of ${runs} runs, each in a fresh process; a run over ${limitSeconds} s is stopped.\n`);
console.log('| Library | Nodes | Edges | Median layout (ms) | RSS (MB) |');
console.log('|---|---:|---:|---:|---:|');
for (const row of rows) {
  let time = row.median?.toFixed(0);
  if (row.timedOut) time = `> ${limitSeconds * 1000}`;
  else if (row.skipped) time = 'not run (smaller size timed out)';
  const rss = row.rss ? (row.rss / 1e6).toFixed(0) : '';
  console.log(`| ${row.library} | ${row.size} | ${row.edges ?? ''} | ${time} | ${rss} |`);
}

function runChild(library, size, runCount, limit) {
  return new Promise((resolve) => {
    const child = fork(new URL(import.meta.url).pathname, ['--child', library, String(size), String(runCount)], { execArgv: ['--import', 'tsx'] });
    const timer = setTimeout(() => {
      child.kill();
      resolve({ timedOut: true });
    }, limit * 1000 * runCount);
    child.on('message', (message) => {
      clearTimeout(timer);
      resolve(message);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code !== 0) resolve({ timedOut: false, failed: code });
    });
  });
}

function valueOf(flag) {
  const index = process.argv.indexOf(flag);
  return index >= 0 ? process.argv[index + 1] : undefined;
}
