/**
 * Icons, labels, descriptions and Markdown tooltips of the Assets tree rows.
 * Stored strings go through `appendStoreText`, which escapes every ASCII
 * punctuation character, so a name cannot add links, autolinks or markup to a
 * tooltip.
 */
import * as vscode from 'vscode';
import type { AssetTypeName, AssetVersion, LoadProblem, VersionDetails } from '../../core';
import { labelText, localDateTime, propertyText, relativeTime, shortRunId, visibleText } from '../format';
import { appendStoreText } from '../markdownText';

const TYPE_ICONS: Record<string, string> = {
  Asset: 'symbol-misc',
  Dataset: 'database',
  Model: 'circuit-board',
  Metrics: 'graph-line',
  FeatureSet: 'symbol-field',
  Report: 'book',
  Artifact: 'package',
  Prompt: 'comment-discussion',
  Checkpoint: 'save-all',
};

export function typeIcon(type: AssetTypeName): vscode.ThemeIcon {
  return new vscode.ThemeIcon(TYPE_ICONS[type] ?? 'symbol-variable');
}

/** Stored version strings get a tag; derived ordinals (`#5`) a hollow circle, so the two never look alike. */
export function versionIcon(version: AssetVersion): vscode.ThemeIcon {
  return version.storedVersion !== undefined ? new vscode.ThemeIcon('tag') : new vscode.ThemeIcon('circle-outline');
}

/** "v2.0.0 (#5)" for a stored version, "#5 (derived)" for an ordinal only. */
export function versionLabel(version: AssetVersion): string {
  return version.storedVersion !== undefined ? labelText(version.label) : vscode.l10n.t('{0} (derived)', version.label);
}

/** "run 0f5d4615 · 3 hours ago", leaving out the parts the store lacks, and the run under a run node. */
export function versionDescription(version: AssetVersion, options: { withRun: boolean }, now = new Date()): string {
  const parts: string[] = [];
  if (version.runId && options.withRun) parts.push(vscode.l10n.t('run {0}', shortRunId(visibleText(version.runId))));
  if (version.createdAt?.iso) parts.push(relativeTime(version.createdAt.iso, now, vscode.env.language));

  return parts.join(' · ');
}

/** Returns the `version.<Type>` context value that menus match; "Other: dict" and the like become `version.Other`. */
export function versionContextValue(version: AssetVersion, fileExists: boolean): string {
  const type = version.type.startsWith('Other:') ? 'Other' : version.type;

  return fileExists ? `version.${type}.file` : `version.${type}`;
}

export const VERSION_TYPE_KEYS = ['Asset', 'Dataset', 'Model', 'Metrics', 'FeatureSet', 'Report', 'Artifact', 'Prompt', 'Checkpoint', 'Other'];

/** A version's tooltip from the facts every version has; `withProperties` adds the typed properties. */
/** `storage` lists where the version's files are (label, value), shown after the facts. */
export function versionTooltip(version: AssetVersion, details?: VersionDetails, storage?: [string, string][]): vscode.MarkdownString {
  const markdown = new vscode.MarkdownString();
  markdown.appendMarkdown('**');
  appendStoreText(markdown, visibleText(version.name));
  markdown.appendMarkdown('**  \n');
  appendStoreText(markdown, `${visibleText(version.type)} · ${visibleText(version.label)}`);
  if (version.storedVersion === undefined) appendStoreText(markdown, ` · ${vscode.l10n.t('derived version: no version stored')}`);
  markdown.appendMarkdown('\n\n');

  const facts: [string, string | undefined][] = [
    [vscode.l10n.t('Pipeline'), version.pipeline],
    [vscode.l10n.t('Run'), version.runId],
    [vscode.l10n.t('Step'), version.step],
    [vscode.l10n.t('Created'), version.createdAt?.iso ? createdText(version) : version.createdAt?.raw],
    [vscode.l10n.t('Store'), version.store],
    [vscode.l10n.t('File'), version.path ?? version.uri],
    [vscode.l10n.t('Parents'), parentsText(version)],
  ];
  appendFacts(markdown, facts);

  const tags = Object.entries(version.tags);
  if (tags.length > 0) appendFacts(markdown, [[vscode.l10n.t('Tags'), tags.map(([key, value]) => `${key}=${value}`).join(', ')]]);

  if (storage && storage.length > 0) {
    markdown.appendMarkdown('\n---\n\n');
    appendFacts(markdown, storage);
  }

  if (details) {
    const typed = Object.entries(details.properties.typed).slice(0, 8);
    if (typed.length > 0) {
      markdown.appendMarkdown('\n---\n\n');
      appendFacts(markdown, typed.map(([key, value]) => [key, propertyText(value, 80)]));
    }
    if (details.problem) {
      markdown.appendMarkdown('\n\n$(warning) ');
      appendStoreText(markdown, visibleText(details.problem));
    }
  }
  markdown.appendMarkdown('\n\n');
  appendStoreText(markdown, visibleText(version.id));
  markdown.supportThemeIcons = true;

  return markdown;
}

export function problemTooltip(problem: LoadProblem): vscode.MarkdownString {
  const markdown = new vscode.MarkdownString();
  markdown.appendMarkdown('$(error) ');
  appendStoreText(markdown, visibleText(problem.message));
  markdown.supportThemeIcons = true;

  return markdown;
}

function parentsText(version: AssetVersion): string | undefined {
  if (version.parents.length === 0) return undefined;
  if (version.derivedParents.length === 0) return String(version.parents.length);

  return vscode.l10n.t('{0} ({1} derived)', version.parents.length, version.derivedParents.length);
}

function createdText(version: AssetVersion): string {
  const iso = version.createdAt?.iso ?? '';
  const local = localDateTime(iso);

  return version.createdAt?.zone === 'assumed-local' ? vscode.l10n.t('{0} (zone not stored; read as local time)', local) : local;
}

function appendFacts(markdown: vscode.MarkdownString, facts: [string, string | undefined][]): void {
  for (const [label, value] of facts) {
    if (value === undefined || value === '') continue;
    appendStoreText(markdown, `${label}: `);
    appendStoreText(markdown, labelText(value, 300));
    markdown.appendMarkdown('  \n');
  }
}
