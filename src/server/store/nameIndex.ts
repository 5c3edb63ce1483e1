/**
 * Lookups by name over the loaded stores of every workspace folder: asset
 * names, step output names, step names and pipeline names. Built once per
 * load in time linear in the number of versions and steps, so a hover is a
 * few map reads whatever the store size.
 */
import type { AssetSummary, AssetTypeName, AssetVersion, Instant, RunInfo, StepInfo, VersionDetails, WorkspaceIndex } from '../../core';

export interface FolderStore {
  /** Absolute path of the workspace folder. */
  root: string;
  workspace: WorkspaceIndex;
}

export interface AssetEntry {
  summary: AssetSummary;
  folder: FolderStore;
}

export interface VersionEntry {
  version: AssetVersion;
  folder: FolderStore;
}

/** One execution of a step, in one run. */
export interface StepRun {
  step: StepInfo;
  run: RunInfo;
  folder: FolderStore;
}

export interface RunEntry {
  run: RunInfo;
  folder: FolderStore;
}

export class NameIndex {
  private readonly assetsByName = new Map<string, AssetEntry[]>();
  private readonly versionsByOutput = new Map<string, VersionEntry[]>();
  private readonly versionsById = new Map<string, VersionEntry>();
  private readonly stepRunsByName = new Map<string, StepRun[]>();
  private readonly runsByPipeline = new Map<string, RunEntry[]>();
  private readonly consumersByVersion = new Map<string, StepRun[]>();
  private readonly producerByVersion = new Map<string, StepRun>();
  private readonly detailsCache = new Map<string, Promise<VersionDetails>>();

  constructor(readonly folders: FolderStore[]) {
    for (const folder of folders) this.addFolder(folder);
    for (const list of this.versionsByOutput.values()) sortByTime(list, (entry) => entry.version.createdAt);
    for (const list of this.stepRunsByName.values()) sortByTime(list, (entry) => runTime(entry.run));
    for (const list of this.runsByPipeline.values()) sortByTime(list, (entry) => runTime(entry.run));
  }

  get versionCount(): number {
    return this.versionsById.size;
  }

  /** Assets with this name, those of the given folder first. */
  assetsNamed(name: string, preferredRoot?: string): AssetEntry[] {
    return preferFolder(this.assetsByName.get(name) ?? [], preferredRoot);
  }

  /** Names of assets of `type` that a computed name's pattern matches, sorted, at most `limit`. */
  assetNamesMatching(pattern: RegExp, type: AssetTypeName, limit: number): string[] {
    const names: string[] = [];
    for (const [name, entries] of this.assetsByName) {
      if (pattern.test(name) && entries.some((e) => e.summary.type === type)) names.push(name);
    }
    return names.sort().slice(0, limit);
  }

  /** Versions recorded under a step output name, oldest first; only those of `step` when given. */
  versionsOfOutput(outputName: string, step?: string): VersionEntry[] {
    const all = this.versionsByOutput.get(outputName) ?? [];
    return step === undefined ? all : all.filter((entry) => entry.version.step === step);
  }

  version(id: string): VersionEntry | undefined {
    return this.versionsById.get(id);
  }

  /** The asset (all versions of one type and name in one folder) a version belongs to. */
  assetOf(entry: VersionEntry): AssetEntry | undefined {
    const { version, folder } = entry;
    return this.assetsByName.get(version.name)?.find((a) => a.folder === folder && a.summary.type === version.type);
  }

  /** Executions of a step across runs, oldest run first. */
  stepRuns(stepName: string): StepRun[] {
    return this.stepRunsByName.get(stepName) ?? [];
  }

  /** Runs of a pipeline, oldest first. */
  pipelineRuns(pipeline: string): RunEntry[] {
    return this.runsByPipeline.get(pipeline) ?? [];
  }

  /** Steps that consumed a version, resolved from their declared inputs. */
  consumersOf(versionId: string): StepRun[] {
    return this.consumersByVersion.get(versionId) ?? [];
  }

  producerOf(versionId: string): StepRun | undefined {
    return this.producerByVersion.get(versionId);
  }

  /** The details of a version, loaded once per index. */
  details(entry: VersionEntry): Promise<VersionDetails> {
    let cached = this.detailsCache.get(entry.version.id);
    if (!cached) {
      cached = entry.folder.workspace.details(entry.version.id);
      // A failed read is not cached, so the next hover tries again.
      cached.catch(() => this.detailsCache.delete(entry.version.id));
      this.detailsCache.set(entry.version.id, cached);
    }
    return cached;
  }

  private addFolder(folder: FolderStore): void {
    const { workspace } = folder;
    for (const summary of workspace.assets()) push(this.assetsByName, summary.name, { summary, folder });
    for (const version of workspace.versions) {
      const entry = { version, folder };
      this.versionsById.set(version.id, entry);
      if (version.outputName !== undefined) push(this.versionsByOutput, version.outputName, entry);
    }

    for (const run of workspace.runs) {
      if (run.pipeline !== undefined) push(this.runsByPipeline, run.pipeline, { run, folder });
      for (const step of run.steps) this.addStepRun({ step, run, folder });
    }
  }

  private addStepRun(stepRun: StepRun): void {
    const { step } = stepRun;
    push(this.stepRunsByName, step.name, stepRun);
    for (const id of step.consumed) push(this.consumersByVersion, id, stepRun);
    for (const id of step.produced) {
      this.producerByVersion.set(id, stepRun);
      const entry = this.versionsById.get(id);
      // A catalog version records no output name, but a step with a single output gives it.
      if (entry && entry.version.outputName === undefined && step.outputs.length === 1) {
        push(this.versionsByOutput, step.outputs[0], entry);
      }
    }
  }
}

/** Returns the time a run is shown by: its start, else its end. */
export function runTime(run: RunInfo): Instant | undefined {
  return run.startTime ?? run.endTime;
}

/** Milliseconds since the epoch; unknown times count as earliest, so a known time is always the latest. */
export function instantTime(instant: Instant | undefined): number {
  const time = instant?.iso ? Date.parse(instant.iso) : Number.NaN;
  return Number.isNaN(time) ? Number.NEGATIVE_INFINITY : time;
}

/** Sorts oldest first, keeping insertion order for equal times; each time is parsed once. */
function sortByTime<T>(list: T[], instantOf: (item: T) => Instant | undefined): void {
  const keyed = list.map((item, index) => ({ item, index, time: instantTime(instantOf(item)) }));
  keyed.sort((a, b) => {
    if (a.time === b.time) return a.index - b.index;
    return a.time < b.time ? -1 : 1;
  });
  keyed.forEach((entry, i) => { list[i] = entry.item; });
}

function preferFolder<T extends { folder: FolderStore }>(entries: T[], root: string | undefined): T[] {
  if (root === undefined) return entries;
  return [...entries.filter((e) => e.folder.root === root), ...entries.filter((e) => e.folder.root !== root)];
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
