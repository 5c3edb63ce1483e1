/**
 * The export's README.md: a report an auditor reads without other tools.
 * It walks the chain from the raw inputs to the exported version, lists the
 * runs with their parameters and status, every hash, and the gaps in what
 * the store records. Store strings are escaped as Markdown text.
 */
import type { AssetVersion } from '../model/types';
import { compareText, type ChainVersion, type ProvenanceChain } from './chain';
import { OPENLINEAGE_SCHEMA_URL } from './openlineage';
import type { StaleMark } from './stale';

export interface ReadmeOptions {
  exportTime: string;
  /** `flowyml-assets 0.1.0`. */
  tool: string;
  /** The folder name of the workspace, not its full path, so the text does not depend on where the store sits. */
  workspaceName: string;
  /** The files of the export, with their sha256, except README.md and the manifest. */
  files: { name: string; sha256: string }[];
  /** Newer versions of ancestors that the exported version was not built from. */
  stale?: StaleMark;
}

/** Control characters, line and paragraph separators, and bidirectional overrides. */
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Escapes store text for Markdown prose and table cells. Characters that
 * start inline markup get a backslash. An underscore gets one only where it
 * touches a non-alphanumeric character, because CommonMark never reads an
 * underscore inside a word as emphasis, so `churn_model` stays readable.
 * Control characters become spaces.
 */
export function markdownText(text: string): string {
  return text
    .replace(UNSAFE_CHARACTERS, ' ')
    .replace(/[\\`*[\]<>|~]/g, (c) => `\\${c}`)
    .replace(/_/g, (c, offset: number, whole: string) => (isWordCharacter(whole[offset - 1]) && isWordCharacter(whole[offset + 1]) ? c : `\\${c}`));
}

function isWordCharacter(c: string | undefined): boolean {
  return c !== undefined && /[\p{L}\p{N}]/u.test(c);
}

/** Wraps an id or hash in a code span that no backtick inside it can end. */
function code(text: string): string {
  const clean = text.replace(UNSAFE_CHARACTERS, ' ');
  const longest = Math.max(0, ...(clean.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = clean.startsWith('`') || clean.endsWith('`') ? ' ' : '';

  return `${fence}${pad}${clean}${pad}${fence}`;
}

function title(version: AssetVersion): string {
  return `${markdownText(version.type)} ${markdownText(version.name)} ${markdownText(version.label)}`;
}

export function renderReadme(chain: ProvenanceChain, options: ReadmeOptions): string {
  const lines: string[] = [];
  const focus = chain.focus;
  const byId = new Map(chain.versions.map((entry) => [entry.version.id, entry]));
  const anchors = new Map(chain.versions.map((entry, i) => [entry.version.id, `v${i + 1}`]));

  lines.push(`# Provenance of ${title(focus)}`, '');
  lines.push(
    `This folder records where ${title(focus)} came from, as the FlowyML stores of the workspace ${code(options.workspaceName)} recorded it.`,
    'Read it from the top: the chain starts at the versions with no recorded parents (the raw inputs) and ends at the exported version.',
    'Every version, run and hash below was read from the stores; facts that the stores do not record are listed under "Gaps".',
    '',
  );
  lines.push('| Fact | Value |', '|---|---|');
  lines.push(`| Exported version | ${title(focus)} |`);
  lines.push(`| Version id | ${code(focus.id)} |`);
  lines.push(`| Exported at | ${code(options.exportTime)} |`);
  lines.push(`| Exported by | ${markdownText(options.tool)} |`);
  lines.push(`| Versions in the chain | ${chain.versions.length} |`);
  lines.push(`| Runs in the chain | ${chain.runs.length} |`);
  lines.push('');

  lines.push('## The chain in brief', '');
  lines.push('Each line is one generation, from the versions with no recorded parent down to the exported version.', '');
  const generations = new Map<number, ChainVersion[]>();
  for (const entry of chain.versions) generations.set(entry.distance, [...(generations.get(entry.distance) ?? []), entry]);
  for (const [distance, entries] of generations) {
    lines.push(`- Generation ${distance}: ${entries.map((entry) => versionLink(entry.version, anchors)).join(', ')}`);
  }
  lines.push('');

  lines.push('## Newer upstream versions', '');
  if (!options.stale) lines.push('None: for every asset in this chain, the exported version was built from its latest version or from no version of it.', '');
  else {
    lines.push('Newer versions of these inputs exist, and the exported version was not built from them. A retrain would pick them up.', '');
    for (const reason of options.stale.reasons) {
      const ancestor = byId.get(reason.ancestor.id);
      const used = ancestor ? versionLink(ancestor.version, anchors) : markdownText(`${reason.ancestor.type} ${reason.ancestor.name} ${reason.ancestor.label}`);
      lines.push(`- built from ${used}; the latest is ${markdownText(reason.newer.label)} (${code(reason.newer.id)})`);
    }
    lines.push('');
  }

  lines.push('## How to read the chain', '');
  lines.push(
    'Each version below lists the versions it was built from ("Built from"), and the step and run that produced it.',
    'A parent marked "from step inputs" is derived: the store records that the producing step declared that input, not an explicit parent list.',
    'Generation 0 is the exported version; generation N is N steps of derivation above it.',
    '"Content hash" is the hash FlowyML stored for the row; for most assets FlowyML hashes a text description of the object rather than its bytes, so it is a weak check.',
    '"File sha256" is computed from the file (or, for a folder, from the `sha256sum` listing of its files) when this export was made.',
    '',
  );

  lines.push('## Upstream chain, raw data first', '');
  let generation = Number.POSITIVE_INFINITY;
  for (const entry of chain.versions) {
    if (entry.distance !== generation) {
      generation = entry.distance;
      lines.push(`### Generation ${generation}${generation === 0 ? ' (the exported version)' : ''}`, '');
    }
    lines.push(...versionBlock(entry, chain, byId, anchors));
  }

  lines.push('## Runs', '');
  if (chain.runs.length === 0) lines.push('No run produced or consumed a version of this chain.', '');
  for (const { run, steps } of chain.runs) {
    lines.push(`### Run ${code(run.runId)} of pipeline ${run.pipeline !== undefined ? markdownText(run.pipeline) : '(none recorded)'}`, '');
    lines.push('| Fact | Value |', '|---|---|');
    lines.push(`| Status | ${markdownText(run.status)}${statusNote(run.status)} |`);
    lines.push(`| Started | ${run.startTime?.iso ? code(run.startTime.iso) : 'not recorded'}${zoneNote(run.startTime?.zone)} |`);
    lines.push(`| Ended | ${run.endTime?.iso ? code(run.endTime.iso) : 'not recorded'}${zoneNote(run.endTime?.zone)} |`);
    lines.push(`| Duration | ${run.durationSeconds !== undefined ? `${run.durationSeconds} s` : 'not recorded'} |`);
    if (run.project !== undefined) lines.push(`| Project | ${markdownText(run.project)} |`);
    lines.push(`| Store | ${code(run.store)} |`, '');

    const parameters = Object.entries(run.context).sort(([a], [b]) => compareText(a, b));
    if (parameters.length === 0) lines.push('Parameters: none recorded.', '');
    else {
      lines.push('Parameters (the run context):', '', '| Parameter | Value |', '|---|---|');
      for (const [key, value] of parameters) lines.push(`| ${markdownText(key)} | ${code(parameterText(value))} |`);
      lines.push('');
    }

    lines.push('Steps of this run in the chain:', '', '| Step | Result | Duration | Produced | Consumed |', '|---|---|---|---|---|');
    for (const step of steps) {
      const produced = step.produced.filter((id) => byId.has(id)).map((id) => versionLink(byId.get(id)!.version, anchors)).join(', ') || '–';
      const consumed = step.consumed.filter((id) => byId.has(id)).map((id) => versionLink(byId.get(id)!.version, anchors)).join(', ') || '–';
      lines.push(`| ${markdownText(step.name)} | ${stepResult(step)} | ${step.durationSeconds !== undefined ? `${round(step.durationSeconds)} s` : '–'} | ${produced} | ${consumed} |`);
    }
    lines.push('');
  }

  lines.push('## Hashes', '');
  lines.push('| Version | Version id | Content hash (FlowyML) | File sha256 |', '|---|---|---|---|');
  for (const entry of chain.versions) {
    lines.push(`| ${versionLink(entry.version, anchors)} | ${code(entry.version.id)} | ${entry.version.contentHash ? code(entry.version.contentHash) : 'none stored'} | ${fileHashText(entry)} |`);
  }
  lines.push('');
  lines.push('Stores read, with the sha256 of their bytes at export time:', '', '| Store | sha256 |', '|---|---|');
  for (const store of chain.stores) lines.push(`| ${code(store.path)} | ${code(store.sha256)} |`);
  lines.push('');

  lines.push(...gapSection(chain, byId, anchors));

  lines.push('## Files in this folder', '');
  lines.push('| File | Contents | sha256 |', '|---|---|---|');
  for (const file of options.files) lines.push(`| ${code(file.name)} | ${fileDescription(file.name)} | ${code(file.sha256)} |`);
  lines.push(`| ${code('README.md')} | this report | listed in ${code('manifest.sha256')} |`);
  lines.push(`| ${code('manifest.sha256')} | sha256 of every other file, in the format of \`sha256sum\`; check with \`sha256sum -c manifest.sha256\` | – |`);
  lines.push('');

  return `${lines.join('\n')}\n`;
}

function versionBlock(entry: ChainVersion, chain: ProvenanceChain, byId: Map<string, ChainVersion>, anchors: Map<string, string>): string[] {
  const version = entry.version;
  const lines = [`<a id="${anchors.get(version.id)}"></a>`, `#### ${title(version)}`, ''];
  lines.push('| Fact | Value |', '|---|---|');
  lines.push(`| Id | ${code(version.id)} |`);
  if (version.aliases.length > 0) lines.push(`| Also recorded as | ${version.aliases.map(code).join(', ')} |`);
  lines.push(`| Version | ${version.storedVersion !== undefined ? code(version.storedVersion) : `none stored; ${markdownText(version.label)} is its place by creation time`} |`);
  lines.push(`| Created | ${version.createdAt?.iso ? code(version.createdAt.iso) : 'not recorded'}${zoneNote(version.createdAt?.zone)} |`);

  const steps = entry.producedBy.map((stepId) => chain.runs.flatMap(({ steps: list }) => list).find((step) => step.id === stepId)).filter((step) => step !== undefined);
  if (steps.length > 0) {
    lines.push(`| Produced by | ${steps.map((step) => `step ${markdownText(step.name)} of run ${code(step.runId)}`).join('; ')}${version.pipeline !== undefined ? `, pipeline ${markdownText(version.pipeline)}` : ''} |`);
  } else if (version.runId !== undefined) {
    lines.push(`| Produced by | run ${code(version.runId)}${version.step ? `, step ${markdownText(version.step)}` : ''}${version.pipeline !== undefined ? `, pipeline ${markdownText(version.pipeline)}` : ''} |`);
  } else {
    lines.push('| Produced by | no run recorded (registered directly) |');
  }

  if (entry.parents.length === 0) lines.push('| Built from | no parent recorded: the recorded chain starts here |');
  else {
    const parents = entry.parents.map((parent) => {
      if (parent.missing) return `${code(parent.id)} (no store contains this id)`;
      const known = byId.get(parent.id);
      const text = known ? versionLink(known.version, anchors) : code(parent.id);
      return parent.derived ? `${text} (from step inputs)` : text;
    });
    lines.push(`| Built from | ${parents.join(', ')} |`);
  }

  if (entry.properties.length > 0) {
    lines.push(`| Properties | ${entry.properties.map(([key, value]) => `${markdownText(key)} = ${markdownText(String(value))}`).join(', ')} |`);
  }
  if (entry.propertyProblem !== undefined) lines.push(`| Properties | not readable: ${markdownText(entry.propertyProblem)} |`);
  lines.push(`| Content hash | ${version.contentHash ? code(version.contentHash) : 'none stored'} |`);
  if (entry.file) {
    lines.push(`| Location | ${code(entry.file.stored)} |`);
    lines.push(`| File sha256 | ${fileHashText(entry)} |`);
  }
  const tags = Object.entries(version.tags).sort(([a], [b]) => compareText(a, b));
  if (tags.length > 0) lines.push(`| Tags | ${tags.map(([key, value]) => `${markdownText(key)} = ${markdownText(value)}`).join(', ')} |`);
  lines.push(`| Store | ${code(version.store)} |`, '');

  return lines;
}

function gapSection(chain: ProvenanceChain, byId: Map<string, ChainVersion>, anchors: Map<string, string>): string[] {
  const gaps = chain.gaps;
  const link = (id: string) => (byId.has(id) ? versionLink(byId.get(id)!.version, anchors) : code(id));
  const lines = ['## Gaps', '', 'What the stores do not record, or record only by inference. Each item says what is missing and what it affects.', ''];
  const section = (heading: string, explanation: string, items: string[]) => {
    lines.push(`### ${heading} (${items.length})`, '', explanation, '');
    if (items.length === 0) lines.push('None.', '');
    else lines.push(...items.map((item) => `- ${item}`), '');
  };

  section('Derived version labels', 'These versions have no stored version string. Their label #N is their place among the versions of the same asset by creation time.', gaps.derivedVersions.map(link));
  section('Derived parents', 'These parent links come from the inputs a step declared in its run record, not from a parent list stored with the version.', gaps.derivedParents.map(([parent, child]) => `${link(child)} built from ${link(parent)}`));
  section('Dangling parents', 'These parent ids are listed by a version, but no store contains a version with that id: the chain above them is lost.', gaps.danglingParents.map(([parent, child]) => `${link(child)} lists ${code(parent)}`));
  section('Missing files', 'These versions point at a local file or folder that does not exist, so its bytes could not be hashed.', gaps.missingFiles.map((id) => `${link(id)} at ${code(byId.get(id)?.file?.stored ?? '')}`));
  section('Files not read', 'These versions point at a local path that was not hashed: it lies outside the workspace, is not a regular file or folder, or could not be read.', gaps.unreadFiles.map((id) => `${link(id)} at ${code(byId.get(id)?.file?.stored ?? '')}: ${markdownText(byId.get(id)?.file?.reason ?? '')}`));
  section('Runs left running', 'These runs never recorded an end: the process was killed or is still running. Their outputs may be incomplete.', gaps.runningRuns.map(code));
  section('Failed runs', 'These runs recorded the status `failed`. Steps after the failure did not run.', gaps.failedRuns.map(code));
  section('Runs with no run record', 'These runs are known only from catalog rows; no metadata.db records their status, times or parameters.', gaps.unrecordedRuns.map(code));
  section('Store problems', 'Problems met while reading the stores. A damaged store may hide versions of this chain.', gaps.loadProblems.map((problem) => `${markdownText(problem.severity)}: ${markdownText(problem.message)}`));

  return lines;
}

function versionLink(version: AssetVersion, anchors: Map<string, string>): string {
  const anchor = anchors.get(version.id);
  const text = title(version);

  return anchor ? `[${text}](#${anchor})` : text;
}

function fileHashText(entry: ChainVersion): string {
  if (!entry.file) return 'no file recorded';
  if (entry.file.state === 'missing') return 'file missing';
  if (entry.file.state === 'remote') return 'remote, not read';
  if (entry.file.state === 'outside') return 'outside the workspace, not read';
  if (entry.file.state === 'special') return 'not a regular file or folder, not read';
  if (entry.file.state === 'unreadable') return 'unreadable, not hashed';

  return `${code(entry.file.sha256 ?? '')}${entry.file.kind === 'folder' ? ' (folder)' : ''}`;
}

function stepResult(step: ChainProvenanceStep): string {
  if (step.cached === true) return 'cached (reused an earlier result)';
  if (step.notRun) return 'not run (an earlier step failed)';
  if (step.success === true) return 'succeeded';
  if (step.success === false) return `failed${step.error !== undefined ? `: ${markdownText(step.error)}` : ''}`;

  return 'not recorded';
}

type ChainProvenanceStep = ProvenanceChain['runs'][number]['steps'][number];

function statusNote(status: string): string {
  if (status === 'running') return ' (no end recorded: see Gaps)';
  if (status === 'unknown') return ' (no run record: see Gaps)';

  return '';
}

function zoneNote(zone: string | undefined): string {
  if (zone === 'assumed-local') return ' (stored without a time zone; read in the exporting machine\'s zone)';
  if (zone === 'derived-offset') return ' (stored as local time; offset derived from the run record)';

  return '';
}

function parameterText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'bigint') return value.toString();

  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? 'null';
}

function round(seconds: number): string {
  return seconds.toFixed(3);
}

function fileDescription(name: string): string {
  if (name === 'provenance.json') return 'the chain as W3C PROV-JSON: versions as entities, runs and steps as activities, pipelines and people as agents';
  if (name === 'openlineage.json') return `the runs as OpenLineage run events (${code(OPENLINEAGE_SCHEMA_URL)})`;

  return 'export file';
}
