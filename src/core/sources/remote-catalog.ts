/**
 * A FlowyML remote catalog read as a catalog store. Its entries become the
 * rows a catalog.db gives and go through the core's catalog mapper. So they
 * merge with metadata.db versions by run id and step, and their parent_ids
 * give lineage, as with a local catalog.
 */
import { stringifyJson } from '../json/tolerant';
import type { LoadProblem, StoreInfo } from '../model/types';
import type { SqlRow } from '../sqlite/types';
import { mapCatalogRows } from '../store/catalog-store';
import type { LoadedSource, StoreSource } from '../store/workspace';
import { CatalogClient, type CatalogClientOptions, type CatalogEntry } from './catalog-client';
import type { SourceLog } from './log';

export interface RemoteCatalogOptions extends CatalogClientOptions {
  /** The maximum number of entries one load requests, because the API has a limit but no offset. */
  maxEntries?: number;
  /** The most `/lineage` requests made to find parents that the listing missed. */
  maxParentLookups?: number;
}

export const DEFAULT_MAX_ENTRIES = 10_000;
const DEFAULT_MAX_PARENT_LOOKUPS = 50;

export class RemoteCatalogSource implements StoreSource {
  readonly label: string;
  readonly client: CatalogClient;

  constructor(private readonly options: RemoteCatalogOptions, private readonly log: SourceLog = {}) {
    this.client = new CatalogClient(options, log);
    this.label = this.client.label;
  }

  async load(): Promise<LoadedSource> {
    const started = Date.now();
    const limit = this.options.maxEntries ?? DEFAULT_MAX_ENTRIES;
    const entries = await this.client.list({ limit });
    const problems: LoadProblem[] = [];
    if (entries.length >= limit) {
      problems.push({ file: this.label, severity: 'warning', code: 'truncated', message: `${this.label}: the catalog returned its limit of ${limit} entries; older entries are not shown.` });
    }
    const parents = await this.findMissingParents(entries);
    const all = [...entries, ...parents];

    // Oldest first, the order of a catalog.db's rowids; FlowyML's API lists newest first.
    const ordered = all
      .map((entry, index) => ({ entry, index }))
      .sort((a, b) => {
        if (a.entry.created_at !== b.entry.created_at) return a.entry.created_at < b.entry.created_at ? -1 : 1;
        return b.index - a.index;
      })
      .map(({ entry }) => entry);
    const mapped = mapCatalogRows(ordered.map((entry, i) => entryRow(entry, i + 1)), this.label);
    problems.push(...mapped.problems);

    const info: StoreInfo = { path: this.label, absolutePath: this.label, kind: 'catalog', schema: 'catalog', remote: 'catalog-api' };
    this.log.info?.(`Read ${mapped.rows.length} catalog entries from ${this.label} in ${Date.now() - started} ms`);
    return {
      info,
      rows: { store: info, catalog: mapped.rows },
      problems,
      reader: {
        artifactMetadata: () => Promise.resolve({ text: undefined, truncated: false, bytes: 0 }),
        catalogMetadata: async (ref) => {
          const entry = await this.client.get(ref.artifactId);
          return entry === undefined ? undefined : stringifyJson(entry.metadata);
        },
      },
    };
  }

  /**
   * Asks `/lineage` for the parents of entries whose parent ids the listing
   * did not contain, because the listing stopped at its limit or a parent is
   * filtered out. Parents that no longer exist stay missing.
   */
  private async findMissingParents(entries: CatalogEntry[]): Promise<CatalogEntry[]> {
    const known = new Set(entries.map((e) => e.artifact_id));
    const max = this.options.maxParentLookups ?? DEFAULT_MAX_PARENT_LOOKUPS;
    const children = entries.filter((e) => e.parent_ids.some((p) => !known.has(p)));
    const found: CatalogEntry[] = [];
    for (const child of children.slice(0, max)) {
      const lineage = await this.client.lineage(child.artifact_id);
      for (const parent of lineage.parents) {
        if (known.has(parent.artifact_id)) continue;
        known.add(parent.artifact_id);
        found.push(parent);
      }
    }
    if (children.length > max) this.log.warn?.(`${this.label}: ${children.length} entries name parents outside the listing; looked up the first ${max}.`);
    return found;
  }
}

/** Converts an entry to a row of the catalog query, with JSON columns as text the way catalog.db stores them. */
function entryRow(entry: CatalogEntry, rowNumber: number): SqlRow {
  const parentIds = stringifyJson(entry.parent_ids);
  const metadata = stringifyJson(entry.metadata);
  return {
    row_id: rowNumber,
    artifact_id: entry.artifact_id,
    name: entry.name,
    artifact_type: entry.artifact_type,
    content_hash: entry.content_hash,
    source_step: entry.source_step,
    source_run_id: entry.source_run_id,
    source_pipeline: entry.source_pipeline,
    parent_ids: parentIds,
    parent_ids_bytes: Buffer.byteLength(parentIds),
    tags: stringifyJson(entry.tags),
    metadata_bytes: Buffer.byteLength(metadata),
    small_metadata: Buffer.byteLength(metadata) <= 2 ? metadata : null,
    uri: entry.uri,
    created_at: entry.created_at,
    version: entry.version,
  };
}
