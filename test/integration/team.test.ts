/**
 * Team stores in a real VS Code (code-server): a workspace folder with one
 * local store (the sample's catalog.db) and one PostgreSQL metadata store
 * (the sample's metadata.db loaded into a throwaway PostgreSQL server from
 * Debian's packages, on 127.0.0.1). The password is typed into the Set
 * Database Password command, as a user would. Needs `npm run build` first.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadMetadataStore, ownerQuery } from '../helpers/postgres/load';
import { findPostgresBin, startPostgres, type TestPostgres } from '../helpers/postgres/server';
import { CodeServer } from './harness/codeServer';
import { REPO_ROOT } from './harness/tools';
import { positionOf } from './harness/positions';
import { Workbench } from './harness/workbench';
import { TempWorkspaces } from './harness/workspaces';

const SAMPLE = path.join(REPO_ROOT, 'samples/workspace');
const skip = findPostgresBin() ? false : 'PostgreSQL server binaries are missing under /usr/lib/postgresql (apt-get install -y postgresql)';

describe('team stores in VS Code', { skip, timeout: 300_000 }, () => {
  let server: CodeServer;
  let postgres: TestPostgres;
  const workspaces = new TempWorkspaces();

  before(async () => {
    postgres = await startPostgres();
    await loadMetadataStore(postgres, 'team', path.join(SAMPLE, '.flowyml', 'metadata.db'));
    server = await CodeServer.start();
  });

  after(async () => {
    await server?.stop();
    await postgres?.stop();
    workspaces.removeAll();
  });

  it('local and PostgreSQL stores side by side', async () => {
    const folder = workspaces.copy(SAMPLE, 'team');
    fs.rmSync(path.join(folder, '.flowyml', 'metadata.db'));
    fs.rmSync(path.join(folder, '.flowyml', 'projects'), { recursive: true, force: true });
    const label = `postgresql://127.0.0.1:${postgres.port}/team`;
    const password = postgres.reader.password;
    fs.mkdirSync(path.join(folder, '.vscode'));
    fs.writeFileSync(path.join(folder, '.vscode/settings.json'), JSON.stringify({
      'flowyml.metadataUrl': `postgresql://${postgres.reader.user}@127.0.0.1:${postgres.port}/team`,
      'flowyml.team.pollInterval': 1,
    }));

    const workbench = await Workbench.launch(server);
    try {
      await workbench.open({ folder, extensionDevelopmentPath: REPO_ROOT });
      await workbench.showContainer('FlowyML');

      // No password yet: the team store reports why, and the local store still shows.
      const problem = await workbench.waitForTreeRow('Assets', `Couldn't read ${label}`);
      const problemText = `${await problem.innerText()} ${await problem.getAttribute('aria-label')}`;
      assert.match(problemText, /the server asks for a password for user "flo/);
      await workbench.waitForTreeItem('Assets', 'Model');
      await workbench.screenshot('team-no-password');

      await workbench.runCommand('FlowyML: Set Database Password', [{ prompt: 'Password for', value: password }]);
      await workbench.waitForTreeItem('Assets', label);

      const labels = await workbench.treeLabels('Assets');
      const descriptions = await workbench.treeDescriptions('Assets');
      // The catalog rows that record a run of the PostgreSQL store merged into its
      // versions; the six Prompt rows registered outside any run stay local.
      assert.deepEqual(labels.slice(0, 6), ['.flowyml/catalog.db', 'Prompt', label, 'Dataset', 'Model', 'Metrics'], labels.join(', '));
      assert.equal(descriptions[labels.indexOf('.flowyml/catalog.db')], '6 versions');
      assert.equal(descriptions[labels.indexOf(label)], 'team PostgreSQL · 47 versions');

      // Versions of the PostgreSQL store carry the stored versions of the catalog rows they joined by run id.
      await (await workbench.waitForTreeItem('Assets', 'Model')).click();
      await (await workbench.waitForTreeItem('Assets', 'churn_model')).click();
      const version = await workbench.waitForTreeItem('Assets', 'v2.0.0 (#2)');
      await version.hover();
      const tooltip = workbench.page.locator('.workbench-hover-container, .monaco-hover:not(.hidden)').filter({ hasText: 'churn_model' });
      await tooltip.first().waitFor();
      const tooltipText = await tooltip.first().innerText();
      assert.ok(tooltipText.includes(label), tooltipText);
      assert.match(tooltipText, /LogisticRegression|sklearn/);
      await workbench.screenshot('team-tooltip');
      await workbench.page.keyboard.press('Escape');

      const menu = await workbench.contextMenu(version);
      assert.ok(menu.includes('Show Lineage'), menu.join(', '));
      await workbench.clickMenuItem('Show Lineage');
      const panel = workbench.webview();
      await panel.locator('g.node.focus').waitFor();
      assert.equal(await panel.locator('g.node.focus text.name').textContent(), 'churn_model');
      assert.deepEqual(await panel.locator('g.node.type-Dataset text.name').allTextContents(), ['customers_clean']);
      assert.ok((await panel.locator('g.node.type-FeatureSet text.name').allTextContents()).includes('churn_features'));
      // Park the pointer on the side list, away from the tree's tooltips.
      await panel.locator('.path-panel h2').hover();
      await workbench.screenshot('team-lineage');

      // A row FlowyML inserts later shows up through polling.
      const run = await ownerQuery(postgres, 'team', 'SELECT run_id FROM runs ORDER BY created_at LIMIT 1');
      const runId = String(run.rows[0].run_id);
      await ownerQuery(postgres, 'team', 'INSERT INTO artifacts (artifact_id, name, type, run_id, metadata) VALUES ($1, $2, $3, $4, $5)', [
        `${runId}_late_step_late`, 'late_output', 'dict', runId, JSON.stringify({ step: 'late_step', created_at: '2026-12-04T20:30:00.000000' }),
      ]);
      await workbench.waitForTreeRow('Assets', /team PostgreSQL · 48 versions/);

      // The language server reads the PostgreSQL store too: run statuses exist only there,
      // catalog rows alone would give runs of unknown status.
      await workbench.goTo('pipeline.py', positionOf(path.join(folder, 'pipeline.py'), 'Pipeline("churn_data_prep"', 11));
      await workbench.runCommand('Show or Focus Hover');
      const hover = workbench.page.locator('.monaco-hover:not(.hidden) .monaco-hover-content', { hasText: 'churn_data_prep' });
      await hover.waitFor({ timeout: 90_000 });
      const hoverText = await hover.innerText();
      assert.match(hoverText, /2 runs \(2 completed\); last run 1573ec2a/, hoverText);
      await workbench.screenshot('team-hover');
      await workbench.page.keyboard.press('Escape');

      const settings = fs.readFileSync(path.join(folder, '.vscode/settings.json'), 'utf8');
      assert.ok(!settings.includes(password), 'the password is not in the settings file');
      const logs = server.allLogs();
      assert.ok(logs.includes(label), 'the logs name the store');
      assert.ok(!logs.includes(password), 'the password is in no log');
      // sql.js reads navigator.language too; only pg's Cloudflare check is kept out.
      assert.ok(!server.extensionHostLog().includes('isCloudflareRuntime'), 'pg loads without touching the navigator global');
    } catch (error) {
      await workbench.screenshot('team-failure');
      throw new Error(`${error instanceof Error ? error.message : String(error)}\n--- extension host log ---\n${server.extensionHostLog().slice(-4000)}`, { cause: error });
    } finally {
      await workbench.close();
    }
  });
});
