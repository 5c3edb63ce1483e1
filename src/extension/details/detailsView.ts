/**
 * Turns a version's details from the core into the plain, preformatted
 * DetailsView the details webview renders. Every stored string is sent as
 * data; the webview sets it as text, never as markup.
 */
import * as vscode from 'vscode';
import type { AssetVersion, VersionDetails, WorkspaceIndex } from '../../core';
import type { DetailsFact, DetailsProperty, DetailsStrings, DetailsView, VersionLink } from '../../protocol/details';
import { byteSize, jsonSafe, localDateTime, propertyText, relativeTime } from '../format';

/** Raw JSON beyond this many characters is cut in the panel; the full text stays one command away. */
export const RAW_PREVIEW_CHARS = 20_000;

export function toDetailsView(details: VersionDetails, index: WorkspaceIndex, now = new Date()): DetailsView {
  const { version } = details;
  const rawText = JSON.stringify(details.raw ?? null, jsonSafe, 2) ?? '';
  const rawCut = rawText.length > RAW_PREVIEW_CHARS;

  return {
    id: version.id,
    name: version.name,
    type: version.type,
    versionLabel: version.label,
    versionDerived: version.storedVersion === undefined,
    facts: versionFacts(version, now),
    properties: propertyRows(details),
    tags: Object.entries(version.tags).map(([key, value]) => ({ key, value })),
    parents: version.parents.map((id) => linkTo(index, id, version.derivedParents.includes(id))),
    children: details.children.map((id) => linkTo(index, id, index.getVersion(id)?.derivedParents.includes(version.id) ?? false)),
    raw: {
      text: rawCut ? rawText.slice(0, RAW_PREVIEW_CHARS) : rawText,
      truncated: rawCut || details.rawTruncated,
      bytes: version.metadataBytes,
    },
    problem: details.problem,
  };
}

function versionFacts(version: AssetVersion, now: Date): DetailsFact[] {
  const facts: DetailsFact[] = [];
  const add = (label: string, value: string | undefined, code = false) => {
    if (value !== undefined && value !== '') facts.push({ label, value, code });
  };

  add(vscode.l10n.t('Version'), version.storedVersion === undefined
    ? vscode.l10n.t('{0} (derived from creation order: no version stored)', version.label)
    : version.label);
  add(vscode.l10n.t('Created'), createdText(version, now));
  add(vscode.l10n.t('Pipeline'), version.pipeline);
  add(vscode.l10n.t('Project'), version.project);
  add(vscode.l10n.t('Run'), version.runId, true);
  add(vscode.l10n.t('Step'), version.step);
  add(vscode.l10n.t('Output'), version.outputName);
  add(vscode.l10n.t('Stored type'), version.storedType !== version.type ? version.storedType : undefined);
  add(vscode.l10n.t('File'), version.path ?? version.uri, true);
  add(vscode.l10n.t('Content hash'), version.contentHash, true);
  add(vscode.l10n.t('Store'), version.store, true);
  add(vscode.l10n.t('Metadata size'), byteSize(version.metadataBytes));
  add(vscode.l10n.t('ID'), version.id, true);
  if (version.aliases.length > 0) add(vscode.l10n.t('Also recorded as'), version.aliases.join(', '), true);

  return facts;
}

function createdText(version: AssetVersion, now: Date): string | undefined {
  const created = version.createdAt;
  if (!created) return undefined;
  if (!created.iso) return created.raw;

  const text = `${localDateTime(created.iso)} (${relativeTime(created.iso, now, vscode.env.language)})`;

  return created.zone === 'assumed-local' ? vscode.l10n.t('{0}, zone not stored: read as local time', text) : text;
}

function propertyRows(details: VersionDetails): DetailsProperty[] {
  const typed = Object.entries(details.properties.typed).map(([key, value]) => ({ key, value: propertyText(value), typed: true }));
  const extra = Object.entries(details.properties.extra).map(([key, value]) => ({ key, value: propertyText(value), typed: false }));

  return [...typed, ...extra];
}

function linkTo(index: WorkspaceIndex, id: string, derived: boolean): VersionLink {
  const version = index.getVersion(id);
  if (!version) return { id, name: id, type: '', label: vscode.l10n.t('not in the store'), derived };

  return { id: version.id, name: version.name, type: version.type, label: version.label, derived };
}

export function detailsStrings(): DetailsStrings {
  return {
    copyId: vscode.l10n.t('Copy ID'),
    tags: vscode.l10n.t('Tags'),
    properties: vscode.l10n.t('Properties'),
    noProperties: vscode.l10n.t('The store records no properties for this version.'),
    typedProperty: vscode.l10n.t('known property of this type'),
    lineage: vscode.l10n.t('Lineage'),
    parents: vscode.l10n.t('Parents'),
    children: vscode.l10n.t('Children'),
    none: vscode.l10n.t('None recorded'),
    derivedLink: vscode.l10n.t('derived from step inputs'),
    rawJson: vscode.l10n.t('Stored metadata (JSON)'),
    rawTruncated: vscode.l10n.t('Cut for display; the full JSON is in the store.'),
    derivedVersion: vscode.l10n.t('derived'),
  };
}
