// The PostgreSQL URL and catalog endpoint of the active stack in flowyml.yaml,
// and the decision whether an edit of that file rebuilds the team stores.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { parseStackFile } from '../../../src/core/stack/config';
import { isStackConfigName, stackCatalogUrl, stackMetadataUrl, stackTeamUrls, teamUrlsChanged } from '../../../src/core/sources/stack-url';
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

const CATALOG_CONFIG = `
stacks:
  local:
    metadata_store: { type: sqlite }
  shared:
    catalog_endpoint: "https://\${CATALOG_HOST:-catalog.internal}/api/v1/catalog"
    metadata_store: { type: postgresql, db_url: "postgresql://ml@db.internal/flowyml" }
  broken:
    catalog_endpoint: "ftp://catalog.internal/api"
active_stack: shared
`;

test('catalog endpoint of the active stack', () => {
  const dir = folderWith(CATALOG_CONFIG);
  try {
    assert.deepEqual(stackTeamUrls(dir, {}), {
      metadataUrl: 'postgresql://ml@db.internal/flowyml',
      catalogUrl: 'https://catalog.internal/api/v1/catalog',
    });
    assert.equal(stackCatalogUrl(dir, { CATALOG_HOST: '127.0.0.1:8080' }), 'https://127.0.0.1:8080/api/v1/catalog');
    assert.equal(stackCatalogUrl(dir, { FLOWYML_STACK: 'local' }), undefined, 'a local stack has no catalog');
    assert.equal(stackCatalogUrl(dir, { FLOWYML_STACK: 'broken' }), undefined, 'only http(s) endpoints are used');
    assert.equal(stackCatalogUrl(folderWith(CONFIG), {}), undefined, 'a stack without catalog_endpoint has none');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('which file names are stack configs', () => {
  for (const name of ['flowyml.yaml', 'flowyml.yml', '.flowyml.yaml', '.flowyml.yml', '/work/a/flowyml.yaml']) assert.equal(isStackConfigName(name), true, name);
  for (const name of ['flowyml.yaml.bak', 'stack.yaml', '.flowyml', 'flowyml.json']) assert.equal(isStackConfigName(name), false, name);
});

test('an edit rebuilds only when a URL moves', () => {
  const dir = folderWith(CATALOG_CONFIG);
  try {
    const built = stackTeamUrls(dir, {});
    // A comment and a new routing rule keep both URLs.
    fs.writeFileSync(path.join(dir, 'flowyml.yaml'), `# edited\n${CATALOG_CONFIG}\n  # trailing\n`);
    assert.equal(teamUrlsChanged(built, stackTeamUrls(dir, {})), false);

    // Switching the active stack drops both team stores.
    fs.writeFileSync(path.join(dir, 'flowyml.yaml'), CATALOG_CONFIG.replace('active_stack: shared', 'active_stack: local'));
    const local = stackTeamUrls(dir, {});
    assert.equal(teamUrlsChanged(built, local), true);
    assert.deepEqual(local, { metadataUrl: undefined, catalogUrl: undefined });

    // Deleting the file after nothing was built is no change; creating one with a catalog is.
    fs.rmSync(path.join(dir, 'flowyml.yaml'));
    const none = stackTeamUrls(dir, {});
    assert.equal(teamUrlsChanged(undefined, none), false);
    assert.equal(teamUrlsChanged(local, none), false);
    fs.writeFileSync(path.join(dir, 'flowyml.yml'), CATALOG_CONFIG);
    assert.equal(teamUrlsChanged(none, stackTeamUrls(dir, {})), true, 'a created flowyml.yml counts too');

    // Only the catalog endpoint moves.
    assert.equal(teamUrlsChanged(built, { ...built, catalogUrl: 'https://other/api/v1/catalog' }), true);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the stack view notes catalog_endpoint, not warns', () => {
  const file = parseStackFile(CATALOG_CONFIG, 'flowyml.yaml');
  const notes = file.diagnostics.filter((d) => d.message.includes('catalog_endpoint'));
  assert.deepEqual(notes.map((d) => [d.severity, d.code]), [['information', 'extension-key'], ['information', 'extension-key']]);
  assert.match(notes[0].message, /FlowyML's StackConfig ignores it/);
});
