/**
 * Dataset statistics from a Parquet file with hyparquet, one row group at a
 * time, so memory is bounded by the largest row group rather than the file.
 * hyparquet reads Snappy itself; hyparquet-compressors adds gzip, Brotli,
 * zstd (Polars' default) and LZ4.
 */
import fs from 'node:fs';
import type { AsyncBuffer, ColumnData, FileMetaData } from 'hyparquet' with { 'resolution-mode': 'import' };
import { type Cell } from './column';
import { progressReporter } from './tabular';
import { TableAccumulator } from './table';
import { ExtractionError, type ExtractOptions, throwIfAborted } from './types';

export async function parquetStats(file: string, options: ExtractOptions): Promise<{ properties: Record<string, unknown>; warnings: string[] }> {
  // hyparquet is published as ES modules only, so it is loaded with import() from this CommonJS build.
  const { parquetMetadataAsync, parquetRead, parquetSchema } = await import('hyparquet');
  const { compressors } = await import('hyparquet-compressors');

  const handle = await fs.promises.open(file, 'r');
  try {
    const size = (await handle.stat()).size;
    const report = progressReporter(file, size, 'extract', options);
    let bytesRead = 0;
    const buffer: AsyncBuffer = {
      byteLength: size,
      async slice(start: number, end?: number): Promise<ArrayBuffer> {
        throwIfAborted(options.signal);
        const stop = Math.min(end ?? size, size);
        const bytes = new Uint8Array(Math.max(0, stop - start));
        const { bytesRead: got } = await handle.read(bytes, 0, bytes.length, start);
        bytesRead += got;
        report(Math.min(bytesRead, size));
        return bytes.buffer.slice(0, got);
      },
    };

    let metadata: FileMetaData;
    try {
      metadata = await parquetMetadataAsync(buffer);
    } catch (error) {
      throw new ExtractionError('invalid', `${file} is not a readable Parquet file: ${(error as Error).message}`, { cause: error });
    }

    const indexColumns = pandasIndexColumns(metadata);
    const columns = parquetSchema(metadata).children.map((child) => child.element.name).filter((name) => !indexColumns.has(name));
    const table = new TableAccumulator(columns);
    const columnIndex = new Map(columns.map((name, i) => [name, i]));

    let groupStart = 0;
    for (const group of metadata.row_groups) {
      throwIfAborted(options.signal);
      const groupRows = Number(group.num_rows);
      const groupEnd = groupStart + groupRows;
      const seen = new Set<string>();
      try {
        await parquetRead({
          file: buffer,
          metadata,
          columns,
          rowStart: groupStart,
          rowEnd: groupEnd,
          compressors,
          onChunk: (chunk: ColumnData) => {
            const index = columnIndex.get(chunk.columnName);
            if (index === undefined || seen.has(chunk.columnName)) return;
            seen.add(chunk.columnName);
            table.addColumnValues(index, cellsInRange(chunk, groupStart, groupEnd));
          },
        });
      } catch (error) {
        if (error instanceof ExtractionError) throw error;
        throw new ExtractionError('invalid', `Could not read row group at row ${groupStart} of ${file}: ${(error as Error).message}`, { cause: error });
      }
      // A column with no chunk in this group (absent from the file's row group) counts as nulls.
      for (const [name, index] of columnIndex) {
        if (!seen.has(name)) table.addColumnValues(index, repeatNull(groupRows));
      }
      table.addRows(groupRows);
      groupStart = groupEnd;
    }
    report(size, true);
    return { properties: table.properties(), warnings: [] };
  } finally {
    await handle.close();
  }
}

function* cellsInRange(chunk: ColumnData, rowStart: number, rowEnd: number): Iterable<Cell> {
  const from = Math.max(rowStart, chunk.rowStart);
  const to = Math.min(rowEnd, chunk.rowEnd);
  for (let row = from; row < to; row++) yield parquetCell(chunk.columnData[row - chunk.rowStart]);
}

function* repeatNull(count: number): Iterable<Cell> {
  for (let i = 0; i < count; i++) yield null;
}

/** Converts a decoded Parquet value into a cell: numbers stay numbers, everything else becomes text. */
export function parquetCell(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

/** Columns pandas wrote for its index (`__index_level_0__` and named indexes): pandas reads them back as the index, not as data. */
function pandasIndexColumns(metadata: FileMetaData): Set<string> {
  const entry = metadata.key_value_metadata?.find((kv) => kv.key === 'pandas');
  if (!entry?.value) return new Set();
  try {
    const parsed = JSON.parse(entry.value) as { index_columns?: unknown };
    const names = Array.isArray(parsed.index_columns) ? parsed.index_columns.filter((c): c is string => typeof c === 'string') : [];
    return new Set(names);
  } catch {
    return new Set();
  }
}
