/**
 * The variable values last used for each prompt name, kept in workspace
 * state so the panel and Render Prompt start from them next time.
 */
import type * as vscode from 'vscode';
import { isVariableInputs, type VariableInputs } from '../../protocol/prompt';

const VALUES_KEY = 'flowyml.prompt.values';

/** Names kept at most; the least recently used name is dropped first. */
const MAX_PROMPT_NAMES = 100;

/** Characters kept per value, so one pasted document cannot bloat workspace state. */
const MAX_VALUE_CHARS = 100_000;

export class PromptValues {
  constructor(private readonly memento: vscode.Memento) {}

  get(name: string): VariableInputs {
    const stored = this.all()[name];

    return isVariableInputs(stored) ? stored : {};
  }

  async set(name: string, values: VariableInputs): Promise<void> {
    const kept: VariableInputs = {};
    for (const [key, input] of Object.entries(values)) {
      if (input.text.length <= MAX_VALUE_CHARS) kept[key] = input;
    }
    // Re-inserting the name moves it to the end, so the oldest names come first.
    const all = { ...this.all() };
    delete all[name];
    all[name] = kept;
    const names = Object.keys(all);
    for (const old of names.slice(0, Math.max(0, names.length - MAX_PROMPT_NAMES))) delete all[old];

    await this.memento.update(VALUES_KEY, all);
  }

  private all(): Record<string, unknown> {
    const stored = this.memento.get<unknown>(VALUES_KEY);

    return typeof stored === 'object' && stored !== null && !Array.isArray(stored) ? stored as Record<string, unknown> : {};
  }
}
