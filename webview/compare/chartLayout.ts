/**
 * Layout of the compare panel's charts as pure functions: they turn data
 * into coordinates and path strings and never touch the DOM, so Node tests
 * can check them. charts.ts only joins the result to SVG.
 */
import { scaleLinear } from 'd3-scale';
import { line } from 'd3-shape';

export const HISTORY_SIZE = { width: 320, height: 160, margin: { top: 10, right: 12, bottom: 26, left: 52 } };

/** Returns the finite number in a value of the JSON export, where NaN and ±Infinity are the strings "NaN", "Infinity" and "-Infinity". */
export function finiteNumber(value: unknown): number | undefined {
  if (typeof value === 'bigint') return Number(value);
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;

  return value;
}

export interface HistoryLine {
  side: 'a' | 'b';
  path: string;
  points: { x: number; y: number; epoch: number; value: number }[];
}

export interface Tick {
  position: number;
  label: string;
}

export interface HistoryLayout {
  /** The series name, such as `loss`. */
  series: string;
  lines: HistoryLine[];
  xTicks: Tick[];
  yTicks: Tick[];
}

/**
 * Lays out one series of both versions on one chart: x is the epoch
 * (position in the series, from 1), y one linear scale over the finite
 * values of both. NaN and ±Infinity points are left out, so a line skips
 * them. A side without the series gets no line.
 */
export function layoutHistory(series: string, a: unknown[] | undefined, b: unknown[] | undefined): HistoryLayout {
  const { width, height, margin } = HISTORY_SIZE;
  const raw = (['a', 'b'] as const).flatMap((side) => {
    const values = side === 'a' ? a : b;
    if (!Array.isArray(values)) return [];
    const points = values.flatMap((value, index) => {
      const finite = finiteNumber(value);
      return finite === undefined ? [] : [{ epoch: index + 1, value: finite }];
    });

    return [{ side, points }];
  });
  const all = raw.flatMap((entry) => entry.points);
  const maxEpoch = Math.max(1, ...all.map((point) => point.epoch));
  const values = all.map((point) => point.value);
  const low = values.length > 0 ? Math.min(...values) : 0;
  const high = values.length > 0 ? Math.max(...values) : 1;
  const x = scaleLinear().domain([1, Math.max(2, maxEpoch)]).range([margin.left, width - margin.right]);
  const y = scaleLinear().domain(low === high ? [low - 1, high + 1] : [low, high]).nice().range([height - margin.bottom, margin.top]);
  const path = line<{ x: number; y: number }>().x((point) => point.x).y((point) => point.y);

  const lines = raw.map((entry): HistoryLine => {
    const points = entry.points.map((point) => ({ ...point, x: x(point.epoch), y: y(point.value) }));
    return { side: entry.side, path: path(points) ?? '', points };
  });
  const xTicks = x.ticks(Math.min(maxEpoch, 6)).filter(Number.isInteger).map((tick) => ({ position: x(tick), label: String(tick) }));
  const yTicks = y.ticks(4).map((tick) => ({ position: y(tick), label: y.tickFormat(4)(tick) }));

  return { series, lines, xTicks, yTicks };
}

export const BARS_SIZE = { width: 260, rowHeight: 22, labelWidth: 56, barHeight: 7 };

export interface PairedBar {
  stat: string;
  /** Bar widths in pixels from the zero line; absent when a side has no finite value. */
  a: { x: number; width: number } | undefined;
  b: { x: number; width: number } | undefined;
  y: number;
}

/**
 * Lays out one pair of bars (A above B) per statistic. Each statistic has
 * its own scale from zero to its largest magnitude, because a column's mean
 * and its null count have unrelated units. Negative values extend left of
 * the zero line, which sits in the middle when any value is negative.
 */
export function layoutPairedBars(stats: { stat: string; a: unknown; b: unknown }[]): { bars: PairedBar[]; height: number; zero: number } {
  const { width, rowHeight, labelWidth, barHeight } = BARS_SIZE;
  const anyNegative = stats.some((entry) => (finiteNumber(entry.a) ?? 0) < 0 || (finiteNumber(entry.b) ?? 0) < 0);
  const zero = anyNegative ? labelWidth + (width - labelWidth) / 2 : labelWidth;
  const room = anyNegative ? (width - labelWidth) / 2 - 4 : width - labelWidth - 4;

  const bars = stats.map((entry, row): PairedBar => {
    const valueA = finiteNumber(entry.a);
    const valueB = finiteNumber(entry.b);
    const magnitude = Math.max(Math.abs(valueA ?? 0), Math.abs(valueB ?? 0)) || 1;
    const bar = (value: number | undefined) => {
      if (value === undefined) return undefined;
      const length = (Math.abs(value) / magnitude) * room;
      return { x: value < 0 ? zero - length : zero, width: length };
    };

    return { stat: entry.stat, a: bar(valueA), b: bar(valueB), y: row * rowHeight + (rowHeight - 2 * barHeight) / 2 };
  });

  return { bars, height: stats.length * rowHeight, zero };
}
