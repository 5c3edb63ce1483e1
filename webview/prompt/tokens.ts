/**
 * Token counts for the models whose tokenizer ships offline in gpt-tokenizer:
 * OpenAI's o200k_base and cl100k_base encodings. Each encoding is imported
 * from its own entry point, so p50k_base and r50k_base stay out of the bundle.
 * NOTE: the webview is one IIFE, so both tables are bundled (about 2.9 MB and
 * 1.1 MB) even though a prompt uses only one.
 */
import { countTokens as countCl100k } from 'gpt-tokenizer/encoding/cl100k_base';
import { countTokens as countO200k } from 'gpt-tokenizer/encoding/o200k_base';

export type EncodingName = 'o200k_base' | 'cl100k_base';

const COUNTERS: Record<EncodingName, (text: string) => number> = {
  o200k_base: countO200k,
  cl100k_base: countCl100k,
};

/**
 * Model name prefixes and their encodings. gpt-tokenizer 3.4.0's `modelsMap`
 * lists the gpt-4 and gpt-3.5 models as cl100k_base and gives every other name
 * o200k_base, which would be wrong for claude, gemini or llama, so only the
 * OpenAI families below get a count. `gpt-4o`, `gpt-4.1` and `gpt-4.5` come
 * before `gpt-4` because the first matching prefix wins.
 */
const ENCODING_BY_PREFIX: [prefix: string, encoding: EncodingName][] = [
  ['gpt-4o', 'o200k_base'],
  ['gpt-4.1', 'o200k_base'],
  ['gpt-4.5', 'o200k_base'],
  ['chatgpt-4o', 'o200k_base'],
  ['o1', 'o200k_base'],
  ['o3', 'o200k_base'],
  ['o4-mini', 'o200k_base'],
  ['gpt-4', 'cl100k_base'],
  ['gpt-3.5', 'cl100k_base'],
];

/** Finds the encoding of a model name, or undefined for a family with no offline tokenizer. */
export function encodingForModel(model: string | undefined): EncodingName | undefined {
  if (model === undefined) return undefined;

  const name = model.trim().toLowerCase();
  return ENCODING_BY_PREFIX.find(([prefix]) => name.startsWith(prefix))?.[1];
}

/** Counts the tokens of each text with one encoding and returns the sum. */
export function countTokens(texts: string[], encoding: EncodingName): number {
  const count = COUNTERS[encoding];
  return texts.reduce((sum, text) => sum + count(text), 0);
}
