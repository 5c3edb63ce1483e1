/**
 * Output of the command line and of the read API over one workspace, for the
 * check that a change to the reader or the model leaves every output
 * byte-identical. test/unit/cli/golden-output.test.ts compares the digests
 * with test/fixtures/cli-golden.json; scripts/cli-golden.ts rewrites that
 * file, and with --dump writes the full texts so that two runs can be diffed.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { run } from '../../src/cli/main';
import { loadWorkspace, stringifyJson } from '../../src/core/index';
import { REPO_ROOT, SHARED, SMALL_FIXTURES } from './paths';

/** Workspaces with a store: the shared fixtures, the small test fixtures and the sample. */
export function goldenWorkspaces(): { key: string; dir: string }[] {
  const found: { key: string; dir: string }[] = [];
  const add = (key: string, dir: string) => {
    if (fs.existsSync(path.join(dir, '.flowyml'))) found.push({ key, dir });
  };
  const shared = path.join(SHARED, 'fixtures');
  if (fs.existsSync(shared)) for (const name of fs.readdirSync(shared).sort()) add(`shared/${name}`, path.join(shared, name));
  for (const name of fs.readdirSync(SMALL_FIXTURES).sort()) add(`test/${name}`, path.join(SMALL_FIXTURES, name));
  add('samples/workspace', path.join(REPO_ROOT, 'samples', 'workspace'));
  return found;
}

async function cli(args: string[]): Promise<string> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return `exit ${code}\n${out.join('\n')}\n--- stderr\n${err.join('\n')}\n`;
}

/** Every nth element, so a big fixture keeps about `keep` of them; all of them for a small one. */
function sample<T>(list: T[], keep: number): T[] {
  const step = Math.max(1, Math.ceil(list.length / keep));
  return list.filter((_, i) => i % step === 0 || i === list.length - 1);
}

/**
 * The texts compared for one workspace, by name. The command line runs for
 * `list --json`, and for `show` and `lineage` of three versions (each run
 * loads the workspace again). The API part covers the versions, runs and
 * problems as JSON, the asset groups, and the lineage and details of a
 * sample of versions.
 */
export async function goldenTexts(dir: string): Promise<Map<string, string>> {
  const texts = new Map<string, string>();
  texts.set('cli list --json', await cli(['list', dir, '--json']));
  texts.set('cli list', await cli(['list', dir]));

  const index = await loadWorkspace(dir);
  try {
    const ids = index.versions.map((v) => v.id);
    for (const id of [ids[0], ids[Math.floor(ids.length / 2)], ids[ids.length - 1]].filter((x) => x !== undefined)) {
      texts.set(`cli show ${id} --json`, await cli(['show', id, dir, '--json']));
      texts.set(`cli lineage ${id}`, await cli(['lineage', id, dir]));
    }
    const relative = (text: string) => text.split(dir).join('<workspace>');
    texts.set('api versions', stringifyJson(index.versions));
    texts.set('api runs', stringifyJson(index.runs));
    texts.set('api problems', relative(stringifyJson(index.problems)));
    texts.set('api stores', relative(stringifyJson(index.stores)));
    texts.set('api assets', index.assets().map((a) => `${a.type}\u0000${a.name}\u0000${a.latest.id}\u0000${a.versions.map((v) => v.id).join(',')}`).join('\n'));
    const lineage: string[] = [];
    for (const id of sample(ids, 400)) {
      lineage.push(stringifyJson(index.lineage(id, { direction: 'up', depth: 3 })));
      lineage.push(stringifyJson(index.lineage(id, { direction: 'down', depth: 2 })));
      lineage.push(stringifyJson(index.children(id)));
    }
    for (const runInfo of sample(index.runs, 50)) {
      lineage.push(stringifyJson(index.lineage(runInfo.id, { depth: 1 })));
      for (const step of runInfo.steps) lineage.push(stringifyJson(index.lineage(step.id)));
    }
    texts.set('api lineage', lineage.join('\n'));
    const details: string[] = [];
    for (const id of sample(ids, 150)) details.push(stringifyJson(await index.details(id)));
    texts.set('api details', details.join('\n'));
  } finally {
    index.dispose();
  }
  return texts;
}

export function digest(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}

export const GOLDEN_FILE = path.join(SMALL_FIXTURES, 'cli-golden.json');
