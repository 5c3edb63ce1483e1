/**
 * The protocol between the details panel (webview/details) and its host
 * (src/extension/details). The host sends a complete, preformatted view of
 * one asset version; the webview renders it as text and reports clicks back.
 */
import { isReadyMessage, isRecord, isWebviewLogMessage, type ReadyMessage, type WebviewLogMessage } from './common';

/** One labelled fact, already formatted for display (times, sizes, ids). */
export interface DetailsFact {
  label: string;
  value: string;
  /** A value the reader may want to copy whole, such as an id or a hash: shown in a monospace font. */
  code?: boolean;
}

/** A property of the version, typed (under the seed's name) or kept as stored. */
export interface DetailsProperty {
  key: string;
  /** The value as display text; objects and arrays as compact JSON. */
  value: string;
  /** True when the key is one of the type's known property names. */
  typed: boolean;
}

/** Another version this one links to: a parent or a child. */
export interface VersionLink {
  id: string;
  name: string;
  type: string;
  label: string;
  /** True when the link comes from a step's declared inputs rather than a stored parent list. */
  derived: boolean;
}

/** Summary statistics of one dataset column, as FlowyML's `column_stats` stores them. */
export interface ColumnSummary {
  name: string;
  /** `numeric`, `categorical` or another type name as stored. */
  dtype: string;
  count?: number;
  unique?: number;
  missing?: number;
  mean?: number;
  std?: number;
  min?: number;
  max?: number;
  median?: number;
  /** Most frequent values of a categorical column, as text. */
  topValues: string[];
}

/** One line of a chart: a value per x label (an epoch, a version label). */
export interface ChartSeries {
  name: string;
  points: { x: string; y: number }[];
}

/** A part of the panel specific to the version's type. */
export type DetailsSection =
  | { kind: 'columns'; title: string; columns: ColumnSummary[] }
  | { kind: 'chart'; title: string; xLabel: string; series: ChartSeries[] }
  | { kind: 'values'; title: string; values: DetailsFact[] }
  | { kind: 'text'; title: string; text: string; note?: string };

export interface DetailsView {
  id: string;
  name: string;
  /** `Dataset`, `Model`, … or `Other: <class name>`. */
  type: string;
  /** `v2.0.0 (#5)` or `#5`. */
  versionLabel: string;
  /** True when the store has no version string and the label is the derived ordinal. */
  versionDerived: boolean;
  facts: DetailsFact[];
  /** Type-specific parts: column statistics, charts, model facts, a prompt's template. */
  sections: DetailsSection[];
  properties: DetailsProperty[];
  tags: { key: string; value: string }[];
  parents: VersionLink[];
  children: VersionLink[];
  /** The stored metadata JSON, pretty-printed and cut at a cap. */
  raw: { text: string; truncated: boolean; bytes: number };
  /** A problem reading this version, shown above the facts. */
  problem?: string;
  /** Present when the store row's metadata is above the details cap and the panel shows a preview. */
  limit?: DetailsLimit;
}

/** The details cap as the user sees it: what was left out, and whether the whole row may be loaded. */
export interface DetailsLimit {
  /** For example "Showing a preview: 4.5 MB of metadata, limit 256 KB." */
  message: string;
  /** The label of the button that loads the row in full; absent when the row is above the hard ceiling. */
  loadLabel?: string;
}

/** The panel's fixed texts, localised by the host, which has VS Code's l10n API. */
export interface DetailsStrings {
  copyId: string;
  tags: string;
  properties: string;
  noProperties: string;
  /** Marks a property under its type's known name rather than as stored. */
  typedProperty: string;
  lineage: string;
  parents: string;
  children: string;
  none: string;
  /** Marks a lineage link derived from a step's inputs. */
  derivedLink: string;
  rawJson: string;
  /** Shown under cut raw JSON. */
  rawTruncated: string;
  /** Column headings of the column statistics table. */
  column: string;
  dtype: string;
  count: string;
  unique: string;
  mean: string;
  std: string;
  min: string;
  median: string;
  max: string;
  /** Describes the range bar: min to max, the band one standard deviation around the mean, and the median. */
  rangeBar: string;
  topValues: string;
  /** Marks a version label derived from creation order. */
  derivedVersion: string;
}

export type HostToDetailsMessage =
  | { type: 'loading'; id: string }
  | { type: 'show'; details: DetailsView; strings: DetailsStrings }
  | { type: 'error'; id: string; message: string };

export type DetailsToHostMessage =
  | ReadyMessage
  | WebviewLogMessage
  | { type: 'openVersion'; id: string }
  | { type: 'copyText'; text: string }
  /** Loads the shown version's metadata in full, past the details cap. */
  | { type: 'loadFull'; id: string };

/** View state the webview keeps through `setState`, and that the panel serializer revives. */
export interface DetailsViewState {
  id: string;
  rawExpanded: boolean;
}

export function isDetailsToHostMessage(value: unknown): value is DetailsToHostMessage {
  if (isReadyMessage(value) || isWebviewLogMessage(value)) return true;
  if (!isRecord(value)) return false;

  switch (value.type) {
    case 'openVersion':
    case 'loadFull':
      return typeof value.id === 'string';
    case 'copyText':
      return typeof value.text === 'string';
    default:
      return false;
  }
}

export function isHostToDetailsMessage(value: unknown): value is HostToDetailsMessage {
  if (!isRecord(value)) return false;

  switch (value.type) {
    case 'loading':
      return typeof value.id === 'string';
    case 'show':
      return isRecord(value.details) && typeof value.details.id === 'string' && isRecord(value.strings);
    case 'error':
      return typeof value.id === 'string' && typeof value.message === 'string';
    default:
      return false;
  }
}

export function isDetailsViewState(value: unknown): value is DetailsViewState {
  return isRecord(value) && typeof value.id === 'string' && typeof value.rawExpanded === 'boolean';
}
