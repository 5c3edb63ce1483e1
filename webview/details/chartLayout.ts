/**
 * Layout of the panel's small charts as pure functions: they turn data into
 * coordinates and path strings and never touch the DOM, so Node tests can
 * check them. Drawing (charts.ts) only joins the result to SVG.
 */
import { scaleLinear, scalePoint } from 'd3-scale';
import { line } from 'd3-shape';
import type { ChartSeries, ColumnSummary } from '../../src/protocol/details';

export interface ChartSize {
  width: number;
  height: number;
  margin: { top: number; right: number; bottom: number; left: number };
}

/** One small chart per series: metrics of very different magnitudes (a loss near 0.4, a sample count near 400) stay readable. */
export const LINE_CHART_SIZE: ChartSize = { width: 280, height: 130, margin: { top: 10, right: 12, bottom: 26, left: 48 } };

export interface LinePoint {
  x: number;
  y: number;
  label: string;
  value: number;
}

export interface LineLayout {
  name: string;
  /** Index into the chart colour classes (`series-0` …), so one series keeps its colour across panels. */
  colorIndex: number;
  path: string;
  points: LinePoint[];
}

export interface Tick {
  position: number;
  label: string;
}

export interface LineChartLayout {
  size: ChartSize;
  lines: LineLayout[];
  yTicks: Tick[];
  xTicks: Tick[];
}

/** At most this many x labels are drawn, and the rest are left out evenly, so labels do not overlap at the small chart width. */
const MAX_X_TICKS = 4;

/**
 * Lays out series that share one x axis (epochs, version labels) and one y
 * axis. The x order is the order in which labels first appear.
 */
export function layoutLineChart(series: ChartSeries[], size: ChartSize = LINE_CHART_SIZE, firstColorIndex = 0): LineChartLayout {
  const labels: string[] = [];
  for (const each of series) {
    for (const point of each.points) if (!labels.includes(point.x)) labels.push(point.x);
  }
  const values = series.flatMap((each) => each.points.map((point) => point.y));
  const low = values.length > 0 ? Math.min(...values) : 0;
  const high = values.length > 0 ? Math.max(...values) : 1;

  const x = scalePoint<string>().domain(labels).range([size.margin.left, size.width - size.margin.right]).padding(0.3);
  const y = scaleLinear()
    .domain(low === high ? [low - 1, high + 1] : [low, high])
    .nice(4)
    .range([size.height - size.margin.bottom, size.margin.top]);
  const toPath = line<LinePoint>().x((point) => point.x).y((point) => point.y);

  const lines = series.map((each, position) => {
    const points = each.points.map((point) => ({ x: x(point.x) ?? 0, y: y(point.y), label: point.x, value: point.y }));
    return { name: each.name, colorIndex: firstColorIndex + position, path: toPath(points) ?? '', points };
  });
  const step = Math.max(1, Math.ceil(labels.length / MAX_X_TICKS));

  return {
    size,
    lines,
    yTicks: y.ticks(4).map((value) => ({ position: y(value), label: formatNumber(value) })),
    xTicks: labels.filter((_, position) => position % step === 0).map((label) => ({ position: x(label) ?? 0, label })),
  };
}

export interface RangeBarLayout {
  width: number;
  /** The band one standard deviation each side of the mean, clipped to the range. */
  band?: { x: number; width: number };
  median?: number;
  mean?: number;
}

/**
 * Lays out a column's range bar: the track is the column's own min to max,
 * so each bar shows where the mean, spread and median sit in that column.
 * Returns undefined for columns without a numeric range.
 */
export function layoutRangeBar(column: ColumnSummary, width: number): RangeBarLayout | undefined {
  if (column.min === undefined || column.max === undefined || column.max < column.min) return undefined;

  const scale = scaleLinear().domain(column.min === column.max ? [column.min - 1, column.max + 1] : [column.min, column.max]).range([0, width]).clamp(true);
  const layout: RangeBarLayout = { width };
  if (column.mean !== undefined) {
    layout.mean = scale(column.mean);
    if (column.std !== undefined) {
      const left = scale(column.mean - column.std);
      layout.band = { x: left, width: scale(column.mean + column.std) - left };
    }
  }
  if (column.median !== undefined) layout.median = scale(column.median);

  return layout;
}

/** Four significant digits, without exponent notation for everyday magnitudes. */
export function formatNumber(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);

  return Number(value.toPrecision(4)).toString();
}
