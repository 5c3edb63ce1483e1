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

export async function exportProvenance(index: WorkspaceIndex, id: string, folder: string, options: ExportOptions): Promise<ExportResult> {
  const { chain, exportTime, files } = await buildExport(index, id, options);
  if (fs.existsSync(folder) && !fs.statSync(folder).isDirectory()) {
    throw new StoreError('invalid-input', `Can't export into ${folder}: it is a file, not a folder. Choose a new or existing folder.`);
  }
  fs.mkdirSync(folder, { recursive: true });

  // Each file is written under a temporary name and renamed, so a reader never sees half a file.
  for (const file of files) {
    const target = path.join(folder, file.name);
    const temporary = `${target}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, file.text, 'utf8');
    fs.renameSync(temporary, target);
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

function sha256(text: string): string {
  return crypto.createHash('sha256').update(text, 'utf8').digest('hex');
}
