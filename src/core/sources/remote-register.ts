/**
 * Registers a file as a new version in a remote catalog through
 * POST /artifacts. The plan (extraction, type, next version, parents,
 * content hash, metadata) is the register command's own; only the write
 * differs: an HTTP request in place of a catalog.db transaction.
 */
import type { WorkspaceIndex } from '../api';
import { StoreError } from '../errors';
import { versionId } from '../model/build';
import { planRegistration, type RegisterRequest, type RegistrationPlan } from '../register/plan';
import { pythonJsonDumps } from '../register/python-json';
import type { CatalogClient, CatalogEntry } from './catalog-client';

export interface RemoteRegistration {
  plan: RegistrationPlan;
  /** The id the server assigned. */
  artifactId: string;
  /** The version id as `list` prints it. */
  id: string;
  /** An entry on the server with the same content hash, which FlowyML warns about. */
  sameContent: CatalogEntry | undefined;
}

/**
 * Plans against the workspace with the remote catalog as its catalog store,
 * so parents resolve to remote catalog ids and the next version counts the
 * versions the server lists, then posts the entry.
 * NOTE: the API has no transaction, so two people registering the same name
 * at once can both get the same next version.
 */
export async function registerInRemoteCatalog(
  workspace: WorkspaceIndex,
  client: CatalogClient,
  request: Omit<RegisterRequest, 'workspace'>,
): Promise<RemoteRegistration> {
  const plan = await planRemoteRegistration(workspace, client, request);
  return postRemoteRegistration(client, plan);
}

/**
 * Plans a registration with the remote catalog as the catalog store, through
 * the register command's own plan: the first half of `registerInRemoteCatalog`.
 * Nothing is sent, so a caller can confirm a duplicate between the plan and the POST.
 */
export async function planRemoteRegistration(
  workspace: WorkspaceIndex,
  client: CatalogClient,
  request: Omit<RegisterRequest, 'workspace'>,
): Promise<RegistrationPlan> {
  const view = remoteCatalogView(workspace, client.label);
  return planRegistration({ ...request, workspace: view });
}

/**
 * Returns the workspace with the catalog at `label` first among its stores,
 * so the register plan counts versions and resolves parents in that catalog.
 */
export function remoteCatalogView(workspace: WorkspaceIndex, label: string): WorkspaceIndex {
  const remote = workspace.stores.find((s) => s.path === label && s.kind === 'catalog');
  if (!remote) throw new StoreError('unreachable', `The catalog at ${label} is not loaded in this workspace.`, label);
  return Object.create(workspace, { stores: { value: [remote, ...workspace.stores.filter((s) => s !== remote)] } }) as WorkspaceIndex;
}

/** Looks up the plan's content hash, then sends POST /artifacts once: the second half of `registerInRemoteCatalog`. */
export async function postRemoteRegistration(client: CatalogClient, plan: RegistrationPlan): Promise<RemoteRegistration> {
  const sameContent = plan.contentHash === '' ? undefined : await client.byHash(plan.contentHash);
  const artifactId = await client.register(entryBody(plan));
  return { plan, artifactId, id: versionId(client.label, 'artifacts', artifactId), sameContent };
}

/**
 * CatalogEntry.to_dict() as FlowyML's client sends it: the thirteen keys in
 * its field order, an empty artifact_id and created_at for the server to
 * fill, and the metadata as Python's json.dumps wrote it.
 */
export function entryBody(plan: RegistrationPlan): string {
  const field = (key: string, json: string) => `${pythonJsonDumps(key)}: ${json}`;
  return `{${[
    field('artifact_id', '""'),
    field('name', pythonJsonDumps(plan.name)),
    field('artifact_type', pythonJsonDumps(plan.type)),
    field('content_hash', pythonJsonDumps(plan.contentHash)),
    field('source_step', '""'),
    field('source_run_id', '""'),
    field('source_pipeline', '""'),
    field('parent_ids', pythonJsonDumps(plan.parents.map((p) => p.catalogId))),
    field('tags', pythonJsonDumps(plan.tags)),
    field('metadata', plan.metadataJson),
    field('uri', pythonJsonDumps(plan.uri)),
    field('created_at', '""'),
    field('version', pythonJsonDumps(plan.version)),
  ].join(', ')}}`;
}
