/**
 * Renders a comparison as GitHub-flavoured Markdown for a pull request.
 * Every string that comes from a store goes into a code span or a fenced
 * block, where Markdown and HTML are not interpreted, except in notes, where
 * it is backslash-escaped. In table cells `|` is
 * escaped as `\|`, and line breaks and other control characters are written
 * as visible escapes (`\n`, `\u{1b}`), so a value cannot end its row.
 * Free of Node and DOM imports.
 */
import { ASSET_TYPES } from '../model/types';
import { diffLines } from './text-diff';
import type {
  Comparison, DatasetSection, FieldChange, InputChange, InputRef, MetricsSection, ModelSection, PromptSection, TypeSection,
} from './types';
import { formatChange, formatSummary, formatValue, isUnder, lastKey } from './values';

/** Values longer than this are cut in table cells; the JSON export keeps them whole. */
const CELL_CHARS = 120;

/** Control characters, line and paragraph separators, and bidirectional overrides. */
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function visibleControls(text: string): string {
  return text.replace(UNSAFE_CHARACTERS, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\t') return '\\t';
    return `\\u{${c.codePointAt(0)!.toString(16)}}`;
  });
}

/** Wraps `text` in a code span that shows it literally. In a table cell `|` becomes `\|`, which GFM turns back into `|`. */
export function codeSpan(text: string, inTable = true): string {
  if (text === '') return '*(empty)*';
  let content = visibleControls(text);
  if (inTable) content = content.replace(/\|/g, '\\|');
  const longestRun = Math.max(0, ...(content.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  // CommonMark strips one space from each end when both ends have one, so padding keeps edge backticks and spaces.
  const pad = /^[` ]|[` ]$/.test(content) && content.trim() !== '' ? ' ' : '';

  return `${fence}${pad}${content}${pad}${fence}`;
}

/**
 * Escapes prose that may contain store text and follows other text on its
 * line. Every character that can start inline Markdown, HTML or an entity
 * there gets a backslash. Line-start markers such as `#` and `-` cannot act
 * mid-line, so they stay as they are.
 * NOTE: GitHub still links `@name` and `#123` in such text; only code spans stop that.
 */
export function escapeText(text: string): string {
  return visibleControls(text.replace(/\r?\n/g, ' ')).replace(/[\\`*_[\]<>|~&]/g, (c) => `\\${c}`);
}

function fencedBlock(text: string, info: string): string {
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  const safe = text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);

  return `${fence}${info}\n${safe}\n${fence}`;
}

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function table(headers: string[], rows: string[][]): string[] {
  return [row(headers), row(headers.map(() => '---')), ...rows.map(row)];
}

/** Formats one side of a field for a table cell: numbers and booleans as they are, text and JSON in code spans. */
function valueCell(change: FieldChange, side: 'a' | 'b'): string {
  const summary = change.summary?.[side];
  if (summary) return formatSummary(summary);
  if (!Object.hasOwn(change, side)) return '—';
  const value = change[side];
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean' || value === null) return formatValue(value);

  return codeSpan(formatValue(value, CELL_CHARS));
}

function changeCell(change: FieldChange): string {
  const text = formatChange(change);
  if (change.delta && change.kind === 'changed') {
    return `${text} ${change.delta.direction === 'up' ? '↑' : change.delta.direction === 'down' ? '↓' : ''}`.trimEnd();
  }

  return text;
}

function fieldRows(fields: FieldChange[], pathOf: (field: FieldChange) => string = (f) => f.path): string[][] {
  return fields.map((field) => [codeSpan(pathOf(field)), valueCell(field, 'a'), valueCell(field, 'b'), changeCell(field)]);
}

/** Writes a seed type name as it is, and an `Other: <class>` name, which comes from the store, in a code span. */
function typeText(type: string, inTable = true): string {
  return (ASSET_TYPES as readonly string[]).includes(type) ? type : codeSpan(type, inTable);
}

function shortRun(runId: string | null): string {
  return runId === null ? '—' : codeSpan(runId.length > 8 ? runId.slice(0, 8) : runId);
}

function header(c: Comparison): string[] {
  const sameAsset = c.a.type === c.b.type && c.a.name === c.b.name;
  const title = sameAsset
    ? `## Compare ${typeText(c.a.type, false)} ${codeSpan(c.a.name, false)}: ${codeSpan(c.a.label, false)} → ${codeSpan(c.b.label, false)}`
    : `## Compare ${typeText(c.a.type, false)} ${codeSpan(c.a.name, false)} ${codeSpan(c.a.label, false)} → ${typeText(c.b.type, false)} ${codeSpan(c.b.name, false)} ${codeSpan(c.b.label, false)}`;
  const facts: string[][] = [
    ['Version', codeSpan(c.a.label), codeSpan(c.b.label)],
    ['Run', shortRun(c.a.runId), shortRun(c.b.runId)],
    ['Step', c.a.step === null ? '—' : codeSpan(c.a.step), c.b.step === null ? '—' : codeSpan(c.b.step)],
    ['Created', c.a.createdAt ?? '—', c.b.createdAt ?? '—'],
    ['Store', codeSpan(c.a.store), codeSpan(c.b.store)],
    ['ID', codeSpan(c.a.id), codeSpan(c.b.id)],
  ];
  if (!sameAsset) facts.unshift(['Asset', `${typeText(c.a.type)} ${codeSpan(c.a.name)}`, `${typeText(c.b.type)} ${codeSpan(c.b.name)}`]);

  return [title, '', ...table(['', 'A', 'B'], facts)];
}

function bannerLines(c: Comparison): string[] {
  if (!c.banner) return [];
  const relation = c.banner.differentType ? 'different types' : 'different assets';
  const consequence = c.banner.differentType
    ? 'Only the properties both have line up, and no per-type comparison is made.'
    : 'Each field is compared as if they were versions of one asset.';

  return ['', `> **Warning:** A and B are ${relation}. ${consequence}`];
}

/** Returns whether the type section shows this field, so the general table leaves it out. */
function shownBySection(section: TypeSection, field: FieldChange): boolean {
  // The Prompt section shows the template that FlowyML keeps in the row's `value`.
  if (section.kind === 'Prompt' && field.path === 'extra.value') return true;
  if (field.scope !== 'typed') return false;
  switch (section.kind) {
    case 'Dataset':
      return ['properties.num_samples', 'properties.num_features', 'properties.feature_columns', 'properties.column_stats', 'properties.columns']
        .some((prefix) => isUnder(field.path, prefix));
    case 'Model':
      return section.config.includes(field) || isUnder(field.path, 'properties.training_history');
    case 'Prompt':
      return ['properties.model_config', 'properties.prompt_format', 'properties.variables', 'properties.template']
        .some((prefix) => isUnder(field.path, prefix));
    case 'Metrics':
    case 'Checkpoint':
    case 'Properties':
      return true;
  }
}

function changedFieldLines(c: Comparison): string[] {
  const fields = c.fields.filter((f) => f.scope !== 'record' && f.kind !== 'unchanged' && !shownBySection(c.section, f));
  if (fields.length === 0) return [];

  return ['', '### Changed fields', '', ...table(['Field', 'A', 'B', 'Change'], fieldRows(fields))];
}

function datasetLines(section: DatasetSection): string[] {
  const lines = ['', '### Dataset'];
  const counts = [section.rows, section.features].filter((f): f is FieldChange => f !== null);
  if (counts.length > 0) {
    lines.push('', ...table(['', 'A', 'B', 'Change'], counts.map((f) => [
      f.path === 'properties.num_samples' ? 'Rows (`num_samples`)' : 'Features (`num_features`)', valueCell(f, 'a'), valueCell(f, 'b'), changeCell(f),
    ])));
  }

  const schema = section.columns.filter((col) => col.kind === 'added' || col.kind === 'removed' || col.kind === 'retyped');
  lines.push('');
  if (schema.length === 0) lines.push('Schema: no column was added, removed or retyped.');
  else {
    lines.push('Schema changes:', '');
    for (const col of schema) {
      if (col.kind === 'added') lines.push(`- added column ${codeSpan(col.name, false)}${col.dtypeB ? ` (${codeSpan(col.dtypeB, false)})` : ''}`);
      else if (col.kind === 'removed') lines.push(`- removed column ${codeSpan(col.name, false)}${col.dtypeA ? ` (${codeSpan(col.dtypeA, false)})` : ''}`);
      else lines.push(`- retyped column ${codeSpan(col.name, false)}: ${codeSpan(col.dtypeA ?? '', false)} → ${codeSpan(col.dtypeB ?? '', false)}`);
    }
  }

  if (!section.statsCompared) {
    lines.push('', 'Column statistics were compared by size and SHA-256 only, because `column_stats` is large. Load all to see each statistic.');
    return lines;
  }
  const statRows = section.columns
    .filter((col) => col.kind === 'changed' || col.kind === 'retyped')
    .flatMap((col) => col.stats.filter((s) => s.kind !== 'unchanged').map((s) => [
      codeSpan(col.name), codeSpan(lastKey(s.path)), valueCell(s, 'a'), valueCell(s, 'b'), changeCell(s),
    ]));
  if (statRows.length > 0) lines.push('', '#### Column statistics that changed', '', ...table(['Column', 'Statistic', 'A', 'B', 'Change'], statRows));

  return lines;
}

/** Returns the series name of a final-metric path `properties.training_history.<name>[-1]`. */
function seriesName(field: FieldChange): string {
  return lastKey(field.path.slice(0, -'[-1]'.length));
}

function modelLines(section: ModelSection): string[] {
  const lines = ['', '### Model'];
  if (section.finalMetrics.length > 0) {
    const epochs = (history: Record<string, unknown[]>) => Math.max(0, ...Object.values(history).map((s) => s.length));
    lines.push('', `Final training metrics (last of ${epochs(section.history.a)} values in A, ${epochs(section.history.b)} in B):`, '');
    lines.push(...table(['Metric', 'A', 'B', 'Change'], fieldRows(section.finalMetrics, seriesName)));
  }
  const changedConfig = section.config.filter((f) => f.kind !== 'unchanged');
  lines.push('');
  if (changedConfig.length === 0) lines.push('Parameters and configuration: unchanged.');
  else lines.push('Parameters and configuration that changed:', '', ...table(['Field', 'A', 'B', 'Change'], fieldRows(changedConfig)));

  return lines;
}

function metricsLines(section: MetricsSection): string[] {
  if (section.values.length === 0) return ['', '### Metrics', '', 'Neither version stores a metric value.'];

  return ['', '### Metrics', '', ...table(['Metric', 'A', 'B', 'Change'], fieldRows(section.values, (f) => lastKey(f.path)))];
}

function promptLines(section: PromptSection): string[] {
  const lines = ['', '### Prompt', ''];
  const { a, b, changed } = section.template;
  if (!changed) lines.push('Template: unchanged.');
  else if (a.text !== null && b.text !== null) {
    lines.push('Template changed:', '');
    lines.push(fencedBlock(diffLines(a.text, b.text).map((line) => `${line.op}${line.text}`).join('\n'), 'diff'));
  } else {
    lines.push('Template changed:', '');
    for (const [name, side] of [['A', a], ['B', b]] as const) {
      lines.push(side.text === null ? `- ${name}: no readable template.` : `- ${name}:`, ...(side.text === null ? [] : ['', fencedBlock(side.text, 'text'), '']));
    }
  }
  for (const [name, side] of [['A', a], ['B', b]] as const) if (side.note) lines.push('', `Note on ${name}: ${escapeText(side.note)}.`);

  const names = (list: string[]) => (list.length === 0 ? 'none' : list.map((v) => codeSpan(v, false)).join(', '));
  lines.push('', `Variables added: ${names(section.variables.added)}. Variables removed: ${names(section.variables.removed)}.`);

  const settings = [...(section.format ? [section.format] : []), ...section.modelConfig].filter((f) => f.kind !== 'unchanged');
  if (settings.length > 0) lines.push('', 'Model settings that changed:', '', ...table(['Field', 'A', 'B', 'Change'], fieldRows(settings)));
  else lines.push('', 'Model settings: unchanged.');

  return lines;
}

/** Lists a section's fields; nothing when neither version has a typed property, because the general table shows the rest. */
function fieldsTableLines(title: string, fields: FieldChange[], onlyChanged: boolean): string[] {
  if (fields.length === 0) return [];
  const listed = onlyChanged ? fields.filter((f) => f.kind !== 'unchanged') : fields;
  if (listed.length === 0) return ['', `### ${title}`, '', 'No property changed.'];

  return ['', `### ${title}`, '', ...table(['Field', 'A', 'B', 'Change'], fieldRows(listed))];
}

function sectionLines(section: TypeSection): string[] {
  switch (section.kind) {
    case 'Dataset':
      return datasetLines(section);
    case 'Model':
      return modelLines(section);
    case 'Metrics':
      return metricsLines(section);
    case 'Checkpoint':
      return fieldsTableLines('Checkpoint', section.fields, false);
    case 'Prompt':
      return promptLines(section);
    case 'Properties':
      return fieldsTableLines('Properties', section.fields, true);
  }
}

function inputCell(ref: InputRef | null): string {
  if (ref === null) return '—';
  if (!ref.found) return `${codeSpan(ref.id)} (not in the workspace)`;
  const run = ref.runId ? ` · run ${shortRun(ref.runId)}` : '';

  return `${codeSpan(ref.label ?? '')}${run}`;
}

function inputName(change: InputChange): string {
  const refs = [change.a, change.b].filter((r): r is InputRef => r !== null);
  const types = [...new Set(refs.map((r) => r.type))];
  const names = [...new Set(refs.map((r) => r.name))].map((name) => codeSpan(name)).join(' → ');
  if (types.length === 1) return types[0] === null ? names : `${typeText(types[0])} ${names}`;

  return refs.map((r) => `${r.type === null ? '' : `${typeText(r.type)} `}${codeSpan(r.name)}`).join(' → ');
}

const INPUT_CHANGE_TEXT: Record<InputChange['kind'], string> = {
  changed: 'changed input', added: 'added input', removed: 'removed input', unchanged: 'same input',
};

function inputLines(c: Comparison): string[] {
  const differing = c.inputs.filter((i) => i.kind !== 'unchanged');
  const same = c.inputs.length - differing.length;
  const lines = ['', '### Inputs that changed', ''];
  if (differing.length === 0) {
    lines.push(c.inputs.length === 0 ? 'Neither version records an input.' : `None: all ${same} inputs are the same version in A and B.`);
    return lines;
  }
  lines.push(...table(['Change', 'Input', 'A', 'B'], differing.map((i) => [
    i.matchedBy === 'step-output' ? 'changed input (other asset name, same step output)' : INPUT_CHANGE_TEXT[i.kind],
    inputName(i), inputCell(i.a), inputCell(i.b),
  ])));
  if (same > 0) lines.push('', `${same} other ${same === 1 ? 'input is' : 'inputs are'} the same version in A and B.`);

  return lines;
}

function countLine(c: Comparison): string {
  const { changed, added, removed, unchanged } = c.counts;
  return `Fields: ${changed} changed, ${added} added, ${removed} removed, ${unchanged} unchanged.`;
}

/** Renders the comparison as Markdown that reads well pasted into a pull request as it is. */
export function comparisonToMarkdown(c: Comparison): string {
  const lines = [
    ...header(c),
    ...bannerLines(c),
    '',
    countLine(c),
    ...sectionLines(c.section),
    ...changedFieldLines(c),
    ...inputLines(c),
  ];
  // Each note is its own blockquote: consecutive `>` lines would join into one paragraph.
  for (const note of c.notes) lines.push('', `> **Note:** ${escapeText(note)}`);

  return `${lines.join('\n')}\n`;
}
