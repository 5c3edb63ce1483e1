/**
 * Builds Dataset properties from rows of cells, whatever file format they
 * came from: `num_samples`, `num_features`, `feature_columns` and
 * `column_stats`.
 */
import { type Cell, ColumnAccumulator, type ColumnStats } from './column';

export class TableAccumulator {
  private readonly columns: string[] = [];
  private readonly accumulators: ColumnAccumulator[] = [];
  private readonly indexByName = new Map<string, number>();
  private rows = 0;

  constructor(columns: string[] = []) {
    for (const name of columns) this.addColumn(name);
  }

  get rowCount(): number {
    return this.rows;
  }

  /** Adds a column first seen after some rows; those rows count as nulls in it. */
  addColumn(name: string): number {
    const existing = this.indexByName.get(name);
    if (existing !== undefined) return existing;
    const index = this.columns.length;
    this.columns.push(name);
    this.accumulators.push(new ColumnAccumulator(this.rows));
    this.indexByName.set(name, index);
    return index;
  }

  /** Adds a row of cells in column order, with the text each was written as; missing trailing cells are nulls. */
  addRow(cells: Cell[], texts?: string[]): void {
    for (let i = 0; i < this.accumulators.length; i++) this.accumulators[i].add(i < cells.length ? cells[i] : null, texts?.[i]);
    this.rows++;
  }

  /** Adds a row given by column name; columns seen for the first time are added. */
  addRecord(record: Map<string, Cell>): void {
    for (const name of record.keys()) this.addColumn(name);
    for (let i = 0; i < this.columns.length; i++) this.accumulators[i].add(record.get(this.columns[i]) ?? null);
    this.rows++;
  }

  /** Adds one column's values for rows added by `addRows`, column by column (Parquet row groups). */
  addColumnValues(index: number, cells: Iterable<Cell>): void {
    const accumulator = this.accumulators[index];
    for (const cell of cells) accumulator.add(cell);
  }

  addRows(count: number): void {
    this.rows += count;
  }

  properties(): Record<string, unknown> {
    const columnStats: Record<string, ColumnStats> = {};
    this.columns.forEach((name, i) => {
      columnStats[name] = this.accumulators[i].result();
    });
    return {
      num_samples: this.rows,
      num_features: this.columns.length,
      feature_columns: [...this.columns],
      column_stats: columnStats,
    };
  }
}
