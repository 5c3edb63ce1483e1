/**
 * Facts about symbols that both hovers and CodeLens show: which asset a
 * source name stands for, the latest version of a step output, the status
 * of a step in a run, and the key properties of each asset type.
 */
import type { AssetSummary, AssetTypeName, RunInfo, StepInfo } from '../../core';
import type { AssetCallSymbol, FileSymbols, StepIoSymbol, StepSymbol } from '../python/model';
import type { AssetEntry, NameIndex, VersionEntry } from '../store/nameIndex';
import { formatValue } from './markdown';

/** Finds the asset a static name refers to: one of the call's own type first, else any type with that name. */
export function assetForName(index: NameIndex, name: string, type: AssetTypeName | undefined, root: string | undefined): AssetEntry | undefined {
  const entries = index.assetsNamed(name, root);
  return entries.find((e) => e.summary.type === type) ?? entries[0];
}

/**
 * Returns the step output an unnamed asset call is recorded under. FlowyML
 * names such an asset after the step output, which is known when the
 * enclosing step declares exactly one output.
 */
export function impliedOutputName(symbol: AssetCallSymbol): StepIoSymbol | undefined {
  const outputs = symbol.step?.outputs ?? [];
  return outputs.length === 1 && outputs[0].name.value.kind === 'static' ? outputs[0] : undefined;
}

/** The newest version recorded under a step output name; only versions of `step` when it has any. */
export function latestOfOutput(index: NameIndex, outputName: string, step: string | undefined): VersionEntry | undefined {
  const own = step === undefined ? [] : index.versionsOfOutput(outputName, step);
  const list = own.length > 0 ? own : index.versionsOfOutput(outputName);
  return list[list.length - 1];
}

/** The version a step input stands for: the newest one the step consumed, else the newest recorded under that name. */
export function latestOfInput(index: NameIndex, inputName: string, step: string): VersionEntry | undefined {
  const runs = index.stepRuns(step);
  for (let i = runs.length - 1; i >= 0; i--) {
    for (const id of runs[i].step.consumed) {
      const entry = index.version(id);
      if (entry?.version.outputName === inputName) return entry;
    }
  }
  return latestOfOutput(index, inputName, undefined);
}

/** Distinct names of the steps that consumed any version of an asset. */
export function consumerSteps(index: NameIndex, summary: AssetSummary): string[] {
  const names = new Set<string>();
  for (const version of summary.versions) for (const consumer of index.consumersOf(version.id)) names.add(consumer.step.name);
  return [...names].sort();
}

/** The step's store name for a function passed to `add_step`: from its `@step` when a known file defines it. */
export function stepNameOfFunction(functionName: string, files: FileSymbols[]): { name: string; symbol: StepSymbol | undefined } {
  for (const symbols of files) {
    const symbol = symbols.steps.find((s) => s.functionName === functionName);
    if (symbol) return { name: symbol.name, symbol };
  }
  return { name: functionName, symbol: undefined };
}

/** Describes in words what happened to a step in one run. */
export function stepStatus(step: StepInfo, run: RunInfo): string {
  if (step.cached) return 'cached';
  if (step.success === true) return 'succeeded';
  if (step.error !== undefined) return `failed: ${firstLine(step.error)}`;
  if (step.notRun) return 'not run (an earlier step failed)';
  if (run.status === 'running') return 'interrupted or still running';
  return `run ${run.status}`;
}

/** Labelled key properties of a version's type, in display order. */
export function keyProperties(type: AssetTypeName, typed: Record<string, unknown>): [string, string][] {
  const pairs: [string, unknown][] = [];
  const add = (label: string, value: unknown) => {
    if (value !== undefined && value !== null) pairs.push([label, value]);
  };

  switch (type) {
    case 'Dataset':
      add('rows', typed.num_samples);
      add('columns', typed.num_features ?? lengthOf(typed.feature_columns));
      break;
    case 'Model':
      add('framework', typed.framework);
      add('class', typed.model_class);
      add('parameters', typed.parameters);
      add('layers', typed.num_layers);
      add('optimizer', typed.optimizer);
      break;
    case 'Metrics':
      for (const [key, value] of Object.entries(typed).slice(0, 6)) add(key, value);
      break;
    case 'Checkpoint':
      add('epoch', typed.epoch);
      add('step', typed.step);
      add('best', typed.is_best);
      add('metrics', typed.checkpoint_metrics);
      break;
    case 'Prompt': {
      const config = typeof typed.model_config === 'object' && typed.model_config !== null ? (typed.model_config as Record<string, unknown>) : {};
      add('format', typed.prompt_format);
      add('variables', typed.variables);
      add('model', config.model);
      add('temperature', config.temperature);
      break;
    }
    case 'FeatureSet':
      add('rows', typed.num_samples);
      add('features', lengthOf(typed.feature_names));
      addRest(typed, ['num_samples', 'feature_names'], add);
      break;
    case 'Report':
      add('format', typed.report_format);
      add('title', typed.title);
      addRest(typed, ['report_format', 'title'], add);
      break;
    case 'Artifact':
      add('kind', typed.artifact_type);
      add('file', typed.file_path);
      addRest(typed, ['artifact_type', 'file_path'], add);
      break;
    default:
      break;
  }
  return pairs.slice(0, MAX_PROPERTIES).map(([label, value]) => [label, formatValue(value)]);
}

/** Properties shown at most, so a hover stays short; the details panel shows them all. */
const MAX_PROPERTIES = 6;

/**
 * FeatureSet, Report and Artifact properties are free-form: after the
 * known keys, the other stored keys follow in stored order.
 */
function addRest(typed: Record<string, unknown>, shown: string[], add: (label: string, value: unknown) => void): void {
  for (const [key, value] of Object.entries(typed)) {
    if (!shown.includes(key)) add(key, value);
  }
}

function lengthOf(value: unknown): number | undefined {
  return Array.isArray(value) ? value.length : undefined;
}

function firstLine(text: string): string {
  const line = text.split(/\r?\n/).find((l) => l.trim() !== '') ?? text;
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}
