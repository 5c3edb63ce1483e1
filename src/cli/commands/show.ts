import { stringifyJson } from '../../core/index';
import { terminalSafe } from '../format';
import { expectArguments, listEntry, openWorkspace, reportProblems, type CliCommand, type OptionValues, type Output } from '../shared';

async function runShow(rest: string[], values: OptionValues, io: Output): Promise<number> {
  expectArguments(rest, 1, 2, 'ID');
  const workspace = await openWorkspace(rest[1], values);
  try {
    const problems = reportProblems(workspace, io);
    const details = await workspace.details(rest[0], { full: values.full === true });
    if (values.json) {
      io.out(stringifyJson({ ...listEntry(details.version), tags: details.version.tags, uri: details.version.uri ?? null, contentHash: details.version.contentHash ?? null, properties: details.properties, children: details.children, rawTruncated: details.rawTruncated, problem: details.problem ?? null }, 2));
    } else {
      const v = details.version;
      const lines = [
        `${v.type} ${v.name} ${v.label}`,
        `id:        ${v.id}`,
        ...v.aliases.map((a) => `alias:     ${a}`),
        `store:     ${v.store}`,
        `run:       ${v.runId ?? '-'}${v.pipeline ? ` (pipeline ${v.pipeline})` : ''}`,
        `step:      ${v.step ?? '-'}`,
        `created:   ${v.createdAt?.iso ?? '-'}${v.createdAt?.zone === 'assumed-local' ? ' (zone unknown: read as local time)' : ''}`,
        `parents:   ${v.parents.length === 0 ? '-' : v.parents.join(', ')}`,
        `children:  ${details.children.length === 0 ? '-' : details.children.join(', ')}`,
        `tags:      ${Object.keys(v.tags).length === 0 ? '-' : Object.entries(v.tags).map(([k, t]) => `${k}=${t}`).join(', ')}`,
      ];
      if (v.uri) lines.push(`uri:       ${v.uri}`);
      lines.push('properties:');
      for (const [key, value] of Object.entries(details.properties.typed)) lines.push(`  ${key}: ${preview(value)}`);
      for (const [key, value] of Object.entries(details.properties.extra)) lines.push(`  (${key}): ${preview(value)}`);
      if (details.rawTruncated) lines.push('(stored data copies left out; use --full to load everything)');
      if (details.problem) lines.push(`problem: ${details.problem}`);
      io.out(lines.map(terminalSafe).join('\n'));
    }
    if (details.problem) {
      io.err(`error: ${terminalSafe(details.problem)}`);
      return Math.max(problems, 1);
    }
    return problems;
  } finally {
    workspace.dispose();
  }
}

const PREVIEW_CHARS = 200;

function preview(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') text = String(value);
  else text = stringifyJson(value);
  return text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS)}… (${text.length} chars)` : text;
}

export const showCommand: CliCommand = {
  name: 'show',
  usage: 'show     ID [DIR] [--json] [--full]',
  optionHelp: ['--full            show: load the whole stored JSON, even when it is many megabytes'],
  options: { full: { type: 'boolean', default: false } },
  run: runShow,
};
