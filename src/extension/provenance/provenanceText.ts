/** The strings of the provenance commands and view, localised through vscode.l10n. */
import * as vscode from 'vscode';

export const ProvenanceText = {
  impactTitle: (name: string, version: string, count: number) => vscode.l10n.t('Impact of {0} {1}: {2} downstream versions', name, version, count),
  impactGroup: (distance: number, type: string) => vscode.l10n.t('Distance {0} · {1}', distance, type),
  impactNone: () => vscode.l10n.t('Nothing downstream: no version was built from this one.'),
  staleDescription: () => vscode.l10n.t('stale'),
  staleTooltip: (reasons: string) => vscode.l10n.t('Stale: built from {0}', reasons),
  staleReason: (ancestor: string, newer: string) => vscode.l10n.t('{0} while {1} is the latest', ancestor, newer),

  whyTitle: (a: string, b: string, count: number) => vscode.l10n.t('Why {0} and {1} differ: {2} upstream assets', a, b, count),
  whyDifferentAssets: () => vscode.l10n.t('A and B are versions of different assets; their upstream graphs are compared all the same.'),
  whyNoDifference: () => vscode.l10n.t('Both were built from the same upstream versions.'),
  whyOnlyOneSide: () => vscode.l10n.t('(none)'),
  whyPair: (a: string, b: string) => vscode.l10n.t('A {0} ↔ B {1}', a, b),
  whyParameters: () => vscode.l10n.t('Run parameters'),
  whyParameter: (key: string) => vscode.l10n.t('parameter {0}', key),
  whyNotSet: () => vscode.l10n.t('(not set)'),
  whyMissing: (side: string, id: string) => vscode.l10n.t('{0} lists parent {1}, which no store contains', side, id),
  whyCompareTitle: () => vscode.l10n.t('Compare These Versions'),
  whyPickOther: (version: string) => vscode.l10n.t('Compare the upstream of {0} with…', version),
  whySelectTwo: (count: number) => vscode.l10n.t('Select two versions to explain their difference; {0} are selected.', count),
  whyOneVersion: (name: string) => vscode.l10n.t('{0} has only one version.', name),

  exportTitle: () => vscode.l10n.t('Choose a folder for the provenance export'),
  exportButton: () => vscode.l10n.t('Export Here'),
  exported: (folder: string) => vscode.l10n.t('Exported the provenance to {0}.', folder),
  exportedWithGaps: (folder: string, gaps: number) => vscode.l10n.t('Exported the provenance to {0}. The README lists {1} gaps in what the stores record.', folder, gaps),
  openReadme: () => vscode.l10n.t('Open README'),
  exportExists: (file: string) => vscode.l10n.t('{0} already exists. Replace the provenance export files in that folder?', file),
  exportReplace: () => vscode.l10n.t('Replace'),

  notFound: (id: string) => vscode.l10n.t('Couldn\'t find the asset version {0}: reload the stores or pick another version.', id),
  exportFailed: (reason: string) => vscode.l10n.t('Couldn\'t export the provenance: {0}', reason),
  staleFilterOn: (count: number) => vscode.l10n.t('Showing only stale versions: {0} found.', count),
  staleFilterDescription: () => vscode.l10n.t('stale only'),
};
