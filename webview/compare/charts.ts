/**
 * Draws the compare panel's charts with D3 keyed joins. Colours come from
 * CSS classes that use --vscode-charts-* variables: A is blue and dashed,
 * B orange and solid, in the history charts and the paired bars alike.
 */
import { select } from 'd3-selection';
import { BARS_SIZE, HISTORY_SIZE, layoutHistory, layoutPairedBars, type HistoryLayout, type HistoryLine, type Tick } from './chartLayout';

/** Draws one small chart per training-history series, each with A (dashed) and B (solid) on one y scale. */
export function drawHistoryCharts(a: Record<string, unknown[]>, b: Record<string, unknown[]>, labels: { a: string; b: string }): HTMLElement {
  const grid = document.createElement('div');
  grid.className = 'history-charts';
  const names = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  for (const name of names) grid.append(drawHistoryChart(layoutHistory(name, a[name], b[name]), labels));

  return grid;
}

function drawHistoryChart(layout: HistoryLayout, labels: { a: string; b: string }): HTMLElement {
  const { width, height, margin } = HISTORY_SIZE;
  const figure = document.createElement('figure');
  figure.className = 'history-chart';
  figure.dataset.series = layout.series;
  const caption = select(figure).append('figcaption');
  caption.append('span').attr('class', 'series-name').text(layout.series);
  caption.selectAll('span.entry')
    .data(layout.lines, (entry) => (entry as HistoryLine).side)
    .join('span')
    .attr('class', (entry) => `entry side-${entry.side}`)
    .call((entry) => entry.append('span').attr('class', 'swatch'))
    .call((entry) => entry.append('span').attr('class', 'legend-label').text((line) => (line.side === 'a' ? labels.a : labels.b)));

  const svg = select(figure).append('svg')
    .attr('viewBox', `0 0 ${width} ${height}`)
    .attr('role', 'img')
    .attr('aria-label', `${layout.series}: ${labels.a}, ${labels.b}`);
  svg.append('g').attr('class', 'grid').selectAll('line')
    .data(layout.yTicks, (tick) => (tick as Tick).label)
    .join('line')
    .attr('x1', margin.left).attr('x2', width - margin.right)
    .attr('y1', (tick) => tick.position).attr('y2', (tick) => tick.position);
  svg.append('g').attr('class', 'axis y').selectAll('text')
    .data(layout.yTicks, (tick) => (tick as Tick).label)
    .join('text')
    .attr('x', margin.left - 6).attr('y', (tick) => tick.position).attr('dy', '0.32em').attr('text-anchor', 'end')
    .text((tick) => tick.label);
  svg.append('g').attr('class', 'axis x').selectAll('text')
    .data(layout.xTicks, (tick) => (tick as Tick).label)
    .join('text')
    .attr('x', (tick) => tick.position).attr('y', height - margin.bottom + 16).attr('text-anchor', 'middle')
    .text((tick) => tick.label);

  const groups = svg.append('g').attr('class', 'lines').selectAll('g')
    .data(layout.lines, (entry) => (entry as HistoryLine).side)
    .join('g')
    .attr('class', (entry) => `history-line side-${entry.side}`)
    .attr('data-side', (entry) => entry.side);
  groups.append('path').attr('d', (entry) => entry.path);
  groups.selectAll('circle')
    .data((entry) => entry.points.map((point) => ({ ...point, label: entry.side === 'a' ? labels.a : labels.b })))
    .join('circle')
    .attr('cx', (point) => point.x).attr('cy', (point) => point.y).attr('r', 2.5)
    .append('title').text((point) => `${point.label}, epoch ${point.epoch}: ${point.value}`);

  return figure;
}

/** Draws one pair of small bars per statistic of a column: A (pale blue) above B (orange). */
export function drawPairedBars(column: string, stats: { stat: string; a: unknown; b: unknown }[]): SVGSVGElement {
  const layout = layoutPairedBars(stats);
  const svg = select(document.createElementNS('http://www.w3.org/2000/svg', 'svg'))
    .attr('class', 'paired-bars')
    .attr('viewBox', `0 0 ${BARS_SIZE.width} ${Math.max(layout.height, 1)}`)
    .attr('width', BARS_SIZE.width)
    .attr('height', layout.height)
    .attr('role', 'img')
    .attr('aria-label', column);
  svg.append('line').attr('class', 'zero').attr('x1', layout.zero).attr('x2', layout.zero).attr('y1', 0).attr('y2', layout.height);

  const rows = svg.selectAll('g.stat')
    .data(layout.bars, (bar) => (bar as { stat: string }).stat)
    .join('g')
    .attr('class', 'stat')
    .attr('data-stat', (bar) => bar.stat);
  rows.append('text').attr('x', 0).attr('y', (bar) => bar.y + BARS_SIZE.barHeight).text((bar) => bar.stat);
  for (const side of ['a', 'b'] as const) {
    rows.filter((bar) => bar[side] !== undefined)
      .append('rect')
      .attr('class', `bar side-${side}`)
      .attr('x', (bar) => bar[side]!.x)
      .attr('y', (bar) => bar.y + (side === 'b' ? BARS_SIZE.barHeight : 0))
      .attr('width', (bar) => Math.max(bar[side]!.width, 0.5))
      .attr('height', BARS_SIZE.barHeight - 1);
  }

  return svg.node()!;
}
