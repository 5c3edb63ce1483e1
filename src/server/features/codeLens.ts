/**
 * CodeLens above steps (runs, last status, latest outputs, lineage, impact), above
 * asset calls (latest version, consumers) and above prompts written out in
 * source (preview). A lens with an empty command is a label only.
 */
import type { CodeLens, Command } from 'vscode-languageserver';
import { LspCommands, type PromptTemplateArgument } from '../../protocol/lsp';
import type { AssetCallSymbol, StepSymbol } from '../python/model';
import type { NameIndex, VersionEntry } from '../store/nameIndex';
import type { ParsedFile } from '../workspace/pythonFiles';
import { assetForName, consumerSteps, impliedOutputName, latestOfOutput, stepStatus } from './facts';
import { formatInstant } from './markdown';

export function codeLenses(index: NameIndex, file: ParsedFile, root: string | undefined): CodeLens[] {
  const lenses: CodeLens[] = [];
  const lineStart = (offset: number) => {
    const { line } = file.source.positionAt(offset);
    return { start: { line, character: 0 }, end: { line, character: 0 } };
  };

  for (const step of file.symbols.steps) {
    const range = lineStart(step.definition.start);
    for (const command of stepCommands(index, step)) lenses.push({ range, command });
  }
  for (const asset of file.symbols.assets) {
    const range = lineStart(asset.call.start);
    lenses.push({ range, command: assetCommand(index, asset, root) });
    const preview = previewCommand(asset);
    if (preview) lenses.push({ range, command: preview });
  }

  return lenses;
}

function stepCommands(index: NameIndex, step: StepSymbol): Command[] {
  const runs = index.stepRuns(step.name);
  const last = runs[runs.length - 1];
  if (!last) return [label('No runs in the store yet')];

  const when = formatInstant(last.run.startTime ?? last.run.endTime);
  const commands: Command[] = [label(`${runs.length} ${runs.length === 1 ? 'run' : 'runs'} · last ${stepStatus(last.step, last.run)}${when ? ` · ${when}` : ''}`)];
  let firstOutput: VersionEntry | undefined;
  for (const io of step.outputs) {
    if (io.name.value.kind !== 'static') continue;
    const output = io.name.value.value;
    const latest = latestOfOutput(index, output, step.name);
    if (latest) commands.push(details(`${output}: ${latest.version.label}`, latest));
    firstOutput ??= latest;
  }
  commands.push({ title: 'Lineage', command: LspCommands.showLineage, arguments: [last.step.id] });
  // What a rerun of the step would affect: everything downstream of its first output's latest version.
  if (firstOutput) commands.push({ title: 'Impact', command: LspCommands.showImpact, arguments: [firstOutput.version.id] });
  return commands;
}

function assetCommand(index: NameIndex, asset: AssetCallSymbol, root: string | undefined): Command {
  const value = asset.name?.value;
  if (value?.kind === 'computed') {
    const matches = value.pattern ? index.assetNamesMatching(value.pattern, asset.assetType, 1000).length : 0;
    return label(`Name computed at run time${value.pattern ? ` · ${matches === 1000 ? '1000+' : matches} stored ${matches === 1 ? 'name matches' : 'names match'}` : ''}`);
  }

  let latest: VersionEntry | undefined;
  let shownName: string;
  if (value) {
    shownName = value.value;
    const entry = assetForName(index, value.value, asset.assetType, root);
    latest = entry ? { version: entry.summary.latest, folder: entry.folder } : undefined;
  } else {
    const output = impliedOutputName(asset);
    if (!output || output.name.value.kind !== 'static') return label('No name: named after the step output');
    shownName = output.name.value.value;
    latest = latestOfOutput(index, shownName, asset.step?.name);
  }
  if (!latest) return label(`${shownName}: not in the store yet`);

  const summary = index.assetOf(latest)?.summary;
  const consumers = summary ? consumerSteps(index, summary).length : 0;
  return details(`${shownName} ${latest.version.label} · ${consumers} ${consumers === 1 ? 'consumer' : 'consumers'}`, latest);
}

function previewCommand(asset: AssetCallSymbol): Command | undefined {
  if (asset.assetType !== 'Prompt' || asset.template === undefined) return undefined;
  const argument: PromptTemplateArgument = { template: asset.template };
  if (asset.name?.value.kind === 'static') argument.name = asset.name.value.value;
  return { title: 'Preview', command: LspCommands.previewPrompt, arguments: [argument] };
}

function details(title: string, entry: VersionEntry): Command {
  return { title, command: LspCommands.showDetails, arguments: [entry.version.id] };
}

function label(title: string): Command {
  return { title, command: '' };
}
