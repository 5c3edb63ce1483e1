/**
 * The prompt panel's browser code. It posts `ready`, then draws the prompt
 * the host sends and re-renders it in the page on every keystroke. Values
 * go back to the host, debounced, so it can remember them per prompt name.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-textarea/index.js';
import {
  isHostToPromptMessage, isPromptViewState,
  type HostToPromptMessage, type PromptOrigin, type PromptPreview, type PromptStrings, type PromptToHostMessage, type PromptViewState, type VariableInput, type VariableInputs,
} from '../../src/protocol/prompt';
import { element } from '../shared/dom';
import { HostChannel } from '../shared/host';
import { buildModel } from './model';
import { PromptPanelView } from './render';

/** Quiet time before typed values are sent to the host to be remembered. */
const SAVE_DELAY_MS = 400;

const host = new HostChannel<PromptToHostMessage, PromptViewState>();
host.forwardErrors();

const root = document.getElementById('root') as HTMLElement;
let current: { preview: PromptPreview; origin: PromptOrigin; view: PromptPanelView; inputs: VariableInputs } | undefined;
let saveTimer: ReturnType<typeof setTimeout> | undefined;

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (!isHostToPromptMessage(event.data)) return;
  handle(event.data);
});
host.post({ type: 'ready' });

function handle(message: HostToPromptMessage): void {
  switch (message.type) {
    case 'show':
      show(message.preview, message.strings, message.origin);
      return;
    case 'error':
      current = undefined;
      root.replaceChildren(element('div', { className: 'problem', text: message.message, attributes: { role: 'alert' } }));
      root.setAttribute('aria-busy', 'false');
      return;
    default: {
      const unhandled: never = message;
      host.post({ type: 'log', level: 'warn', message: `Unhandled message ${JSON.stringify(unhandled)}` });
    }
  }
}

function show(preview: PromptPreview, strings: PromptStrings, origin: PromptOrigin): void {
  // Values typed before a reload of the same prompt win over the host's remembered ones.
  const saved = host.getState();
  const restored = isPromptViewState(saved) && saved.name === preview.name;
  const inputs = restored ? saved.values : { ...preview.values };
  // Values restored after a window reload may never have reached the host, because the reload cancels the
  // debounced save, so they are sent at once.
  if (restored) host.post({ type: 'valuesChanged', name: preview.name, values: inputs });
  const view = new PromptPanelView(preview, strings, inputs, {
    inputChanged: (name, input) => inputChanged(name, input),
    action: (action) => {
      if (current) host.post({ type: 'action', action, values: current.inputs });
    },
  });
  current = { preview, origin, view, inputs };
  // Saved at once, so that a window reload brings this prompt back even before anything is typed.
  host.setState({ name: preview.name, values: inputs, origin });
  root.replaceChildren(view.root);
  root.setAttribute('aria-busy', 'false');
  redraw();
}

function inputChanged(name: string, input: VariableInput | undefined): void {
  if (!current) return;

  const inputs = { ...current.inputs };
  if (input) inputs[name] = input;
  else delete inputs[name];
  current.inputs = inputs;
  redraw();

  const { preview, origin } = current;
  host.setState({ name: preview.name, values: inputs, origin });
  clearTimeout(saveTimer);
  saveTimer = setTimeout(() => host.post({ type: 'valuesChanged', name: preview.name, values: inputs }), SAVE_DELAY_MS);
}

function redraw(): void {
  if (!current) return;

  current.view.update(buildModel(current.preview, current.inputs), current.inputs);
}
