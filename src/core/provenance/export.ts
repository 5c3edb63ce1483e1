/**
 * Writes the audit export of one version into a folder: provenance.json
 * (PROV-JSON), openlineage.json (run events), README.md (the report) and
 * manifest.sha256 (sha256 of the other three, in `sha256sum` format).
 *
 * The output is deterministic: the same store gives the same bytes, except
 * for the export time, which the caller can fix.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { WorkspaceIndex } from '../api';
import { StoreError } from '../errors';
import { gatherChain, type ProvenanceChain } from './chain';
import { versionRef, type VersionRef } from './impact';
import { toOpenLineage } from './openlineage';
import { toProvJson } from './prov-json';
import { renderReadme } from './readme';
import { StaleChecker } from './stale';

export const EXPORT_FILES = ['provenance.json', 'openlineage.json', 'README.md', 'manifest.sha256'] as const;

export interface ExportOptions {
  /** ISO 8601 time to record as the export time; the current time when absent. */
  exportTime?: string;
  /** The tool's version, recorded in every file. */
  toolVersion: string;
  /** Replace files of the export that already exist in the folder. Without it, the export fails and writes nothing. */
  overwrite?: boolean;
}

/** Returns the first file of the export that already exists in the folder (as a file, folder or link), or undefined. */
export function existingExportFile(folder: string): string | undefined {
  for (const name of EXPORT_FILES) {
    const target = path.join(folder, name);
    try {
      fs.lstatSync(target);
      return target;
    } catch {
      // Not there: the export may write it.
    }
  }

  return undefined;
}

export interface ExportResult {
  focus: VersionRef;
  folder: string;
  exportTime: string;
  files: { name: string; bytes: number; sha256: string }[];
  versions: number;
  runs: number;
  gaps: Record<string, number>;
}

/** Parses an ISO 8601 time, with a zone or `Z`, to its UTC form; raises an invalid-input StoreError otherwise. */
export function normalizeExportTime(text: string): string {
  const valid = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text);
  const ms = Date.parse(text);
  if (!valid || Number.isNaN(ms)) {
    throw new StoreError('invalid-input', `Invalid export time "${text}": use an ISO 8601 time with a zone, such as 2026-01-31T12:00:00Z.`);
  }

  return new Date(ms).toISOString();
}

/** Builds the four files in memory, in the order they are written. */
export async function buildExport(index: WorkspaceIndex, id: string, options: ExportOptions): Promise<{ chain: ProvenanceChain; exportTime: string; files: { name: string; text: string }[] }> {
  const exportTime = options.exportTime !== undefined ? normalizeExportTime(options.exportTime) : new Date().toISOString();
  const chain = await gatherChain(index, id);
  const tool = `flowyml-assets ${options.toolVersion}`;

  const provenance = `${JSON.stringify(toProvJson(chain), null, 2)}\n`;
  const openlineage = `${JSON.stringify(toOpenLineage(chain, options.toolVersion), null, 2)}\n`;
  const hashed = [
    { name: 'provenance.json', sha256: sha256(provenance) },
    { name: 'openlineage.json', sha256: sha256(openlineage) },
  ];
  const stale = new StaleChecker(index).check(chain.focus.id);
  const readme = renderReadme(chain, { exportTime, tool, workspaceName: path.basename(index.root), files: hashed, stale });
  const contents = [
    { name: 'provenance.json', text: provenance },
    { name: 'openlineage.json', text: openlineage },
    { name: 'README.md', text: readme },
  ];
  const manifest = contents.map((file) => `${sha256(file.text)}  ${file.name}\n`).join('');

  return { chain, exportTime, files: [...contents, { name: 'manifest.sha256', text: manifest }] };
}

/**
 * Writes the export into a folder. Unless `overwrite` is set, it fails
 * before writing anything when one of its files already exists there, and a
 * file that appears while it writes is not replaced either.
 */
export async function exportProvenance(index: WorkspaceIndex, id: string, folder: string, options: ExportOptions): Promise<ExportResult> {
  const { chain, exportTime, files } = await buildExport(index, id, options);
  if (fs.existsSync(folder) && !fs.statSync(folder).isDirectory()) {
    throw new StoreError('invalid-input', `Can't export into ${folder}: it is a file, not a folder. Choose a new or existing folder.`);
  }
  const overwrite = options.overwrite === true;
  const existing = overwrite ? undefined : existingExportFile(folder);
  if (existing !== undefined) throw exportExists(existing);
  fs.mkdirSync(folder, { recursive: true });

  // Each file is written under a temporary name and moved into place, so a reader never sees half a file.
  for (const file of files) {
    const target = path.join(folder, file.name);
    const temporary = `${target}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, file.text, { encoding: 'utf8', flag: 'wx' });
    try {
      if (overwrite) fs.renameSync(temporary, target);
      else placeNew(temporary, target);
    } finally {
      fs.rmSync(temporary, { force: true });
    }
  }

  const gaps = chain.gaps;

  return {
    focus: versionRef(chain.focus),
    folder,
    exportTime,
    files: files.map((file) => ({ name: file.name, bytes: Buffer.byteLength(file.text, 'utf8'), sha256: sha256(file.text) })),
    versions: chain.versions.length,
    runs: chain.runs.length,
    gaps: {
      derivedVersions: gaps.derivedVersions.length,
      derivedParents: gaps.derivedParents.length,
      danglingParents: gaps.danglingParents.length,
      missingFiles: gaps.missingFiles.length,
      unreadFiles: gaps.unreadFiles.length,
      runningRuns: gaps.runningRuns.length,
      failedRuns: gaps.failedRuns.length,
      unrecordedRuns: gaps.unrecordedRuns.length,
      loadProblems: gaps.loadProblems.length,
    },
  };
}

function exportExists(file: string): StoreError {
  return new StoreError('exists', `Can't export: ${file} already exists, and the export does not replace files.`, file);
}

/** Moves a temporary file to a name that must not exist yet: a hard link fails when it does, so nothing is replaced. */
function placeNew(temporary: string, target: string): void {
  try {
    fs.linkSync(temporary, target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw exportExists(target);
    // A file system without hard links: copy, still failing on an existing target.
    try {
      fs.copyFileSync(temporary, target, fs.constants.COPYFILE_EXCL);
    } catch (copyError) {
      if ((copyError as NodeJS.ErrnoException).code === 'EEXIST') throw exportExists(target);
      throw copyError;
    }
  }
}

function sha256(text: string): string {
  return crypto.createHash('sha256').update(text, 'utf8').digest('hex');
}
