/**
 * The storage facts of a version, as the details panel and the tooltips show them:
 * its stored and materialized locations (with whether each exists) and the
 * registry its type is routed to in the shown stack.
 */
import type { AssetVersion, VersionDetails, WorkspaceIndex } from '../../core';
import { versionStorage, type MaterializedLocation, type RoutingRow, type VersionStorage } from '../../core/stack';
import type { DetailsFact, DetailsSection } from '../../protocol/details';
import type { StackService } from './stackService';
import { StackText } from './stackMessages';

/** Computes a version's storage with the stack file of its store root and the stack shown for it. */
export function storageOf(stacks: StackService, index: WorkspaceIndex, version: AssetVersion, details: VersionDetails | undefined): VersionStorage {
  const file = stacks.fileFor(index.root);
  const properties = details ? { ...details.properties.extra, ...details.properties.typed } : undefined;

  return versionStorage(index, version, file, stacks.shownStack(file), properties);
}

/** Stored locations always; computed ones that exist, or all of them when nothing exists. */
export function shownLocations(storage: VersionStorage): MaterializedLocation[] {
  const stored = storage.locations.filter((location) => location.kind === 'uri' || location.kind === 'path' || location.kind === 'file_path');
  const computed = storage.locations.filter((location) => !stored.includes(location));
  const existing = computed.filter((location) => location.exists);
  const anyExists = storage.locations.some((location) => location.exists);

  return [...stored, ...(anyExists ? existing : computed)];
}

export function locationFact(location: MaterializedLocation): DetailsFact {
  const kind = StackText.kindNames[location.kind]();
  const label = location.remote ? StackText.remoteLocation(kind) : StackText.locationLabel(kind, location.exists);
  const value = location.outsideWorkspace && !location.remote ? `${location.display} (${StackText.outsideWorkspace()})` : location.display;

  return { label, value, code: true };
}

/** Describes the routing row in one line: storage, registry and path where set, and whether FlowyML applies it. */
function routingText(row: RoutingRow): string {
  const parts = [row.storage, row.registry, row.path].filter((part) => part !== '—');

  return `${parts.length > 0 ? parts.join(' · ') : '—'} (${StackText.applied(row.applied)})`;
}

export function storageSection(storage: VersionStorage): DetailsSection {
  const values = shownLocations(storage).map(locationFact);
  if (values.length === 0) values.push({ label: StackText.storedAt(), value: StackText.noLocation() });
  if (storage.routing && storage.stack) {
    values.push({ label: StackText.routedTo(storage.stack), value: routingText(storage.routing) });
    for (const note of storage.routing.notes) values.push({ label: '', value: note });
  }

  return { kind: 'values', title: StackText.storedAt(), values };
}

/** Lines for a tooltip: each shown location with whether it exists, then the routed registry. */
export function storageTooltipLines(storage: VersionStorage): [string, string][] {
  const lines: [string, string][] = shownLocations(storage).map((location) => {
    const fact = locationFact(location);
    return [fact.label, fact.value];
  });
  if (storage.routing && storage.stack) {
    lines.push([StackText.routedTo(storage.stack), routingText(storage.routing)]);
  }

  return lines;
}
