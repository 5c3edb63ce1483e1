/**
 * Hover text for FlowyML symbols: an asset's latest version with its key
 * properties and lineage, a step's runs and outputs, a step input or output,
 * a pipeline's runs. Positions that are not FlowyML symbols get no hover, so
 * other Python tools keep serving them.
 */
import { describeError, type AssetTypeName } from '../../core';
import { LspCommands } from '../../protocol/lsp';
import type { AssetCallSymbol, FileSymbols, NameValue, PipelineSymbol, StepIoSymbol, StepSymbol } from '../python/model';
import type { NameIndex, VersionEntry } from '../store/nameIndex';
import {
  assetForName, consumerSteps, impliedOutputName, keyProperties, latestOfInput, latestOfOutput, stepNameOfFunction, stepStatus,
} from './facts';
import { code, commandLink, formatInstant, listWithMore, shortRunId } from './markdown';

/** Names listed in full before "and N more". */
const LISTED = 4;

export interface HoverContext {
  index: NameIndex;
  /** Symbols of every known Python file, to find the `@step` of a function passed to `add_step`. */
  files: FileSymbols[];
  /** The workspace folder of the hovered file, whose store is preferred when several have the name. */
  root: string | undefined;
}

export async function assetHover(context: HoverContext, symbol: AssetCallSymbol): Promise<string> {
  const { index, root } = context;
  const heading = `**${symbol.assetType}**`;

  if (!symbol.name) {
    const output = impliedOutputName(symbol);
    if (!output || output.name.value.kind !== 'static') {
      return `${heading} without a name\n\nFlowyML names it after the step output it is returned as.`;
    }
    const outputName = output.name.value.value;
    const latest = latestOfOutput(index, outputName, symbol.step?.name);
    const intro = `${heading} without a name, recorded as step output ${code(outputName)}`;
    return latest ? [intro, ...(await versionSection(index, latest, 'Latest version'))].join('\n\n') : `${intro}\n\nNot in the store yet.`;
  }

  const value = symbol.name.value;
  if (value.kind === 'computed') return computedNameHover(index, heading, value, symbol.assetType);

  const entry = assetForName(index, value.value, symbol.assetType, root);
  const title = `${heading} ${nameWithConstant(value)}`;
  if (!entry) return `${title}\n\nNot in the store yet: no version named ${code(value.value)} was recorded.`;

  const typeNote = entry.summary.type !== symbol.assetType ? [`Recorded as ${code(entry.summary.type)}.`] : [];
  const latest = { version: entry.summary.latest, folder: entry.folder };
  return [title, ...typeNote, ...(await versionSection(index, latest, 'Latest version'))].join('\n\n');
}

export async function ioHover(context: HoverContext, symbol: StepIoSymbol): Promise<string> {
  const { index } = context;
  const value = symbol.name.value;
  const role = symbol.role === 'output' ? 'Output' : 'Input';
  const heading = `**${role}** ${nameWithConstant(value)} of step ${code(symbol.step.name)}`;
  if (value.kind === 'computed') return `${heading}\n\nThe name is computed at run time, so its versions cannot be looked up.`;

  const name = value.value;
  const entry = symbol.role === 'output' ? latestOfOutput(index, name, symbol.step.name) : latestOfInput(index, name, symbol.step.name);
  if (!entry) return `${heading}\n\nNot in the store yet: no version was recorded under ${code(name)}.`;

  const recorded = index.versionsOfOutput(name);
  const producers = [...new Set(recorded.map((e) => e.version.step).filter((s): s is string => s !== undefined))].sort();
  const facts = [`Recorded ${recorded.length} ${recorded.length === 1 ? 'time' : 'times'}, by ${listWithMore(producers.map(code), LISTED)}.`];
  const title = symbol.role === 'output' ? 'Latest version' : 'Latest version consumed';
  return [heading, ...facts, ...(await versionSection(index, entry, title))].join('\n\n');
}

export function stepHover(context: HoverContext, step: { name: string; symbol: StepSymbol | undefined }): string {
  const { index } = context;
  const runs = index.stepRuns(step.name);
  const last = runs[runs.length - 1];
  const pipeline = last?.run.pipeline;
  const heading = `**Step** ${code(step.name)}${pipeline ? ` of pipeline ${code(pipeline)}` : ''}`;
  if (!last) return `${heading}\n\nNo runs of this step in the store yet.`;

  const lines = [heading];
  const when = formatInstant(last.run.startTime ?? last.run.endTime);
  lines.push(`${runs.length} ${runs.length === 1 ? 'run' : 'runs'}; last in run ${code(shortRunId(last.run.runId))}${when ? ` at ${when}` : ''}: ${stepStatus(last.step, last.run)}`);

  const outputs = step.symbol?.outputs.map(staticName).filter((n): n is string => n !== undefined) ?? last.step.outputs;
  const outputLines: string[] = [];
  const links: string[] = [];
  for (const output of outputs) {
    const latest = latestOfOutput(index, output, step.name);
    if (!latest) {
      outputLines.push(`- ${code(output)}: nothing recorded`);
      continue;
    }
    outputLines.push(`- ${code(output)} → ${describeVersion(latest)}`);
    links.push(commandLink(`Details of ${output}`, LspCommands.showDetails, [latest.version.id]));
  }
  if (outputLines.length > 0) lines.push(`Outputs:\n${outputLines.join('\n')}`);

  const inputs = step.symbol?.inputs.map(staticName).filter((n): n is string => n !== undefined) ?? last.step.inputs;
  if (inputs.length > 0) lines.push(`Inputs: ${inputs.map(code).join(', ')}`);

  lines.push([commandLink('Lineage', LspCommands.showLineage, [last.step.id]), ...links].join(' · '));
  return lines.join('\n\n');
}

export function stepRefHover(context: HoverContext, functionName: string): string {
  return stepHover(context, stepNameOfFunction(functionName, context.files));
}

export function pipelineHover(context: HoverContext, symbol: PipelineSymbol): string {
  if (!symbol.name) return '**Pipeline** without a literal name';
  const value = symbol.name.value;
  const heading = `**Pipeline** ${nameWithConstant(value)}`;
  if (value.kind === 'computed') return `${heading}\n\nThe name is computed at run time, so its runs cannot be looked up.`;

  const runs = context.index.pipelineRuns(value.value);
  const last = runs[runs.length - 1];
  if (!last) return `${heading}\n\nNo runs of this pipeline in the store yet.`;

  const statuses = new Map<string, number>();
  for (const { run } of runs) statuses.set(run.status, (statuses.get(run.status) ?? 0) + 1);
  const counts = [...statuses.entries()].map(([status, count]) => `${count} ${status}`).join(', ');
  const when = formatInstant(last.run.startTime ?? last.run.endTime);
  const steps = last.run.steps.map((s) => `${code(s.name)}: ${stepStatus(s, last.run)}`);

  return [
    heading,
    `${runs.length} ${runs.length === 1 ? 'run' : 'runs'} (${counts}); last run ${code(shortRunId(last.run.runId))}${when ? ` at ${when}` : ''}: ${last.run.status}`,
    ...(steps.length > 0 ? [`Steps of the last run:\n${steps.map((s) => `- ${s}`).join('\n')}`] : []),
    commandLink('Lineage of the last run', LspCommands.showLineage, [last.run.id]),
  ].join('\n\n');
}

/** The paragraphs describing one version: label, origin, key properties, lineage and links. */
async function versionSection(index: NameIndex, entry: VersionEntry, title: string): Promise<string[]> {
  const { version } = entry;
  const asset = index.assetOf(entry);
  const versions = asset?.summary.versions ?? [version];
  const paragraphs: string[] = [];

  const derived = version.storedVersion === undefined || version.storedVersion === '' ? ' (derived: no stored version)' : '';
  paragraphs.push(`${title}: **${escapeLabel(version.label)}**${derived} of ${versions.length}`);
  paragraphs.push(originLine(index, entry));

  try {
    const details = await index.details(entry);
    const properties = keyProperties(version.type, details.properties.typed);
    if (properties.length > 0) paragraphs.push(properties.map(([label, value]) => `${label}: ${code(value)}`).join(' · '));
  } catch (error) {
    paragraphs.push(`Properties could not be read: ${code(describeError(error))}`);
  }

  paragraphs.push(lineageLine(index, entry));
  const consumers = asset ? consumerSteps(index, asset.summary) : [];
  if (consumers.length > 0) paragraphs.push(`Consumed by ${consumers.length === 1 ? 'step' : 'steps'} ${listWithMore(consumers.map(code), LISTED)}`);

  const links = [
    commandLink('Details', LspCommands.showDetails, [version.id]),
    commandLink('Lineage', LspCommands.showLineage, [version.id]),
  ];
  const position = versions.findIndex((v) => v.id === version.id);
  if (position > 0) links.push(commandLink('Compare with previous', LspCommands.compareVersions, [versions[position - 1].id, version.id]));
  if (version.type === 'Prompt') links.push(commandLink('Preview prompt', LspCommands.previewPrompt, [version.id]));
  paragraphs.push(links.join(' · '));

  return paragraphs;
}

function originLine(index: NameIndex, entry: VersionEntry): string {
  const { version } = entry;
  const parts = [`Created ${formatInstant(version.createdAt) ?? 'at an unknown time'}`];
  if (version.step) parts.push(`by step ${code(version.step)}`);
  if (version.runId) {
    const run = index.producerOf(version.id)?.run;
    const runFacts = [version.pipeline ? `pipeline ${code(version.pipeline)}` : undefined, run?.status].filter((f) => f !== undefined);
    parts.push(`in run ${code(shortRunId(version.runId))}${runFacts.length > 0 ? ` (${runFacts.join(', ')})` : ''}`);
  } else if (version.pipeline) {
    parts.push(`in pipeline ${code(version.pipeline)}`);
  }
  return parts.join(' ');
}

function lineageLine(index: NameIndex, entry: VersionEntry): string {
  const { version, folder } = entry;
  const parents = version.parents.map((id) => describeLink(index, id));
  const children = folder.workspace.children(version.id).map((id) => describeLink(index, id));
  const parentText = parents.length > 0 ? ` (${parents.length}): ${listWithMore(parents, LISTED)}` : ': none';
  const childText = children.length > 0 ? ` (${children.length}): ${listWithMore(children, LISTED)}` : ': none';
  return `Parents${parentText}\n\nChildren${childText}`;
}

function describeLink(index: NameIndex, id: string): string {
  const entry = index.version(id);
  if (!entry) return `${code(id.replace(/^missing:/, ''))} (not in the store)`;
  return `${code(entry.version.name)} ${escapeLabel(entry.version.label)}`;
}

function describeVersion(entry: VersionEntry): string {
  const { version } = entry;
  return `${typeLabel(version.type)} ${code(version.name)} **${escapeLabel(version.label)}**`;
}

function computedNameHover(index: NameIndex, heading: string, value: Extract<NameValue, { kind: 'computed' }>, type: AssetTypeName): string {
  const intro = `${heading}\n\nName computed at run time: ${code(value.text)}`;
  if (!value.pattern) return `${intro}\n\nNo part of it is known before the run, so the store cannot be searched for it.`;
  const names = index.assetNamesMatching(value.pattern, type, LISTED + 50);
  if (names.length === 0) return `${intro}\n\nNo stored name matches it yet.`;
  const listed = names.slice(0, LISTED * 2).map((name) => {
    const latest = index.assetsNamed(name).find((e) => e.summary.type === type)?.summary.latest;
    return `- ${code(name)}${latest ? ` **${escapeLabel(latest.label)}**` : ''}`;
  });
  const more = names.length > listed.length ? `\n- and ${names.length - listed.length}${names.length > LISTED + 49 ? '+' : ''} more` : '';
  return `${intro}\n\nStored names that match:\n${listed.join('\n')}${more}`;
}

function nameWithConstant(value: NameValue): string {
  if (value.kind === 'computed') return code(value.text);
  return value.constant ? `${code(value.value)} (constant ${code(value.constant)})` : code(value.value);
}

function staticName(io: StepIoSymbol): string | undefined {
  return io.name.value.kind === 'static' ? io.name.value.value : undefined;
}

function typeLabel(type: AssetTypeName): string {
  return type.startsWith('Other: ') ? code(type.slice('Other: '.length)) : type;
}

/** Labels are `v1.0.0 (#3)` or a quoted stored string; only Markdown punctuation needs escaping. */
function escapeLabel(label: string): string {
  return label.replace(/[\\`*_[\]<>|]/g, (c) => `\\${c}`);
}
