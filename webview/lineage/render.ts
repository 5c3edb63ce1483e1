/**
 * Draws a laid-out lineage view with D3: one keyed join for edges and one
 * for nodes, so an update moves, adds and removes only what changed. Store
 * strings go in through SVG `textContent` and `<title>`, never as markup.
 * Colours come from CSS classes that use `--vscode-*` variables.
 */
import { select, type Selection } from 'd3-selection';
import { zoom, zoomIdentity, type D3ZoomEvent, type ZoomBehavior, type ZoomTransform } from 'd3-zoom';
import type { LayoutBox, LayoutResult } from '../../src/core/lineage/layout';
import type { LineageStrings } from '../../src/protocol/lineage';
import { visibleText } from '../../src/protocol/text';
import { glyphPath, typeClass } from './glyphs';
import { edgeKey, type ViewEdge, type ViewGraph, type ViewNode } from './model';

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Box sizes per node kind, in pixels. */
export function nodeSize(kind: ViewNode['kind']): { width: number; height: number } {
  if (kind === 'step' || kind === 'run') return { width: 150, height: 30 };

  return { width: 200, height: 46 };
}

/** Approximate width of one character of the 12px label font, used to cut labels to their box. */
const CHAR_WIDTH = 7;

/**
 * Above this many drawn nodes only the nodes and edges near the visible area
 * are in the DOM, and panning or zooming swaps them as the view moves. The
 * browser's style, layout and paint of tens of thousands of SVG elements,
 * not the layout, is what makes a big graph slow to appear.
 */
export const WINDOWED_NODES = 1500;

export interface CanvasCallbacks {
  select(id: string): void;
  activate(id: string): void;
  hover(id: string | undefined): void;
  zoomed(transform: { x: number; y: number; k: number }): void;
}

interface DrawnNode extends ViewNode {
  box: LayoutBox;
}

interface DrawnEdge extends ViewEdge {
  key: string;
  points: { x: number; y: number }[];
  /** The bounding box of the points, for windowed drawing. */
  bounds: Rect;
}

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The input of the last `draw` call, kept so windowed drawing can render another part of it. */
interface DrawnGraph {
  nodes: DrawnNode[];
  edges: DrawnEdge[];
  strings: LineageStrings;
  focusId: string;
  staleIds: ReadonlySet<string>;
}

export class GraphCanvas {
  readonly svg: SVGSVGElement;
  private readonly viewport: SVGGElement;
  private readonly zoomBehavior: ZoomBehavior<SVGSVGElement, unknown>;
  private boxes = new Map<string, LayoutBox>();
  private size = { width: 0, height: 0 };
  private drawn: DrawnGraph | undefined;
  /** The graph area whose nodes are in the DOM; undefined when every node is. */
  private rendered: Rect | undefined;
  private windowed = false;
  /** Highlight and selection, applied again to the nodes each windowed render adds. */
  private marks: { id: string | undefined; upstream: ReadonlySet<string>; downstream: ReadonlySet<string>; selected: string | undefined } = {
    id: undefined, upstream: new Set(), downstream: new Set(), selected: undefined,
  };

  constructor(container: HTMLElement, private readonly callbacks: CanvasCallbacks) {
    this.svg = document.createElementNS(SVG_NS, 'svg');
    this.svg.classList.add('graph');
    this.svg.setAttribute('tabindex', '0');
    this.svg.setAttribute('role', 'img');
    const defs = select(this.svg).append('defs');
    for (const marker of ['arrow', 'arrow-upstream', 'arrow-downstream']) {
      defs.append('marker').attr('id', marker).attr('class', marker).attr('viewBox', '0 0 8 8').attr('refX', 8).attr('refY', 4)
        .attr('markerWidth', 7).attr('markerHeight', 7).attr('orient', 'auto-start-reverse')
        .append('path').attr('d', 'M0 0L8 4L0 8Z');
    }
    this.viewport = select(this.svg).append('g').attr('class', 'viewport').node()!;
    select(this.viewport).append('g').attr('class', 'edges');
    select(this.viewport).append('g').attr('class', 'nodes');
    container.append(this.svg);

    this.zoomBehavior = zoom<SVGSVGElement, unknown>()
      .scaleExtent([0.02, 4])
      .filter((event: Event) => !(event.type === 'dblclick'))
      .on('zoom', (event: D3ZoomEvent<SVGSVGElement, unknown>) => {
        this.viewport.setAttribute('transform', event.transform.toString());
        if (this.windowed) this.renderWindow(false);
        this.callbacks.zoomed({ x: event.transform.x, y: event.transform.y, k: event.transform.k });
      });
    select(this.svg).call(this.zoomBehavior);
    // A panel shown after being hidden gets its size back without a zoom event.
    new ResizeObserver(() => {
      if (this.windowed) this.renderWindow(false);
    }).observe(this.svg);
  }

  /** True when only the nodes near the visible area are in the DOM. */
  get isWindowed(): boolean {
    return this.windowed;
  }

  /** Returns the placed box of a drawn node. */
  boxOf(id: string): LayoutBox | undefined {
    return this.boxes.get(id);
  }

  draw(view: ViewGraph, layout: LayoutResult, strings: LineageStrings, focusId: string, staleIds: ReadonlySet<string> = new Set()): void {
    this.boxes = new Map(layout.nodes.map((box) => [box.id, box]));
    this.size = { width: layout.width, height: layout.height };
    const paths = new Map(layout.edges.map((edge) => [`${edge.from}\u0000${edge.to}`, edge.points]));
    const edges: DrawnEdge[] = view.edges.map((edge) => {
      const points = paths.get(`${edge.from}\u0000${edge.to}`) ?? [];
      return { ...edge, key: edgeKey(edge), points, bounds: boundsOf(points) };
    });
    const nodes: DrawnNode[] = view.nodes.flatMap((node) => {
      const box = this.boxes.get(node.id);
      return box ? [{ ...node, box }] : [];
    });

    this.drawn = { nodes, edges, strings, focusId, staleIds };
    this.windowed = nodes.length > WINDOWED_NODES;
    this.rendered = undefined;
    this.renderWindow(true);
    this.svg.setAttribute('aria-label', format(strings.graphSummary, nodes.length, edges.length));
  }

  /** Puts every node and edge in the DOM, for export; windowed drawing resumes on the next zoom or `renderWindow`. */
  renderAll(): void {
    if (!this.drawn) return;
    this.join(this.drawn.nodes, this.drawn.edges);
    this.rendered = { x: -Infinity, y: -Infinity, width: Infinity, height: Infinity };
  }

  /**
   * Joins the nodes and edges near the visible area, with half a view of
   * margin on each side, unless the area already in the DOM covers the view.
   */
  renderWindow(force: boolean): void {
    const drawn = this.drawn;
    if (!drawn) return;
    if (!this.windowed) {
      if (force) this.join(drawn.nodes, drawn.edges);
      return;
    }
    const visible = this.visibleArea();
    if (!visible) return;
    if (!force && this.rendered && contains(this.rendered, visible)) return;
    const area = { x: visible.x - visible.width / 2, y: visible.y - visible.height / 2, width: visible.width * 2, height: visible.height * 2 };
    this.join(
      drawn.nodes.filter((node) => intersects(area, node.box)),
      drawn.edges.filter((edge) => intersects(area, edge.bounds)),
    );
    this.rendered = area;
  }

  /** Returns the visible part of the graph in graph coordinates, or undefined while the panel has no size. */
  private visibleArea(): Rect | undefined {
    const { width, height } = this.svg.getBoundingClientRect();
    if (width === 0 || height === 0) return undefined;
    const { x, y, k } = this.currentZoom();
    return { x: -x / k, y: -y / k, width: width / k, height: height / k };
  }

  private join(nodes: DrawnNode[], edges: DrawnEdge[]): void {
    const { strings, focusId, staleIds } = this.drawn!;
    select(this.viewport).select<SVGGElement>('g.edges')
      .selectAll<SVGPathElement, DrawnEdge>('path.edge')
      .data(edges, (edge) => edge.key)
      .join('path')
      .attr('class', (edge) => `edge kind-${edge.kind}${edge.derived ? ' derived' : ''}`)
      .attr('data-from', (edge) => edge.from)
      .attr('data-to', (edge) => edge.to)
      .attr('data-kind', (edge) => edge.kind)
      .attr('marker-end', (edge) => (edge.kind === 'run' ? null : 'url(#arrow)'))
      .attr('d', (edge) => edgePath(edge.points));

    select(this.viewport).select<SVGGElement>('g.nodes')
      .selectAll<SVGGElement, DrawnNode>('g.node')
      .data(nodes, (node) => node.id)
      .join((enter) => enter.append('g').call((group) => this.enterNode(group)))
      .attr('transform', (node) => `translate(${node.box.x},${node.box.y})`)
      .attr('class', (node) => `node kind-${node.kind} ${typeClass(node.type)}${node.id === focusId ? ' focus' : ''}${staleIds.has(node.id) ? ' stale' : ''}`)
      .attr('data-id', (node) => node.id)
      .attr('data-kind', (node) => node.kind)
      .call((group) => this.updateNode(group, strings));
    this.applyHighlight();
    this.applySelected();
  }

  /** Marks the upstream and downstream of `id`, or clears the marks. */
  highlight(id: string | undefined, upstream: ReadonlySet<string>, downstream: ReadonlySet<string>): void {
    this.marks = { ...this.marks, id, upstream, downstream };
    this.applyHighlight();
  }

  setSelected(id: string | undefined): void {
    this.marks = { ...this.marks, selected: id };
    this.applySelected();
  }

  private applyHighlight(): void {
    const { id, upstream, downstream } = this.marks;
    const root = select(this.viewport);
    root.classed('highlighting', id !== undefined);
    root.selectAll<SVGGElement, DrawnNode>('g.node')
      .classed('hovered', (node) => node.id === id)
      .classed('upstream', (node) => upstream.has(node.id))
      .classed('downstream', (node) => downstream.has(node.id));
    root.selectAll<SVGPathElement, DrawnEdge>('path.edge')
      .classed('upstream', (edge) => id !== undefined && (upstream.has(edge.from) && (upstream.has(edge.to) || edge.to === id)))
      .classed('downstream', (edge) => id !== undefined && (downstream.has(edge.to) && (downstream.has(edge.from) || edge.from === id)))
      .attr('marker-end', (edge) => {
        if (edge.kind === 'run') return null;
        if (id !== undefined && upstream.has(edge.from) && (upstream.has(edge.to) || edge.to === id)) return 'url(#arrow-upstream)';
        if (id !== undefined && downstream.has(edge.to) && (downstream.has(edge.from) || edge.from === id)) return 'url(#arrow-downstream)';
        return 'url(#arrow)';
      });
  }

  private applySelected(): void {
    const id = this.marks.selected;
    select(this.viewport).selectAll<SVGGElement, DrawnNode>('g.node')
      .classed('selected', (node) => node.id === id)
      .attr('aria-selected', (node) => String(node.id === id));
  }

  setZoom(transform: { x: number; y: number; k: number }): void {
    select(this.svg).call(this.zoomBehavior.transform, zoomIdentity.translate(transform.x, transform.y).scale(transform.k));
  }

  currentZoom(): ZoomTransform {
    return zoomTransformOf(this.svg);
  }

  /**
   * Moves the view so the node sits at `across` of the width (the middle by
   * default) and half the height, at `scale` or at the current scale but no
   * smaller than 0.5.
   */
  centerOn(id: string, scale?: number, across = 0.5): void {
    const box = this.boxes.get(id);
    if (!box) return;
    const { width, height } = this.svg.getBoundingClientRect();
    const k = scale ?? Math.max(this.currentZoom().k, 0.5);
    this.setZoom({ x: width * across - (box.x + box.width / 2) * k, y: height / 2 - (box.y + box.height / 2) * k, k });
  }

  /** Scales the whole graph into view, never above 100 %. */
  fit(): void {
    const { width, height } = this.svg.getBoundingClientRect();
    if (this.size.width === 0 || width === 0) return;
    const margin = 24;
    const k = Math.min(1, (width - 2 * margin) / this.size.width, (height - 2 * margin) / this.size.height);
    this.setZoom({ x: (width - this.size.width * k) / 2, y: (height - this.size.height * k) / 2, k: Math.max(k, 0.02) });
  }

  /** The drawn size, for export. */
  get graphSize(): { width: number; height: number } {
    return this.size;
  }

  private enterNode(group: Selection<SVGGElement, DrawnNode, SVGGElement, unknown>): void {
    group.append('title');
    group.append('rect').attr('class', 'box');
    group.append('path').attr('class', 'glyph');
    group.append('text').attr('class', 'name');
    group.append('text').attr('class', 'meta');
    group
      .on('click', (event: MouseEvent, node) => {
        event.stopPropagation();
        this.callbacks.select(node.id);
      })
      .on('dblclick', (event: MouseEvent, node) => {
        event.stopPropagation();
        this.callbacks.activate(node.id);
      })
      .on('mouseenter', (_event, node) => this.callbacks.hover(node.id))
      .on('mouseleave', () => this.callbacks.hover(undefined));
  }

  private updateNode(group: Selection<SVGGElement, DrawnNode, SVGGElement, unknown>, strings: LineageStrings): void {
    group.select('title').text((node) => visibleText(tooltip(node, strings), { keepLineBreaks: true }));
    group.select('rect.box')
      .attr('width', (node) => node.box.width)
      .attr('height', (node) => node.box.height)
      .attr('rx', (node) => (node.kind === 'step' ? node.box.height / 2 : 4));
    group.select('path.glyph')
      .attr('d', (node) => glyphPath(node.kind, node.type))
      .attr('transform', (node) => `translate(10,${node.box.height / 2 - 7})`);
    group.select('text.name')
      .attr('x', 30)
      .attr('y', (node) => (hasMetaLine(node) ? 19 : node.box.height / 2 + 4))
      .text((node) => fitText(nameText(node, strings), node.box.width - 40));
    group.select('text.meta')
      .attr('x', 30)
      .attr('y', 36)
      .text((node) => (hasMetaLine(node) ? fitText(metaText(node, strings), node.box.width - 40) : ''));
  }
}

function boundsOf(points: { x: number; y: number }[]): Rect {
  if (points.length === 0) return { x: 0, y: 0, width: 0, height: 0 };
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const { x, y } of points) {
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x);
    maxY = Math.max(maxY, y);
  }
  return { x: minX, y: minY, width: maxX - minX, height: maxY - minY };
}

function intersects(a: Rect, b: Rect): boolean {
  return b.x <= a.x + a.width && b.x + b.width >= a.x && b.y <= a.y + a.height && b.y + b.height >= a.y;
}

function contains(outer: Rect, inner: Rect): boolean {
  return inner.x >= outer.x && inner.y >= outer.y
    && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;
}

function zoomTransformOf(svg: SVGSVGElement): ZoomTransform {
  return (svg as unknown as { __zoom?: ZoomTransform }).__zoom ?? zoomIdentity;
}

function hasMetaLine(node: ViewNode): boolean {
  return node.kind !== 'step' && node.kind !== 'run';
}

function nameText(node: ViewNode, strings: LineageStrings): string {
  if (node.kind === 'cluster') return format(strings.clusterLabel, node.members?.length ?? 0);
  if (node.kind === 'run') return `${strings.run}: ${node.name}`;

  return node.name;
}

function metaText(node: ViewNode, strings: LineageStrings): string {
  if (node.kind === 'cluster') return node.type ?? '';
  if (node.kind === 'missing') return strings.missingNode;
  const derived = node.version?.startsWith('#') ? ` ◇ ${strings.derivedVersion}` : '';

  return `${node.type ?? ''} · ${node.version ?? ''}${derived}`;
}

function tooltip(node: ViewNode, strings: LineageStrings): string {
  if (node.kind === 'cluster') return `${format(strings.clusterLabel, node.members?.length ?? 0)}\n${strings.expandCluster}`;
  if (node.kind === 'step') return `${strings.step}: ${node.name}\n${node.id}`;
  if (node.kind === 'run') return `${strings.run}: ${node.name}\n${node.id}`;

  return `${node.name}\n${metaText(node, strings)}\n${node.id}`;
}

/** Cuts a label to the box by code points, with an ellipsis; the tooltip keeps the full text. */
export function fitText(text: string, width: number): string {
  const characters = Array.from(visibleText(text));
  const max = Math.max(4, Math.floor(width / CHAR_WIDTH));

  return characters.length <= max ? characters.join('') : `${characters.slice(0, max - 1).join('')}…`;
}

function edgePath(points: { x: number; y: number }[]): string {
  if (points.length < 2) return '';
  let d = `M${points[0].x},${points[0].y}`;
  for (let i = 1; i < points.length; i++) {
    const from = points[i - 1];
    const to = points[i];
    const middle = (from.x + to.x) / 2;
    d += `C${middle},${from.y} ${middle},${to.y} ${to.x},${to.y}`;
  }

  return d;
}

export function format(template: string, ...values: (string | number)[]): string {
  return template.replace(/\{(\d+)\}/g, (match, index: string) => String(values[Number(index)] ?? match));
}
