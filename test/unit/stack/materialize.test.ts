/**
 * Materialized paths against the files that really exist in the fixtures.
 * Every folder a FlowyML writer filled under `.flowyml/artifacts` and every
 * `.ckpt` a Checkpoint saved must be found from the versions, or from its
 * run for a step that recorded no version, and nothing else.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadWorkspace, type WorkspaceIndex } from '../../../src/core';
import { findStackFile, isOutside, isRemoteUri, locateVersion, primaryFile, readStackFile, unversionedStepLocations, versionStorage, type StackFile } from '../../../src/core/stack';
import { SAMPLE_WORKSPACE, sharedFixture } from '../../helpers/paths';
import { temporaryFolder } from '../../helpers/register-files';

/** Lists every folder under `.flowyml/artifacts` that contains files, and every saved `.ckpt`, relative to the workspace. */
function materializedOnDisk(root: string): string[] {
  const found: string[] = [];
  const walk = (folder: string) => {
    const entries = fs.readdirSync(folder, { withFileTypes: true });
    if (entries.some((entry) => entry.isFile())) found.push(path.relative(root, folder));
    for (const entry of entries) if (entry.isDirectory()) walk(path.join(folder, entry.name));
  };
  const artifacts = path.join(root, '.flowyml', 'artifacts');
  if (fs.existsSync(artifacts)) walk(artifacts);
  const checkpoints = path.join(root, '.flowyml', 'checkpoints');
  for (const name of fs.existsSync(checkpoints) ? fs.readdirSync(checkpoints) : []) {
    if (name.endsWith('.ckpt')) found.push(path.join('.flowyml', 'checkpoints', name));
  }

  return found.sort();
}

async function foundByExtension(root: string): Promise<{ found: string[]; fromVersions: number; fromSteps: number }> {
  const index = await loadWorkspace(root);
  try {
    const configPath = findStackFile(root, { env: {} });
    const file = configPath ? readStackFile(configPath, { env: {} }) : undefined;
    const found = new Set<string>();
    let fromVersions = 0;
    for (const version of index.versions) {
      const details = await index.details(version.id);
      const storage = versionStorage(index, version, file, file?.activeStack, { ...details.properties.extra, ...details.properties.typed });
      for (const location of storage.locations) {
        if (location.exists && location.absolutePath) found.add(path.relative(root, location.absolutePath));
      }
    }
    fromVersions = found.size;
    for (const step of unversionedStepLocations(index, file, file?.activeStack)) {
      for (const location of step.locations) if (location.exists && location.absolutePath) found.add(path.relative(root, location.absolutePath));
    }

    return { found: [...found].sort(), fromVersions, fromSteps: found.size - fromVersions };
  } finally {
    index.dispose();
  }
}

describe('materialized paths in the fixtures', () => {
  const localStack = sharedFixture('flowyml-1.7-local-stack');

  test('local-stack: every folder found', { skip: localStack.skip }, async () => {
    const onDisk = materializedOnDisk(localStack.dir);
    const { found, fromSteps } = await foundByExtension(localStack.dir);

    assert.equal(onDisk.length, 18);
    assert.equal(found.length, onDisk.length);
    assert.deepEqual(found, onDisk);
    assert.equal(fromSteps, 0);
  });

  test('catalog-lineage: every folder and checkpoint found', async () => {
    const onDisk = materializedOnDisk(SAMPLE_WORKSPACE);
    const { found, fromVersions, fromSteps } = await foundByExtension(SAMPLE_WORKSPACE);

    assert.equal(onDisk.length, 27 + 12);
    assert.equal(found.length, onDisk.length);
    assert.deepEqual(found, onDisk);
    // The killed churn_scoring run recorded no version: its two folders are found from the run's step.
    assert.equal(fromSteps, 2);
    assert.equal(fromVersions, 37);
  });
});

describe('locations of one version', () => {
  let index: WorkspaceIndex;
  let file: StackFile;

  before(async () => {
    index = await loadWorkspace(SAMPLE_WORKSPACE);
    file = readStackFile(path.join(SAMPLE_WORKSPACE, 'flowyml.yaml'), { env: {} });
  });
  after(() => index.dispose());

  test('DataFrame output: per-output and step folders', () => {
    const version = index.versions.find((each) => each.name === 'frames/features' && each.runId?.startsWith('735883f5'))!;
    const { locations, routing } = versionStorage(index, version, file, 'local');

    assert.deepEqual(locations.map((location) => [location.kind, location.display, location.exists, location.files]), [
      ['output', '.flowyml/artifacts/735883f5-2c8d-4ebb-8396-a04fd41bec3c/build_features/frames/features', true, ['data.csv', 'metadata.json']],
      ['step-output', '.flowyml/artifacts/churn_data_prep/2026-12-04/735883f5-2c8d-4ebb-8396-a04fd41bec3c/data/build_features/output', true, ['data.pkl', 'metadata.json']],
    ]);
    assert.equal(primaryFile(locations[0]), path.join(SAMPLE_WORKSPACE, '.flowyml/artifacts/735883f5-2c8d-4ebb-8396-a04fd41bec3c/build_features/frames/features/data.csv'));
    assert.equal(routing?.type, 'DataFrame');
    assert.equal(routing?.rule, 'default');
  });

  test('missing uri is not found', () => {
    const version = index.versions.find((each) => each.name === 'feature_config' && each.uri)!;
    const [uri] = locateVersion(version, { root: SAMPLE_WORKSPACE });

    assert.deepEqual([uri.kind, uri.display, uri.exists, uri.outsideWorkspace], ['uri', 'configs/features.yaml', false, false]);
  });

  test('remote uri is never resolved', () => {
    const version = { ...index.versions[0], uri: 's3://acme-models/ranker/v17.0.0/model.json', runId: undefined, step: undefined };
    const [uri] = locateVersion(version, { root: SAMPLE_WORKSPACE });

    assert.deepEqual([uri.remote, uri.absolutePath, uri.exists], [true, undefined, false]);
    assert.ok(isRemoteUri('gs://bucket/x'));
    assert.ok(isRemoteUri('az://container/x'));
    assert.ok(!isRemoteUri('file:///tmp/x'));
    assert.ok(!isRemoteUri('.flowyml/x'));
  });

  test('outside paths are flagged', () => {
    const root = temporaryFolder('stack-outside');
    const outside = temporaryFolder('stack-target');
    fs.writeFileSync(path.join(outside, 'secret.txt'), 'x');
    fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'link.txt'));
    fs.writeFileSync(path.join(root, 'inside.txt'), 'x');

    const base = { ...index.versions[0], runId: undefined, step: undefined };
    const kinds = (uri: string) => locateVersion({ ...base, uri }, { root })[0].outsideWorkspace;
    assert.equal(kinds('inside.txt'), false);
    assert.equal(kinds('link.txt'), true);
    assert.equal(kinds('../elsewhere.txt'), true);
    assert.equal(kinds(path.join(outside, 'secret.txt')), true);
    assert.equal(isOutside(path.join(root, 'a', '..', 'inside.txt'), root, true), false);
  });
});
