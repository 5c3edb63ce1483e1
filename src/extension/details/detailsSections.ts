/**
 * The type-specific parts of the details panel, built from a version's typed
 * properties: column statistics for a Dataset, facts and a training-history
 * chart for a Model, values and a chart across versions for Metrics,
 * checkpoint facts, and a Prompt's template. Only values the store has are
 * shown; nothing is filled in.
 */
import type { AssetVersion, VersionDetails, WorkspaceIndex } from '../../core';
import type { ChartSeries, ColumnSummary, DetailsFact, DetailsSection } from '../../protocol/details';
import { propertyText } from '../format';
import type { Localizer } from './detailsView';

/** Versions of a Metrics asset read for the chart across versions, newest first. */
export const METRICS_HISTORY_VERSIONS = 50;

/** FlowyML's Prompt keeps at most this many characters of a template in metadata.db (`str(template)[:1000]`). */
const STORED_TEMPLATE_CHARS = 1000;

export async function buildSections(details: VersionDetails, index: WorkspaceIndex, l10n: Localizer): Promise<DetailsSection[]> {
  const { typed, extra } = details.properties;
  switch (details.version.type) {
    case 'Dataset':
      return datasetSections(typed, l10n);
    case 'Model':
      return modelSections(typed, l10n);
    case 'Metrics':
      return metricsSections(details, index, l10n);
    case 'Checkpoint':
      return checkpointSections(typed, l10n);
    case 'Prompt':
      return promptSections(typed, extra, l10n);
    default:
      return [];
  }
}

function datasetSections(typed: Record<string, unknown>, l10n: Localizer): DetailsSection[] {
  const stats = typed.column_stats;
  if (!isObject(stats)) return [];

  const order = Array.isArray(typed.feature_columns) ? typed.feature_columns.map(String) : [];
  const names = [...order.filter((name) => name in stats), ...Object.keys(stats).filter((name) => !order.includes(name))];
  const columns = names.map((name) => columnSummary(name, stats[name]));

  return [{ kind: 'columns', title: l10n.t('Column statistics'), columns }];
}

function columnSummary(name: string, value: unknown): ColumnSummary {
  const stat = isObject(value) ? value : {};
  const topValues = Array.isArray(stat.top_values) ? stat.top_values.map((entry) => propertyText(entry, 80)) : [];

  return {
    name,
    dtype: typeof stat.dtype === 'string' ? stat.dtype : '',
    count: finite(stat.count),
    unique: finite(stat.unique),
    missing: finite(stat.missing ?? stat.null_count),
    mean: finite(stat.mean),
    std: finite(stat.std),
    min: finite(stat.min),
    max: finite(stat.max),
    median: finite(stat.median),
    topValues,
  };
}

function modelSections(typed: Record<string, unknown>, l10n: Localizer): DetailsSection[] {
  const sections: DetailsSection[] = [];
  const facts = factsOf(typed, ['framework', 'model_class', 'parameters', 'num_layers', 'optimizer']);
  if (facts.length > 0) sections.push({ kind: 'values', title: l10n.t('Model'), values: facts });

  if (isObject(typed.hyperparameters)) {
    const hyperparameters = Object.entries(typed.hyperparameters).map(([label, value]) => ({ label, value: propertyText(value, 200) }));
    if (hyperparameters.length > 0) sections.push({ kind: 'values', title: l10n.t('Hyperparameters'), values: hyperparameters });
  }

  const history = trainingSeries(typed.training_history);
  if (history.length > 0) sections.push({ kind: 'chart', title: l10n.t('Training history'), xLabel: l10n.t('epoch'), series: history });

  return sections;
}

/**
 * Reads `training_history` as FlowyML stores it: metric name to a list of
 * per-epoch values. Non-numeric entries are skipped, keeping the epochs of
 * the others.
 */
function trainingSeries(history: unknown): ChartSeries[] {
  if (!isObject(history)) return [];

  return Object.entries(history)
    .filter((entry): entry is [string, unknown[]] => Array.isArray(entry[1]))
    .map(([name, values]) => ({
      name,
      points: values.flatMap((value, epoch) => {
        const y = finite(value);
        return y === undefined ? [] : [{ x: String(epoch + 1), y }];
      }),
    }))
    .filter((series) => series.points.length > 0);
}

async function metricsSections(details: VersionDetails, index: WorkspaceIndex, l10n: Localizer): Promise<DetailsSection[]> {
  const values = Object.entries(details.properties.typed).map(([label, value]) => ({ label, value: propertyText(value, 200) }));
  const sections: DetailsSection[] = [];
  if (values.length > 0) sections.push({ kind: 'values', title: l10n.t('Values'), values });

  const history = await metricsHistory(details.version, index);
  if (history.some((series) => series.points.length > 1)) {
    sections.push({ kind: 'chart', title: l10n.t('Across versions'), xLabel: l10n.t('version'), series: history });
  }

  return sections;
}

/** Builds one series per numeric metric over the asset's versions, oldest first, from at most the newest 50. */
async function metricsHistory(version: AssetVersion, index: WorkspaceIndex): Promise<ChartSeries[]> {
  const asset = index.assets().find((candidate) => candidate.type === version.type && candidate.name === version.name);
  if (!asset) return [];

  const versions = asset.versions.slice(-METRICS_HISTORY_VERSIONS);
  const byName = new Map<string, ChartSeries>();
  for (const each of versions) {
    const typed = (await index.details(each.id)).properties.typed;
    for (const [name, value] of Object.entries(typed)) {
      const y = finite(value);
      if (y === undefined) continue;
      const series = byName.get(name) ?? { name, points: [] };
      series.points.push({ x: each.label, y });
      byName.set(name, series);
    }
  }

  return [...byName.values()];
}

function checkpointSections(typed: Record<string, unknown>, l10n: Localizer): DetailsSection[] {
  const sections: DetailsSection[] = [];
  const facts = factsOf(typed, ['epoch', 'step', 'is_best', 'file_path']);
  if (facts.length > 0) sections.push({ kind: 'values', title: l10n.t('Checkpoint'), values: facts });

  if (isObject(typed.checkpoint_metrics)) {
    const metrics = Object.entries(typed.checkpoint_metrics).map(([label, value]) => ({ label, value: propertyText(value, 200) }));
    if (metrics.length > 0) sections.push({ kind: 'values', title: l10n.t('Metrics at this checkpoint'), values: metrics });
  }

  return sections;
}

/**
 * Shows a Prompt's template and model settings. A registered Prompt keeps its
 * template in `template`. A metadata.db row keeps only `str(template)[:1000]`
 * in `value`, which is a Python repr for chat templates. That text is shown
 * as stored and flagged when it may be cut.
 */
function promptSections(typed: Record<string, unknown>, extra: Record<string, unknown>, l10n: Localizer): DetailsSection[] {
  const sections: DetailsSection[] = [];
  if (typeof typed.template === 'string') {
    sections.push({ kind: 'text', title: l10n.t('Template'), text: typed.template });
  } else if (typeof extra.value === 'string' && extra.value !== '') {
    const note = extra.value.length >= STORED_TEMPLATE_CHARS
      ? l10n.t('As stored by FlowyML: the text form of the template, cut at {0} characters.', STORED_TEMPLATE_CHARS)
      : l10n.t('As stored by FlowyML: the text form of the template.');
    sections.push({ kind: 'text', title: l10n.t('Template'), text: extra.value, note });
  }

  const settings = factsOf(typed, ['prompt_format', 'variables']);
  if (isObject(typed.model_config)) {
    for (const [label, value] of Object.entries(typed.model_config)) settings.push({ label, value: propertyText(value, 200) });
  }
  if (settings.length > 0) sections.push({ kind: 'values', title: l10n.t('Model settings'), values: settings });

  return sections;
}

function factsOf(typed: Record<string, unknown>, keys: string[]): DetailsFact[] {
  return keys
    .filter((key) => typed[key] !== undefined && typed[key] !== null)
    .map((key) => ({ label: key, value: propertyText(typed[key], 200), code: key === 'file_path' }));
}

function finite(value: unknown): number | undefined {
  if (typeof value === 'bigint') return Number(value);

  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
