/**
 * Builds the compare panel's DOM from a parsed comparison. Every stored
 * string goes in through `element`, which sets `textContent`, so no value
 * can become markup.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import type {
  Comparison, DatasetSection, FieldChange, InputChange, InputRef, ModelSection, PromptSection, TypeSection, VersionFacts,
} from '../../src/core/compare/types';
import { diffLines } from '../../src/core/compare/text-diff';
import { formatChange, formatSide, isPlainRecord, lastKey } from '../../src/core/compare/values';
import type { CompareAction, CompareStrings, CompareToHostMessage } from '../../src/protocol/compare';
import { croppedText } from '../../src/protocol/text';
import { element } from '../shared/dom';
import { drawHistoryCharts, drawPairedBars } from './charts';

/** Values are cut at this many characters in table cells, and "Open Diff" shows them whole. */
const CELL_CHARS = 300;
/** Each name and label in the title is cut at this many characters; the title's tooltip contains more. */
const MAX_TITLE_PART_CHARS = 120;
/** Tooltips of cut text stop here, so a 100,000-character name does not fill the screen on hover. */
const TOOLTIP_CHARS = 2000;
/** The statistics drawn as paired bars, in this order. */
const BAR_STATS = ['mean', 'std', 'min', 'max', 'nulls'];

export interface RenderOptions {
  showAll: boolean;
  post(message: CompareToHostMessage): void;
  toggleShowAll(showAll: boolean): void;
}

export function renderComparison(c: Comparison, strings: CompareStrings, options: RenderOptions): HTMLElement {
  const root = element('div', { className: 'comparison' });
  root.append(header(c, strings, options));
  if (c.banner) root.append(element('div', { className: 'banner different', text: c.banner.message, attributes: { role: 'alert' } }));
  if (c.summarized && !c.full) {
    const load = button(strings.loadAll, 'load-all', () => options.post({ type: 'action', action: 'loadAll' }));
    root.append(element('div', { className: 'banner summarized' }, [element('span', { text: strings.summarized }), load]));
  }
  root.append(toolbar(c, strings, options));
  root.append(fieldsSection(c, strings, options));
  root.append(typeSection(c.section, c, strings, options));
  root.append(inputsSection(c.inputs, strings, options));
  if (c.notes.length > 0) {
    root.append(section(strings.notes, 'notes', [element('ul', {}, c.notes.map((note) => element('li', { text: note })))]));
  }

  return root;
}

function header(c: Comparison, strings: CompareStrings, options: RenderOptions): HTMLElement {
  const sameAsset = c.a.type === c.b.type && c.a.name === c.b.name;
  const [typeA, nameA, labelA, typeB, nameB, labelB] = [c.a.type, c.a.name, c.a.label, c.b.type, c.b.name, c.b.label]
    .map((part) => croppedText(part, MAX_TITLE_PART_CHARS));
  const title = sameAsset
    ? `${typeA} ${nameA}: ${labelA} → ${labelB}`
    : `${typeA} ${nameA} ${labelA} → ${typeB} ${nameB} ${labelB}`;
  const fullTitle = sameAsset
    ? `${c.a.type} ${c.a.name}: ${c.a.label} → ${c.b.label}`
    : `${c.a.type} ${c.a.name} ${c.a.label} → ${c.b.type} ${c.b.name} ${c.b.label}`;
  const cell = (text: string | null, className?: string) =>
    element('td', { className, text: croppedText(text ?? '', CELL_CHARS), attributes: text && text.length > CELL_CHARS ? { title: croppedText(text, TOOLTIP_CHARS) } : {} });
  const facts = (role: string, side: 'a' | 'b', facts: VersionFacts) => element('tr', { className: `version side-${side}` }, [
    element('th', { text: role }),
    element('td', {}, [link(croppedText(facts.label, CELL_CHARS), () => options.post({ type: 'openVersion', id: facts.id }))]),
    cell(facts.runId),
    cell(facts.step),
    cell(facts.createdAt),
    cell(facts.id, 'id'),
  ]);

  return element('header', { className: 'compare-header' }, [
    element('h1', { className: 'title', text: title, attributes: title === fullTitle ? {} : { title: croppedText(fullTitle, TOOLTIP_CHARS) } }),
    element('table', { className: 'versions' }, [facts(strings.baseline, 'a', c.a), facts(strings.candidate, 'b', c.b)]),
  ]);
}

function toolbar(c: Comparison, strings: CompareStrings, options: RenderOptions): HTMLElement {
  const toggle = element('vscode-checkbox', { className: 'show-all', attributes: { label: strings.showAll } });
  toggle.checked = options.showAll;
  toggle.addEventListener('change', () => options.toggleShowAll(toggle.checked));
  const action = (label: string, name: CompareAction) => button(label, name, () => options.post({ type: 'action', action: name }), true);
  const buttons = [
    toggle,
    button(strings.diffProperties, 'diff-properties', () => options.post({ type: 'openDiff', path: 'properties' }), true),
    action(strings.swap, 'swap'),
    action(strings.copyMarkdown, 'copyMarkdown'),
    action(strings.exportMarkdown, 'exportMarkdown'),
    action(strings.exportJson, 'exportJson'),
  ];
  if (c.section.kind === 'Prompt') buttons.splice(1, 0, button(strings.diffTemplate, 'diff-template', () => options.post({ type: 'openDiff', path: 'template' })));

  return element('div', { className: 'toolbar' }, buttons);
}

function fieldsSection(c: Comparison, strings: CompareStrings, options: RenderOptions): HTMLElement {
  const counts = strings.counts
    .replace('{changed}', String(c.counts.changed))
    .replace('{added}', String(c.counts.added))
    .replace('{removed}', String(c.counts.removed))
    .replace('{unchanged}', String(c.counts.unchanged));
  const listed = c.fields.filter((field) => options.showAll || isChange(field));

  return section(strings.fields, 'fields', [
    element('p', { className: 'counts', text: counts }),
    fieldTableOrEmpty(listed, strings, options),
  ]);
}

/** Returns whether the changed-only view lists a field: a change, but not of a record id that differs between any two versions. */
function isChange(field: FieldChange): boolean {
  return field.kind !== 'unchanged' && field.scope !== 'record';
}

function fieldTable(fields: FieldChange[], strings: CompareStrings, options: RenderOptions, label?: (field: FieldChange) => string): HTMLElement {
  const head = element('tr', {}, [
    element('th', { text: strings.field }),
    element('th', { text: strings.baseline }),
    element('th', { text: strings.candidate }),
    element('th', { text: strings.change }),
  ]);
  const rows = fields.map((field) => {
    const change = element('td', { className: 'change' }, [element('span', { text: formatChange(field) })]);
    if (isDiffable(field)) change.append(button(strings.openDiff, 'open-diff', () => options.post({ type: 'openDiff', path: field.path }), true));
    const direction = field.delta && field.kind === 'changed' ? ` ${field.delta.direction}` : '';

    return element('tr', { className: `field-row kind-${field.kind}${direction}`, attributes: { 'data-path': field.path, 'data-kind': field.kind } }, [
      element('td', { className: 'path', text: label ? label(field) : field.path }),
      element('td', { className: 'value side-a', text: formatSide(field, 'a', CELL_CHARS) }),
      element('td', { className: 'value side-b', text: formatSide(field, 'b', CELL_CHARS) }),
      change,
    ]);
  });

  return element('table', { className: 'fields' }, [element('thead', {}, [head]), element('tbody', {}, rows)]);
}

function fieldTableOrEmpty(fields: FieldChange[], strings: CompareStrings, options: RenderOptions): HTMLElement {
  return fields.length > 0 ? fieldTable(fields, strings, options) : element('p', { className: 'empty', text: strings.noChanges });
}

/** Returns whether a change reads better in the diff editor: an object, an array, or a long or multi-line string. */
function isDiffable(field: FieldChange): boolean {
  if (field.kind === 'unchanged' || field.summary) return false;

  return [field.a, field.b].some((value) => Array.isArray(value)
    || isPlainRecord(value)
    || (typeof value === 'string' && (value.includes('\n') || value.length > 80)));
}

function typeSection(s: TypeSection, c: Comparison, strings: CompareStrings, options: RenderOptions): HTMLElement {
  switch (s.kind) {
    case 'Dataset':
      return datasetSection(s, strings, options);
    case 'Model':
      return modelSection(s, c, strings, options);
    case 'Metrics':
      return section(strings.metrics, 'metrics', [fieldTable(s.values, strings, options)]);
    case 'Checkpoint':
      return section(strings.checkpoint, 'checkpoint', [fieldTableOrEmpty(filtered(s.fields, options), strings, options)]);
    case 'Prompt':
      return promptSection(s, strings, options);
    case 'Properties':
      return section(strings.properties, 'properties', [fieldTableOrEmpty(filtered(s.fields, options), strings, options)]);
  }
}

function filtered(fields: FieldChange[], options: RenderOptions): FieldChange[] {
  return fields.filter((field) => options.showAll || isChange(field));
}

function datasetSection(s: DatasetSection, strings: CompareStrings, options: RenderOptions): HTMLElement {
  const counts = [s.rows, s.features].filter((field): field is FieldChange => field !== null);
  const schema = s.columns.filter((column) => column.kind === 'added' || column.kind === 'removed' || column.kind === 'retyped');
  const schemaList = schema.length === 0
    ? element('p', { className: 'empty', text: strings.noSchemaChange })
    : element('ul', { className: 'schema' }, schema.map((column) => element('li', { className: `column-${column.kind}`, attributes: { 'data-column': column.name } }, [
      element('span', { className: 'kind', text: column.kind }),
      element('code', { text: column.name }),
      element('span', { className: 'dtype', text: [column.dtypeA, column.dtypeB].filter((dtype) => dtype !== null).join(' → ') }),
    ])));

  const columns = s.columns.filter((column) => options.showAll || column.kind !== 'unchanged').map((column) => {
    const bars = column.stats
      .map((stat) => ({ stat: lastKey(stat.path), a: stat.a, b: stat.b }))
      .filter((bar) => BAR_STATS.includes(bar.stat))
      .sort((x, y) => BAR_STATS.indexOf(x.stat) - BAR_STATS.indexOf(y.stat));

    return element('div', { className: `column-card column-${column.kind}`, attributes: { 'data-column': column.name } }, [
      element('h3', {}, [element('code', { text: column.name }), element('span', { className: 'kind', text: column.kind })]),
      bars.length > 0 ? drawPairedBars(column.name, bars) : undefined,
      column.stats.length > 0 ? fieldTable(column.stats, strings, options, (field) => lastKey(field.path)) : undefined,
    ]);
  });

  return section(strings.schema, 'dataset', [
    counts.length > 0 ? fieldTable(counts, strings, options, (field) => (field === s.rows ? strings.rows : strings.features)) : undefined,
    schemaList,
    s.statsCompared ? undefined : element('p', { className: 'note', text: strings.statsBySummary }),
    element('h3', { text: strings.columns }),
    element('div', { className: 'columns' }, columns),
  ]);
}

function modelSection(s: ModelSection, c: Comparison, strings: CompareStrings, options: RenderOptions): HTMLElement {
  const config = filtered(s.config, options);
  const hasHistory = Object.keys(s.history.a).length + Object.keys(s.history.b).length > 0;

  return section(strings.config, 'model', [
    fieldTableOrEmpty(config, strings, options),
    s.finalMetrics.length > 0 ? element('h3', { text: strings.finalMetrics }) : undefined,
    s.finalMetrics.length > 0 ? fieldTable(s.finalMetrics, strings, options) : undefined,
    hasHistory ? element('h3', { text: strings.history }) : undefined,
    hasHistory ? drawHistoryCharts(s.history.a, s.history.b, { a: c.a.label, b: c.b.label }) : undefined,
  ]);
}

function promptSection(s: PromptSection, strings: CompareStrings, options: RenderOptions): HTMLElement {
  const { a, b, changed } = s.template;
  const status = element('p', { className: 'template-status', text: changed ? strings.templateChanged : strings.templateUnchanged });
  let diff: HTMLElement | undefined;
  if (a.text !== null && b.text !== null && (changed || options.showAll)) {
    const lines = diffLines(a.text, b.text);
    diff = element('pre', { className: 'template-diff' }, lines.map((line) => element('span', {
      className: `line op-${line.op === '+' ? 'added' : line.op === '-' ? 'removed' : 'kept'}`,
      multilineText: `${line.op} ${line.text}\n`,
    })));
  }
  const notes = [a, b].filter((side) => side.note !== null).map((side) => element('p', { className: 'note', text: side.note ?? '' }));
  const names = (list: string[]) => (list.length === 0 ? strings.none : list.join(', '));
  const modelConfig = filtered(s.modelConfig, options);

  return section(strings.prompt, 'prompt', [
    element('h3', { text: strings.template }),
    status,
    diff,
    ...notes,
    element('p', { className: 'variables-added', text: `${strings.variablesAdded} ${names(s.variables.added)}` }),
    element('p', { className: 'variables-removed', text: `${strings.variablesRemoved} ${names(s.variables.removed)}` }),
    s.format && (options.showAll || isChange(s.format)) ? fieldTable([s.format], strings, options) : undefined,
    element('h3', { text: strings.modelConfig }),
    fieldTableOrEmpty(modelConfig, strings, options),
  ]);
}

function inputsSection(inputs: InputChange[], strings: CompareStrings, options: RenderOptions): HTMLElement {
  const listed = inputs.filter((input) => options.showAll || input.kind !== 'unchanged');
  if (listed.length === 0) {
    return section(strings.inputs, 'inputs', [element('p', { className: 'empty', text: inputs.length === 0 ? strings.noInputs : strings.sameInputs })]);
  }

  const rows = listed.map((input) => {
    const refs = [input.a, input.b].filter((ref): ref is InputRef => ref !== null);
    const name = [...new Set(refs.map((ref) => `${ref.type ?? '?'} ${ref.name}`))].join(' → ');
    const compare = input.a?.found && input.b?.found && input.kind === 'changed'
      ? button(strings.compareInput, 'compare-input', () => options.post({ type: 'compareInputs', a: input.a!.id, b: input.b!.id }), true)
      : undefined;

    return element('tr', { className: `input-row kind-${input.kind}`, attributes: { 'data-kind': input.kind } }, [
      element('td', { className: 'kind', text: input.kind }),
      element('td', { className: 'name', text: name }),
      element('td', { className: 'side-a', text: refText(input.a) }),
      element('td', { className: 'side-b', text: refText(input.b) }),
      element('td', {}, [compare]),
    ]);
  });

  const head = element('tr', {}, [
    element('th', { text: strings.change }),
    element('th', { text: strings.input }),
    element('th', { text: strings.baseline }),
    element('th', { text: strings.candidate }),
    element('th'),
  ]);

  return section(strings.inputs, 'inputs', [element('table', { className: 'inputs' }, [element('thead', {}, [head]), element('tbody', {}, rows)])]);
}

function refText(ref: InputRef | null): string {
  if (ref === null) return '';
  if (!ref.found) return ref.id;

  return `${ref.label ?? ''}${ref.runId ? ` (${ref.runId.slice(0, 8)})` : ''}`;
}

function section(title: string, name: string, children: (Node | undefined)[]): HTMLElement {
  return element('section', { className: `section-${name}` }, [element('h2', { text: title }), ...children]);
}

function button(label: string, name: string, onClick: () => void, secondary = false): HTMLElement {
  const node = element('vscode-button', { className: name, text: label, attributes: secondary ? { secondary: '' } : {} });
  node.addEventListener('click', onClick);

  return node;
}

function link(label: string, onClick: () => void): HTMLElement {
  const node = element('a', { className: 'version-link', text: label, attributes: { href: '#' } });
  node.addEventListener('click', (event) => {
    event.preventDefault();
    onClick();
  });

  return node;
}
