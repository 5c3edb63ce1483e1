/**
 * Previews of materialized files: head rows of CSV, TSV and Parquet
 * (papaparse, hyparquet), JSON and text, images as data, and a summary of
 * model and pickle files from the same extractors as register, with the
 * materializer's `metadata.json` beside it. Each read has a byte cap, so a
 * large file costs at most a few megabytes, and an aborted signal stops it.
 */
import fs from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import type { AsyncBuffer } from 'hyparquet' with { 'resolution-mode': 'import' };
import { parseTolerantJson } from '../json/tolerant';
import { extractFile } from '../stats/extract';
import { ExtractionError, throwIfAborted } from '../stats/types';

export const PREVIEW_ROWS = 50;
/** Bytes read from a text file (CSV head, JSON, text). */
export const PREVIEW_TEXT_BYTES = 1024 * 1024;
/** Images larger than this are not inlined. */
export const PREVIEW_IMAGE_BYTES = 8 * 1024 * 1024;
const MAX_CELL_CHARS = 200;

export interface PreviewFact {
  label: string;
  value: string;
}

export type FilePreview =
  | { kind: 'table'; format: string; columns: string[]; rows: string[][]; totalRows: number | undefined; truncated: boolean }
  | { kind: 'json' | 'text'; text: string; truncated: boolean }
  | { kind: 'image'; mime: string; base64: string }
  | { kind: 'summary'; facts: PreviewFact[]; warnings: string[] };

export interface PreviewResult {
  file: string;
  bytes: number;
  preview: FilePreview;
}

export interface PreviewOptions {
  rows?: number;
  signal?: AbortSignal;
}

const IMAGE_TYPES: Record<string, string> = {
  '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp', '.bmp': 'image/bmp',
};
const TEXT_EXTENSIONS = new Set(['.txt', '.md', '.yaml', '.yml', '.log', '.py', '.html', '.xml', '.toml', '.cfg', '.ini', '.prompt']);
const MODEL_EXTENSIONS = new Set(['.safetensors', '.keras', '.onnx', '.pkl', '.pickle', '.joblib', '.pt', '.pth', '.ckpt', '.npy']);

export async function previewFile(file: string, options: PreviewOptions = {}): Promise<PreviewResult> {
  const stat = fs.statSync(file);
  if (!stat.isFile()) throw new ExtractionError('unsupported', `${file} is not a file.`);
  throwIfAborted(options.signal);

  const extension = path.extname(file).toLowerCase();
  const rows = options.rows ?? PREVIEW_ROWS;
  let preview: FilePreview;
  if (extension === '.csv' || extension === '.tsv') preview = delimitedHead(file, extension === '.tsv' ? '\t' : ',', rows);
  else if (extension === '.parquet' || extension === '.pq') preview = await parquetHead(file, rows, options.signal);
  else if (extension === '.json' || extension === '.jsonl' || extension === '.ndjson') preview = jsonText(file);
  else if (IMAGE_TYPES[extension]) preview = image(file, IMAGE_TYPES[extension], stat.size);
  else if (MODEL_EXTENSIONS.has(extension)) preview = await modelSummary(file, extension, options.signal);
  else if (TEXT_EXTENSIONS.has(extension)) preview = text(file, 'text');
  else preview = sniff(file);

  return { file, bytes: stat.size, preview };
}

function delimitedHead(file: string, delimiter: string, rows: number): FilePreview {
  const { text: head, truncated: cut } = readHead(file, PREVIEW_TEXT_BYTES);
  // A head that contains the whole file is parsed whole, so the row count is exact. A cut head is parsed only up to the preview.
  const parsed = Papa.parse<string[]>(head.replace(/^\uFEFF/, ''), { delimiter, preview: cut ? rows + 2 : 0, skipEmptyLines: true });
  const [header = [], ...body] = parsed.data;
  // A head cut mid-file can end in a partial row; drop it unless the whole preview fits.
  const complete = cut && body.length < rows ? body.slice(0, -1) : body;

  return {
    kind: 'table',
    format: delimiter === ',' ? 'CSV' : 'TSV',
    columns: header.map(String),
    rows: complete.slice(0, rows).map((row) => row.map((cell) => clip(String(cell)))),
    totalRows: cut ? undefined : body.length,
    truncated: cut || body.length > rows,
  };
}

async function parquetHead(file: string, rows: number, signal: AbortSignal | undefined): Promise<FilePreview> {
  // hyparquet is published as ES modules only, so it is loaded with import() from this CommonJS build.
  const { parquetMetadataAsync, parquetReadObjects, parquetSchema } = await import('hyparquet');
  const { compressors } = await import('hyparquet-compressors');
  const handle = await fs.promises.open(file, 'r');
  try {
    const size = (await handle.stat()).size;
    const buffer: AsyncBuffer = {
      byteLength: size,
      async slice(start: number, end?: number): Promise<ArrayBuffer> {
        throwIfAborted(signal);
        const stop = Math.min(end ?? size, size);
        const bytes = new Uint8Array(Math.max(0, stop - start));
        const { bytesRead } = await handle.read(bytes, 0, bytes.length, start);
        return bytes.buffer.slice(0, bytesRead);
      },
    };
    let metadata;
    try {
      metadata = await parquetMetadataAsync(buffer);
    } catch (error) {
      throw new ExtractionError('invalid', `${file} is not a readable Parquet file: ${(error as Error).message}`, { cause: error });
    }
    const columns = parquetSchema(metadata).children.map((child) => child.element.name);
    const total = Number(metadata.num_rows);
    const objects = await parquetReadObjects({ file: buffer, metadata, rowStart: 0, rowEnd: Math.min(rows, total), compressors });

    return {
      kind: 'table',
      format: 'Parquet',
      columns,
      rows: objects.map((object) => columns.map((column) => clip(cellText(object[column])))),
      totalRows: total,
      truncated: total > rows,
    };
  } finally {
    await handle.close();
  }
}

function jsonText(file: string): FilePreview {
  const { text: head, truncated } = readHead(file, PREVIEW_TEXT_BYTES);
  if (truncated) return { kind: 'json', text: head, truncated };
  try {
    return { kind: 'json', text: JSON.stringify(parseTolerantJson(head), (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value), 2), truncated: false };
  } catch {
    return { kind: 'text', text: head, truncated: false };
  }
}

function image(file: string, mime: string, size: number): FilePreview {
  if (size > PREVIEW_IMAGE_BYTES) {
    return { kind: 'summary', facts: [{ label: 'Image', value: `${mime}, ${size} bytes: larger than the ${PREVIEW_IMAGE_BYTES}-byte preview limit.` }], warnings: [] };
  }

  return { kind: 'image', mime, base64: fs.readFileSync(file).toString('base64') };
}

async function modelSummary(file: string, extension: string, signal: AbortSignal | undefined): Promise<FilePreview> {
  const facts: PreviewFact[] = [{ label: 'Format', value: extension.slice(1) }];
  const warnings: string[] = [];
  if (extension === '.npy') {
    facts.push(...npyFacts(file));
  } else {
    try {
      const extraction = await extractFile(file, { type: extension === '.ckpt' ? 'Checkpoint' : 'Model', signal });
      for (const [label, value] of Object.entries(extraction.properties)) facts.push({ label, value: clip(cellText(value)) });
      warnings.push(...extraction.warnings);
    } catch (error) {
      if (error instanceof ExtractionError && error.code === 'cancelled') throw error;
      warnings.push((error as Error).message);
    }
  }
  facts.push(...sidecarFacts(file));
  if (extension === '.pkl' || extension === '.pickle' || extension === '.joblib') {
    warnings.push('Pickle files are Python objects; they are summarized, never unpickled.');
  }

  return { kind: 'summary', facts, warnings };
}

/**
 * Reads the header of a NumPy `.npy` file: magic, version, header length,
 * then a Python dict literal with `descr`, `fortran_order` and `shape`.
 * No npm package reads just this header without loading the array, and the
 * format is a few fixed fields, so it is read here.
 */
function npyFacts(file: string): PreviewFact[] {
  const { bytes } = readHeadBytes(file, 4096);
  if (bytes.length < 10 || bytes.toString('latin1', 0, 6) !== '\x93NUMPY') return [{ label: 'Array', value: 'not a NumPy .npy file (no magic string)' }];
  const major = bytes[6];
  const headerLength = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const header = bytes.toString('latin1', start, Math.min(bytes.length, start + headerLength));
  const descr = /'descr':\s*'([^']*)'/.exec(header)?.[1];
  const shape = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  const facts: PreviewFact[] = [];
  if (descr) facts.push({ label: 'dtype', value: descr });
  if (shape !== undefined) facts.push({ label: 'shape', value: `(${shape.trim()})` });

  return facts;
}

/** Facts from the `metadata.json` a FlowyML materializer writes beside its data file. */
function sidecarFacts(file: string): PreviewFact[] {
  const sidecar = path.join(path.dirname(file), 'metadata.json');
  if (sidecar === file || !fs.existsSync(sidecar)) return [];
  try {
    const { text: head, truncated } = readHead(sidecar, 64 * 1024);
    if (truncated) return [];
    const parsed = parseTolerantJson(head);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return [];
    return Object.entries(parsed as Record<string, unknown>).map(([key, value]) => ({ label: `metadata.json ${key}`, value: clip(cellText(value)) }));
  } catch {
    return [];
  }
}

function text(file: string, kind: 'text'): FilePreview {
  const { text: head, truncated } = readHead(file, PREVIEW_TEXT_BYTES);

  return { kind, text: head, truncated };
}

/** Shows unknown files as text when they decode as UTF-8 without NUL bytes, else as a size summary. */
function sniff(file: string): FilePreview {
  const { bytes, truncated } = readHeadBytes(file, PREVIEW_TEXT_BYTES);
  if (!bytes.includes(0)) {
    try {
      return { kind: 'text', text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), truncated };
    } catch {
      // Not UTF-8: fall through to the summary.
    }
  }

  return { kind: 'summary', facts: [{ label: 'Binary file', value: `${fs.statSync(file).size} bytes, no preview for this format` }, ...sidecarFacts(file)], warnings: [] };
}

function readHead(file: string, limit: number): { text: string; truncated: boolean } {
  const { bytes, truncated } = readHeadBytes(file, limit);

  // A cut can split a UTF-8 sequence; the decoder replaces the partial character.
  return { text: new TextDecoder('utf-8').decode(bytes), truncated };
}

function readHeadBytes(file: string, limit: number): { bytes: Buffer; truncated: boolean } {
  const handle = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(handle).size;
    const bytes = Buffer.alloc(Math.min(size, limit));
    const read = fs.readSync(handle, bytes, 0, bytes.length, 0);
    return { bytes: bytes.subarray(0, read), truncated: size > limit };
  } finally {
    fs.closeSync(handle);
  }
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value, (_key, inner: unknown) => (typeof inner === 'bigint' ? inner.toString() : inner));

  return String(value);
}

function clip(text: string): string {
  return text.length > MAX_CELL_CHARS ? `${text.slice(0, MAX_CELL_CHARS - 1)}…` : text;
}
