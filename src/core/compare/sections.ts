/**
 * The per-type part of a comparison: Dataset schema and column statistics,
 * Model configuration and final training metrics, Metrics side by side,
 * Checkpoint facts, and the typed properties of every other type.
 */
import type { VersionDetails } from '../api';
import { orderedKeys, ownValue } from './fields';
import type {
  CheckpointSection, DatasetColumnChange, DatasetSection, FieldChange, MetricsSection, ModelSection, PropertiesSection,
} from './types';
import { childPath, isPlainRecord, isUnder, leafChange } from './values';
import { setOwn } from '../json/records';

/** Statistics in the order a reader scans them; any other key follows in stored order. */
const STAT_ORDER = ['count', 'nulls', 'null_count', 'missing', 'unique', 'mean', 'std', 'min', 'max', 'median'];

/** Model properties that describe its configuration rather than its results. */
const MODEL_CONFIG_PATHS = [
  'properties.framework', 'properties.model_class', 'properties.parameters', 'properties.num_layers',
  'properties.optimizer', 'properties.hyperparameters',
];

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function uniqueInOrder(...lists: string[][]): string[] {
  return [...new Set(lists.flat())];
}

export function datasetSection(a: VersionDetails, b: VersionDetails, typedFields: FieldChange[]): DatasetSection {
  const typedA = a.properties.typed;
  const typedB = b.properties.typed;
  const byPath = new Map(typedFields.map((field) => [field.path, field]));
  const statsA = isPlainRecord(typedA.column_stats) ? typedA.column_stats : {};
  const statsB = isPlainRecord(typedB.column_stats) ? typedB.column_stats : {};
  const statsCompared = !byPath.get('properties.column_stats')?.summary;

  // FlowyML 1.7 lists every column, label included, under the unmapped `columns` key.
  const allColumns = (details: VersionDetails) => details.properties.typed.columns ?? details.properties.extra.columns;
  const featuresA = stringList(typedA.feature_columns);
  const featuresB = stringList(typedB.feature_columns);
  const columnsA = uniqueInOrder(Object.keys(statsA), stringList(allColumns(a)), featuresA);
  const columnsB = uniqueInOrder(Object.keys(statsB), stringList(allColumns(b)), featuresB);
  const inA = new Set(columnsA);
  const inB = new Set(columnsB);

  const columns = uniqueInOrder(columnsA, columnsB).map((name): DatasetColumnChange => {
    const statA = isPlainRecord(statsA[name]) ? statsA[name] : undefined;
    const statB = isPlainRecord(statsB[name]) ? statsB[name] : undefined;
    const dtypeA = typeof statA?.dtype === 'string' ? statA.dtype : null;
    const dtypeB = typeof statB?.dtype === 'string' ? statB.dtype : null;
    const featureA = featuresA.includes(name);
    const featureB = featuresB.includes(name);
    const stats = statsCompared ? columnStatChanges(name, statA, statB) : [];

    let kind: DatasetColumnChange['kind'];
    if (!inA.has(name)) kind = 'added';
    else if (!inB.has(name)) kind = 'removed';
    else if (dtypeA !== null && dtypeB !== null && dtypeA !== dtypeB) kind = 'retyped';
    else if (dtypeA !== dtypeB || featureA !== featureB || stats.some((s) => s.kind !== 'unchanged')) kind = 'changed';
    else kind = 'unchanged';

    return { name, kind, dtypeA, dtypeB, featureA, featureB, stats };
  });

  return {
    kind: 'Dataset',
    rows: byPath.get('properties.num_samples') ?? null,
    features: byPath.get('properties.num_features') ?? null,
    schemaChanged: columns.some((c) => c.kind === 'added' || c.kind === 'removed' || c.kind === 'retyped'),
    columns,
    statsCompared,
  };
}

function columnStatChanges(column: string, statA: Record<string, unknown> | undefined, statB: Record<string, unknown> | undefined): FieldChange[] {
  const keys = orderedKeys(statA, statB).filter((key) => key !== 'dtype');
  const ordered = [...STAT_ORDER.filter((key) => keys.includes(key)), ...keys.filter((key) => !STAT_ORDER.includes(key))];
  const base = childPath('properties.column_stats', column);

  return ordered.map((stat) => leafChange(childPath(base, stat), 'typed', ownValue(statA, stat), ownValue(statB, stat)));
}

/**
 * Reads `training_history` as named series. FlowyML stores Keras-style
 * `{loss: [...], accuracy: [...]}`; a list of per-epoch records
 * (`[{loss, accuracy}, ...]`) is turned into the same shape, with null
 * where an epoch lacks a key.
 */
export function historySeries(history: unknown): Record<string, unknown[]> {
  const series: Record<string, unknown[]> = {};
  if (isPlainRecord(history)) {
    for (const [name, values] of Object.entries(history)) if (Array.isArray(values)) setOwn(series, name, values);
  } else if (Array.isArray(history) && history.length > 0 && history.every(isPlainRecord)) {
    const names = uniqueInOrder(...history.map((epoch) => Object.keys(epoch)));
    for (const name of names) setOwn(series, name, history.map((epoch) => (Object.hasOwn(epoch, name) ? epoch[name] : null)));
  }

  return series;
}

export function modelSection(a: VersionDetails, b: VersionDetails, typedFields: FieldChange[]): ModelSection {
  const historyA = historySeries(a.properties.typed.training_history);
  const historyB = historySeries(b.properties.typed.training_history);
  const lastOf = (values: unknown[] | undefined) => (values && values.length > 0 ? values[values.length - 1] : undefined);

  const finalMetrics = orderedKeys(historyA, historyB).map((name) => leafChange(
    `${childPath('properties.training_history', name)}[-1]`, 'typed', lastOf(historyA[name]), lastOf(historyB[name]),
  ));

  return {
    kind: 'Model',
    config: typedFields.filter((field) => MODEL_CONFIG_PATHS.some((prefix) => isUnder(field.path, prefix))),
    finalMetrics,
    // NOTE: the series stay whole even when training_history is over the size limit, because charts need every point.
    history: { a: historyA, b: historyB },
  };
}

/** True for a metric row that sorts last: missing on a side, or NaN on a side. */
function sortsLast(field: FieldChange): boolean {
  if (field.kind === 'added' || field.kind === 'removed') return true;

  return Number.isNaN(field.a) || Number.isNaN(field.b);
}

export function metricsSection(typedFields: FieldChange[]): MetricsSection {
  // Array.prototype.sort is stable, so each group keeps the stored order.
  const values = [...typedFields].sort((x, y) => Number(sortsLast(x)) - Number(sortsLast(y)));

  return { kind: 'Metrics', values };
}

export function checkpointSection(typedFields: FieldChange[]): CheckpointSection {
  return { kind: 'Checkpoint', fields: typedFields };
}

export function propertiesSection(typedFields: FieldChange[]): PropertiesSection {
  return { kind: 'Properties', fields: typedFields };
}
