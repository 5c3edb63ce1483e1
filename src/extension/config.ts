/** Typed reads of the extension's settings. */
import path from 'node:path';
import * as vscode from 'vscode';
import { GROUP_BY_VALUES, Settings, TRACE_SERVER_VALUES, type GroupBy, type TraceServer } from './ids';

/** Reads the `flowyml.storePaths` entries of one workspace folder, or of the window when none is given. */
export function readStorePaths(folder?: vscode.WorkspaceFolder): string[] {
  const value = vscode.workspace.getConfiguration(Settings.section, folder).get<unknown>(Settings.storePaths, []);
  if (!Array.isArray(value)) return [];

  return value.filter((entry): entry is string => typeof entry === 'string' && entry.trim() !== '');
}

export function readGroupBy(): GroupBy {
  const value = vscode.workspace.getConfiguration(Settings.section).get<string>(Settings.groupBy, 'type');

  return (GROUP_BY_VALUES as readonly string[]).includes(value) ? (value as GroupBy) : 'type';
}

/** Reads `flowyml.pythonPath`: the interpreter whose sqlite3 module writes catalog.db when Node has no node:sqlite. */
export function readPythonPath(folder?: vscode.WorkspaceFolder): string | undefined {
  const value = vscode.workspace.getConfiguration(Settings.section, folder).get<unknown>(Settings.pythonPath, '');

  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

export function readTraceServer(): TraceServer {
  const value = vscode.workspace.getConfiguration(Settings.section).get<string>(Settings.traceServer, 'off');

  return (TRACE_SERVER_VALUES as readonly string[]).includes(value) ? (value as TraceServer) : 'off';
}

export function affectsPythonPath(event: vscode.ConfigurationChangeEvent): boolean {
  return event.affectsConfiguration(`${Settings.section}.${Settings.pythonPath}`);
}

export function affectsTraceServer(event: vscode.ConfigurationChangeEvent): boolean {
  return event.affectsConfiguration(`${Settings.section}.${Settings.traceServer}`);
}

export function affectsStorePaths(event: vscode.ConfigurationChangeEvent): boolean {
  return event.affectsConfiguration(`${Settings.section}.${Settings.storePaths}`);
}

export function affectsGroupBy(event: vscode.ConfigurationChangeEvent): boolean {
  return event.affectsConfiguration(`${Settings.section}.${Settings.groupBy}`);
}

/**
 * Appends a folder to `flowyml.storePaths` of a workspace folder. Stored
 * relative to that folder when it lies inside it, so the setting still works
 * in another clone.
 */
export async function addStorePath(folder: vscode.WorkspaceFolder, storeFolder: vscode.Uri): Promise<void> {
  const config = vscode.workspace.getConfiguration(Settings.section, folder);
  const inspected = config.inspect<string[]>(Settings.storePaths);
  const current = inspected?.workspaceFolderValue ?? inspected?.workspaceValue ?? [];
  const relative = path.relative(folder.uri.fsPath, storeFolder.fsPath);
  const outside = relative.startsWith('..') || path.isAbsolute(relative);
  const entry = outside ? storeFolder.fsPath : relative.split(path.sep).join('/') || '.';
  if (current.includes(entry)) return;

  const target = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders.length > 1
    ? vscode.ConfigurationTarget.WorkspaceFolder
    : vscode.ConfigurationTarget.Workspace;
  await config.update(Settings.storePaths, [...current, entry], target);
}
