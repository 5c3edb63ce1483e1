/**
 * Lineage graphs as Graphviz DOT and Mermaid flowchart text, shared by the
 * command line and the lineage panel's export. Store strings go into quoted
 * labels with their quotes, markup and control characters escaped.
 */
import type { LineageGraph } from '../api';

/** Control characters, line and paragraph separators, and bidirectional overrides. */
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function dotString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(UNSAFE_CHARACTERS, ' ')}"`;
}

function nodeLabel(node: LineageGraph['nodes'][number]): string {
  if (node.kind === 'asset') return `${node.type ?? ''} ${node.name}\n${node.version ?? ''}`.trim();
  if (node.kind === 'step') return `step ${node.name}`;
  if (node.kind === 'run') return `run ${node.name}`;
  return `missing ${node.name}`;
}

const DOT_SHAPES: Record<LineageGraph['nodes'][number]['kind'], string> = { asset: 'box', step: 'ellipse', run: 'folder', missing: 'box' };

export function lineageToDot(graph: LineageGraph): string {
  const lines = ['digraph lineage {', '  rankdir=LR;', '  node [fontname="Helvetica"];'];
  for (const node of graph.nodes) {
    const shape = DOT_SHAPES[node.kind];
    const style = node.kind === 'missing' ? ', style=dashed' : '';
    lines.push(`  ${dotString(node.id)} [label=${dotString(nodeLabel(node))}, shape=${shape}${style}];`);
  }
  for (const edge of graph.edges) {
    const style = edge.derived ? ', style=dashed' : '';
    lines.push(`  ${dotString(edge.from)} -> ${dotString(edge.to)} [label=${dotString(edge.kind)}${style}];`);
  }
  lines.push('}');
  return lines.join('\n');
}

/** Mermaid node ids may not hold arbitrary text, so nodes get short ids and the text goes into quoted labels. */
export function lineageToMermaid(graph: LineageGraph): string {
  const ids = new Map<string, string>();
  graph.nodes.forEach((node, i) => ids.set(node.id, `n${i}`));
  const label = (text: string) => `"${text.replace(/"/g, '#quot;').replace(/[<>]/g, (c) => (c === '<' ? '#lt;' : '#gt;')).replace(/\n/g, '<br/>').replace(UNSAFE_CHARACTERS, ' ')}"`;
  const lines = ['flowchart LR'];
  for (const node of graph.nodes) {
    const text = label(nodeLabel(node));
    const id = ids.get(node.id)!;
    if (node.kind === 'step') lines.push(`  ${id}(${text})`);
    else if (node.kind === 'run') lines.push(`  ${id}[[${text}]]`);
    else lines.push(`  ${id}[${text}]`);
  }
  for (const edge of graph.edges) {
    const from = ids.get(edge.from);
    const to = ids.get(edge.to);
    if (!from || !to) continue;
    lines.push(`  ${from} ${edge.derived ? '-.->' : '-->'}|${edge.kind}| ${to}`);
  }
  return lines.join('\n');
}
