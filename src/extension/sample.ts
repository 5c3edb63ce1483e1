/**
 * The sample workspace shipped in the VSIX (media/sample-workspace: a small
 * FlowyML 1.7 store and the pipeline that wrote it), copied to a folder the
 * user picks, so the extension never writes inside its own install folder.
 */
import * as vscode from 'vscode';
import { Errors } from './messages';

/** Subfolder created when the picked folder already has files in it. */
const SAMPLE_FOLDER_NAME = 'flowyml-sample';

/**
 * Copies the sample into `chosen` when it is empty, else into a new
 * `flowyml-sample` subfolder of it. Returns the folder to open.
 */
export async function copySampleWorkspace(extensionUri: vscode.Uri, chosen: vscode.Uri): Promise<vscode.Uri> {
  const source = vscode.Uri.joinPath(extensionUri, 'media', 'sample-workspace');
  const target = (await isEmptyFolder(chosen)) ? chosen : vscode.Uri.joinPath(chosen, SAMPLE_FOLDER_NAME);
  if (target !== chosen && (await exists(target))) {
    throw new Error(Errors.sampleFolderExists(target.fsPath));
  }

  await vscode.workspace.fs.createDirectory(target);
  for (const [name] of await vscode.workspace.fs.readDirectory(source)) {
    await vscode.workspace.fs.copy(vscode.Uri.joinPath(source, name), vscode.Uri.joinPath(target, name), { overwrite: false });
  }

  return target;
}

async function isEmptyFolder(folder: vscode.Uri): Promise<boolean> {
  try {
    return (await vscode.workspace.fs.readDirectory(folder)).length === 0;
  } catch {
    return false;
  }
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
