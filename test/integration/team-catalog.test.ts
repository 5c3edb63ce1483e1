/**
 * A team catalog API in a real VS Code (code-server): a workspace folder
 * with one local store (the sample's metadata.db) and a remote catalog named
 * by the active stack of its flowyml.yaml (`catalog_endpoint`).
 *
 * No server implementation of FlowyML's catalog API exists to run: FlowyML
 * ships only the client. The catalog here is the small HTTP server in
 * test/helpers/catalog-server.ts, on 127.0.0.1, which follows the client's
 * endpoints and JSON shapes. It serves the sample's catalog.db rows, which
 * join the local metadata.db versions by run id, and two entries that only
 * the catalog has. The API key is typed into the Set Catalog API Key
 * command, as a user would. Needs `npm run build` first.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { entriesFromCatalogDb, startCatalogServer, type CatalogServer, type ServerEntry } from '../helpers/catalog-server';
import { CodeServer } from './harness/codeServer';
import { REPO_ROOT } from './harness/tools';
import { positionOf } from './harness/positions';
import { Workbench, type QuickInputAnswer } from './harness/workbench';
import { TempWorkspaces } from './harness/workspaces';

const SAMPLE = path.join(REPO_ROOT, 'samples/workspace');
const KEY = `team-key-${crypto.randomBytes(6).toString('hex')}`;
/** The churn_features entry of the sample's catalog.db, which joins the local metadata.db version of the same run. */
const CHURN_FEATURES_ID = '8aaf4c51-0dda-42ae-92cc-152343d906b3';

/** Entries only the catalog holds: registered outside any run, so they join nothing local. */
function teamOnlyEntries(): ServerEntry[] {
  const entry = (id: string, name: string, type: string, parents: string[], createdAt: string): ServerEntry => ({
    artifact_id: id,
    name,
    artifact_type: type,
    content_hash: crypto.createHash('sha256').update(name).digest('hex'),
    source_step: '',
    source_run_id: '',
    source_pipeline: '',
    parent_ids: parents,
    tags: { team: 'scoring' },
    metadata: { properties: { owner: 'scoring-team' } },
    uri: `s3://team-bucket/${name}`,
    created_at: createdAt,
    version: 'v1.0.0',
  });
  return [
    entry('team-holdout-0001', 'team_holdout', 'Dataset', [], '2026-12-04T21:00:00.000000'),
    entry('team-scorer-0001', 'team_scorer', 'Model', ['team-holdout-0001', CHURN_FEATURES_ID], '2026-12-04T21:05:00.000000'),
  ];
}

function stackConfig(active: 'team' | 'local', catalogUrl: string): string {
  return [
    'stacks:',
    '  local:',
    '    metadata_store: { type: sqlite, path: ".flowyml/metadata.db" }',
    '  team:',
    '    metadata_store: { type: sqlite, path: ".flowyml/metadata.db" }',
    `    catalog_endpoint: "${catalogUrl}"`,
    `active_stack: ${active}`,
    '',
  ].join('\n');
}

/** Reads every settings file of the workspace and the user profile. */
function allSettings(server: CodeServer, folder: string): string {
  return [path.join(folder, '.vscode/settings.json'), path.join(server.runDir, 'user-data/User/settings.json')]
    .filter((file) => fs.existsSync(file))
    .map((file) => fs.readFileSync(file, 'utf8'))
    .join('\n');
}

describe('team catalog API in VS Code', { timeout: 360_000 }, () => {
  let server: CodeServer;
  let catalog: CatalogServer;
  const workspaces = new TempWorkspaces();

  before(async () => {
    const rows = await entriesFromCatalogDb(path.join(SAMPLE, '.flowyml', 'catalog.db'));
    catalog = await startCatalogServer(KEY, [...rows, ...teamOnlyEntries()]);
    server = await CodeServer.start();
  });

  after(async () => {
    await server?.stop();
    await catalog?.close();
    workspaces.removeAll();
  });

  it('local store and team catalog side by side', async () => {
    const folder = workspaces.copy(SAMPLE, 'team-catalog');
    fs.rmSync(path.join(folder, '.flowyml', 'catalog.db'));
    fs.rmSync(path.join(folder, '.flowyml', 'projects'), { recursive: true, force: true });
    fs.writeFileSync(path.join(folder, 'flowyml.yaml'), stackConfig('team', catalog.url));
    fs.writeFileSync(path.join(folder, 'scoring.py'), [
      'from flowyml import Model',
      '',
      '',
      'def load_scorer():',
      '    return Model.create(data=None, name="team_scorer")',
      '',
    ].join('\n'));
    fs.writeFileSync(path.join(folder, 'holdout.csv'), 'customer_id,churned\n1,0\n2,1\n3,0\n');
    fs.mkdirSync(path.join(folder, '.vscode'));
    // No polling: the test reads the catalog again only through registration and rebuilds.
    fs.writeFileSync(path.join(folder, '.vscode/settings.json'), JSON.stringify({ 'flowyml.team.pollInterval': 0 }));
    const label = catalog.url;

    const workbench = await Workbench.launch(server);
    try {
      await workbench.open({ folder, extensionDevelopmentPath: REPO_ROOT });
      await workbench.showContainer('FlowyML');

      // No key yet: the catalog's row gives the reason, and the local store still shows.
      const missing = await workbench.waitForTreeRow('Assets', `Couldn't read ${label}`);
      // The row shortens the message; the words that name the cause come before the cut.
      assert.match(await rowText(missing), new RegExp(`the catalog at ${escapeRegExp(label)} requires an API key and none is set`));
      // With one store read, the view lists its types without a store row; the status bar counts its versions.
      await workbench.waitForTreeItem('Assets', 'Model');
      const localCount = await statusCount(workbench);
      assert.ok(localCount > 0);
      assert.ok(catalog.requests.some((r) => r.method === 'GET' && r.path === '/api/v1/catalog/artifacts' && r.authorization === undefined), 'the first listing went out without a key');

      // A wrong key: a clear auth message, the local store keeps working, and registering there is refused with the reason.
      await workbench.runCommand('FlowyML: Set Catalog API Key', [{ prompt: 'API key for the catalog at', value: 'not-the-key' }]);
      const rejected = await workbench.waitForTreeRow('Assets', /rejected the API key/);
      assert.match(await rowText(rejected), new RegExp(`the catalog at ${escapeRegExp(label)} rejected the API key \\(HTTP 401\\)`));
      await workbench.waitForTreeItem('Assets', 'Model');
      assert.equal(await statusCount(workbench), localCount, 'the local store still shows all its versions');
      await workbench.screenshot('team-catalog-auth-failure');
      await registerFromExplorer(workbench, 'holdout.csv', [
        { prompt: 'Asset type of holdout.csv', value: 'Dataset' },
        { prompt: 'Register holdout.csv in', value: label },
      ]);
      // The headless window shows no toasts, so the message is read in the notification center.
      await workbench.runCommand('Notifications: Show Notifications');
      const toast = workbench.page.locator('.notifications-center .monaco-list-row', { hasText: 'Couldn\'t register holdout.csv' }).first();
      await toast.waitFor();
      const toastText = await toast.innerText();
      assert.ok(toastText.includes(`the catalog at ${label} rejected the API key (HTTP 401)`), toastText);
      assert.ok(toastText.includes('Set Catalog API Key'), 'an auth failure offers to set the key');
      await workbench.screenshot('team-catalog-register-refused');
      await workbench.runCommand('Notifications: Clear All Notifications');
      await workbench.showContainer('FlowyML');
      assert.equal(catalog.requests.filter((r) => r.method === 'POST').length, 0, 'nothing was posted with the wrong key');

      // The right key: both stores show, each labelled.
      await workbench.runCommand('FlowyML: Set Catalog API Key', [{ prompt: 'API key for the catalog at', value: KEY }]);
      await workbench.waitForTreeItem('Assets', label);
      const labels = await workbench.treeLabels('Assets');
      const descriptions = await workbench.treeDescriptions('Assets');
      assert.ok(labels.indexOf('.flowyml/metadata.db') < labels.indexOf(label), labels.join(', '));
      assert.equal(descriptions[labels.indexOf('.flowyml/metadata.db')], `${localCount} versions`);
      // Six Prompt rows registered outside any run plus the two team-only entries stay in the catalog's node.
      assert.equal(descriptions[labels.indexOf(label)], 'team catalog API · 8 versions');
      await workbench.screenshot('team-catalog-tree');

      // Lineage of a version only the catalog has reaches its catalog parent and, through the run id join, the local one.
      await (await rowBelow(workbench, label, 'Model')).click();
      await (await workbench.waitForTreeItem('Assets', 'team_scorer')).click();
      const scorerVersion = await versionRowBelow(workbench, 'team_scorer');
      await workbench.contextMenu(scorerVersion);
      await workbench.clickMenuItem('Show Lineage');
      const panel = workbench.webview();
      await panel.locator('g.node.focus').waitFor();
      assert.equal(await panel.locator('g.node.focus text.name').textContent(), 'team_scorer');
      assert.deepEqual(await panel.locator('g.node.type-Dataset text.name').allTextContents().then((names) => names.filter((n) => n === 'team_holdout')), ['team_holdout']);
      assert.ok((await panel.locator('g.node.type-FeatureSet text.name').allTextContents()).includes('churn_features'), 'the parent joined to the local run is drawn');
      await panel.locator('.path-panel h2').hover();
      await workbench.screenshot('team-catalog-lineage');

      // The language server reads the catalog too: a hover on a name only the catalog has.
      await workbench.goTo('scoring.py', positionOf(path.join(folder, 'scoring.py'), 'name="team_scorer"', 8));
      // The CodeLens comes first: VS Code drops a CodeLens request still waiting out its delay when a hover
      // command runs, and requests CodeLens again only on the next edit or refresh (seen in the protocol trace).
      const scorerLens = workbench.page.locator('.monaco-editor .codelens-decoration', { hasText: 'team_scorer v1.0.0' });
      await scorerLens.first().waitFor();
      await workbench.runCommand('Show or Focus Hover');
      const hover = workbench.page.locator('.monaco-hover:not(.hidden) .monaco-hover-content', { hasText: 'team_scorer' });
      await hover.waitFor({ timeout: 90_000 });
      const hoverText = await hover.innerText();
      assert.match(hoverText, /Model/);
      assert.ok(hoverText.includes('Latest version: v1.0.0'), hoverText);
      await workbench.screenshot('team-catalog-hover');
      await workbench.page.keyboard.press('Escape');

      // Register round trip: the Explorer menu posts to the team catalog with the key, and the new version is selected.
      const postsBefore = catalog.requests.filter((r) => r.method === 'POST').length;
      await registerFromExplorer(workbench, 'holdout.csv', [
        { prompt: 'Asset type of holdout.csv', value: 'Dataset' },
        { prompt: 'Register holdout.csv in', value: label },
        { prompt: 'Asset name of the new version', value: 'holdout' },
        { prompt: 'Parents of the new version', value: '' },
        { prompt: 'Tags as KEY=VALUE', value: 'origin=vscode-test' },
      ]);
      // Revealing the new version brings the Assets view back; clicking its icon here could race the reveal and close the side bar.
      await workbench.page.locator('.part.sidebar .pane-header[aria-label^="Assets"]').waitFor({ timeout: 60_000 });
      // team_scorer's v1.0.0 (#1) is selected from the lineage step, so wait for the new asset first.
      await workbench.waitForTreeItem('Assets', 'holdout');
      await selectedRow(workbench, 'v1.0.0 (#1)').waitFor();
      const posts = catalog.requests.filter((r) => r.method === 'POST');
      assert.equal(posts.length, postsBefore + 1, 'one POST');
      const post = posts.at(-1)!;
      assert.equal(post.path, '/api/v1/catalog/artifacts');
      assert.equal(post.authorization, `Bearer ${KEY}`);
      const body = JSON.parse(post.body) as Record<string, unknown>;
      assert.deepEqual(Object.keys(body), [
        'artifact_id', 'name', 'artifact_type', 'content_hash', 'source_step', 'source_run_id', 'source_pipeline',
        'parent_ids', 'tags', 'metadata', 'uri', 'created_at', 'version',
      ]);
      assert.equal(body.artifact_id, '');
      assert.equal(body.name, 'holdout');
      assert.equal(body.artifact_type, 'Dataset');
      assert.equal(body.version, 'v1.0.0');
      assert.deepEqual(body.parent_ids, []);
      assert.deepEqual(body.tags, { origin: 'vscode-test' });
      assert.equal(body.content_hash, crypto.createHash('sha256').update(fs.readFileSync(path.join(folder, 'holdout.csv'))).digest('hex'));
      assert.equal((body.metadata as { properties: Record<string, unknown> }).properties.num_samples, 3);
      assert.equal(catalog.entries.at(-1)?.name, 'holdout');
      const newRow = await versionRowBelow(workbench, 'holdout');
      assert.ok(await newRow.evaluate((row) => row.classList.contains('selected')), 'the new version is selected');
      const after = await workbench.treeLabels('Assets');
      assert.ok(after.indexOf('holdout') > after.indexOf(label), 'the new version is under the team catalog');
      await workbench.screenshot('team-catalog-registered');

      // Editing flowyml.yaml moves the team store: another active stack drops it, and switching back brings it again.
      await scorerLens.first().waitFor();
      fs.writeFileSync(path.join(folder, 'flowyml.yaml'), stackConfig('local', catalog.url));
      await workbench.treeRows('Assets').filter({ hasText: label }).first().waitFor({ state: 'detached' });
      // One store left: the view lists its types without a store row, and the status bar counts the local versions only.
      await workbench.waitForTreeItem('Assets', 'Model');
      assert.equal(await statusCount(workbench), localCount);
      // The language server restarts without the catalog, so the CodeLens of the catalog-only name goes away.
      await scorerLens.first().waitFor({ state: 'detached', timeout: 90_000 });
      await workbench.screenshot('team-catalog-stack-local');
      fs.writeFileSync(path.join(folder, 'flowyml.yaml'), stackConfig('team', catalog.url));
      await workbench.waitForTreeItem('Assets', label);

      // The key is in no settings file and no log.
      assert.ok(!allSettings(server, folder).includes(KEY), 'the API key is in no settings file');
      const logs = server.allLogs();
      assert.ok(logs.includes(label), 'the logs name the catalog');
      assert.ok(logs.includes(`Opened .flowyml/metadata.db, ${label} in ${folder}`), 'the load log names both stores it counts');
      assert.ok(logs.includes('POST /artifacts'), 'the log records the registration');
      assert.ok(!logs.includes(KEY), 'the API key is in no log');
      assert.ok(!server.extensionHostLog().includes(KEY), 'the API key is not in the extension host log');
    } catch (error) {
      await workbench.screenshot('team-catalog-failure');
      const flowymlLog = server.allLogs().split('\n').filter((line) => /register|catalog|Team stores/i.test(line)).slice(-40).join('\n');
      throw new Error(`${error instanceof Error ? error.message : String(error)}\n--- FlowyML log ---\n${flowymlLog}\n--- extension host log ---\n${server.extensionHostLog().slice(-2000)}`, { cause: error });
    } finally {
      await workbench.close();
    }
  });
});

async function rowText(row: import('playwright-core').Locator): Promise<string> {
  return `${await row.innerText()} ${await row.getAttribute('aria-label')}`;
}

/** Returns the number of versions the FlowyML status bar item counts. */
async function statusCount(workbench: Workbench): Promise<number> {
  const item = workbench.page.locator('.statusbar-item', { hasText: /FlowyML: \d+ versions/ }).first();
  await item.waitFor();
  const match = /FlowyML: (\d+) versions/.exec(await item.innerText());
  assert.ok(match, await item.innerText());
  return Number(match[1]);
}

/** Finds the first row labelled `label` after the row labelled `above`, such as a type group under one store. */
async function rowBelow(workbench: Workbench, above: string, label: string): Promise<import('playwright-core').Locator> {
  await workbench.scrollTreeToEnd('Assets');
  const labels = await workbench.treeLabels('Assets');
  const start = labels.indexOf(above);
  const index = labels.indexOf(label, start + 1);
  assert.ok(start >= 0, labels.join(', '));
  assert.ok(index > start, labels.join(', '));
  return workbench.treeRows('Assets').nth(index);
}

/** The first version row after an asset's row in the Assets view, waiting for the asset to expand. */
async function versionRowBelow(workbench: Workbench, asset: string): Promise<import('playwright-core').Locator> {
  let labels: string[] = [];
  for (let attempt = 0; attempt < 50; attempt++) {
    labels = await workbench.treeLabels('Assets');
    const index = labels.indexOf(asset);
    if (index >= 0 && /^v\d/.test(labels[index + 1] ?? '')) return workbench.treeRows('Assets').nth(index + 1);
    await workbench.page.waitForTimeout(200);
  }
  assert.fail(`no version row below ${asset}: ${labels.join(', ')}`);
}

/** Runs the Explorer's Register menu item on a file and fills in the quick inputs, in order. */
async function registerFromExplorer(workbench: Workbench, fileName: string, answers: QuickInputAnswer[]): Promise<void> {
  await workbench.showContainer('Explorer');
  const file = workbench.page.locator('.explorer-folders-view .monaco-list-row', { hasText: fileName }).first();
  await file.waitFor();
  await workbench.contextMenu(file);
  await workbench.clickMenuItem('Register as FlowyML Asset…');
  const widget = workbench.page.locator('.quick-input-widget');
  const input = widget.locator('input.input');
  for (const answer of answers) {
    const prompt = widget.filter({ hasText: answer.prompt }).or(widget.filter({ has: workbench.page.locator(`input[placeholder*="${answer.prompt}"]`) }));
    await prompt.waitFor();
    await input.fill(answer.value);
    await workbench.page.keyboard.press('Enter');
  }
  await widget.waitFor({ state: 'hidden' });
}

/** Locates the selected Assets row with this label. */
function selectedRow(workbench: Workbench, label: string) {
  return workbench.treeRows('Assets').and(workbench.page.locator('.selected')).filter({ hasText: label });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
