/**
 * Draws the laid-out charts with D3: keyed joins of data to SVG elements.
 * Colours come from CSS classes that use --vscode-charts-* variables.
 */
import { select } from 'd3-selection';
import type { ChartSeries, ColumnSummary } from '../../src/protocol/details';
import { layoutLineChart, layoutRangeBar } from './chartLayout';

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Draws one small line chart per series, each with its own y axis and caption. */
export function drawLineCharts(xLabel: string, series: ChartSeries[]): HTMLElement {
  const grid = document.createElement('div');
  grid.className = 'charts';
  series.forEach((each, position) => grid.append(drawLineChart(xLabel, [each], position)));

  return grid;
}

function drawLineChart(xLabel: string, series: ChartSeries[], firstColorIndex: number): HTMLElement {
  const layout = layoutLineChart(series, undefined, firstColorIndex);
  const figure = document.createElement('figure');
  figure.className = 'chart';
  const svg = select(figure)
    .append('svg')
    .attr('viewBox', `0 0 ${layout.size.width} ${layout.size.height}`)
    .attr('role', 'img')
    .attr('aria-label', series.map((each) => each.name).join(', '));

  const bottom = layout.size.height - layout.size.margin.bottom;
  const right = layout.size.width - layout.size.margin.right;
  svg.append('g').attr('class', 'grid')
    .selectAll('line')
    .data(layout.yTicks, (tick) => (tick as { label: string }).label)
    .join('line')
    .attr('x1', layout.size.margin.left)
    .attr('x2', right)
    .attr('y1', (tick) => tick.position)
    .attr('y2', (tick) => tick.position);
  svg.append('g').attr('class', 'axis y')
    .selectAll('text')
    .data(layout.yTicks, (tick) => (tick as { label: string }).label)
    .join('text')
    .attr('x', layout.size.margin.left - 6)
    .attr('y', (tick) => tick.position)
    .attr('dy', '0.32em')
    .attr('text-anchor', 'end')
    .text((tick) => tick.label);
  svg.append('g').attr('class', 'axis x')
    .selectAll('text')
    .data(layout.xTicks, (tick) => (tick as { label: string }).label)
    .join('text')
    .attr('x', (tick) => tick.position)
    .attr('y', bottom + 16)
    .attr('text-anchor', 'middle')
    .text((tick) => tick.label);

  const lines = svg.append('g').attr('class', 'lines')
    .selectAll('g')
    .data(layout.lines, (entry) => (entry as { name: string }).name)
    .join('g')
    .attr('class', (entry) => `series series-${entry.colorIndex % 6}`);
  lines.append('path').attr('d', (entry) => entry.path);
  lines.selectAll('circle')
    .data((entry) => entry.points)
    .join('circle')
    .attr('cx', (point) => point.x)
    .attr('cy', (point) => point.y)
    .attr('r', 3)
    .append('title')
    .text((point) => `${xLabel} ${point.label}: ${point.value}`);

  const legend = select(figure).append('figcaption').attr('class', 'legend');
  const items = legend.selectAll('span')
    .data(layout.lines, (entry) => (entry as { name: string }).name)
    .join('span')
    .attr('class', (entry) => `legend-item series-${entry.colorIndex % 6}`);
  items.append('span').attr('class', 'swatch');
  items.append('span').text((entry) => entry.name);

  return figure;
}

/** Draws a column's range bar, or returns undefined for a column without a numeric range. */
export function drawRangeBar(column: ColumnSummary, label: string): SVGSVGElement | undefined {
  const width = 120;
  const layout = layoutRangeBar(column, width);
  if (!layout) return undefined;

  const svg = document.createElementNS(SVG_NS, 'svg');
  const root = select(svg).attr('class', 'range-bar').attr('viewBox', `0 0 ${width} 12`).attr('role', 'img').attr('aria-label', label);
  root.append('rect').attr('class', 'track').attr('x', 0).attr('y', 5).attr('width', width).attr('height', 2);
  if (layout.band) root.append('rect').attr('class', 'band').attr('x', layout.band.x).attr('y', 2).attr('width', Math.max(1, layout.band.width)).attr('height', 8);
  if (layout.median !== undefined) root.append('rect').attr('class', 'median').attr('x', layout.median - 1).attr('y', 0).attr('width', 2).attr('height', 12);
  root.append('title').text(label);

  return svg;
}
