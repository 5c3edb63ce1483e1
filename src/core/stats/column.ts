/**
 * Per-column statistics computed in one pass over a table, in the shape
 * FlowyML's Dataset stores under `column_stats`: `dtype` "numeric" with
 * count, nulls, unique, mean, std, min and max, or "categorical" with count,
 * nulls, unique and `top_values`.
 *
 * Counting follows pandas, which FlowyML users compute their numbers with:
 * `count` excludes nulls and NaN, `std` is the sample standard deviation
 * (n − 1), and a column is numeric only when every non-null value is a
 * number.
 */
import { stringifyJson } from '../json/tolerant';

/** Distinct values tracked per column. Past this, `unique` becomes a lower bound and `top_values` an estimate. */
export const MAX_TRACKED_DISTINCT = 100_000;
const TOP_VALUES = 5;

export interface NumericColumnStats {
  dtype: 'numeric';
  count: number;
  nulls: number;
  unique: number;
  mean: number | null;
  std: number | null;
  min: number | null;
  max: number | null;
  unique_is_lower_bound?: true;
}

export interface CategoricalColumnStats {
  dtype: 'categorical';
  count: number;
  nulls: number;
  unique: number;
  top_values: string[];
  unique_is_lower_bound?: true;
}

/** A column with no non-null value: pandas would make it float64 full of NaN. */
export interface EmptyColumnStats {
  dtype: 'empty';
  count: 0;
  nulls: number;
  unique: 0;
}

export type ColumnStats = NumericColumnStats | CategoricalColumnStats | EmptyColumnStats;

/** A cell as the readers deliver it: null for a missing value, a number, or text for anything else. */
export type Cell = null | number | string;

export class ColumnAccumulator {
  private count = 0;
  private nulls = 0;
  private numeric = true;
  // Welford's running mean and sum of squared deviations, stable for long columns.
  private mean = 0;
  private m2 = 0;
  private min = Infinity;
  private max = -Infinity;
  private readonly numbers = new Set<number>();
  private readonly frequencies = new Map<string, number>();
  private capped = false;

  constructor(initialNulls = 0) {
    this.nulls = initialNulls;
  }

  /** Adds one cell; `text` is how the cell was written, which categorical values keep (`1.0` stays `1.0`). */
  add(cell: Cell, text?: string): void {
    if (cell === null || (typeof cell === 'number' && Number.isNaN(cell))) {
      this.nulls++;
      return;
    }
    this.count++;
    const key = text ?? (typeof cell === 'number' ? numberKey(cell) : cell);
    this.countValue(key);
    if (typeof cell === 'number' && this.numeric) {
      this.addNumber(cell);
    } else if (typeof cell !== 'number') {
      this.numeric = false;
      this.numbers.clear();
    }
  }

  private addNumber(value: number): void {
    const delta = value - this.mean;
    this.mean += delta / this.count;
    this.m2 += delta * (value - this.mean);
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    if (!this.capped) this.numbers.add(value === 0 ? 0 : value);
  }

  private countValue(key: string): void {
    const seen = this.frequencies.get(key);
    if (seen !== undefined) {
      this.frequencies.set(key, seen + 1);
    } else if (this.frequencies.size < MAX_TRACKED_DISTINCT) {
      this.frequencies.set(key, 1);
    } else {
      this.capped = true;
    }
  }

  result(): ColumnStats {
    if (this.count === 0) return { dtype: 'empty', count: 0, nulls: this.nulls, unique: 0 };
    const lowerBound = this.capped ? { unique_is_lower_bound: true as const } : {};
    if (this.numeric) {
      // With infinite values Welford's update yields NaN where pandas yields ±inf or NaN; both are "not a finite mean".
      const std = this.count > 1 ? Math.sqrt(this.m2 / (this.count - 1)) : null;
      return {
        dtype: 'numeric',
        count: this.count,
        nulls: this.nulls,
        unique: this.numbers.size,
        mean: this.mean,
        std,
        min: this.min,
        max: this.max,
        ...lowerBound,
      };
    }
    return {
      dtype: 'categorical',
      count: this.count,
      nulls: this.nulls,
      unique: this.frequencies.size,
      top_values: topValues(this.frequencies),
      ...lowerBound,
    };
  }
}

function numberKey(value: number): string {
  return Object.is(value, -0) ? '0' : String(value);
}

/** Picks the most frequent values, breaking ties by first appearance (Map order). */
function topValues(frequencies: Map<string, number>): string[] {
  const best: [string, number][] = [];
  for (const entry of frequencies) {
    if (best.length < TOP_VALUES) {
      best.push(entry);
      best.sort((a, b) => b[1] - a[1]);
    } else if (entry[1] > best[TOP_VALUES - 1][1]) {
      best[TOP_VALUES - 1] = entry;
      best.sort((a, b) => b[1] - a[1]);
    }
  }
  return best.map(([value]) => value);
}

/**
 * Strings pandas' `read_csv` reads as missing by default (its `na_values`
 * list in pandas 2.x); FlowyML users see these as nulls in their own stats.
 */
export const CSV_NULL_TOKENS = new Set([
  '', '#N/A', '#N/A N/A', '#NA', '-1.#IND', '-1.#QNAN', '-NaN', '-nan', '1.#IND', '1.#QNAN',
  '<NA>', 'N/A', 'NA', 'NULL', 'NaN', 'None', 'n/a', 'nan', 'null',
]);

const NUMBER_TEXT = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;
const INFINITY_TEXT = /^[-+]?(?:inf|infinity)$/i;

/** Reads one CSV field the way pandas infers a column: a null token, a number, or text. */
export function csvCell(field: string): Cell {
  if (CSV_NULL_TOKENS.has(field)) return null;
  const trimmed = field.trim();
  if (NUMBER_TEXT.test(trimmed)) return Number(trimmed);
  if (INFINITY_TEXT.test(trimmed)) return trimmed.startsWith('-') ? -Infinity : Infinity;
  return field;
}

/** Reads one JSON value as a cell: strings stay text even when they look like numbers, as pandas keeps them. */
export function jsonCell(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  // The tolerant parser returns bigints, which JSON.stringify rejects.
  return stringifyJson(value);
}

/**
 * Names columns the way pandas does: an empty header becomes `Unnamed: <i>`
 * and a repeated name gets `.1`, `.2` … appended.
 */
export function pandasColumnNames(header: string[]): string[] {
  const names: string[] = [];
  const used = new Set<string>();
  header.forEach((raw, index) => {
    const base = raw === '' ? `Unnamed: ${index}` : raw;
    let name = base;
    for (let n = 1; used.has(name); n++) name = `${base}.${n}`;
    used.add(name);
    names.push(name);
  });
  return names;
}
