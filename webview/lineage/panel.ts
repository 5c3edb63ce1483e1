/**
 * The lineage panel in the webview: it receives the graph from the host,
 * builds the drawn view (clusters, selected path), runs the size check and
 * the layout, and handles selection, hover, search, keyboard navigation,
 * clusters and export. View state goes to `setState` after every change.
 */
import type { LineageGraph, LineageNode } from '../../src/core/api';
import { layoutLayered } from '../../src/core/lineage/layout';
import {
  DEFAULT_LINEAGE_DEPTH, isHostToLineageMessage, isLineageViewState,
  type HostToLineageMessage, type LineageExportFormat, type LineageStrings, type LineageToHostMessage, type LineageViewState,
} from '../../src/protocol/lineage';
import { element } from '../shared/dom';
import { HostChannel } from '../shared/host';
import { createToolbar, nodeList, type Toolbar } from './controls';
import { exportPng, exportSvg } from './exportImage';
import { LayoutClient } from './layoutClient';
import { buildView, focusedPath, relatives, searchNodes, SIZE_CHECK_NODES, type ViewGraph, type ViewNode } from './model';
import { format, GraphCanvas, nodeSize } from './render';

/** Below this scale a fitted graph's 12px labels are too small to read (under 6px). */
const MIN_FIT_SCALE = 0.45;

/** The scale a graph too big to fit opens at. */
const READABLE_SCALE = 0.75;

/** Fraction of the width at which the focus of a graph too big to fit opens, leaving more room upstream. */
const FOCUS_ACROSS = 0.65;

/** Quiet time after zooming before the transform is saved. */
const ZOOM_SAVE_DELAY_MS = 250;

/** Test hooks on `window`, read by the Chromium tests. */
interface LineageTestHooks {
  drawCount: number;
  usedWorker: boolean;
  /** Milliseconds of the last refresh's phases, for the first-paint benchmark. */
  timings: { view: number; layout: number; draw: number };
}

declare global {
  interface Window {
    flowymlLineage?: LineageTestHooks;
  }
}

export function startPanel(scriptUrl: string | undefined): void {
  new LineagePanelView(scriptUrl);
}

class LineagePanelView {
  private readonly host = new HostChannel<LineageToHostMessage, LineageViewState>();
  private readonly root = document.getElementById('root') as HTMLElement;
  private readonly layout: LayoutClient;
  private state: LineageViewState | undefined;
  private graph: LineageGraph | undefined;
  private strings: LineageStrings | undefined;
  private nodesById = new Map<string, LineageNode>();
  /** Versions of the graph the host marked stale: built from an ancestor whose asset has a newer version. */
  private staleIds: ReadonlySet<string> = new Set();
  private view: ViewGraph | undefined;
  private canvas: GraphCanvas | undefined;
  private toolbar: Toolbar | undefined;
  private notice: HTMLElement | undefined;
  private side: HTMLElement | undefined;
  private status: HTMLElement | undefined;
  private clusterShown: string | undefined;
  private refreshCount = 0;
  private zoomTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly hooks: LineageTestHooks = { drawCount: 0, usedWorker: false, timings: { view: 0, layout: 0, draw: 0 } };

  constructor(scriptUrl: string | undefined) {
    this.host.forwardErrors();
    window.flowymlLineage = this.hooks;
    this.layout = new LayoutClient(scriptUrl, (message) => this.host.post({ type: 'log', level: 'warn', message }));
    const saved = this.host.getState();
    this.state = isLineageViewState(saved) ? saved : undefined;

    window.addEventListener('message', (event: MessageEvent<unknown>) => {
      if (isHostToLineageMessage(event.data)) this.handle(event.data);
    });
    this.host.post({ type: 'ready' });
  }

  private handle(message: HostToLineageMessage): void {
    switch (message.type) {
      case 'graph': {
        const previous = this.state;
        const sameFocus = previous?.focusId === message.focusId;
        this.state = sameFocus && previous
          ? { ...previous, depth: message.depth }
          : { focusId: message.focusId, depth: message.depth, pathOnly: false, expanded: [], revealed: [] };
        this.graph = message.graph;
        this.nodesById = new Map(message.graph.nodes.map((node) => [node.id, node]));
        this.staleIds = new Set(message.staleIds ?? []);
        if (this.state.selectedId && !this.nodesById.has(this.state.selectedId) && !this.state.selectedId.startsWith('cluster:')) this.state.selectedId = undefined;
        this.ensureLayout(message.strings);
        this.toolbar?.setDepth(this.state.depth);
        this.toolbar?.setPathOnly(this.state.pathOnly);
        this.saveState();
        void this.refresh();
        return;
      }
      case 'error':
        this.ensureLayout(this.strings);
        this.showNotice(element('div', { className: 'problem', text: message.message, attributes: { role: 'alert' } }));
        return;
      default: {
        const unhandled: never = message;
        this.host.post({ type: 'log', level: 'warn', message: `Unhandled message ${JSON.stringify(unhandled)}` });
      }
    }
  }

  /** Builds the toolbar, canvas and side lists once. */
  private ensureLayout(strings: LineageStrings | undefined): void {
    if (strings) this.strings = strings;
    if (this.canvas || !this.strings) return;
    const labels = this.strings;

    this.toolbar = createToolbar(labels, {
      depthChanged: (depth) => this.host.post({ type: 'setDepth', depth }),
      pathOnlyChanged: (pathOnly) => this.update({ pathOnly }, true),
      searched: (query) => this.showSearch(query),
      fit: () => this.canvas?.fit(),
      refocus: () => this.refocus(),
      export: (exportFormat) => void this.export(exportFormat),
    });
    this.notice = element('div', { className: 'notice', attributes: { hidden: '' } });
    const graphArea = element('div', { className: 'graph-area' });
    this.side = element('aside', { className: 'side' });
    this.status = element('div', { className: 'status', attributes: { role: 'status', 'aria-live': 'polite' } });
    this.root.replaceChildren(this.toolbar.element, this.notice, element('div', { className: 'body' }, [graphArea, this.side]), this.status);

    this.canvas = new GraphCanvas(graphArea, {
      select: (id) => this.select(id),
      activate: (id) => this.activate(id),
      hover: (id) => this.highlight(id ?? this.state?.selectedId),
      zoomed: (transform) => {
        clearTimeout(this.zoomTimer);
        this.zoomTimer = setTimeout(() => this.update({ zoom: transform }, false), ZOOM_SAVE_DELAY_MS);
      },
    });
    this.canvas.svg.addEventListener('keydown', (event) => this.navigate(event));
    this.canvas.svg.addEventListener('click', () => this.closeSearch());
  }

  /** Rebuilds the drawn view and lays it out; a newer refresh makes an older one stop. */
  private async refresh(options: { restoreZoom?: LineageViewState['zoom']; center?: string } = {}): Promise<void> {
    const { graph, state, canvas, strings } = this;
    if (!graph || !state || !canvas || !strings) return;
    const request = ++this.refreshCount;
    const started = performance.now();

    const view = buildView(graph, {
      focusId: state.focusId,
      selectedId: state.selectedId,
      pathOnly: state.pathOnly,
      expanded: new Set(state.expanded),
      revealed: new Set(state.revealed),
    });
    if (view.nodes.length > SIZE_CHECK_NODES && (state.confirmedSize ?? 0) < view.nodes.length) {
      this.askBeforeDrawing(view.nodes.length);
      return;
    }

    const viewBuilt = performance.now();
    this.showNotice(undefined);
    this.setStatus(strings.layingOut);
    this.root.setAttribute('aria-busy', 'true');
    const boxes = view.nodes.map((node) => ({ id: node.id, ...nodeSize(node.kind) }));
    const edges = view.edges.map((edge) => ({ from: edge.from, to: edge.to }));
    let layout;
    try {
      layout = await this.layout.layout(boxes, edges);
    } catch (error) {
      this.host.post({ type: 'log', level: 'warn', message: `Layout in the worker failed: ${String(error)}` });
      if (request !== this.refreshCount) return;
      layout = layoutLayered(boxes, edges);
    }
    if (request !== this.refreshCount) return;

    const laidOut = performance.now();
    const firstDraw = this.view === undefined;
    this.view = view;
    canvas.draw(view, layout, strings, state.focusId, this.staleIds);
    canvas.setSelected(state.selectedId);
    this.highlight(state.selectedId);
    this.showPath();
    if (this.clusterShown) this.showCluster(this.clusterShown);
    else this.side?.querySelector('.cluster-panel')?.remove();
    this.hooks.timings = { view: viewBuilt - started, layout: laidOut - viewBuilt, draw: performance.now() - laidOut };
    this.hooks.drawCount++;
    this.hooks.usedWorker = this.layout.usedWorker;
    this.root.setAttribute('aria-busy', 'false');
    this.setStatus(format(strings.graphSummary, view.nodes.length, view.edges.length));

    const zoom = options.restoreZoom ?? (firstDraw ? state.zoom : undefined);
    if (options.center) canvas.centerOn(options.center);
    else if (zoom) canvas.setZoom(zoom);
    else if (firstDraw || !state.zoom) this.initialView();
  }

  /**
   * Fits the graph when its labels stay readable. Otherwise it shows the focus
   * at a readable scale, right of the middle, because readers of a lineage
   * graph mostly look for where a version came from.
   */
  private initialView(): void {
    const canvas = this.canvas!;
    canvas.fit();
    if (canvas.currentZoom().k < MIN_FIT_SCALE) canvas.centerOn(this.state!.focusId, READABLE_SCALE, FOCUS_ACROSS);
  }

  private askBeforeDrawing(count: number): void {
    const strings = this.strings!;
    const draw = element('vscode-button', { className: 'draw-anyway', text: strings.drawAnyway });
    draw.addEventListener('click', () => this.update({ confirmedSize: count }, true));
    const less = element('vscode-button', { className: 'show-less', text: strings.showLess, attributes: { secondary: '' } });
    less.addEventListener('click', () => this.host.post({ type: 'setDepth', depth: DEFAULT_LINEAGE_DEPTH }));
    this.showNotice(element('div', { className: 'size-check', attributes: { role: 'alert' } }, [
      element('span', { text: format(strings.sizeCheck, count) }),
      draw,
      less,
    ]));
  }

  private select(id: string): void {
    const node = this.view?.nodes.find((candidate) => candidate.id === id);
    if (!node) return;
    this.clusterShown = node.kind === 'cluster' ? id : undefined;
    this.update({ selectedId: id }, this.state?.pathOnly ?? false);
    this.canvas?.setSelected(id);
    this.highlight(id);
    this.showPath();
    if (node.kind === 'cluster') this.showCluster(id);
    this.setStatus(this.describe(node));
  }

  /** Double-click or Enter: details for a version, the code of a step, expansion for a cluster. */
  private activate(id: string): void {
    const node = this.view?.nodes.find((candidate) => candidate.id === id);
    if (node?.kind === 'asset') this.host.post({ type: 'openDetails', id });
    else if (node?.kind === 'step') this.host.post({ type: 'openStepCode', id });
    else if (node?.kind === 'cluster') this.expandCluster(id);
  }

  /** Asks the host for the lineage around the selected version, which becomes the new focus. */
  private refocus(): void {
    const selected = this.state?.selectedId;
    if (!selected || selected === this.state?.focusId || this.nodesById.get(selected)?.kind !== 'asset') return;
    this.host.post({ type: 'refocus', id: selected });
  }

  private expandCluster(id: string): void {
    if (!this.state) return;
    this.clusterShown = undefined;
    this.update({ expanded: [...this.state.expanded, id], selectedId: this.state.focusId }, true);
  }

  /** Takes a hidden node out of its cluster, then selects and centres it. */
  private reveal(id: string): void {
    if (!this.state) return;
    const hidden = this.view?.clusterOf.has(id) && !this.view.nodes.some((node) => node.id === id);
    if (!hidden) {
      this.select(id);
      this.canvas?.centerOn(id);
      return;
    }
    this.state = { ...this.state, revealed: [...this.state.revealed, id], selectedId: id };
    this.saveState();
    void this.refresh({ center: id }).then(() => this.select(id));
  }

  private highlight(id: string | undefined): void {
    if (!this.view || !this.canvas) return;
    const { upstream, downstream } = id ? relatives(this.view, id) : { upstream: new Set<string>(), downstream: new Set<string>() };
    this.canvas.highlight(id, upstream, downstream);
  }

  /** Arrow keys move between connected nodes, Enter opens, Home returns to the focus. */
  private navigate(event: KeyboardEvent): void {
    if (!this.view || !this.canvas || !this.state) return;
    const current = this.state.selectedId ?? this.state.focusId;
    const box = this.canvas.boxOf(current);
    if (!box) return;
    const centreY = (id: string) => {
      const other = this.canvas!.boxOf(id);
      return other ? other.y + other.height / 2 : Number.POSITIVE_INFINITY;
    };
    const nearest = (ids: string[]) => ids.sort((a, b) => Math.abs(centreY(a) - box.y) - Math.abs(centreY(b) - box.y))[0];
    let next: string | undefined;
    switch (event.key) {
      case 'ArrowRight':
        next = nearest(this.view.edges.filter((edge) => edge.from === current && edge.kind !== 'run').map((edge) => edge.to));
        break;
      case 'ArrowLeft':
        next = nearest(this.view.edges.filter((edge) => edge.to === current && edge.kind !== 'run').map((edge) => edge.from));
        break;
      case 'ArrowUp':
      case 'ArrowDown': {
        const column = this.view.nodes.map((node) => node.id).filter((id) => this.canvas!.boxOf(id)?.layer === box.layer).sort((a, b) => centreY(a) - centreY(b));
        next = column[column.indexOf(current) + (event.key === 'ArrowUp' ? -1 : 1)];
        break;
      }
      case 'Home':
        next = this.state.focusId;
        break;
      case 'Enter':
        this.activate(current);
        event.preventDefault();
        return;
      default:
        return;
    }
    event.preventDefault();
    if (!next) return;
    this.select(next);
    this.canvas.centerOn(next);
  }

  private showSearch(query: string): void {
    const strings = this.strings!;
    this.side?.querySelector('.search-results')?.remove();
    if (!this.graph || !query.trim()) return;
    const matches = searchNodes(this.graph.nodes, query, 200);
    const results = matches.length === 0
      ? element('p', { className: 'search-results empty', text: strings.noMatches })
      : nodeList('search-results', matches.map((node) => ({ id: node.id, label: this.describe(node) })), (id) => this.reveal(id), (count) => format(strings.clusterLabel, count));
    this.side?.prepend(results);
  }

  private closeSearch(): void {
    this.side?.querySelector('.search-results')?.remove();
  }

  private showCluster(id: string): void {
    const strings = this.strings!;
    this.side?.querySelector('.cluster-panel')?.remove();
    const cluster = this.view?.nodes.find((node) => node.id === id);
    if (!cluster?.members) return;
    const members = cluster.members.map((member) => this.nodesById.get(member)).filter((node): node is LineageNode => node !== undefined);
    const listHolder = element('div');
    const renderList = (filter: string) => {
      const shown = filter ? searchNodes(members, filter, members.length) : members;
      listHolder.replaceChildren(nodeList('cluster-members', shown.map((node) => ({ id: node.id, label: this.describe(node) })), (member) => this.reveal(member), (count) => format(strings.clusterLabel, count)));
    };
    const filter = element('vscode-textfield', { className: 'cluster-filter', attributes: { placeholder: strings.filterCluster, 'aria-label': strings.filterCluster } }) as HTMLElement & { value: string };
    filter.addEventListener('input', () => renderList(filter.value));
    const expand = element('vscode-button', { className: 'expand-cluster', text: strings.expandCluster });
    expand.addEventListener('click', () => this.expandCluster(id));
    renderList('');
    this.side?.append(element('section', { className: 'cluster-panel' }, [
      element('h2', { text: format(strings.clusterLabel, members.length) }),
      filter,
      expand,
      listHolder,
    ]));
  }

  /** Lists the path through the selected node as accessible text. */
  private showPath(): void {
    if (!this.view || !this.state || !this.strings || !this.side) return;
    const id = this.state.selectedId ?? this.state.focusId;
    const order = (a: string, b: string) => (this.canvas?.boxOf(a)?.y ?? 0) - (this.canvas?.boxOf(b)?.y ?? 0);
    const path = this.view.nodes.some((node) => node.id === id) ? focusedPath(this.view, id, order) : [];
    const viewNodes = new Map(this.view.nodes.map((node) => [node.id, node]));
    const items = path.map((nodeId) => ({ id: nodeId, label: this.describe(viewNodes.get(nodeId)!) }));
    const list = nodeList('focused-path', items, (nodeId) => {
      this.select(nodeId);
      this.canvas?.centerOn(nodeId);
    }, () => '', true);
    list.querySelector(`[data-id="${CSS.escape(id)}"]`)?.setAttribute('aria-current', 'true');
    this.side.querySelector('.path-panel')?.remove();
    this.side.append(element('section', { className: 'path-panel' }, [element('h2', { text: this.strings.focusedPath }), list]));
  }

  private async export(exportFormat: LineageExportFormat): Promise<void> {
    if (!this.canvas) return;
    if (exportFormat === 'svg' || exportFormat === 'png') {
      // A windowed drawing contains only the nodes near the view, but the export must contain them all.
      this.canvas.renderAll();
      let svg: string;
      try {
        svg = exportSvg(this.canvas.svg, this.canvas.graphSize);
      } finally {
        this.canvas.renderWindow(true);
      }
      const content = exportFormat === 'svg' ? svg : await exportPng(svg);
      this.host.post({ type: 'export', format: exportFormat, content });
      return;
    }
    this.host.post({ type: 'export', format: exportFormat });
  }

  private describe(node: ViewNode): string {
    const strings = this.strings!;
    if (node.kind === 'cluster') return format(strings.clusterLabel, node.members?.length ?? 0);
    if (node.kind === 'step') return `${strings.step}: ${node.name}`;
    if (node.kind === 'run') return `${strings.run}: ${node.name}`;
    if (node.kind === 'missing') return `${strings.missingNode}: ${node.name}`;

    return `${node.type ?? ''} ${node.name} ${node.version ?? ''}`.trim();
  }

  private update(change: Partial<LineageViewState>, redraw: boolean): void {
    if (!this.state) return;
    this.state = { ...this.state, ...change };
    this.saveState();
    if (redraw) void this.refresh({ restoreZoom: this.canvas?.currentZoom() });
  }

  private saveState(): void {
    if (this.state) this.host.setState(this.state);
  }

  private showNotice(content: HTMLElement | undefined): void {
    if (!this.notice) return;
    this.notice.replaceChildren(...(content ? [content] : []));
    this.notice.toggleAttribute('hidden', !content);
  }

  private setStatus(text: string): void {
    if (this.status) this.status.textContent = text;
  }
}
