/**
 * The prompt commands: Preview Prompt opens the panel, Render Prompt prompts
 * for each variable in a quick input and opens the result in an untitled
 * editor. Both take a version id or a version row; Preview Prompt also takes
 * a template the language server found in source code.
 */
import * as vscode from 'vscode';
import { parseJsonValue, templateVariables } from '../../core';
import { isPromptTemplateArgument } from '../../protocol/lsp';
import type { VariableInput, VariableInputs } from '../../protocol/prompt';
import { labelText, shortRunId } from '../format';
import type { Log } from '../log';
import { Errors, showError, Text } from '../messages';
import type { StoreService } from '../stores/storeService';
import { l10n, openRenderedDocument, PromptPanel } from './promptPanel';
import { PromptValues } from './promptValues';
import { loadSourcePrompt, loadStoredPrompt, renderDocument, type LoadedPrompt } from './promptView';

/** Returned by the variable input when the user chooses the panel instead. */
const OPEN_PANEL = Symbol('open panel');

export class PromptCommands implements vscode.Disposable {
  private readonly values: PromptValues;
  private readonly panel: PromptPanel;

  constructor(extensionUri: vscode.Uri, memento: vscode.Memento, private readonly stores: StoreService, private readonly log: Log) {
    this.values = new PromptValues(memento);
    this.panel = new PromptPanel(extensionUri, this.values, log, (origin) => origin.kind === 'version'
      ? this.load(origin.id)
      : Promise.resolve(loadSourcePrompt(origin.argument, l10n)));
  }

  /** `flowyml.previewPrompt`: a version id, a version row, a source template, or nothing to pick one. */
  async preview(arg?: unknown): Promise<void> {
    if (isPromptTemplateArgument(arg)) {
      this.panel.show(loadSourcePrompt(arg, l10n), { kind: 'source', argument: arg });
      return;
    }

    const id = versionIdOf(arg) ?? (await this.pickPrompt());
    if (!id) return;
    const loaded = await this.load(id);
    if (loaded) this.panel.show(loaded, { kind: 'version', id });
  }

  /** `flowyml.renderPrompt`: prompts for every variable, then opens the rendering in an untitled editor. */
  async render(arg?: unknown): Promise<void> {
    const id = versionIdOf(arg) ?? (await this.pickPrompt());
    if (!id) return;
    const loaded = await this.load(id);
    if (!loaded) return;

    const names = templateVariables(loaded.template);
    const remembered = this.values.get(loaded.name);
    const inputs: VariableInputs = { ...remembered };
    for (const [position, name] of names.entries()) {
      const title = Text.renderPromptTitle(labelText(loaded.name, 40), labelText(loaded.preview.versionLabel ?? '', 20), position + 1, names.length);
      const answer = await askValue(name, remembered[name], title);
      if (answer === undefined) return;
      if (answer === OPEN_PANEL) {
        await this.values.set(loaded.name, inputs);
        this.panel.show(loaded, { kind: 'version', id });
        return;
      }
      inputs[name] = answer;
    }
    await this.values.set(loaded.name, inputs);

    const document = renderDocument(loaded, inputs, l10n);
    if (!document.ok) {
      await showError(this.log, Errors.renderPrompt(loaded.name, document.reason), document.error, {
        title: Text.openPromptPanel(),
        run: () => this.panel.show(loaded, { kind: 'version', id }),
      });
      return;
    }
    await openRenderedDocument(document);
  }

  dispose(): void {
    this.panel.dispose();
  }

  private async load(id: string): Promise<LoadedPrompt | undefined> {
    await this.stores.whenLoaded();
    const found = this.stores.findVersion(id);
    if (!found?.root.index) {
      await showError(this.log, Errors.versionNotFound(id));
      return undefined;
    }

    const details = await found.root.index.details(found.version.id);
    const loaded = loadStoredPrompt(details, l10n);
    if ('reason' in loaded) {
      await showError(this.log, Errors.renderPrompt(found.version.name, loaded.reason));
      return undefined;
    }

    return loaded;
  }

  private async pickPrompt(): Promise<string | undefined> {
    await this.stores.whenLoaded();
    const items = this.stores.roots.flatMap((root) => (root.index?.versions ?? [])
      .filter((version) => version.type === 'Prompt')
      .map((version) => ({
        label: `${labelText(version.name, 80)} ${labelText(version.label, 30)}`,
        description: [version.runId ? Text.runLabel(shortRunId(version.runId)) : undefined, version.step].filter(Boolean).join(' · '),
        detail: this.stores.roots.length > 1 ? root.name : undefined,
        id: version.id,
      })));
    if (items.length === 0) {
      await showError(this.log, Errors.noPromptVersions());
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(items, { placeHolder: Text.pickPromptPlaceholder(), matchOnDescription: true });

    return picked?.id;
  }
}

/** The version id a command was given: an id string, a version row, or an asset row (its latest version). */
function versionIdOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (typeof arg !== 'object' || arg === null || !('kind' in arg)) return undefined;

  const node = arg as { kind: unknown; version?: { id?: unknown }; asset?: { latest?: { id?: unknown } } };
  if (node.kind === 'version' && typeof node.version?.id === 'string') return node.version.id;
  if (node.kind === 'asset' && typeof node.asset?.latest?.id === 'string') return node.asset.latest.id;

  return undefined;
}

/**
 * Asks for one variable. A value last given as JSON is asked for as JSON
 * again and checked as the user types; any other value is a str.
 */
function askValue(name: string, last: VariableInput | undefined, title: string): Promise<VariableInput | typeof OPEN_PANEL | undefined> {
  const mode = last?.mode ?? 'text';
  const input = vscode.window.createInputBox();
  input.title = title;
  input.prompt = mode === 'json' ? Text.promptValueJson(name) : Text.promptValueText(name);
  input.value = last?.text ?? '';
  input.ignoreFocusOut = true;
  input.buttons = [{ iconPath: new vscode.ThemeIcon('open-preview'), tooltip: Text.openPromptPanel() }];

  return new Promise((resolve) => {
    let settled = false;
    const finish = (answer: VariableInput | typeof OPEN_PANEL | undefined) => {
      if (settled) return;
      settled = true;
      resolve(answer);
      input.dispose();
    };
    input.onDidChangeValue((value) => {
      input.validationMessage = mode === 'json' ? jsonProblem(value) : undefined;
    });
    input.onDidAccept(() => {
      if (mode === 'json' && jsonProblem(input.value)) return;
      finish({ mode, text: input.value });
    });
    input.onDidTriggerButton(() => finish(OPEN_PANEL));
    input.onDidHide(() => finish(undefined));
    input.show();
  });
}

function jsonProblem(text: string): string | undefined {
  try {
    parseJsonValue(text);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
