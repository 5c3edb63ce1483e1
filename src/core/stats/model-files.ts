/**
 * Model facts read from model files without running any framework:
 * safetensors headers, Keras `.keras` archives, Hugging Face model folders,
 * and the archive layout of PyTorch files. Pickle-based files are never
 * unpickled, because loading a pickle runs code from the file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { frameworkOfSafetensors, readSafetensorsHeader } from './safetensors';
import { ExtractionError, type ExtractOptions } from './types';
import { isZipFile, readZipEntries } from './zip';

/** The format each never-deserialized model extension is written in. */
const SERIALIZATION_BY_EXTENSION: Record<string, string> = { '.joblib': 'joblib', '.pt': 'torch', '.pth': 'torch' };

/** Keras layer lists longer than this are summarised by count only. */
const MAX_LISTED_LAYERS = 500;

export function safetensorsModelProperties(file: string): Record<string, unknown> {
  const summary = readSafetensorsHeader(file);
  const properties: Record<string, unknown> = {};
  const framework = frameworkOfSafetensors(summary.metadata);
  if (framework) properties.framework = framework;
  properties.parameters = summary.parameters;
  properties.num_tensors = summary.numTensors;
  properties.dtypes = summary.dtypes;
  properties.format = 'safetensors';
  if (Object.keys(summary.metadata).length > 0) properties.safetensors_metadata = summary.metadata;
  return properties;
}

interface KerasObject {
  class_name?: unknown;
  config?: unknown;
}

export async function kerasModelProperties(file: string, options: ExtractOptions): Promise<Record<string, unknown>> {
  const wantedNames = new Set(['config.json', 'metadata.json']);
  const read = await readZipEntries(file, (name) => wantedNames.has(name), (r) => r.entries.has('config.json') && r.entries.has('metadata.json'), options);
  const configBytes = read.entries.get('config.json');
  if (!configBytes) throw new ExtractionError('invalid', `${file} has no config.json entry, so it is not a Keras 3 .keras archive.`);
  const config = parseJsonEntry(file, 'config.json', configBytes) as KerasObject & { compile_config?: Record<string, unknown> };

  const properties: Record<string, unknown> = { framework: 'keras' };
  if (typeof config.class_name === 'string') properties.model_class = config.class_name;

  const inner = isObject(config.config) ? config.config : {};
  const layers = Array.isArray(inner.layers) ? (inner.layers as KerasObject[]) : [];
  // model.layers in Keras leaves out the InputLayer that the saved config lists.
  const modelLayers = layers.filter((layer) => layer?.class_name !== 'InputLayer');
  properties.num_layers = modelLayers.length;
  properties.layers = modelLayers.slice(0, MAX_LISTED_LAYERS).map((layer) => ({
    name: isObject(layer.config) && typeof layer.config.name === 'string' ? layer.config.name : null,
    class_name: typeof layer.class_name === 'string' ? layer.class_name : null,
  }));

  const compile = isObject(config.compile_config) ? config.compile_config : undefined;
  if (compile) {
    const optimizer = kerasObjectName(compile.optimizer);
    if (optimizer !== undefined) properties.optimizer = optimizer;
    const optimizerConfig = isObject(compile.optimizer) && isObject(compile.optimizer.config) ? compile.optimizer.config : undefined;
    if (typeof optimizerConfig?.learning_rate === 'number') properties.learning_rate = optimizerConfig.learning_rate;
    const loss = kerasObjectName(compile.loss);
    if (loss !== undefined) properties.loss = loss;
    if (Array.isArray(compile.metrics)) properties.metrics = compile.metrics.map((m) => kerasObjectName(m) ?? null);
  }

  const metadataBytes = read.entries.get('metadata.json');
  if (metadataBytes) {
    const metadata = parseJsonEntry(file, 'metadata.json', metadataBytes);
    if (isObject(metadata) && typeof metadata.keras_version === 'string') properties.keras_version = metadata.keras_version;
  }
  properties.format = 'keras';
  return properties;
}

/** Reads the name of a serialized Keras object: a plain string (`"adam"`), or the class name of `{class_name, config}`. */
function kerasObjectName(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (isObject(value) && typeof value.class_name === 'string') return value.class_name;
  return undefined;
}

function parseJsonEntry(file: string, entry: string, bytes: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (error) {
    throw new ExtractionError('invalid', `${file}: ${entry} is not valid JSON (${(error as Error).message}).`);
  }
}

/** True for a folder laid out like a Hugging Face model: a config.json beside the weights. */
export function isHuggingFaceFolder(folder: string): boolean {
  return fs.existsSync(path.join(folder, 'config.json'));
}

/**
 * Reads a Hugging Face model folder: config.json for the architecture and
 * layer count, every top-level `.safetensors` file for the parameter count.
 */
export function huggingFaceModelProperties(folder: string): { properties: Record<string, unknown>; warnings: string[] } {
  const configPath = path.join(folder, 'config.json');
  let config: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(configPath, 'utf8'));
    if (!isObject(parsed)) throw new Error('it is not a JSON object');
    config = parsed;
  } catch (error) {
    throw new ExtractionError('invalid', `${configPath} is not a readable model config: ${(error as Error).message}`);
  }

  const properties: Record<string, unknown> = { framework: 'transformers' };
  const warnings: string[] = [];
  if (Array.isArray(config.architectures) && typeof config.architectures[0] === 'string') properties.model_class = config.architectures[0];
  if (typeof config.model_type === 'string') properties.model_type = config.model_type;
  const layerKey = ['num_hidden_layers', 'n_layer', 'num_layers'].find((key) => Number.isInteger(config[key]));
  if (layerKey) properties.num_layers = config[layerKey];
  for (const key of ['hidden_size', 'vocab_size', 'torch_dtype', 'transformers_version']) {
    if (config[key] !== undefined) properties[key] = config[key];
  }

  const shards = fs.readdirSync(folder).filter((name) => name.endsWith('.safetensors')).sort();
  if (shards.length > 0) {
    let parameters = 0;
    let tensors = 0;
    const dtypes: Record<string, number> = {};
    for (const shard of shards) {
      const summary = readSafetensorsHeader(path.join(folder, shard));
      parameters += summary.parameters;
      tensors += summary.numTensors;
      for (const [dtype, count] of Object.entries(summary.dtypes)) dtypes[dtype] = (dtypes[dtype] ?? 0) + count;
    }
    properties.parameters = parameters;
    properties.num_tensors = tensors;
    properties.dtypes = dtypes;
    properties.weight_files = shards;
  } else {
    warnings.push('No .safetensors weights in the folder, so the parameter count is unknown; pickled weights are never loaded.');
  }
  return { properties, warnings };
}

/**
 * Facts of a file that is never deserialized (`.pkl`, `.joblib`, `.pt`):
 * its serialization, and for `.pt`/`.pth` whether it is torch.save's zip
 * archive.
 */
export async function opaqueModelProperties(file: string, options: ExtractOptions): Promise<Record<string, unknown>> {
  const extension = path.extname(file).toLowerCase();
  const properties: Record<string, unknown> = {};
  if (extension === '.pt' || extension === '.pth') Object.assign(properties, await torchArchiveProperties(file, options));
  properties.serialization = SERIALIZATION_BY_EXTENSION[extension] ?? 'pickle';
  return properties;
}

/**
 * `{framework: "pytorch", format: "torch-zip"}` when the file is the zip
 * archive torch.save writes (an entry `<name>/data.pkl`), else nothing.
 * Only the entry names are read.
 */
export async function torchArchiveProperties(file: string, options: ExtractOptions): Promise<Record<string, unknown>> {
  if (!isZipFile(file)) return {};
  const read = await readZipEntries(file, () => false, (r) => r.names.length > 0, options);
  return read.names.some((name) => /(^|\/)data\.pkl$/.test(name)) ? { framework: 'pytorch', format: 'torch-zip' } : {};
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
