/**
 * `compare`: what changed between two asset versions. Prints a table of the
 * changed fields, the per-type parts and the inputs that differ, or the
 * comparison as JSON or Markdown.
 */
import {
  StoreError, compareVersions, comparisonToJson, comparisonToMarkdown, diffLines, formatChange, formatSide,
  type Comparison, type FieldChange, type InputChange, type InputRef, type TypeSection,
} from '../../core/index';
import { table, terminalSafe } from '../format';
import { UsageError, expectArguments, openWorkspace, reportProblems, type CliCommand, type OptionValues, type Output } from '../shared';

/** Widths of the FIELD, A, B and CHANGE columns. */
const FIELD_WIDTHS = [60, 40, 40, 32];
/** Values are cut here before the table crops them further, so a 1 MB value is never written out whole. */
const VALUE_CHARS = 200;

async function runCompare(rest: string[], values: OptionValues, io: Output): Promise<number> {
  expectArguments(rest, 2, 3, 'ID_A and ID_B');
  if (values.json === true && values.markdown === true) throw new UsageError('Use either --json or --markdown, not both.');

  const workspace = await openWorkspace(rest[2], values);
  try {
    const problems = reportProblems(workspace, io);
    let comparison: Comparison;
    try {
      comparison = await compareVersions(workspace, rest[0], rest[1], { full: values.full === true });
    } catch (error) {
      if (!(error instanceof StoreError && error.code === 'not-found')) throw error;
      io.err(`flowyml-assets: ${terminalSafe(error.message)} Run "flowyml-assets list" on the same folder to see the version ids.`);
      return 1;
    }

    if (values.json === true) io.out(comparisonToJson(comparison));
    else if (values.markdown === true) io.out(comparisonToMarkdown(comparison).trimEnd().split('\n').map(terminalSafe).join('\n'));
    else io.out(comparisonToText(comparison, values.all === true));
    return problems;
  } finally {
    workspace.dispose();
  }
}

/** Table lines; `table` makes each cell terminal-safe and keeps it on one line. */
function tableLines(headers: string[], rows: string[][], widths: number[]): string[] {
  return table(headers, rows, widths).split('\n');
}

function fieldTable(fields: FieldChange[]): string[] {
  const rows = fields.map((f) => [f.path, formatSide(f, 'a', VALUE_CHARS), formatSide(f, 'b', VALUE_CHARS), formatChange(f)]);
  return tableLines(['FIELD', 'A', 'B', 'CHANGE'], rows, FIELD_WIDTHS);
}

function headerLines(c: Comparison): string[] {
  const sameAsset = c.a.type === c.b.type && c.a.name === c.b.name;
  const title = sameAsset
    ? `${c.a.type} ${c.a.name}: ${c.a.label} → ${c.b.label}`
    : `${c.a.type} ${c.a.name} ${c.a.label} → ${c.b.type} ${c.b.name} ${c.b.label}`;
  const facts = (name: string, v: Comparison['a']) => [
    name, v.label, v.runId ?? '-', v.step ?? '-', v.createdAt ?? '-', v.id,
  ];
  const lines = [title, '', ...tableLines(['', 'VERSION', 'RUN', 'STEP', 'CREATED', 'ID'], [facts('A', c.a), facts('B', c.b)], [1, 30, 36, 30, 24, 200])];
  if (c.banner) lines.push('', `warning: ${c.banner.message}`);

  return lines;
}

function sectionLines(section: TypeSection, all: boolean): string[] {
  switch (section.kind) {
    case 'Dataset': {
      const lines = ['', 'Dataset schema:'];
      const schema = section.columns.filter((col) => col.kind === 'added' || col.kind === 'removed' || col.kind === 'retyped');
      if (schema.length === 0) lines.push('  no column was added, removed or retyped');
      for (const col of schema) {
        if (col.kind === 'retyped') lines.push(`  retyped column ${col.name}: ${col.dtypeA ?? '-'} → ${col.dtypeB ?? '-'}`);
        else lines.push(`  ${col.kind} column ${col.name}${(col.kind === 'added' ? col.dtypeB : col.dtypeA) ? ` (${col.kind === 'added' ? col.dtypeB : col.dtypeA})` : ''}`);
      }
      if (!section.statsCompared) lines.push('  column statistics were compared by size and SHA-256 only; use --full to compare each statistic');
      return lines;
    }
    case 'Model':
      if (section.finalMetrics.length === 0) return [];
      return ['', 'Final training metrics (last value of each series):', ...fieldTable(section.finalMetrics)];
    case 'Prompt': {
      const { a, b, changed } = section.template;
      const lines = ['', `Template: ${changed ? 'changed' : 'unchanged'}`];
      if (changed && a.text !== null && b.text !== null) {
        for (const line of diffLines(a.text, b.text)) if (all || line.op !== ' ') lines.push(`  ${line.op} ${line.text}`);
      } else if (changed) {
        lines.push(`  A: ${a.text ?? `no readable template (${a.note ?? 'unknown reason'})`}`, `  B: ${b.text ?? `no readable template (${b.note ?? 'unknown reason'})`}`);
      }
      for (const [name, side] of [['A', a], ['B', b]] as const) if (side.note && side.available) lines.push(`  note on ${name}: ${side.note}`);
      const list = (names: string[]) => (names.length === 0 ? 'none' : names.join(', '));
      lines.push(`Variables added: ${list(section.variables.added)}; removed: ${list(section.variables.removed)}`);
      return lines;
    }
    case 'Metrics':
    case 'Checkpoint':
    case 'Properties':
      return [];
  }
}

function inputText(ref: InputRef | null): string {
  if (ref === null) return '-';
  if (!ref.found) return `${ref.id} (not in the workspace)`;

  return `${ref.label ?? ''}${ref.runId ? ` (run ${ref.runId.slice(0, 8)})` : ''}`;
}

function inputLines(inputs: InputChange[], all: boolean): string[] {
  const listed = all ? inputs : inputs.filter((i) => i.kind !== 'unchanged');
  if (listed.length === 0) return ['', inputs.length === 0 ? 'Inputs: neither version records an input.' : 'Inputs: all are the same version in A and B.'];

  const rows = listed.map((i) => {
    const refs = [i.a, i.b].filter((r): r is InputRef => r !== null);
    const types = [...new Set(refs.map((r) => r.type ?? '?'))];
    const names = types.length === 1
      ? `${types[0]} ${[...new Set(refs.map((r) => r.name))].join(' → ')}`
      : refs.map((r) => `${r.type ?? '?'} ${r.name}`).join(' → ');
    const kind = i.kind === 'unchanged' ? 'same input' : `${i.kind} input${i.matchedBy === 'step-output' ? ' (same step output)' : ''}`;
    return [kind, names, inputText(i.a), inputText(i.b)];
  });

  return ['', 'Inputs:', ...tableLines(['CHANGE', 'INPUT', 'A', 'B'], rows, [32, 60, 40, 40])];
}

/** Formats the comparison for people: changed fields only, or every field with `all`. */
export function comparisonToText(c: Comparison, all: boolean): string {
  const { changed, added, removed, unchanged } = c.counts;
  const fields = c.fields.filter((f) => all || (f.kind !== 'unchanged' && f.scope !== 'record'));
  const lines = [...headerLines(c), '', `Fields: ${changed} changed, ${added} added, ${removed} removed, ${unchanged} unchanged.`];
  if (fields.length > 0) lines.push('', ...fieldTable(fields));
  lines.push(...sectionLines(c.section, all), ...inputLines(c.inputs, all));
  for (const note of c.notes) lines.push('', `note: ${note}`);

  // Each element is one line, so escaping newlines here only affects text from the store.
  return lines.map(terminalSafe).join('\n');
}

export const compareCommand: CliCommand = {
  name: 'compare',
  usage: 'compare  ID_A ID_B [DIR] [--json | --markdown] [--all] [--full]',
  optionHelp: [
    '--all             compare: list unchanged fields and inputs too',
    '--markdown        compare: print the comparison as Markdown for a pull request',
    '--full            compare: compare properties over 64 KB field by field instead of by size and SHA-256',
  ],
  options: {
    all: { type: 'boolean', default: false },
    markdown: { type: 'boolean', default: false },
    full: { type: 'boolean', default: false },
  },
  run: runCompare,
};
