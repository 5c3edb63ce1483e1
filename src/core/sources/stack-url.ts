/**
 * Finds the team stores in the active stack of a workspace's flowyml.yaml:
 * - a PostgreSQL metadata store: `stacks.<active>.metadata_store` with a
 *   `db_url` (FlowyML's name for the database URL) or `url` that is a
 *   postgresql:// URL;
 * - a remote catalog: `stacks.<active>.catalog_endpoint`, the stack attribute
 *   FlowyML's catalog manager reads (store format notes §9), as an http(s) URL.
 * The active stack is $FLOWYML_STACK, else `active_stack`, else the first
 * stack, and `${VAR}` and `${VAR:-default}` are filled from the environment,
 * as FlowyML's stack config does.
 * NOTE: no flowyml.yaml that FlowyML wrote for PostgreSQL or a catalog server
 * was available, so the `db_url`, `url` and `catalog_endpoint` keys are
 * inferred, not observed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { isPlainObject } from '../model/properties';
import { isPostgresUrl } from './postgres-config';

/** The names FlowyML looks for, in its order of preference. */
export const STACK_CONFIG_NAMES = ['flowyml.yaml', 'flowyml.yml', '.flowyml.yaml', '.flowyml.yml'] as const;

export interface StackTeamUrls {
  metadataUrl: string | undefined;
  catalogUrl: string | undefined;
}

/** Returns the stack's PostgreSQL URL, or undefined when the folder has no config or the stack uses another store. */
export function stackMetadataUrl(folder: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return stackTeamUrls(folder, env).metadataUrl;
}

/** Returns the stack's catalog endpoint, or undefined when the folder has no config or the stack names none. */
export function stackCatalogUrl(folder: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return stackTeamUrls(folder, env).catalogUrl;
}

/** Reads both team URLs of the folder's active stack in one pass over its config file. */
export function stackTeamUrls(folder: string, env: NodeJS.ProcessEnv = process.env): StackTeamUrls {
  const none: StackTeamUrls = { metadataUrl: undefined, catalogUrl: undefined };
  const file = STACK_CONFIG_NAMES.map((name) => path.join(folder, name)).find((candidate) => fs.existsSync(candidate));
  if (file === undefined) return none;

  let config: unknown;
  try {
    config = parse(fs.readFileSync(file, 'utf8'));
  } catch {
    // A malformed flowyml.yaml gives no URL here; loading the stores reports nothing about it.
    return none;
  }
  if (!isPlainObject(config) || !isPlainObject(config.stacks)) return none;

  const stacks = config.stacks;
  const names = Object.keys(stacks);
  const wanted = env.FLOWYML_STACK ?? (typeof config.active_stack === 'string' ? config.active_stack : undefined) ?? names[0];
  const stack = wanted === undefined ? undefined : stacks[wanted];
  if (!isPlainObject(stack)) return none;

  let metadataUrl: string | undefined;
  if (isPlainObject(stack.metadata_store)) {
    const store = stack.metadata_store;
    let raw: string | undefined;
    if (typeof store.db_url === 'string') raw = store.db_url;
    else if (typeof store.url === 'string') raw = store.url;
    if (raw !== undefined) {
      const url = substitute(raw, env).trim();
      if (isPostgresUrl(url)) metadataUrl = url;
    }
  }

  let catalogUrl: string | undefined;
  if (typeof stack.catalog_endpoint === 'string') {
    const url = substitute(stack.catalog_endpoint, env).trim();
    if (/^https?:\/\/\S+$/i.test(url)) catalogUrl = url;
  }
  return { metadataUrl, catalogUrl };
}

/** True when a file name is one of the stack config names FlowyML reads, so its creation, change or deletion can move the team stores. */
export function isStackConfigName(fileName: string): boolean {
  return (STACK_CONFIG_NAMES as readonly string[]).includes(path.basename(fileName));
}

/**
 * Decides whether an edit of a folder's flowyml.yaml must rebuild the team
 * stores: only when the URLs the stores are built from differ. A rewrite
 * that keeps both URLs (a routing rule, a comment) leaves the open
 * connections alone.
 */
export function teamUrlsChanged(before: StackTeamUrls | undefined, after: StackTeamUrls): boolean {
  return (before?.metadataUrl ?? undefined) !== after.metadataUrl || (before?.catalogUrl ?? undefined) !== after.catalogUrl;
}

/** Fills `${VAR}` and `${VAR:-default}`; an unset variable without a default stays as written, as in FlowyML. */
function substitute(text: string, env: NodeJS.ProcessEnv): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (whole, name: string, fallback: string | undefined) => env[name] ?? fallback ?? whole);
}
