/**
 * Reads the header of a `.safetensors` file: an unsigned 64-bit
 * little-endian length N, then N bytes of JSON mapping each tensor name to
 * `{dtype, shape, data_offsets}`, with an optional `__metadata__` map of
 * strings. Only the header is read, never the tensor data.
 */
import fs from 'node:fs';
import { ExtractionError } from './types';

/** A bound on the header length, so that a damaged length field cannot allocate gigabytes. */
const MAX_HEADER_BYTES = 100_000_000;

export interface SafetensorsSummary {
  numTensors: number;
  /** Tensor count per dtype (`F32`, `BF16`, …). */
  dtypes: Record<string, number>;
  /** Sum over tensors of the product of their shape. */
  parameters: number;
  tensorNames: string[];
  metadata: Record<string, string>;
}

export function readSafetensorsHeader(file: string): SafetensorsSummary {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (error) {
    throw new ExtractionError('unreadable', `Could not open ${file}: ${(error as Error).message}`, { cause: error });
  }
  try {
    const size = fs.fstatSync(fd).size;
    const lengthBytes = Buffer.alloc(8);
    if (size < 8 || fs.readSync(fd, lengthBytes, 0, 8, 0) !== 8) throw invalid(file, 'it is shorter than the 8-byte header length');
    const headerLength = lengthBytes.readBigUInt64LE(0);
    if (headerLength > BigInt(Math.min(MAX_HEADER_BYTES, size - 8))) {
      throw invalid(file, `its header length ${headerLength} exceeds the file or the ${MAX_HEADER_BYTES}-byte limit`);
    }
    const header = Buffer.alloc(Number(headerLength));
    fs.readSync(fd, header, 0, header.length, 8);
    let parsed: unknown;
    try {
      parsed = JSON.parse(header.toString('utf8'));
    } catch (error) {
      throw invalid(file, `its header is not JSON (${(error as Error).message})`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalid(file, 'its header is not a JSON object');
    return summarize(file, parsed as Record<string, unknown>, size - 8 - Number(headerLength));
  } finally {
    fs.closeSync(fd);
  }
}

function summarize(file: string, header: Record<string, unknown>, dataBytes: number): SafetensorsSummary {
  const dtypes: Record<string, number> = {};
  const tensorNames: string[] = [];
  let parameters = 0;
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') {
      if (typeof entry === 'object' && entry !== null) metadata = Object.fromEntries(Object.entries(entry).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
      continue;
    }
    const tensor = entry as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof tensor?.dtype !== 'string' || !Array.isArray(tensor.shape) || !tensor.shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw invalid(file, `tensor "${name}" has no valid dtype and shape`);
    }
    const offsets = tensor.data_offsets;
    if (!Array.isArray(offsets) || offsets.length !== 2 || !(offsets[0] <= offsets[1]) || offsets[1] > dataBytes) {
      throw invalid(file, `tensor "${name}" has data offsets outside the file`);
    }
    dtypes[tensor.dtype] = (dtypes[tensor.dtype] ?? 0) + 1;
    parameters += (tensor.shape as number[]).reduce((product, d) => product * d, 1);
    tensorNames.push(name);
  }
  return { numTensors: tensorNames.length, dtypes, parameters, tensorNames, metadata };
}

function invalid(file: string, reason: string): ExtractionError {
  return new ExtractionError('invalid', `${file} is not a valid safetensors file: ${reason}.`);
}

/** Maps the `__metadata__.format` of a safetensors file (`pt`, `tf`, `flax`, `mlx`, `np`) to a framework name. */
export function frameworkOfSafetensors(metadata: Record<string, string>): string | undefined {
  const names: Record<string, string> = { pt: 'pytorch', tf: 'tensorflow', flax: 'flax', mlx: 'mlx', np: 'numpy' };
  const format = metadata.format;
  return format === undefined ? undefined : names[format] ?? format;
}
