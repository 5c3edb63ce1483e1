/**
 * Text renderings for the command line: a column table, terminal-safe
 * strings, and lineage graphs as DOT and Mermaid.
 */
import type { LineageGraph } from '../core/api';

/**
 * Escapes control characters so a hostile name from a store cannot move the
 * cursor, recolour the terminal or hide text. Newlines and tabs are escaped
 * too, because each table cell must stay on one line.
 */
/** Control characters, line and paragraph separators, and bidirectional overrides. */
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function terminalSafe(value: string): string {
  return value.replace(UNSAFE_CHARACTERS, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\t') return '\\t';
    return `\\u{${c.codePointAt(0)!.toString(16)}}`;
  });
}

/** Crops a cell to a width, marking the cut with an ellipsis. */
export function crop(value: string, width: number): string {
  const chars = [...value];
  return chars.length <= width ? value : `${chars.slice(0, Math.max(0, width - 1)).join('')}…`;
}

export function table(headers: string[], rows: string[][], maxWidths: number[]): string {
  const cells = rows.map((row) => row.map((cell, i) => crop(terminalSafe(cell), maxWidths[i] ?? 80)));
  const widths = headers.map((h, i) => Math.max([...h].length, ...cells.map((r) => [...(r[i] ?? '')].length)));
  const line = (row: string[]) => row.map((cell, i) => cell + ' '.repeat(Math.max(0, widths[i] - [...cell].length))).join('  ').trimEnd();
  return [line(headers), ...cells.map(line)].join('\n');
}

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
