/**
 * The store limits as the extension applies them: the time limit of one
 * store read (`flowyml.storeReadTimeoutSeconds`) and the memory guard on the
 * versions of one store (`flowyml.maxStoreVersions`). A store the guard
 * refuses is reported once in a warning with "Load anyway", which loads that
 * store past the cap until the window reloads.
 */
import path from 'node:path';
import * as vscode from 'vscode';
import type { LoadOptions, LoadProblem } from '../../core';
import type { StoreLimitOptions } from '../../protocol/lsp';
import { Settings } from '../ids';
import type { Log } from '../log';

const DEFAULT_READ_TIMEOUT_SECONDS = 30;
const DEFAULT_MAX_STORE_VERSIONS = 500_000;

export class StoreLimits implements vscode.Disposable {
  /** Absolute paths of the stores the user chose to load past the cap. */
  private readonly allowed = new Set<string>();
  /** Absolute paths of the refused stores already offered, so a reload does not ask again. */
  private readonly offered = new Set<string>();
  private readonly subscription: vscode.Disposable;
  private readonly changed = new vscode.EventEmitter<string>();
  /** Fires with the reason when a limit setting changes or a store is allowed past the cap. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly log: Log, private readonly reload: (reason: string) => void) {
    this.subscription = vscode.workspace.onDidChangeConfiguration((event) => {
      for (const key of [Settings.storeReadTimeoutSeconds, Settings.maxStoreVersions]) {
        if (event.affectsConfiguration(`${Settings.section}.${key}`)) {
          const reason = `${Settings.section}.${key} changed`;
          this.reload(reason);
          this.changed.fire(reason);
          return;
        }
      }
    });
  }

  /** Returns the limits for the language server, which reads the stores itself. */
  serverOptions(): StoreLimitOptions {
    const { open, sizeGuard } = this.loadOptions();

    return {
      readTimeoutMs: open?.readTimeoutMs,
      readTimeoutHint: open?.readTimeoutHint,
      maxVersions: sizeGuard?.maxVersions,
      allow: [...(sizeGuard?.allow ?? [])],
      sizeHint: sizeGuard?.hint,
    };
  }

  /** Returns the options of `loadWorkspace` that carry the limits. */
  loadOptions(): Pick<LoadOptions, 'open' | 'sizeGuard'> {
    const config = vscode.workspace.getConfiguration(Settings.section);
    const seconds = nonNegative(config.get<unknown>(Settings.storeReadTimeoutSeconds), DEFAULT_READ_TIMEOUT_SECONDS);
    const maxVersions = nonNegative(config.get<unknown>(Settings.maxStoreVersions), DEFAULT_MAX_STORE_VERSIONS);

    return {
      open: {
        readTimeoutMs: Math.round(seconds * 1000),
        readTimeoutHint: vscode.l10n.t('Raise the flowyml.storeReadTimeoutSeconds setting to allow longer reads.'),
      },
      sizeGuard: {
        maxVersions: Math.floor(maxVersions),
        allow: [...this.allowed],
        hint: vscode.l10n.t('Choose "Load anyway" to load it, or raise the flowyml.maxStoreVersions setting.'),
      },
    };
  }

  /** Offers "Load anyway" for each store of `root` that the memory guard refused, once per store. */
  offer(root: string, problems: readonly LoadProblem[]): void {
    for (const problem of problems) {
      if (problem.code !== 'too-large') continue;
      const file = path.resolve(root, problem.file);
      if (this.offered.has(file)) continue;
      this.offered.add(file);
      const loadAnyway = vscode.l10n.t('Load anyway');
      void vscode.window.showWarningMessage(problem.message, loadAnyway).then((choice) => {
        if (choice !== loadAnyway) return;
        this.log.info(`Loading ${file} past the limit on versions, as the user chose`);
        this.allowed.add(file);
        this.reload(`load ${problem.file} anyway`);
        this.changed.fire(`load ${problem.file} anyway`);
      });
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

function nonNegative(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback;
}
