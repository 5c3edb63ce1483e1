/**
 * Parent suggestions for a new version: the latest version of the same name
 * first, then the latest version of each asset whose type usually feeds the
 * new type (for a Model, Datasets and FeatureSets), newest first.
 */
import type { WorkspaceIndex } from '../api';
import { instantMs } from '../model/time';
import type { AssetTypeName, AssetVersion, SeedAssetType } from '../model/types';

const FEEDS: Record<SeedAssetType, AssetTypeName[]> = {
  Model: ['Dataset', 'FeatureSet', 'Checkpoint'],
  Checkpoint: ['Dataset', 'FeatureSet', 'Model'],
  Metrics: ['Model', 'Dataset', 'FeatureSet'],
  Report: ['Model', 'Metrics', 'Dataset'],
  Dataset: ['Dataset', 'FeatureSet', 'Artifact'],
  FeatureSet: ['Dataset', 'FeatureSet', 'Artifact'],
  Prompt: ['Prompt', 'Dataset', 'Artifact'],
  Artifact: ['Dataset', 'FeatureSet', 'Model', 'Artifact'],
  Asset: ['Dataset', 'FeatureSet', 'Model', 'Artifact'],
};

export function suggestParents(workspace: WorkspaceIndex, type: SeedAssetType, name?: string, limit = 20): AssetVersion[] {
  const assets = workspace.assets();
  const sameName = name === undefined ? [] : assets.filter((a) => a.name === name).map((a) => a.latest);
  const feeding = assets
    .filter((a) => FEEDS[type].includes(a.type) && a.name !== name)
    .map((a) => a.latest)
    .sort((a, b) => (instantMs(b.createdAt) ?? 0) - (instantMs(a.createdAt) ?? 0));
  return [...sameName, ...feeding].slice(0, limit);
}
