/**
 * Turns a version's details from the core into the plain, preformatted
 * DetailsView the details webview renders. Every stored string is sent as
 * data, and the webview sets it as text, never as markup. The module takes
 * its translations as a parameter rather than importing `vscode`, so the
 * webview tests build their messages with it from real stores.
 */
import type { AssetVersion, VersionDetails, WorkspaceIndex } from '../../core';
import { DEFAULT_DETAILS_CAP } from '../../core/store/workspace';
import type { DetailsFact, DetailsLimit, DetailsProperty, DetailsStrings, DetailsView, VersionLink } from '../../protocol/details';
import { byteSize, jsonSafe, localDateTime, propertyText, relativeTime } from '../format';
import { buildSections } from './detailsSections';

/** Raw JSON beyond this many characters is cut in the panel; the full text stays one command away. */
export const RAW_PREVIEW_CHARS = 20_000;

/**
 * The largest metadata row "Load anyway" loads into the panel. Above it the
 * parsed JSON, its pretty-printed copy and the webview message would each
 * take that much memory again, so the panel points to the command line.
 */
export const FULL_LOAD_CEILING_BYTES = 64 * 1024 * 1024;

/** Translation of the panel's texts: `vscode.l10n.t` and `vscode.env.language` in the extension. */
export interface Localizer {
  t(message: string, ...args: (string | number | boolean)[]): string;
  language: string;
}

export async function toDetailsView(details: VersionDetails, index: WorkspaceIndex, l10n: Localizer, now = new Date()): Promise<DetailsView> {
  const { version } = details;
  const rawText = JSON.stringify(details.raw ?? null, jsonSafe, 2) ?? '';
  const rawCut = rawText.length > RAW_PREVIEW_CHARS;

  return {
    id: version.id,
    name: version.name,
    type: version.type,
    versionLabel: version.label,
    versionDerived: version.storedVersion === undefined,
    facts: versionFacts(version, l10n, now),
    sections: await buildSections(details, index, l10n),
    properties: propertyRows(details),
    tags: Object.entries(version.tags).map(([key, value]) => ({ key, value })),
    parents: version.parents.map((id) => linkTo(index, id, version.derivedParents.includes(id), l10n)),
    children: details.children.map((id) => linkTo(index, id, index.getVersion(id)?.derivedParents.includes(version.id) ?? false, l10n)),
    raw: {
      text: rawCut ? rawText.slice(0, RAW_PREVIEW_CHARS) : rawText,
      truncated: rawCut || details.rawTruncated,
      bytes: version.metadataBytes,
    },
    problem: details.problem,
    limit: detailsLimit(details, l10n),
  };
}

/** Describes the details cap when the core previewed the row instead of loading it whole. */
export function detailsLimit(details: VersionDetails, l10n: Localizer): DetailsLimit | undefined {
  if (!details.rawTruncated) return undefined;
  const size = compactSize(details.version.metadataBytes);
  const cap = compactSize(details.rawCapBytes ?? DEFAULT_DETAILS_CAP);
  const preview = l10n.t('Showing a preview: {0} of metadata, limit {1}. The copies of the data embedded in the row are left out.', size, cap);
  if (details.version.metadataBytes > FULL_LOAD_CEILING_BYTES) {
    return {
      message: `${preview} ${l10n.t('The row is larger than the {0} the panel loads in full; read it with "flowyml-assets show --full {1}".', compactSize(FULL_LOAD_CEILING_BYTES), details.version.id)}`,
    };
  }

  return { message: preview, loadLabel: l10n.t('Load anyway') };
}

/** `256 KB` rather than `256.0 KB`. */
function compactSize(bytes: number): string {
  return byteSize(bytes).replace(/\.0 /, ' ');
}

function versionFacts(version: AssetVersion, l10n: Localizer, now: Date): DetailsFact[] {
  const facts: DetailsFact[] = [];
  const add = (label: string, value: string | undefined, code = false) => {
    if (value !== undefined && value !== '') facts.push({ label, value, code });
  };

  add(l10n.t('Version'), version.storedVersion === undefined
    ? l10n.t('{0} (derived from creation order: no version stored)', version.label)
    : version.label);
  add(l10n.t('Created'), createdText(version, l10n, now));
  add(l10n.t('Pipeline'), version.pipeline);
  add(l10n.t('Project'), version.project);
  add(l10n.t('Run'), version.runId, true);
  add(l10n.t('Step'), version.step);
  add(l10n.t('Output'), version.outputName);
  add(l10n.t('Stored type'), version.storedType !== version.type ? version.storedType : undefined);
  add(l10n.t('File'), version.path ?? version.uri, true);
  add(l10n.t('Content hash'), version.contentHash, true);
  add(l10n.t('Store'), version.store, true);
  add(l10n.t('Metadata size'), byteSize(version.metadataBytes));
  add(l10n.t('ID'), version.id, true);
  if (version.aliases.length > 0) add(l10n.t('Also recorded as'), version.aliases.join(', '), true);

  return facts;
}

function createdText(version: AssetVersion, l10n: Localizer, now: Date): string | undefined {
  const created = version.createdAt;
  if (!created) return undefined;
  if (!created.iso) return created.raw;

  const text = `${localDateTime(created.iso)} (${relativeTime(created.iso, now, l10n.language)})`;

  return created.zone === 'assumed-local' ? l10n.t('{0}, zone not stored: read as local time', text) : text;
}

function propertyRows(details: VersionDetails): DetailsProperty[] {
  const typed = Object.entries(details.properties.typed).map(([key, value]) => ({ key, value: propertyText(value), typed: true }));
  const extra = Object.entries(details.properties.extra).map(([key, value]) => ({ key, value: propertyText(value), typed: false }));

  return [...typed, ...extra];
}

function linkTo(index: WorkspaceIndex, id: string, derived: boolean, l10n: Localizer): VersionLink {
  const version = index.getVersion(id);
  if (!version) return { id, name: id, type: '', label: l10n.t('not in the store'), derived };

  return { id: version.id, name: version.name, type: version.type, label: version.label, derived };
}

export function detailsStrings(l10n: Localizer): DetailsStrings {
  return {
    copyId: l10n.t('Copy ID'),
    tags: l10n.t('Tags'),
    properties: l10n.t('Properties'),
    noProperties: l10n.t('The store records no properties for this version.'),
    typedProperty: l10n.t('known property of this type'),
    lineage: l10n.t('Lineage'),
    parents: l10n.t('Parents'),
    children: l10n.t('Children'),
    none: l10n.t('None recorded'),
    derivedLink: l10n.t('derived from step inputs'),
    rawJson: l10n.t('Stored metadata (JSON)'),
    rawTruncated: l10n.t('Cut for display; the full JSON is in the store.'),
    derivedVersion: l10n.t('derived'),
    column: l10n.t('Column'),
    dtype: l10n.t('Type'),
    count: l10n.t('Count'),
    unique: l10n.t('Unique'),
    mean: l10n.t('Mean'),
    std: l10n.t('Std'),
    min: l10n.t('Min'),
    median: l10n.t('Median'),
    max: l10n.t('Max'),
    rangeBar: l10n.t('Range from min to max; the band spans one standard deviation around the mean, the tick marks the median.'),
    topValues: l10n.t('Top values'),
  };
}
