/**
 * The quick picks and input boxes of the Register commands. Each returns
 * undefined when the user cancels, and the caller then stops without writing.
 */
import * as vscode from 'vscode';
import { ASSET_TYPES, register, type AssetVersion, type SeedAssetType, type WorkspaceIndex } from '../../core';
import { highestVersion } from '../../core/register/version';
import { labelText, visibleText } from '../format';
import { RegisterText } from '../messages';

/** Versions offered as parents besides the suggestions, newest first; a larger store is searched by name in the list. */
const MAX_PARENT_ITEMS = 2000;

const BUMPS: readonly register.VersionBump[] = ['patch', 'minor', 'major'];

export async function pickType(inferred: SeedAssetType, placeHolder: string, offered: readonly SeedAssetType[] = ASSET_TYPES): Promise<SeedAssetType | undefined> {
  const ordered = [inferred, ...offered.filter((type) => type !== inferred)];
  const items = ordered.map((type) => ({ label: type, description: type === inferred ? RegisterText.inferredType() : undefined }));
  const picked = await vscode.window.showQuickPick(items, { placeHolder, ignoreFocusOut: true });

  return picked?.label;
}

export async function inputName(defaultName: string): Promise<string | undefined> {
  const name = await vscode.window.showInputBox({
    prompt: RegisterText.namePrompt(),
    value: defaultName,
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() === '' ? RegisterText.nameRequired() : undefined),
  });

  return name?.trim();
}

/**
 * Offers the next patch, minor and major version of a name, patch first.
 * A name with no stored version gets the first version without asking.
 */
export async function pickBump(workspace: WorkspaceIndex, name: string): Promise<register.VersionBump | undefined> {
  const stored = register.storedVersionsOf(workspace, name);
  if (stored.length === 0) return 'patch';

  const latest = highestVersion(stored) ?? stored[stored.length - 1];
  const items = BUMPS.map((bump) => ({
    label: register.nextVersion(stored, bump),
    description: RegisterText.bumpDescription(bump, labelText(latest, 30)),
    bump,
  }));
  const picked = await vscode.window.showQuickPick(items, { placeHolder: RegisterText.versionPlaceholder(labelText(name, 60)), matchOnDescription: true, ignoreFocusOut: true });

  return picked?.bump;
}

type ParentItem = vscode.QuickPickItem & { id?: string };

/** Lets the user choose parents: the suggested versions first, then every other version, newest first. */
export async function pickParents(workspace: WorkspaceIndex, type: SeedAssetType, name: string): Promise<string[] | undefined> {
  const suggested = register.suggestParents(workspace, type, name);
  const suggestedIds = new Set(suggested.map((version) => version.id));
  const others = [...workspace.versions].reverse().filter((version) => !suggestedIds.has(version.id)).slice(0, MAX_PARENT_ITEMS);
  if (suggested.length === 0 && others.length === 0) return [];

  const items: ParentItem[] = [];
  if (suggested.length > 0) {
    items.push({ label: RegisterText.suggestedParent(), kind: vscode.QuickPickItemKind.Separator });
    items.push(...suggested.map(parentItem));
  }
  if (others.length > 0) {
    items.push({ label: '', kind: vscode.QuickPickItemKind.Separator });
    items.push(...others.map(parentItem));
  }
  const picked = await vscode.window.showQuickPick(items, {
    placeHolder: RegisterText.parentsPlaceholder(),
    canPickMany: true,
    matchOnDescription: true,
    ignoreFocusOut: true,
  });

  return picked?.flatMap((item) => (item.id ? [item.id] : []));
}

function parentItem(version: AssetVersion): ParentItem {
  return {
    label: labelText(version.name, 80),
    description: `${visibleText(version.type)} · ${labelText(version.label, 30)}`,
    id: version.id,
  };
}

/** Reads tags written as `KEY=VALUE, KEY=VALUE`; an empty answer means no tags. */
export async function inputTags(): Promise<Record<string, string> | undefined> {
  const text = await vscode.window.showInputBox({
    prompt: RegisterText.tagsPrompt(),
    ignoreFocusOut: true,
    validateInput: (value) => {
      const invalid = splitTags(value).find((tag) => tag.indexOf('=') <= 0);
      return invalid === undefined ? undefined : RegisterText.invalidTag(invalid);
    },
  });
  if (text === undefined) return undefined;

  const tags: Record<string, string> = {};
  for (const tag of splitTags(text)) {
    const at = tag.indexOf('=');
    tags[tag.slice(0, at).trim()] = tag.slice(at + 1).trim();
  }

  return tags;
}

function splitTags(text: string): string[] {
  return text.split(',').map((tag) => tag.trim()).filter((tag) => tag !== '');
}

/** Asks for a Checkpoint's epoch, step and whether it is the best so far; each may be left empty. */
export async function inputCheckpoint(): Promise<register.CheckpointFacts | undefined> {
  const epoch = await inputWholeNumber(RegisterText.epochPrompt());
  if (epoch === null) return undefined;
  const step = await inputWholeNumber(RegisterText.stepPrompt());
  if (step === null) return undefined;

  const yes = RegisterText.yes();
  const best = await vscode.window.showQuickPick([RegisterText.no(), yes], { placeHolder: RegisterText.isBestPlaceholder(), ignoreFocusOut: true });
  if (best === undefined) return undefined;

  return { epoch, step, isBest: best === yes };
}

/** Returns the number, undefined for an empty answer, or null when the user cancels. */
async function inputWholeNumber(prompt: string): Promise<number | undefined | null> {
  const text = await vscode.window.showInputBox({
    prompt,
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() === '' || /^\d+$/.test(value.trim()) ? undefined : RegisterText.wholeNumber()),
  });
  if (text === undefined) return null;

  return text.trim() === '' ? undefined : Number(text.trim());
}

/** Asks before registering content whose hash is already registered; true to go on. */
export async function confirmDuplicate(duplicates: register.DuplicateVersion[]): Promise<boolean> {
  if (duplicates.length === 0) return true;

  const [first] = duplicates;
  const again = RegisterText.registerAgain();
  const choice = await vscode.window.showWarningMessage(
    RegisterText.duplicate(visibleText(first.type), labelText(first.name, 80), labelText(first.label, 30)),
    { modal: true },
    again,
  );

  return choice === again;
}
