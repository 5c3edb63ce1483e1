/** `register FILE --catalog-url URL`: the new version goes to a remote catalog through POST /artifacts. */
import path from 'node:path';
import { StoreError, stringifyJson } from '../../core/index';
import { RegisterError } from '../../core/register/errors';
import type { RegisterRequest } from '../../core/register/plan';
import { RemoteCatalogSource } from '../../core/sources/remote-catalog';
import { registerInRemoteCatalog } from '../../core/sources/remote-register';
import { terminalSafe } from '../format';
import { openWorkspace, stringListOption, UsageError, type OptionValues, type Output } from '../shared';

export async function registerRemote(file: string, dir: string | undefined, values: OptionValues, request: Omit<RegisterRequest, 'workspace' | 'source'>, io: Output): Promise<number> {
  const urls = stringListOption(values, 'catalog-url');
  if (urls.length > 1) throw new UsageError('register writes to one catalog: give --catalog-url once.');

  const workspace = await openWorkspace(dir, values);
  try {
    for (const problem of workspace.problems) io.err(`${problem.severity}: ${terminalSafe(problem.message)}`);
    if (workspace.problems.some((p) => p.severity === 'error')) {
      io.err('flowyml-assets: the workspace and the catalog could not be read completely, so versions and parents cannot be checked; nothing was registered.');
      return 1;
    }
    const source = new RemoteCatalogSource({ url: urls[0], apiKey: process.env.FLOWYML_CATALOG_API_KEY });
    const result = await registerInRemoteCatalog(workspace, source.client, { ...request, source: { kind: 'file', path: path.resolve(file) } });
    const { plan } = result;
    for (const warning of plan.warnings) io.err(`warning: ${terminalSafe(warning)}`);
    if (result.sameContent) {
      io.err(`warning: the catalog already holds the same content as "${terminalSafe(result.sameContent.name)}" (${terminalSafe(result.sameContent.artifact_id)}); registered it again.`);
    }
    if (values.json) {
      io.out(stringifyJson({
        id: result.id,
        artifactId: result.artifactId,
        store: source.label,
        type: plan.type,
        name: plan.name,
        version: plan.version,
        contentHash: plan.contentHash,
        hashBasis: plan.hashBasis,
        uri: plan.uri,
        parents: plan.parents.map((p) => p.versionId),
        parentCatalogIds: plan.parents.map((p) => p.catalogId),
        tags: plan.tags,
        properties: plan.properties,
      }, 2));
    } else {
      io.out([
        `Registered ${plan.type} ${plan.name} ${plan.version} in ${source.label}`,
        `id:       ${result.id}`,
        `parents:  ${plan.parents.length === 0 ? '-' : plan.parents.map((p) => p.versionId).join(', ')}`,
        `sha256:   ${plan.contentHash} (${plan.hashBasis})`,
      ].map(terminalSafe).join('\n'));
    }
    return 0;
  } catch (error) {
    if (error instanceof StoreError || error instanceof RegisterError) {
      io.err(`flowyml-assets: ${terminalSafe(error.message)}`);
      return 1;
    }
    throw error;
  } finally {
    workspace.dispose();
  }
}
