/**
 * Asks before opening a file that a store points at outside the workspace:
 * a store from an untrusted source could name any file on the machine.
 */
import * as vscode from 'vscode';
import { SafetyText } from '../messages';
import { isInsideFolders } from './paths';

/** Returns true when the file is inside a workspace folder, or the user chose to open it anyway. */
export async function confirmOpenFile(file: string): Promise<boolean> {
  const folders = (vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.fsPath);
  if (isInsideFolders(file, folders)) return true;

  const open = SafetyText.openOutside();
  const chosen = await vscode.window.showWarningMessage(SafetyText.outsideWorkspace(file), { modal: true }, open);
  return chosen === open;
}
