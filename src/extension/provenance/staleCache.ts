/**
 * Stale marks per loaded index, shared by the Provenance commands and the
 * lineage panel. A reload builds a new index, so a WeakMap keyed by the
 * index drops the old marks with it and never serves marks of an old store.
 */
import { provenance, type WorkspaceIndex } from '../../core';

interface StaleCache {
  checker: provenance.StaleChecker;
  ids?: Set<string>;
}

const caches = new WeakMap<WorkspaceIndex, StaleCache>();

/** Returns the checker of an index, creating it on first use. */
export function staleCheckerOf(index: WorkspaceIndex): provenance.StaleChecker {
  return cacheOf(index).checker;
}

/** Returns every stale version id of an index, computed once per index. */
export function staleIdsOf(index: WorkspaceIndex): ReadonlySet<string> {
  const cache = cacheOf(index);
  cache.ids ??= cache.checker.staleIds();

  return cache.ids;
}

function cacheOf(index: WorkspaceIndex): StaleCache {
  let cache = caches.get(index);
  if (!cache) {
    cache = { checker: new provenance.StaleChecker(index) };
    caches.set(index, cache);
  }

  return cache;
}
