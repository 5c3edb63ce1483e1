/**
 * Chooses an asset type for a file, folder or value and extracts its
 * properties under the names FlowyML's asset classes use (`num_samples`,
 * `framework`, `epoch`, …), without Python:
 *
 * - CSV, TSV, JSON Lines, JSON records, Parquet → Dataset
 * - safetensors, Keras, ONNX, Hugging Face folders, pickle/joblib/torch → Model
 * - `.ckpt` → Checkpoint
 * - a JSON object of numbers → Metrics
 * - `.txt`, `.md`, `.prompt`, or YAML/JSON with `template` or `messages` → Prompt
 * - anything else → Artifact
 *
 * The caller may ask for any type instead; a file that cannot be read as
 * that type is rejected with an ExtractionError.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parseTolerantJson } from '../json/tolerant';
import { ASSET_TYPES, type SeedAssetType } from '../model/types';
import { huggingFaceModelProperties, isHuggingFaceFolder, kerasModelProperties, opaqueModelProperties, safetensorsModelProperties, torchArchiveProperties } from './model-files';
import { onnxModelProperties } from './onnx';
import { parquetStats } from './parquet';
import { isPromptDefinition, structuredPrompt, textPromptProperties, textPromptWarnings } from './prompt';
import { readSafetensorsHeader } from './safetensors';
import { delimitedStats, describeJson, isRecord, jsonLinesStats, recordsStats } from './tabular';
import { ExtractionError, type Extraction, type ExtractOptions } from './types';

/** JSON and YAML documents (not JSON Lines) are parsed whole, so larger ones are rejected rather than exhaust memory. */
export const MAX_DOCUMENT_BYTES = 256 * 1024 * 1024;
/** Text prompts are read whole, so this bounds the memory a mistaken choice of file can take. */
const MAX_PROMPT_BYTES = 16 * 1024 * 1024;
/** Checkpoints list at most this many state keys, as FlowyML's Checkpoint does. */
const MAX_STATE_KEYS = 20;

/** Facts of a checkpoint that no file states: the caller supplies them. */
export interface CheckpointFacts {
  epoch?: number;
  step?: number;
  isBest?: boolean;
  metrics?: Record<string, number>;
}

export interface FileExtractOptions extends ExtractOptions {
  /** The type to register as, instead of the inferred one. */
  type?: SeedAssetType;
  checkpoint?: CheckpointFacts;
}

const TABULAR_EXTENSIONS = new Set(['.csv', '.tsv', '.jsonl', '.ndjson', '.parquet', '.pq']);
const MODEL_EXTENSIONS = new Set(['.safetensors', '.keras', '.onnx', '.pkl', '.pickle', '.joblib', '.pt', '.pth']);
const PROMPT_EXTENSIONS = new Set(['.txt', '.md', '.prompt']);
const YAML_EXTENSIONS = new Set(['.yaml', '.yml']);

export function isSeedAssetType(value: string): value is SeedAssetType {
  return (ASSET_TYPES as readonly string[]).includes(value);
}

/** Picks the type of a file or folder when the caller does not. */
export function inferAssetType(target: string): SeedAssetType {
  const stat = statOrThrow(target);
  if (stat.isDirectory()) return isHuggingFaceFolder(target) ? 'Model' : 'Artifact';
  const extension = path.extname(target).toLowerCase();
  if (TABULAR_EXTENSIONS.has(extension)) return 'Dataset';
  if (MODEL_EXTENSIONS.has(extension)) return 'Model';
  if (extension === '.ckpt') return 'Checkpoint';
  if (PROMPT_EXTENSIONS.has(extension)) return 'Prompt';
  if (extension === '.json' || YAML_EXTENSIONS.has(extension)) {
    if (stat.size > MAX_DOCUMENT_BYTES) return 'Artifact';
    const document = readDocument(target, extension);
    if (isPromptDefinition(document)) return 'Prompt';
    if (extension === '.json' && isRecordArray(document)) return 'Dataset';
    if (extension === '.json' && isMetricsObject(document)) return 'Metrics';
  }
  return 'Artifact';
}

/** Reads the properties of a file or folder as the requested or inferred type. */
export async function extractFile(target: string, options: FileExtractOptions = {}): Promise<Extraction> {
  const stat = statOrThrow(target);
  const type = options.type ?? inferAssetType(target);
  if (stat.isDirectory()) return extractFolder(target, type);
  if (!stat.isFile()) throw new ExtractionError('unsupported', `${target} is neither a file nor a folder.`);
  assertReadable(target);

  const extension = path.extname(target).toLowerCase();
  const warnings: string[] = [];
  let properties: Record<string, unknown>;
  let template: unknown;

  switch (type) {
    case 'Dataset':
    case 'FeatureSet': {
      const result = await tabularProperties(target, extension, type, options);
      properties = result.properties;
      warnings.push(...result.warnings);
      break;
    }
    case 'Model':
      properties = await modelProperties(target, extension, options);
      if (!('framework' in properties) && !['.safetensors', '.keras', '.onnx'].includes(extension)) {
        warnings.push('The file is not deserialized, so only its size and hash are recorded.');
      }
      break;
    case 'Checkpoint':
      properties = await checkpointProperties(target, extension, options);
      break;
    case 'Metrics':
      properties = metricsProperties(target, extension);
      break;
    case 'Prompt': {
      const prompt = promptOf(target, extension);
      properties = prompt.properties;
      template = prompt.template;
      warnings.push(...prompt.warnings);
      break;
    }
    default:
      properties = { format: extension.replace(/^\./, '') || null };
  }
  properties.file_size = stat.size;
  return { type, properties, template, warnings };
}

async function tabularProperties(target: string, extension: string, type: SeedAssetType, options: ExtractOptions): Promise<{ properties: Record<string, unknown>; warnings: string[] }> {
  if (extension === '.csv') return delimitedStats(target, ',', options);
  if (extension === '.tsv') return delimitedStats(target, '\t', options);
  if (extension === '.jsonl' || extension === '.ndjson') return jsonLinesStats(target, options);
  if (extension === '.parquet' || extension === '.pq') return parquetStats(target, options);
  if (extension === '.json') {
    const document = readDocument(target, extension);
    if (!isRecordArray(document)) throw new ExtractionError('invalid', `${target} is not an array of JSON objects, so it cannot be read as a ${type}; found ${describeJson(document)}.`);
    return { properties: recordsStats(document), warnings: [] };
  }
  throw new ExtractionError('unsupported', `${target} cannot be read as a ${type}: supported formats are CSV, TSV, JSON Lines, JSON records and Parquet.`);
}

async function modelProperties(target: string, extension: string, options: ExtractOptions): Promise<Record<string, unknown>> {
  if (extension === '.safetensors') return safetensorsModelProperties(target);
  if (extension === '.keras') return kerasModelProperties(target, options);
  if (extension === '.onnx') return onnxModelProperties(target, options);
  return opaqueModelProperties(target, options);
}

async function checkpointProperties(target: string, extension: string, options: FileExtractOptions): Promise<Record<string, unknown>> {
  const facts = options.checkpoint ?? {};
  const properties: Record<string, unknown> = {};
  if (facts.epoch !== undefined) properties.epoch = facts.epoch;
  if (facts.step !== undefined) properties.step = facts.step;
  if (facts.metrics !== undefined) properties.checkpoint_metrics = facts.metrics;
  // FlowyML's Checkpoint always records is_best.
  properties.is_best = facts.isBest ?? false;

  if (extension === '.safetensors') {
    const summary = readSafetensorsHeader(target);
    properties.num_tensors = summary.numTensors;
    properties.state_keys = summary.tensorNames.slice(0, MAX_STATE_KEYS);
    properties.parameters = summary.parameters;
    properties.format = 'safetensors';
  } else if (extension === '.pt' || extension === '.pth' || extension === '.ckpt') {
    Object.assign(properties, await torchArchiveProperties(target, options));
  }
  return properties;
}

function metricsProperties(target: string, extension: string): Record<string, unknown> {
  if (extension !== '.json' && !YAML_EXTENSIONS.has(extension)) {
    throw new ExtractionError('unsupported', `${target} cannot be read as Metrics: metrics are a JSON or YAML object of numbers.`);
  }
  const document = readDocument(target, extension);
  if (!isMetricsObject(document)) throw new ExtractionError('invalid', `${target} is not an object whose values are all numbers (or objects of numbers), so it cannot be read as Metrics.`);
  return { ...document };
}

function promptOf(target: string, extension: string): { properties: Record<string, unknown>; template: unknown; warnings: string[] } {
  if (extension === '.json' || YAML_EXTENSIONS.has(extension)) {
    const document = readDocument(target, extension);
    if (!isPromptDefinition(document)) throw new ExtractionError('invalid', `${target} has no "template" or "messages", so it cannot be read as a Prompt.`);
    return structuredPrompt(document, target);
  }
  const size = fs.statSync(target).size;
  if (size > MAX_PROMPT_BYTES) throw new ExtractionError('unsupported', `${target} is ${size} bytes; a prompt template is read whole and may be at most ${MAX_PROMPT_BYTES} bytes.`);
  const text = decodeUtf8(target);
  return { properties: textPromptProperties(text), template: text, warnings: textPromptWarnings(text, target) };
}

function extractFolder(target: string, type: SeedAssetType): Extraction {
  if (type === 'Model' && isHuggingFaceFolder(target)) {
    const { properties, warnings } = huggingFaceModelProperties(target);
    return { type, properties, warnings };
  }
  if (type !== 'Artifact' && type !== 'Model' && type !== 'Asset' && type !== 'Report') {
    throw new ExtractionError('unsupported', `${target} is a folder; only a Model (a Hugging Face folder with config.json) or an Artifact can be registered from a folder.`);
  }
  let files = 0;
  let bytes = 0;
  for (const file of listFiles(target)) {
    files++;
    bytes += fs.statSync(file).size;
  }
  return { type, properties: { format: 'folder', num_files: files, total_size: bytes }, warnings: [] };
}

/** Lists every regular file under a folder, sorted by path. Symbolic links are not followed. */
export function listFiles(folder: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) found.push(full);
    }
  };
  walk(folder);
  return found.sort();
}

function statOrThrow(target: string): fs.Stats {
  try {
    return fs.statSync(target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'it does not exist' : (error as Error).message;
    throw new ExtractionError('unreadable', `Cannot read ${target}: ${reason}.`, { cause: error });
  }
}

function assertReadable(target: string): void {
  try {
    fs.accessSync(target, fs.constants.R_OK);
  } catch (error) {
    throw new ExtractionError('unreadable', `Cannot read ${target}: ${(error as Error).message}.`, { cause: error });
  }
}

function decodeUtf8(target: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(fs.readFileSync(target)).replace(/^\uFEFF/, '');
  } catch (error) {
    throw new ExtractionError('invalid', `${target} is not UTF-8 text: ${(error as Error).message}.`, { cause: error });
  }
}

function readDocument(target: string, extension: string): unknown {
  const size = fs.statSync(target).size;
  if (size > MAX_DOCUMENT_BYTES) {
    throw new ExtractionError('unsupported', `${target} is ${size} bytes; JSON and YAML documents are read whole and may be at most ${MAX_DOCUMENT_BYTES} bytes (JSON Lines files are streamed instead).`);
  }
  const text = decodeUtf8(target);
  try {
    return extension === '.json' ? parseTolerantJson(text) : parseYaml(text);
  } catch (error) {
    throw new ExtractionError('invalid', `${target} is not valid ${extension === '.json' ? 'JSON' : 'YAML'}: ${(error as Error).message}`, { cause: error });
  }
}

function isRecordArray(value: unknown): value is Record<string, unknown>[] {
  return Array.isArray(value) && value.length > 0 && value.every(isRecord);
}

/** Checks for a non-empty object whose leaves are all numbers. */
export function isMetricsObject(value: unknown): value is Record<string, unknown> {
  if (!isRecord(value) || Object.keys(value).length === 0) return false;
  return Object.values(value).every((v) => typeof v === 'number' || typeof v === 'bigint' || isMetricsObject(v));
}
