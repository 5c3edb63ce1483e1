/**
 * The compare panel's fixed texts. They take a Localizer rather than
 * `vscode.l10n`, so the Chromium tests build the same strings without VS Code.
 */
import type { CompareStrings } from '../../protocol/compare';
import type { Localizer } from '../details/detailsView';

export function compareStrings(l10n: Localizer): CompareStrings {
  return {
    baseline: l10n.t('A (baseline)'),
    candidate: l10n.t('B'),
    field: l10n.t('Field'),
    change: l10n.t('Change'),
    showAll: l10n.t('Show unchanged fields'),
    counts: l10n.t('{0} changed, {1} added, {2} removed, {3} unchanged', '{changed}', '{added}', '{removed}', '{unchanged}'),
    noChanges: l10n.t('No field changed.'),
    fields: l10n.t('Fields'),
    schema: l10n.t('Dataset'),
    columns: l10n.t('Columns'),
    rows: l10n.t('rows (num_samples)'),
    features: l10n.t('features (num_features)'),
    noSchemaChange: l10n.t('No column was added, removed or retyped.'),
    statsBySummary: l10n.t('Column statistics are too big and were compared by size and SHA-256 only. Use "Load All" to compare each statistic.'),
    config: l10n.t('Model'),
    finalMetrics: l10n.t('Final training metrics (last value of each series)'),
    history: l10n.t('Training history (A dashed, B solid)'),
    metrics: l10n.t('Metrics'),
    checkpoint: l10n.t('Checkpoint'),
    prompt: l10n.t('Prompt'),
    template: l10n.t('Template'),
    templateChanged: l10n.t('The template changed.'),
    templateUnchanged: l10n.t('The template is the same.'),
    variablesAdded: l10n.t('Variables added:'),
    variablesRemoved: l10n.t('Variables removed:'),
    modelConfig: l10n.t('Model settings'),
    properties: l10n.t('Properties'),
    inputs: l10n.t('Inputs that changed'),
    noInputs: l10n.t('Neither version records an input.'),
    sameInputs: l10n.t('Both versions use the same inputs.'),
    compareInput: l10n.t('Compare'),
    openDiff: l10n.t('Open Diff'),
    diffTemplate: l10n.t('Diff Template'),
    diffProperties: l10n.t('Diff Properties'),
    loadAll: l10n.t('Load All'),
    summarized: l10n.t('Some properties are too big and were compared by size and SHA-256 only.'),
    exportMarkdown: l10n.t('Save Markdown…'),
    exportJson: l10n.t('Save JSON…'),
    copyMarkdown: l10n.t('Copy Markdown'),
    swap: l10n.t('Swap A and B'),
    none: l10n.t('none'),
    notes: l10n.t('Notes'),
    input: l10n.t('Input'),
  };
}
