// The PostgreSQL URL of the active stack in flowyml.yaml.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { stackMetadataUrl } from '../../../src/core/sources/stack-url';
import { SAMPLE_WORKSPACE } from '../../helpers/paths';

function folderWith(yaml: string, name = 'flowyml.yaml'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowyml-stack-'));
  fs.writeFileSync(path.join(dir, name), yaml);
  return dir;
}

const CONFIG = `
stacks:
  local:
    metadata_store: { type: sqlite, path: ".flowyml/metadata.db" }
  team:
    metadata_store: { type: postgresql, db_url: "postgresql://ml@\${PGHOST_TEAM:-db.internal}:5432/flowyml" }
  other:
    metadata_store: { type: postgresql, url: "postgres://\${TEAM_USER}@db2/flowyml" }
active_stack: team
`;

test('active stack URL with defaults', () => {
  const dir = folderWith(CONFIG);
  try {
    assert.equal(stackMetadataUrl(dir, {}), 'postgresql://ml@db.internal:5432/flowyml');
    assert.equal(stackMetadataUrl(dir, { PGHOST_TEAM: '10.0.0.5' }), 'postgresql://ml@10.0.0.5:5432/flowyml');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('FLOWYML_STACK picks the stack', () => {
  const dir = folderWith(CONFIG, '.flowyml.yml');
  try {
    assert.equal(stackMetadataUrl(dir, { FLOWYML_STACK: 'other', TEAM_USER: 'ana' }), 'postgres://ana@db2/flowyml');
    assert.equal(stackMetadataUrl(dir, { FLOWYML_STACK: 'other' }), 'postgres://${TEAM_USER}@db2/flowyml', 'an unset variable stays as written');
    assert.equal(stackMetadataUrl(dir, { FLOWYML_STACK: 'local' }), undefined, 'a SQLite stack has no URL');
    assert.equal(stackMetadataUrl(dir, { FLOWYML_STACK: 'missing' }), undefined);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('sample and broken configs give none', () => {
  assert.equal(stackMetadataUrl(SAMPLE_WORKSPACE, {}), undefined);
  const dir = folderWith('stacks: [unclosed');
  try {
    assert.equal(stackMetadataUrl(dir, {}), undefined);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'flowyml-stack-'));
  assert.equal(stackMetadataUrl(empty, {}), undefined);
  fs.rmSync(empty, { recursive: true, force: true });
});
