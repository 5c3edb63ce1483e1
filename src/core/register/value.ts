/**
 * Properties of a value registered from text (an editor selection of JSON
 * or YAML), read as the Python object FlowyML would receive: `json.loads`
 * for JSON, PyYAML's `yaml.safe_load` for YAML.
 */
import type { SeedAssetType } from '../model/types';
import { isMetricsObject } from '../stats/extract';
import { isPromptDefinition, structuredPrompt } from '../stats/prompt';
import { recordsStats } from '../stats/tabular';
import type { Extraction } from '../stats/types';
import { RegisterError } from './errors';
import { parsePythonJson, PyDict, PythonJsonError, type PyValue, toPlain } from './python-json';
import { parsePythonYaml } from './python-yaml';

export type ValueSyntax = 'json' | 'yaml';

export function parseValue(text: string, syntax: ValueSyntax): PyValue {
  try {
    return syntax === 'json' ? parsePythonJson(text) : parsePythonYaml(text);
  } catch (error) {
    if (error instanceof PythonJsonError) throw new RegisterError('invalid-input', `The selection is not a value that can be registered: ${error.message}`, { cause: error });
    throw error;
  }
}

/** Picks the type of a value when the caller does not: Metrics for an object of numbers, Prompt for a prompt definition, else Artifact. */
export function inferValueType(value: PyValue): SeedAssetType {
  const plain = toPlain(value);
  if (isPromptDefinition(plain)) return 'Prompt';
  if (isMetricsObject(plain)) return 'Metrics';
  return 'Artifact';
}

/** An extraction whose properties also exist as Python values, so that `1.0` is stored as `1.0`, not `1`. */
export interface ValueExtraction extends Extraction {
  pythonProperties?: PyDict;
}

export function extractValue(value: PyValue, type: SeedAssetType): ValueExtraction {
  const plain = toPlain(value);
  switch (type) {
    case 'Metrics':
      if (!isMetricsObject(plain) || !(value instanceof PyDict)) throw new RegisterError('unsupported', 'The value is not an object whose values are all numbers (or objects of numbers), so it cannot be registered as Metrics.');
      return { type, properties: { ...plain }, pythonProperties: value, warnings: [] };
    case 'Prompt': {
      if (!isPromptDefinition(plain)) throw new RegisterError('unsupported', 'The value has no "template" or "messages", so it cannot be registered as a Prompt.');
      const { properties, template, warnings } = structuredPrompt(plain, 'the value');
      return { type, properties, template, warnings };
    }
    case 'Dataset':
    case 'FeatureSet':
      if (!Array.isArray(plain) || plain.length === 0 || !plain.every((r) => typeof r === 'object' && r !== null && !Array.isArray(r))) {
        throw new RegisterError('unsupported', `The value is not a list of records, so it cannot be registered as a ${type}.`);
      }
      return { type, properties: recordsStats(plain as Record<string, unknown>[]), warnings: [] };
    default: {
      // The value itself is kept, because the catalog row is the only place it is stored.
      const pythonProperties = new PyDict();
      pythonProperties.set('value', value);
      return { type, properties: { value: plain }, pythonProperties, warnings: [] };
    }
  }
}
