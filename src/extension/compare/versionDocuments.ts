/**
 * Read-only documents of one field of one version, under the `flowyml:`
 * scheme, so VS Code's own diff editor can compare templates, configs and
 * JSON properties. A URI names the version id and the field path in its
 * query. Its path only makes the tab title readable and gives the editor a
 * language (`.json` or `.txt`).
 */
import * as vscode from 'vscode';
import type { AssetVersion } from '../../core';
import type { Log } from '../log';
import type { StoreService } from '../stores/storeService';
import { fieldDocument, TEMPLATE_PATH } from './fieldPath';

export const VERSION_DOCUMENT_SCHEME = 'flowyml';

/** Builds the URI of one field of a version. */
export function versionDocumentUri(version: AssetVersion, path: string): vscode.Uri {
  const extension = path === TEMPLATE_PATH ? 'txt' : 'json';
  // Slashes and control characters in stored names would add path segments or break the title.
  const safe = (text: string) => text.replace(/[\u0000-\u001f\u007f/\\]/g, '_');
  const query = new URLSearchParams({ id: version.id, path }).toString();

  return vscode.Uri.from({
    scheme: VERSION_DOCUMENT_SCHEME,
    path: `/${safe(version.name)} ${safe(version.label)}/${safe(path)}.${extension}`,
    query,
  });
}

export class VersionDocumentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration: vscode.Disposable;
  private readonly reloadSubscription: vscode.Disposable;
  /** URIs handed out so far, refreshed after each store reload. */
  private readonly opened = new Set<string>();

  constructor(private readonly stores: StoreService, private readonly log: Log) {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(VERSION_DOCUMENT_SCHEME, this);
    this.reloadSubscription = stores.onDidChange(() => {
      for (const uri of this.opened) this.changed.fire(vscode.Uri.parse(uri));
    });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const query = new URLSearchParams(uri.query);
    const id = query.get('id') ?? '';
    const path = query.get('path') ?? '';
    this.opened.add(uri.toString());

    await this.stores.whenLoaded();
    const found = this.stores.findVersion(id);
    if (!found?.root.index) return vscode.l10n.t('The asset version {0} is no longer in the store.', id);

    try {
      const details = await found.root.index.details(found.version.id);
      const document = fieldDocument(details, path);
      if (!document.found) return vscode.l10n.t('{0} {1} has no field {2}.', found.version.name, found.version.label, path);

      return document.text;
    } catch (error) {
      this.log.error(`Couldn't read field ${path} of ${id}`, error);
      throw error;
    }
  }

  dispose(): void {
    this.registration.dispose();
    this.reloadSubscription.dispose();
    this.changed.dispose();
  }
}
