/**
 * Builds the files the register and stats tests read: safetensors byte by
 * byte, Keras and PyTorch zip archives with fflate, ONNX models with a
 * small protobuf encoder, and temporary copies of the sample workspace.
 * Also computes expected column statistics in Python with its statistics
 * module, independently of the code under test.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { SAMPLE_WORKSPACE } from './paths';

/**
 * The Python interpreter the tests run: $PYTHON, else the interpreter
 * `python3` resolves to. Resolving it once skips launchers such as pyenv
 * shims, which cost 0.6 s per start on the test machine.
 */
export const PYTHON = resolvePython(process.env.PYTHON ?? 'python3');

function resolvePython(command: string): string {
  const result = spawnSync(command, ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' });
  return result.status === 0 && result.stdout.trim() !== '' ? result.stdout.trim() : command;
}

/** Creates an empty folder under the system temp folder, removed when the process exits. */
export function temporaryFolder(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `flowyml-${prefix}-`));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Copies samples/workspace into a temporary folder that a test may write to. */
export function copySampleWorkspace(): string {
  const dir = temporaryFolder('register-ws');
  fs.cpSync(SAMPLE_WORKSPACE, dir, { recursive: true });
  return dir;
}

// ------------------------------------------------------------- safetensors

export interface TensorSpec {
  name: string;
  dtype: string;
  shape: number[];
  bytesPerElement: number;
}

/** Writes a safetensors file: u64 little-endian header length, JSON header padded with spaces, then the data. */
export function writeSafetensors(file: string, tensors: TensorSpec[], metadata?: Record<string, string>): void {
  const header: Record<string, unknown> = {};
  if (metadata) header.__metadata__ = metadata;
  let offset = 0;
  for (const t of tensors) {
    const bytes = t.shape.reduce((p, d) => p * d, 1) * t.bytesPerElement;
    header[t.name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  while ((json.length + 8) % 8 !== 0) json += ' ';
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(Buffer.byteLength(json)));
  const data = Buffer.alloc(offset);
  for (let i = 0; i < data.length; i++) data[i] = i % 251;
  fs.writeFileSync(file, Buffer.concat([length, Buffer.from(json), data]));
}

// ------------------------------------------------------------------- Keras

export const KERAS_CONFIG = {
  module: 'keras',
  class_name: 'Sequential',
  config: {
    name: 'sequential',
    trainable: true,
    layers: [
      { module: 'keras.layers', class_name: 'InputLayer', config: { batch_shape: [null, 4], name: 'input_layer' }, registered_name: null },
      { module: 'keras.layers', class_name: 'Dense', config: { name: 'dense', units: 8, activation: 'relu' }, registered_name: null },
      { module: 'keras.layers', class_name: 'Dropout', config: { name: 'dropout', rate: 0.2 }, registered_name: null },
      { module: 'keras.layers', class_name: 'Dense', config: { name: 'dense_1', units: 1, activation: 'sigmoid' }, registered_name: null },
    ],
  },
  registered_name: null,
  compile_config: {
    optimizer: { module: 'keras.optimizers', class_name: 'Adam', config: { name: 'adam', learning_rate: 0.001 }, registered_name: null },
    loss: 'binary_crossentropy',
    metrics: ['accuracy'],
    loss_weights: null,
  },
};

/** Writes a `.keras` archive laid out as Keras 3 saves one: metadata.json, config.json, then the weights. */
export function writeKeras(file: string, options: { compress: boolean; weightsBytes?: number }): void {
  const level = options.compress ? 6 : 0;
  const archive = zipSync({
    'metadata.json': [strToU8(JSON.stringify({ keras_version: '3.3.3', date_saved: '2026-01-02@03:04:05' })), { level }],
    'config.json': [strToU8(JSON.stringify(KERAS_CONFIG)), { level }],
    'model.weights.h5': [new Uint8Array(options.weightsBytes ?? 4096).fill(7), { level: 0 }],
  });
  fs.writeFileSync(file, archive);
}

/** Writes a zip laid out like torch.save's archive format. */
export function writeTorchZip(file: string): void {
  fs.writeFileSync(file, zipSync({
    'model/data.pkl': [new Uint8Array([0x80, 0x02, 0x7d, 0x71, 0x00, 0x2e]), { level: 0 }],
    'model/version': [strToU8('3\n'), { level: 0 }],
    'model/data/0': [new Uint8Array(64), { level: 0 }],
  }));
}

// -------------------------------------------------------------------- ONNX

/** A minimal protobuf encoder: enough to write the ONNX messages the tests need. */
export class Proto {
  private readonly parts: Buffer[] = [];

  static varint(value: number | bigint): Buffer {
    let v = BigInt.asUintN(64, BigInt(value));
    const bytes: number[] = [];
    do {
      let byte = Number(v & BigInt(0x7f));
      v >>= BigInt(7);
      if (v > BigInt(0)) byte |= 0x80;
      bytes.push(byte);
    } while (v > BigInt(0));
    return Buffer.from(bytes);
  }

  int(field: number, value: number | bigint): this {
    this.parts.push(Proto.varint(field << 3), Proto.varint(value));
    return this;
  }

  bytes(field: number, value: Buffer | string | Proto): this {
    const payload = value instanceof Proto ? value.build() : Buffer.isBuffer(value) ? value : Buffer.from(value, 'utf8');
    this.parts.push(Proto.varint((field << 3) | 2), Proto.varint(payload.length), payload);
    return this;
  }

  packed(field: number, values: number[]): this {
    return this.bytes(field, Buffer.concat(values.map((v) => Proto.varint(v))));
  }

  build(): Buffer {
    return Buffer.concat(this.parts);
  }
}

function valueInfo(name: string, elemType: number, dims: (number | string)[]): Proto {
  const shape = new Proto();
  for (const d of dims) shape.bytes(1, typeof d === 'number' ? new Proto().int(1, d) : new Proto().bytes(2, d));
  const tensorType = new Proto().int(1, elemType).bytes(2, shape);
  return new Proto().bytes(1, name).bytes(2, new Proto().bytes(1, tensorType));
}

function initializer(name: string, dims: number[], packed: boolean): Proto {
  const tensor = new Proto();
  if (packed) tensor.packed(1, dims);
  else for (const d of dims) tensor.int(1, d);
  const elements = dims.reduce((p, d) => p * d, 1);
  return tensor.int(2, 1).bytes(8, name).bytes(9, Buffer.alloc(elements * 4, 1));
}

/**
 * Writes an ONNX model `Y = Relu(X·W + B)` with X of shape [N, 4], W [4, 3]
 * and B [3]. W is also listed as a graph input, as models before IR
 * version 4 list their initializers.
 */
export function writeOnnx(file: string): void {
  const node = (op: string, inputs: string[], outputs: string[], domain?: string) => {
    const n = new Proto();
    for (const i of inputs) n.bytes(1, i);
    for (const o of outputs) n.bytes(2, o);
    n.bytes(3, `${op}_0`).bytes(4, op);
    if (domain) n.bytes(7, domain);
    return n;
  };
  const graph = new Proto()
    .bytes(1, node('MatMul', ['X', 'W'], ['XW']))
    .bytes(1, node('Add', ['XW', 'B'], ['Z']))
    .bytes(1, node('Relu', ['Z'], ['Y']))
    .bytes(1, node('Identity', ['Y'], ['Y2'], 'com.example'))
    .bytes(2, 'tiny')
    .bytes(5, initializer('W', [4, 3], true))
    .bytes(5, initializer('B', [3], false))
    .bytes(11, valueInfo('X', 1, ['N', 4]))
    .bytes(11, valueInfo('W', 1, [4, 3]))
    .bytes(12, valueInfo('Y2', 1, ['N', 3]));
  const model = new Proto()
    .int(1, 8)
    .bytes(2, 'flowyml-tests')
    .bytes(3, '1.0')
    .bytes(7, graph)
    .bytes(8, new Proto().bytes(1, '').int(2, 17))
    .bytes(8, new Proto().bytes(1, 'com.example').int(2, 1));
  fs.writeFileSync(file, model.build());
}

// ------------------------------------------------------------------ Python

/** Runs Python code with a JSON document on stdin and parses the JSON it prints. */
export function pythonJson<T>(code: string, input: unknown): T {
  const result = spawnSync(PYTHON, ['-c', code], { input: JSON.stringify(input), encoding: 'utf8', timeout: 60_000, maxBuffer: 512 * 1024 * 1024 });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`python3 failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

export function pythonAvailable(): string | undefined {
  const result = spawnSync(PYTHON, ['-c', 'import sqlite3, statistics'], { encoding: 'utf8' });
  if (result.error) return `${PYTHON} could not be started: ${result.error.message}`;
  return result.status === 0 ? undefined : `${PYTHON} lacks sqlite3 or statistics`;
}

/**
 * Column statistics computed by Python's statistics module from columns of
 * cells (null for a missing value, numbers, or strings): numeric when every
 * non-null cell is a number (not a bool), sample standard deviation, top values by
 * Counter.most_common (ties in first-seen order).
 */
export const PYTHON_STATS_FUNCTION = String.raw`
import collections, json, math, statistics, sys
def column_stats(columns):
    result = {}
    for name, cells in columns:
        values = [c for c in cells if c is not None and not (isinstance(c, float) and math.isnan(c))]
        nulls = len(cells) - len(values)
        if not values:
            result[name] = {"dtype": "empty", "count": 0, "nulls": nulls, "unique": 0}
        elif all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
            result[name] = {
                "dtype": "numeric", "count": len(values), "nulls": nulls, "unique": len(set(values)),
                "mean": statistics.fmean(values), "std": statistics.stdev(values) if len(values) > 1 else None,
                "min": min(values), "max": max(values),
            }
        else:
            texts = [str(v) for v in values]
            result[name] = {
                "dtype": "categorical", "count": len(values), "nulls": nulls, "unique": len(set(texts)),
                "top_values": [value for value, _ in collections.Counter(texts).most_common(5)],
            }
    return result
`;

export function pythonColumnStats(columns: [string, (number | string | null | boolean)[]][]): Record<string, Record<string, unknown>> {
  return pythonJson(`${PYTHON_STATS_FUNCTION}\nprint(json.dumps(column_stats(json.load(sys.stdin))))`, columns);
}
