/**
 * Checks the local files of every version: stored references that are
 * missing, files that no longer match their stored hash, and versions whose
 * files are all gone.
 *
 * FlowyML's `content_hash` is `sha256(json.dumps(data, sort_keys=True,
 * default=str))` of the value a step returned, which for most artifacts is
 * the JSON text of its repr, not the bytes of any file. Only rows that record
 * `hash_basis` (`file-bytes` or `folder-sha256sum`, written by registering a
 * file from this project) hash the file, so only those are re-hashed. For
 * every other file the check reports presence.
 *
 * Nothing outside the workspace folder is read, because a row may name any
 * path on the machine (absolute, `..`, a symbolic link that leads out). Such a
 * location is reported as outside, without saying whether it exists. A FIFO,
 * device or socket is never opened, and a file that cannot be read becomes
 * that row's result.
 */
import { readFailure } from '../files/local-file';
import { hashFile, hashFolder } from '../register/hash';
import type { AssetVersion } from '../model/types';
import { throwIfAborted } from '../stats/types';
import type { MaterializedLocation } from './materialize';

export type IntegrityStatus = 'matches' | 'modified' | 'missing' | 'present' | 'remote' | 'outside' | 'special' | 'unreadable';

/** Statuses that fail the check: a file is gone, changed, or could not be checked. */
export const FAILING_STATUSES: readonly IntegrityStatus[] = ['missing', 'modified', 'unreadable', 'special'];

export interface IntegrityEntry {
  versionId: string;
  name: string;
  type: string;
  label: string;
  location: string;
  source: string;
  status: IntegrityStatus;
  /** The reason for the status, in one sentence. */
  detail: string;
}

export interface IntegrityReport {
  root: string;
  /** ISO time the check finished. */
  checkedAt: string;
  entries: IntegrityEntry[];
  /** Versions with stored file references of which none exists any more. */
  versionsWithFilesGone: { versionId: string; name: string; label: string }[];
  versionsChecked: number;
  /** Stores that could not be read, so their versions were not checked: each message names the file and the cause. */
  storeProblems: string[];
}

export interface IntegrityInput {
  version: AssetVersion;
  locations: MaterializedLocation[];
  /** `hash_basis` from the version's metadata, when it records one. */
  hashBasis: string | undefined;
}

export interface IntegrityOptions {
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  /** Messages of stores that failed to load, reported with the check so it never reads as clean. */
  storeProblems?: string[];
}

/** Kinds of location that a row states, so their absence means a file is gone. Computed layouts may never have been written. */
const STORED_KINDS = new Set(['uri', 'path', 'file_path']);

export async function checkIntegrity(root: string, inputs: IntegrityInput[], options: IntegrityOptions = {}): Promise<IntegrityReport> {
  const entries: IntegrityEntry[] = [];
  const gone: IntegrityReport['versionsWithFilesGone'] = [];

  for (const [index, { version, locations, hashBasis }] of inputs.entries()) {
    throwIfAborted(options.signal);
    options.onProgress?.(index, inputs.length);
    // Whether a location outside the workspace exists is not reported, so it never counts as gone.
    const stored = locations.filter((location) => STORED_KINDS.has(location.kind) && !location.remote && !(location.outsideWorkspace && location.absolutePath));
    for (const location of locations) {
      const entry = await checkLocation(version, location, hashBasis, options);
      if (entry) entries.push(entry);
    }
    if (stored.length > 0 && stored.every((location) => !location.exists)) {
      gone.push({ versionId: version.id, name: version.name, label: version.label });
    }
  }
  options.onProgress?.(inputs.length, inputs.length);

  return { root, checkedAt: new Date().toISOString(), entries, versionsWithFilesGone: gone, versionsChecked: inputs.length, storeProblems: options.storeProblems ?? [] };
}

async function checkLocation(version: AssetVersion, location: MaterializedLocation, hashBasis: string | undefined, options: IntegrityOptions): Promise<IntegrityEntry | undefined> {
  const base = { versionId: version.id, name: version.name, type: version.type, label: version.label, location: location.display, source: location.source };
  const stored = STORED_KINDS.has(location.kind);
  if (location.remote) return { ...base, status: 'remote', detail: 'Remote URI: shown, never fetched, so not checked.' };
  if (location.outsideWorkspace && location.absolutePath) {
    // A stored location is always reported. A computed layout is reported only when it exists.
    if (!stored && !location.exists) return undefined;
    return { ...base, status: 'outside', detail: `Outside the workspace folder (after resolving symbolic links): ${location.absolutePath} was not read or hashed.` };
  }
  if (!location.exists) {
    // A computed layout that does not exist only means FlowyML did not materialize this output.
    return stored ? { ...base, status: 'missing', detail: `The ${location.source} names this file, and it does not exist.` } : undefined;
  }

  if (location.special !== undefined) {
    return { ...base, status: 'special', detail: `${location.absolutePath} is ${location.special}, not a regular file or folder: skipped, never opened.` };
  }

  const expected = version.contentHash;
  const hashable = location.kind === 'uri' && expected && (
    (hashBasis === 'file-bytes' && !location.isDirectory) || (hashBasis === 'folder-sha256sum' && location.isDirectory));
  if (!hashable) {
    const why = expected && !hashBasis
      ? 'Present. content_hash is FlowyML\'s hash of the value\'s JSON or repr text, not of this file, so it cannot be compared.'
      : 'Present; the store records no file hash for it.';
    return { ...base, status: 'present', detail: why };
  }

  let actual: string;
  try {
    actual = hashBasis === 'file-bytes'
      ? await hashFile(location.absolutePath!, { signal: options.signal })
      : await hashFolder(location.absolutePath!, { signal: options.signal });
  } catch (error) {
    throwIfAborted(options.signal);
    const failure = readFailure(location.absolutePath!, error);
    return { ...base, status: 'unreadable', detail: `${failure.message} The ${hashBasis} hash could not be checked; fix the file's permissions or type, or register it again.` };
  }
  if (actual === expected) return { ...base, status: 'matches', detail: `sha256 ${actual} (${hashBasis}) matches content_hash.` };

  return { ...base, status: 'modified', detail: `sha256 ${actual} (${hashBasis}) differs from content_hash ${expected}.` };
}

/** Counts entries by status, in a fixed order. */
export function integrityCounts(report: IntegrityReport): Record<IntegrityStatus, number> {
  const counts: Record<IntegrityStatus, number> = { matches: 0, modified: 0, missing: 0, present: 0, remote: 0, outside: 0, special: 0, unreadable: 0 };
  for (const entry of report.entries) counts[entry.status]++;

  return counts;
}

/**
 * Renders the report as Markdown: a summary, then missing and modified files, versions with files gone, and every other entry.
 * `text` escapes each value taken from a store, and the command line passes its terminal escaping. It must leave `|` unchanged.
 */
export function integrityMarkdown(report: IntegrityReport, text: (value: string) => string = (value) => value): string {
  const counts = integrityCounts(report);
  const cell = (value: string) => text(value).replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  const item = (value: string) => text(value).replace(/\r?\n/g, ' ');
  const table = (entries: IntegrityEntry[]) => [
    '| Version | Type | Location | Found from | Result |',
    '|---|---|---|---|---|',
    ...entries.map((entry) => `| ${[`${entry.name} ${entry.label}`, entry.type, `\`${entry.location}\``, entry.source, entry.detail].map(cell).join(' | ')} |`),
  ].join('\n');

  const sections = [
    '# FlowyML artifact files',
    '',
    `Workspace: \`${item(report.root)}\`  `,
    `Checked: ${report.checkedAt}, ${report.versionsChecked} versions.`,
    '',
    `Missing: ${counts.missing} · Modified: ${counts.modified} · Hash matches: ${counts.matches} · Present, not hashable: ${counts.present} · Remote, not checked: ${counts.remote} · Unreadable: ${counts.unreadable} · Not a file or folder: ${counts.special} · Outside the workspace, not read: ${counts.outside}`,
    '',
    'FlowyML\'s content_hash hashes the JSON or repr text of a step\'s value, not a file, for every row it writes itself. Only versions registered from a file record `hash_basis`, and only their files are re-hashed.',
  ];
  if (report.storeProblems.length > 0) {
    sections.push('', '## Stores that could not be read', '', 'Their versions were not checked.', '', ...report.storeProblems.map((message) => `- ${cell(message)}`));
  }
  const problems = report.entries.filter((entry) => FAILING_STATUSES.includes(entry.status));
  sections.push('', '## Missing, modified and unreadable files', '', problems.length > 0 ? table(problems) : 'None.');
  sections.push('', '## Versions whose files are gone', '');
  sections.push(report.versionsWithFilesGone.length > 0
    ? report.versionsWithFilesGone.map((version) => `- ${item(version.name)} ${item(version.label)} (\`${item(version.versionId)}\`)`).join('\n')
    : 'None.');
  const others = report.entries.filter((entry) => !FAILING_STATUSES.includes(entry.status));
  sections.push('', '## Other files', '', others.length > 0 ? table(others) : 'None.');

  return `${sections.join('\n')}\n`;
}
