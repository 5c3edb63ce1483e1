/** Selects a version in the Assets view, expanding the rows above it. */
import { describeError } from '../../core';
import type { Log } from '../log';
import type { AssetsTree } from '../tree/assetsTree';
import type { AssetsNode } from '../tree/nodes';

/** Folder, store, grouping, type, asset and version: the deepest path the tree builds. */
const MAX_DEPTH = 6;

/**
 * Walks down from the top level through the rows that contain the version,
 * then reveals its row. Walking through `getChildren` records each row's
 * parent, which `TreeView.reveal` asks for. A version the filter hides is
 * not revealed.
 */
export async function revealVersion(tree: AssetsTree, id: string, log: Log): Promise<boolean> {
  let level = await tree.getChildren();
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    const row = level.find((node) => node.kind === 'version' && node.version.id === id);
    if (row) {
      try {
        await tree.view.reveal(row, { select: true, focus: true, expand: true });
        return true;
      } catch (error) {
        log.warn(`Couldn't reveal ${id} in the Assets view: ${describeError(error)}`);
        return false;
      }
    }
    const next = level.find((node) => containsVersion(node, id));
    if (!next) break;
    level = await tree.getChildren(next);
  }
  log.debug(`${id} is not shown in the Assets view, so it was not revealed`);

  return false;
}

function containsVersion(node: AssetsNode, id: string): boolean {
  switch (node.kind) {
    case 'folder':
    case 'store':
    case 'pipeline':
    case 'run':
      return node.versions.some((version) => version.id === id);
    case 'type':
      return node.assets.some((asset) => asset.versions.some((version) => version.id === id));
    case 'asset':
      return node.asset.versions.some((version) => version.id === id);
    default:
      return false;
  }
}
