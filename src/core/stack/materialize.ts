/**
 * The locations of a version's files. No FlowyML database row points at the files a
 * stack materializes, so the paths are computed from the layouts FlowyML's
 * writers use, under the stack's local artifact store (default
 * `.flowyml/artifacts`, relative to the folder the pipeline ran in):
 *
 * - executor: the step's whole return value in
 *   `{pipeline}/{YYYY-MM-DD local date}/{run_id}/data/{step}/output/`;
 * - orchestrator: each declared output with a materializer in
 *   `{run_id}/{step}/{output name}/` (a `/` in the output name nests folders);
 * - stored references: a catalog row's `uri`, a metadata.db row's `path`, a
 *   Checkpoint's `file_path` property.
 *
 * The date comes from the run's local start time. A run that crossed
 * midnight wrote under a later date, so the pipeline folder is also searched
 * for the run id.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isOutside, specialKind } from '../files/local-file';
import type { AssetVersion, RunInfo } from '../model/types';

export { isOutside };

export type LocationKind = 'uri' | 'path' | 'file_path' | 'output' | 'step-output';

export interface MaterializedLocation {
  kind: LocationKind;
  /** The template or stored field the location comes from, for display. */
  source: string;
  /** The location as stored or computed: a path relative to the workspace, an absolute path, or a URI. */
  display: string;
  /** The local file or folder; undefined for remote URIs (`s3://`, `gs://`, `az://`, `https://`, …). */
  absolutePath: string | undefined;
  remote: boolean;
  exists: boolean;
  isDirectory: boolean;
  /** True when the path, or the file a symbolic link resolves to, lies outside the workspace folder. */
  outsideWorkspace: boolean;
  /** Description of an existing path that is neither a regular file nor a folder ("a FIFO (named pipe)" …), which is never opened. */
  special?: string;
  /** For an existing folder: its regular files (not recursive), sorted, at most MAX_LISTED_FILES. */
  files: string[];
}

export const EXECUTOR_TEMPLATE = '{pipeline}/{date}/{run_id}/data/{step}/output/';
export const ORCHESTRATOR_TEMPLATE = '{run_id}/{step}/{output}/';
export const DEFAULT_ARTIFACT_BASE = '.flowyml/artifacts';
const MAX_LISTED_FILES = 200;
/** Output names nest one folder per `/`; deeper trees are not searched. */
const MAX_OUTPUT_DEPTH = 8;

/** Files a materializer writes beside the data, which are not the artifact itself. */
const SIDECAR_FILES = new Set(['metadata.json']);

export interface LocateOptions {
  /** The workspace folder: where the pipeline ran and where relative paths start. */
  root: string;
  /** Local artifact-store folders to look in, relative to the root or absolute; `.flowyml/artifacts` is always added. */
  artifactBases?: string[];
  /** The version's run, for the pipeline name and the local start date. */
  run?: RunInfo;
  /** The version's typed properties, for a Checkpoint's `file_path`. */
  properties?: Record<string, unknown>;
}

/** Returns every place a version's files may be, existing or not, stored references first. */
export function locateVersion(version: AssetVersion, options: LocateOptions): MaterializedLocation[] {
  const locations: MaterializedLocation[] = [];
  const seen = new Set<string>();
  const add = (location: MaterializedLocation | undefined) => {
    if (!location) return;
    const key = location.absolutePath ?? location.display;
    if (seen.has(key)) return;
    seen.add(key);
    locations.push(location);
  };

  if (version.uri) add(storedLocation('uri', 'catalog uri', version.uri, options.root));
  if (version.path) add(storedLocation('path', 'metadata.db path', version.path, options.root));
  const filePath = options.properties?.file_path;
  if (typeof filePath === 'string' && filePath !== '') add(storedLocation('file_path', 'file_path property', filePath, options.root));

  if (version.runId && version.step) {
    for (const base of artifactBases(options)) {
      if (version.outputName) add(outputLocation(base, version.runId, version.step, version.outputName, options.root));
    }
    for (const location of stepLocations(version.runId, version.step, version.pipeline ?? options.run?.pipeline, runDate(options.run, version), options)) add(location);
  }

  return locations;
}

/**
 * Returns the executor's folder for one step of a run, in every artifact base:
 * the computed date first, then any other date folder that contains the run.
 */
export function stepLocations(runId: string, step: string, pipeline: string | undefined, date: string | undefined, options: LocateOptions): MaterializedLocation[] {
  if (!pipeline) return [];

  const found: MaterializedLocation[] = [];
  for (const base of artifactBases(options)) {
    const pipelineFolder = path.resolve(options.root, base, pipeline);
    const dates = date ? [date] : [];
    for (const other of listFolders(pipelineFolder)) if (!dates.includes(other)) dates.push(other);

    const candidates = dates.map((each) => executorLocation(base, pipeline, each, runId, step, options.root));
    const existing = candidates.filter((candidate) => candidate.exists);
    if (existing.length > 0) found.push(...existing);
    else if (candidates.length > 0) found.push(candidates[0]);
  }

  return found;
}

/**
 * Returns the orchestrator's output folders of one step of a run: every
 * folder under `{run_id}/{step}/` that contains files, at any depth, because an
 * output name with `/` nests. Used for steps whose output names are unknown.
 */
export function stepOutputFolders(runId: string, step: string, options: LocateOptions): MaterializedLocation[] {
  const found: MaterializedLocation[] = [];
  for (const base of artifactBases(options)) {
    const stepFolder = path.resolve(options.root, base, runId, step);
    const walk = (folder: string, depth: number) => {
      if (depth > MAX_OUTPUT_DEPTH) return;
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(folder, { withFileTypes: true });
      } catch {
        return;
      }
      if (folder !== stepFolder && entries.some((entry) => entry.isFile())) {
        const relative = path.relative(stepFolder, folder).split(path.sep).join('/');
        found.push(outputLocation(base, runId, step, relative, options.root));
      }
      for (const entry of entries) if (entry.isDirectory()) walk(path.join(folder, entry.name), depth + 1);
    };
    walk(stepFolder, 0);
  }

  return found;
}

/** Returns the artifact-store folders to search, unique, `.flowyml/artifacts` last. */
export function artifactBases(options: LocateOptions): string[] {
  const bases: string[] = [];
  for (const base of [...(options.artifactBases ?? []), DEFAULT_ARTIFACT_BASE]) {
    const resolved = path.resolve(options.root, base);
    if (!bases.some((each) => path.resolve(options.root, each) === resolved)) bases.push(base);
  }

  return bases;
}

/** Returns the local date (`YYYY-MM-DD`) the executor used: the date of the run's naive local start time. */
export function runDate(run: RunInfo | undefined, version: AssetVersion): string | undefined {
  const raw = run?.startTime?.raw ?? version.createdAt?.raw;
  const match = raw ? /^(\d{4}-\d{2}-\d{2})/.exec(raw) : null;

  return match ? match[1] : undefined;
}

/** Returns the data file to open for a location: the location itself, or the first data file of a materialized folder. */
export function primaryFile(location: MaterializedLocation): string | undefined {
  if (!location.absolutePath || !location.exists || location.special !== undefined) return undefined;
  if (!location.isDirectory) return location.absolutePath;
  const data = location.files.filter((file) => !SIDECAR_FILES.has(file));
  const chosen = data.length > 0 ? data[0] : location.files[0];

  return chosen ? path.join(location.absolutePath, chosen) : undefined;
}

/** Returns true for a URI with a scheme other than `file:`, which is shown and copied but never fetched. */
export function isRemoteUri(text: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(text) && !/^file:/i.test(text);
}

function storedLocation(kind: LocationKind, source: string, stored: string, root: string): MaterializedLocation {
  if (isRemoteUri(stored)) {
    return { kind, source, display: stored, absolutePath: undefined, remote: true, exists: false, isDirectory: false, outsideWorkspace: true, files: [] };
  }
  let absolute: string;
  if (/^file:/i.test(stored)) {
    try {
      absolute = fileURLToPath(stored);
    } catch {
      return { kind, source, display: stored, absolutePath: undefined, remote: false, exists: false, isDirectory: false, outsideWorkspace: true, files: [] };
    }
  } else {
    absolute = path.resolve(root, stored);
  }

  return localLocation(kind, source, stored, absolute, root);
}

function outputLocation(base: string, runId: string, step: string, output: string, root: string): MaterializedLocation {
  const relative = path.join(base, runId, step, ...output.split('/'));

  return localLocation('output', `${base}/${ORCHESTRATOR_TEMPLATE}`, toDisplay(relative), path.resolve(root, relative), root);
}

function executorLocation(base: string, pipeline: string, date: string, runId: string, step: string, root: string): MaterializedLocation {
  const relative = path.join(base, pipeline, date, runId, 'data', step, 'output');

  return localLocation('step-output', `${base}/${EXECUTOR_TEMPLATE}`, toDisplay(relative), path.resolve(root, relative), root);
}

function localLocation(kind: LocationKind, source: string, display: string, absolute: string, root: string): MaterializedLocation {
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(absolute);
  } catch {
    stat = undefined;
  }
  const isDirectory = stat?.isDirectory() ?? false;
  const special = stat ? specialKind(stat) : undefined;

  return {
    kind,
    source,
    display,
    absolutePath: absolute,
    remote: false,
    exists: stat !== undefined,
    isDirectory,
    outsideWorkspace: isOutside(absolute, root, stat !== undefined),
    ...(special !== undefined ? { special } : {}),
    files: isDirectory ? listFileNames(absolute) : [],
  };
}

function toDisplay(relative: string): string {
  return relative.split(path.sep).join('/');
}

function listFolders(folder: string): string[] {
  try {
    return fs.readdirSync(folder, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  } catch {
    return [];
  }
}

function listFileNames(folder: string): string[] {
  try {
    return fs.readdirSync(folder, { withFileTypes: true })
      .filter((entry) => entry.isFile() || entry.isSymbolicLink())
      .map((entry) => entry.name)
      .sort()
      .slice(0, MAX_LISTED_FILES);
  } catch {
    return [];
  }
}
