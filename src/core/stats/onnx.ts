/**
 * Reads an ONNX model's graph inputs, outputs, operators and initializer
 * shapes by walking its protobuf encoding directly.
 *
 * Hand-written rather than built on onnx-proto or protobufjs because those
 * decode the whole ModelProto, including every initializer's raw weights,
 * into memory. This reader reads the file through a small chunk cache and
 * skips the bytes of fields it does not need, so a multi-gigabyte model
 * costs only its graph structure. Field numbers follow onnx/onnx.proto
 * (IR version 10).
 */
import fs from 'node:fs';
import { ExtractionError, type ExtractOptions, throwIfAborted } from './types';

const CHUNK_BYTES = 64 * 1024;

/** TensorProto.DataType names by number. */
const ELEMENT_TYPES = [
  'UNDEFINED', 'FLOAT', 'UINT8', 'INT8', 'UINT16', 'INT16', 'INT32', 'INT64', 'STRING', 'BOOL', 'FLOAT16',
  'DOUBLE', 'UINT32', 'UINT64', 'COMPLEX64', 'COMPLEX128', 'BFLOAT16', 'FLOAT8E4M3FN', 'FLOAT8E4M3FNUZ',
  'FLOAT8E5M2', 'FLOAT8E5M2FNUZ', 'UINT4', 'INT4', 'FLOAT4E2M1',
];

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_BYTES = 2;
const WIRE_FIXED32 = 5;

/** Positioned reads of one file through a one-chunk cache. */
class FileReader {
  private chunk = Buffer.alloc(0);
  private chunkStart = 0;

  constructor(private readonly fd: number, readonly size: number) {}

  byte(position: number): number {
    if (position < this.chunkStart || position >= this.chunkStart + this.chunk.length) {
      if (position >= this.size) throw new RangeError('read past the end of the file');
      const buffer = Buffer.alloc(Math.min(CHUNK_BYTES, this.size - position));
      const read = fs.readSync(this.fd, buffer, 0, buffer.length, position);
      this.chunk = buffer.subarray(0, read);
      this.chunkStart = position;
      if (read === 0) throw new RangeError('read past the end of the file');
    }
    return this.chunk[position - this.chunkStart];
  }

  bytes(start: number, end: number): Buffer {
    const buffer = Buffer.alloc(end - start);
    fs.readSync(this.fd, buffer, 0, buffer.length, start);
    return buffer;
  }
}

interface Field {
  number: number;
  wire: number;
  /** The varint value for wire type 0. */
  value: bigint;
  /** Byte range of the payload for wire type 2. */
  start: number;
  end: number;
}

/** Iterates the fields of a message occupying [start, end). */
function* fields(reader: FileReader, start: number, end: number): Generator<Field> {
  let position = start;
  while (position < end) {
    const [key, afterKey] = varint(reader, position);
    const number = Number(key >> BigInt(3));
    const wire = Number(key & BigInt(7));
    position = afterKey;
    if (wire === WIRE_VARINT) {
      const [value, next] = varint(reader, position);
      yield { number, wire, value, start: position, end: next };
      position = next;
    } else if (wire === WIRE_BYTES) {
      const [length, next] = varint(reader, position);
      const payloadEnd = next + Number(length);
      if (payloadEnd > end) throw new RangeError(`field ${number} runs past its message`);
      yield { number, wire, value: BigInt(0), start: next, end: payloadEnd };
      position = payloadEnd;
    } else if (wire === WIRE_FIXED64) {
      position += 8;
    } else if (wire === WIRE_FIXED32) {
      position += 4;
    } else {
      throw new RangeError(`unsupported wire type ${wire}`);
    }
  }
  if (position !== end) throw new RangeError('a field runs past its message');
}

function varint(reader: FileReader, start: number): [bigint, number] {
  let result = BigInt(0);
  let shift = BigInt(0);
  for (let position = start; position < start + 10; position++) {
    const byte = reader.byte(position);
    result |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return [result, position + 1];
    shift += BigInt(7);
  }
  throw new RangeError('a varint is longer than 10 bytes');
}

/** Reads a protobuf int64 varint as a JavaScript number (two's complement for negatives). */
function int64(value: bigint): number {
  return Number(BigInt.asIntN(64, value));
}

function text(reader: FileReader, field: Field): string {
  return reader.bytes(field.start, field.end).toString('utf8');
}

export interface OnnxValueInfo {
  name: string;
  elem_type: string | null;
  /** Each dimension as a number, a symbolic name, or null when unknown. */
  shape: (number | string | null)[] | null;
}

export interface OnnxSummary {
  irVersion: number | undefined;
  producer: string | undefined;
  opsets: Record<string, number>;
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  /** Nodes of the main graph; nodes inside subgraphs (If, Loop bodies) are not counted. */
  numNodes: number;
  operators: Record<string, number>;
  numInitializers: number;
  parameters: number;
}

export function readOnnxModel(file: string, options: ExtractOptions = {}): OnnxSummary {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (error) {
    throw new ExtractionError('unreadable', `Could not open ${file}: ${(error as Error).message}`, { cause: error });
  }
  try {
    const reader = new FileReader(fd, fs.fstatSync(fd).size);
    return readModel(reader, options);
  } catch (error) {
    if (error instanceof ExtractionError) throw error;
    throw new ExtractionError('invalid', `${file} is not a readable ONNX model: ${(error as Error).message}.`, { cause: error });
  } finally {
    fs.closeSync(fd);
  }
}

function readModel(reader: FileReader, options: ExtractOptions): OnnxSummary {
  const summary: OnnxSummary = {
    irVersion: undefined, producer: undefined, opsets: {}, inputs: [], outputs: [], numNodes: 0, operators: {}, numInitializers: 0, parameters: 0,
  };
  let graph: Field | undefined;
  for (const field of fields(reader, 0, reader.size)) {
    if (field.number === 1 && field.wire === WIRE_VARINT) summary.irVersion = int64(field.value);
    else if (field.number === 2 && field.wire === WIRE_BYTES) summary.producer = text(reader, field);
    else if (field.number === 7 && field.wire === WIRE_BYTES) graph = field;
    else if (field.number === 8 && field.wire === WIRE_BYTES) readOpset(reader, field, summary.opsets);
  }
  if (summary.irVersion === undefined || !graph) throw new RangeError('it has no IR version or no graph');

  const initializerNames = new Set<string>();
  const inputs: OnnxValueInfo[] = [];
  for (const field of fields(reader, graph.start, graph.end)) {
    throwIfAborted(options.signal);
    if (field.wire !== WIRE_BYTES) continue;
    if (field.number === 1) {
      summary.numNodes++;
      const op = nodeOpType(reader, field);
      summary.operators[op] = (summary.operators[op] ?? 0) + 1;
    } else if (field.number === 5) {
      const { name, elements } = tensorShape(reader, field);
      initializerNames.add(name);
      summary.numInitializers++;
      summary.parameters += elements;
    } else if (field.number === 11) {
      inputs.push(valueInfo(reader, field));
    } else if (field.number === 12) {
      summary.outputs.push(valueInfo(reader, field));
    }
  }
  // Before IR version 4 every initializer was also listed as a graph input; those are weights, not inputs.
  summary.inputs = inputs.filter((input) => !initializerNames.has(input.name));
  return summary;
}

function readOpset(reader: FileReader, message: Field, opsets: Record<string, number>): void {
  let domain = '';
  let version = 0;
  for (const field of fields(reader, message.start, message.end)) {
    if (field.number === 1 && field.wire === WIRE_BYTES) domain = text(reader, field);
    else if (field.number === 2 && field.wire === WIRE_VARINT) version = int64(field.value);
  }
  opsets[domain === '' ? 'ai.onnx' : domain] = version;
}

function nodeOpType(reader: FileReader, message: Field): string {
  let op = '';
  let domain = '';
  for (const field of fields(reader, message.start, message.end)) {
    if (field.number === 4 && field.wire === WIRE_BYTES) op = text(reader, field);
    else if (field.number === 7 && field.wire === WIRE_BYTES) domain = text(reader, field);
  }
  return domain === '' || domain === 'ai.onnx' ? op : `${domain}.${op}`;
}

function tensorShape(reader: FileReader, message: Field): { name: string; elements: number } {
  let name = '';
  const dims: number[] = [];
  for (const field of fields(reader, message.start, message.end)) {
    if (field.number === 1 && field.wire === WIRE_VARINT) {
      dims.push(int64(field.value));
    } else if (field.number === 1 && field.wire === WIRE_BYTES) {
      // Packed repeated int64.
      let position = field.start;
      while (position < field.end) {
        const [value, next] = varint(reader, position);
        dims.push(int64(value));
        position = next;
      }
    } else if (field.number === 8 && field.wire === WIRE_BYTES) {
      name = text(reader, field);
    }
  }
  return { name, elements: dims.reduce((product, d) => product * d, 1) };
}

function valueInfo(reader: FileReader, message: Field): OnnxValueInfo {
  const info: OnnxValueInfo = { name: '', elem_type: null, shape: null };
  for (const field of fields(reader, message.start, message.end)) {
    if (field.number === 1 && field.wire === WIRE_BYTES) info.name = text(reader, field);
    else if (field.number === 2 && field.wire === WIRE_BYTES) readType(reader, field, info);
  }
  return info;
}

function readType(reader: FileReader, message: Field, info: OnnxValueInfo): void {
  for (const field of fields(reader, message.start, message.end)) {
    // TypeProto.tensor_type (1); sequence, map and optional types are left without element type and shape.
    if (field.number !== 1 || field.wire !== WIRE_BYTES) continue;
    for (const inner of fields(reader, field.start, field.end)) {
      if (inner.number === 1 && inner.wire === WIRE_VARINT) info.elem_type = ELEMENT_TYPES[Number(inner.value)] ?? `TYPE_${inner.value}`;
      else if (inner.number === 2 && inner.wire === WIRE_BYTES) info.shape = readShape(reader, inner);
    }
  }
}

function readShape(reader: FileReader, message: Field): (number | string | null)[] {
  const dims: (number | string | null)[] = [];
  for (const field of fields(reader, message.start, message.end)) {
    if (field.number !== 1 || field.wire !== WIRE_BYTES) continue;
    let dim: number | string | null = null;
    for (const inner of fields(reader, field.start, field.end)) {
      if (inner.number === 1 && inner.wire === WIRE_VARINT) dim = int64(inner.value);
      else if (inner.number === 2 && inner.wire === WIRE_BYTES) dim = text(reader, inner);
    }
    dims.push(dim);
  }
  return dims;
}

export function onnxModelProperties(file: string, options: ExtractOptions): Record<string, unknown> {
  const summary = readOnnxModel(file, options);
  return {
    framework: 'onnx',
    format: 'onnx',
    ir_version: summary.irVersion,
    opset: summary.opsets,
    ...(summary.producer ? { producer: summary.producer } : {}),
    inputs: summary.inputs,
    outputs: summary.outputs,
    num_operators: summary.numNodes,
    operators: summary.operators,
    num_initializers: summary.numInitializers,
    parameters: summary.parameters,
  };
}
