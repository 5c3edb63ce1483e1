/**
 * Finds the SQLite engine that writes catalog.db and sets the
 * `flowyml.register.engine` context key, which the manifest's menus read.
 * Python interpreters are tried in this order: the Python extension's
 * interpreter, `flowyml.pythonPath`, then `python3`. Runtimes with
 * node:sqlite never need Python.
 */
import * as vscode from 'vscode';
import { describeError, register } from '../../core';
import { affectsPythonPath, readPythonPath } from '../config';
import { ContextKeys } from '../ids';
import type { Log } from '../log';

const PYTHON_EXTENSION_ID = 'ms-python.python';

/** Editor languages whose selection can be registered; YAML is read as YAML, the others as JSON. */
export const SELECTION_LANGUAGES = ['json', 'jsonc', 'yaml'];

/** The parts of the Python extension's API used here; every member is optional because older versions lack them. */
interface PythonExtensionApi {
  environments?: {
    getActiveEnvironmentPath?(resource?: vscode.Uri): { path: string } | undefined;
    resolveEnvironment?(environment: { path: string }): Promise<{ executable?: { uri?: vscode.Uri } } | undefined>;
    onDidChangeActiveEnvironmentPath?: vscode.Event<unknown>;
  };
}

export type EngineLookup =
  | { available: true; engine: register.WriteEngine }
  | { available: false; reason: string };

/** The engine finder: `register.findWriteEngine` by default, a stub in tests. */
export type FindEngine = (pythonCandidates: (string | undefined)[]) => register.WriteEngine;

export class WriteEngineService implements vscode.Disposable {
  private cached: Promise<EngineLookup> | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly log: Log, private readonly findEngine: FindEngine = (pythonCandidates) => register.findWriteEngine({ pythonCandidates })) {
    this.subscriptions.push(vscode.workspace.onDidChangeConfiguration((event) => {
      if (affectsPythonPath(event)) void this.recheck('flowyml.pythonPath changed');
    }));
    void vscode.commands.executeCommand('setContext', ContextKeys.selectionLanguages, SELECTION_LANGUAGES);
    void this.watchPythonExtension();
    // The first check sets the context key that shows the Register menu entries.
    void this.lookup();
  }

  /** Returns the engine, looking it up once and again after the interpreter settings change. */
  lookup(): Promise<EngineLookup> {
    this.cached ??= this.find();

    return this.cached;
  }

  /** Forgets the engine found, looks again, and updates the context key. */
  recheck(reason: string): Promise<EngineLookup> {
    this.log.debug(`Looking for an SQLite engine again: ${reason}`);
    this.cached = undefined;

    return this.lookup();
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }

  private async find(): Promise<EngineLookup> {
    const candidates = [await this.pythonExtensionInterpreter(), readPythonPath()];
    let lookup: EngineLookup;
    // NOTE: the Python probe runs the interpreter synchronously (80 ms for python3 on a 2-core test
    // machine, up to 15 s for a hung interpreter), blocking the extension host meanwhile. Runtimes with node:sqlite skip it.
    try {
      const engine = this.findEngine(candidates);
      this.log.info(`Registering writes through ${engine.description}`);
      lookup = { available: true, engine };
    } catch (error) {
      const reason = describeError(error);
      this.log.warn(`Registering is disabled: ${reason}`);
      lookup = { available: false, reason };
    }
    await vscode.commands.executeCommand('setContext', ContextKeys.registerEngine, lookup.available ? 'available' : 'missing');

    return lookup;
  }

  /** Returns the interpreter the Python extension selected for the first folder, when that extension is installed. */
  private async pythonExtensionInterpreter(): Promise<string | undefined> {
    const api = await this.pythonApi();
    const environments = api?.environments;
    if (!environments?.getActiveEnvironmentPath) return undefined;

    try {
      const active = environments.getActiveEnvironmentPath(vscode.workspace.workspaceFolders?.[0]?.uri);
      if (!active) return undefined;
      const resolved = await environments.resolveEnvironment?.(active);

      return resolved?.executable?.uri?.fsPath ?? active.path;
    } catch (error) {
      this.log.warn(`Couldn't read the Python extension's interpreter: ${describeError(error)}`);
      return undefined;
    }
  }

  private async watchPythonExtension(): Promise<void> {
    const api = await this.pythonApi();
    const event = api?.environments?.onDidChangeActiveEnvironmentPath;
    if (event) this.subscriptions.push(event(() => void this.recheck('the Python interpreter changed')));
  }

  private async pythonApi(): Promise<PythonExtensionApi | undefined> {
    const extension = vscode.extensions.getExtension<PythonExtensionApi>(PYTHON_EXTENSION_ID);
    if (!extension) return undefined;

    try {
      return extension.isActive ? extension.exports : await extension.activate();
    } catch (error) {
      this.log.warn(`Couldn't activate ${PYTHON_EXTENSION_ID}: ${describeError(error)}`);
      return undefined;
    }
  }
}
