/**
 * Finds a PostgreSQL metadata store in the active stack of a workspace's
 * flowyml.yaml: `stacks.<active>.metadata_store` with a `db_url` (FlowyML's
 * name for the database URL) or `url` that is a postgresql:// URL. The active stack is $FLOWYML_STACK, else
 * `active_stack`, else the first stack, and `${VAR}` and `${VAR:-default}`
 * are filled from the environment, as FlowyML's stack config does.
 * NOTE: no flowyml.yaml that FlowyML wrote for PostgreSQL was available, so
 * the `db_url` and `url` keys are inferred, not observed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { isPlainObject } from '../model/properties';
import { isPostgresUrl } from './postgres-config';

const CONFIG_NAMES = ['flowyml.yaml', 'flowyml.yml', '.flowyml.yaml', '.flowyml.yml'];

/** Returns the stack's PostgreSQL URL, or undefined when the folder has no config or the stack uses another store. */
export function stackMetadataUrl(folder: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const file = CONFIG_NAMES.map((name) => path.join(folder, name)).find((candidate) => fs.existsSync(candidate));
  if (file === undefined) return undefined;

  let config: unknown;
  try {
    config = parse(fs.readFileSync(file, 'utf8'));
  } catch {
    // A malformed flowyml.yaml gives no URL here; loading the stores reports nothing about it.
    return undefined;
  }
  if (!isPlainObject(config) || !isPlainObject(config.stacks)) return undefined;

  const stacks = config.stacks;
  const names = Object.keys(stacks);
  const wanted = env.FLOWYML_STACK ?? (typeof config.active_stack === 'string' ? config.active_stack : undefined) ?? names[0];
  const stack = wanted === undefined ? undefined : stacks[wanted];
  if (!isPlainObject(stack) || !isPlainObject(stack.metadata_store)) return undefined;

  const store = stack.metadata_store;
  let raw: string | undefined;
  if (typeof store.db_url === 'string') raw = store.db_url;
  else if (typeof store.url === 'string') raw = store.url;
  if (raw === undefined) return undefined;
  const url = substitute(raw, env);
  return isPostgresUrl(url) ? url : undefined;
}

/** Fills `${VAR}` and `${VAR:-default}`; an unset variable without a default stays as written, as in FlowyML. */
function substitute(text: string, env: NodeJS.ProcessEnv): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (whole, name: string, fallback: string | undefined) => env[name] ?? fallback ?? whole);
}
