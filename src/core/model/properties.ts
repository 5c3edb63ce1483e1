/**
 * Maps stored properties to the seed's property names per asset type. The
 * stored keys often differ from the seed (`samples` for `num_samples`,
 * `format` for `prompt_format`), catalog metadata may be flat or nested under
 * `properties`, and many keys have no seed name at all. Every unmapped key is
 * kept in `extra`; no value is ever invented.
 */
import type { TypedProperties } from '../api';
import type { AssetTypeName } from './types';
import { hasOwn, setOwn } from '../json/records';

/** For each seed name, the stored keys that carry it, in order of preference. */
const SEED_KEYS: Partial<Record<AssetTypeName, Record<string, readonly string[]>>> = {
  Dataset: {
    num_samples: ['num_samples', 'samples', 'rows', 'num_rows', 'n_samples'],
    num_features: ['num_features', 'n_features'],
    feature_columns: ['feature_columns'],
    column_stats: ['column_stats'],
  },
  Model: {
    framework: ['framework'],
    parameters: ['parameters', 'num_parameters', 'total_parameters', 'param_count'],
    num_layers: ['num_layers', 'layers_count'],
    optimizer: ['optimizer'],
    training_history: ['training_history'],
    model_class: ['model_class', 'architecture'],
    hyperparameters: ['hyperparameters'],
  },
  Prompt: {
    template: ['template'],
    variables: ['variables'],
    prompt_format: ['prompt_format', 'format'],
  },
  Checkpoint: {
    epoch: ['epoch'],
    step: ['step'],
    checkpoint_metrics: ['checkpoint_metrics', 'metrics'],
    is_best: ['is_best'],
    file_path: ['file_path'],
  },
};

/** Keys of a Prompt that FlowyML collects into `model_config`. */
const PROMPT_MODEL_KEYS = ['model', 'temperature', 'max_tokens', 'top_p', 'stop', 'frequency_penalty', 'presence_penalty'];

/** Keys that hold a copy of the data itself, not a property of it. */
export const BULK_DATA_KEYS = ['_full_data', 'data'];

/**
 * Splits stored properties into seed-named ones and the rest.
 * `stored` is the `properties` object of a metadata.db row or catalog row,
 * with `topLevel` holding keys stored beside it (a Model's `training_history`,
 * a registered Prompt's `template`).
 */
export function mapProperties(
  type: AssetTypeName,
  stored: Record<string, unknown>,
  topLevel: Record<string, unknown> = {},
): TypedProperties {
  const typed: Record<string, unknown> = {};
  const extra: Record<string, unknown> = {};
  const usedStored = new Set<string>();
  const usedTop = new Set<string>();

  const lookup = (key: string): { value: unknown; from: 'stored' | 'top' } | undefined => {
    if (hasOwn(stored, key) && stored[key] !== undefined && !usedStored.has(key)) return { value: stored[key], from: 'stored' };
    if (hasOwn(topLevel, key) && topLevel[key] !== undefined && !usedTop.has(key)) return { value: topLevel[key], from: 'top' };
    return undefined;
  };
  const take = (key: string, from: 'stored' | 'top') => (from === 'stored' ? usedStored : usedTop).add(key);

  const seedKeys = SEED_KEYS[type];
  if (seedKeys) {
    for (const [seedName, keys] of Object.entries(seedKeys)) {
      for (const key of keys) {
        const found = lookup(key);
        if (!found) continue;
        typed[seedName] = found.value;
        take(key, found.from);
        break;
      }
    }
  }

  if (type === 'Prompt') {
    const modelConfig: Record<string, unknown> = {};
    for (const key of PROMPT_MODEL_KEYS) {
      const found = lookup(key);
      if (!found) continue;
      setOwn(modelConfig, key, found.value);
      take(key, found.from);
    }
    if (Object.keys(modelConfig).length > 0) typed.model_config = modelConfig;
  }

  for (const [key, value] of Object.entries(stored)) {
    if (usedStored.has(key)) continue;
    if (type === 'Metrics' && isMetricValue(value)) {
      setOwn(typed, key, value);
    } else if ((type === 'FeatureSet' || type === 'Report' || type === 'Artifact') && !key.startsWith('_')) {
      setOwn(typed, key, value);
    } else {
      setOwn(extra, key, value);
    }
  }
  // Keys stored beside the properties (asset_id, the value repr) are facts of the row, not properties.
  for (const [key, value] of Object.entries(topLevel)) {
    if (!usedTop.has(key) && !hasOwn(extra, key)) setOwn(extra, key, value);
  }

  return { typed, extra };
}

function isMetricValue(value: unknown): boolean {
  return typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean';
}

/** The object of stored properties, whether it is nested under `properties` or flat. */
export function storedPropertiesOf(metadata: unknown): { properties: Record<string, unknown>; rest: Record<string, unknown> } {
  if (!isPlainObject(metadata)) return { properties: {}, rest: {} };
  const { properties, ...rest } = metadata;
  if (isPlainObject(properties)) return { properties, rest };
  return { properties: { ...metadata }, rest: {} };
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
