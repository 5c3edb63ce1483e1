/**
 * The details panel's browser code. It posts `ready`, then renders whatever
 * the host sends: a loading state, a version's details, or an error.
 */
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import {
  isDetailsViewState, isHostToDetailsMessage, type DetailsToHostMessage, type DetailsViewState, type HostToDetailsMessage,
} from '../../src/protocol/details';
import { HostChannel } from '../shared/host';
import { renderDetails, renderError, renderLoading } from './render';

const host = new HostChannel<DetailsToHostMessage, DetailsViewState>();
host.forwardErrors();

const root = document.getElementById('root') as HTMLElement;
const saved = host.getState();
let viewState: DetailsViewState = isDetailsViewState(saved) ? saved : { id: '', rawExpanded: false };

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (!isHostToDetailsMessage(event.data)) return;
  handle(event.data);
});
host.post({ type: 'ready' });

function handle(message: HostToDetailsMessage): void {
  switch (message.type) {
    case 'loading':
      if (message.id !== viewState.id || root.childElementCount === 0) show(renderLoading());
      saveState({ ...viewState, id: message.id });
      return;
    case 'show':
      saveState({ ...viewState, id: message.details.id });
      show(...renderDetails(message.details, message.strings, viewState.rawExpanded, {
        openVersion: (id) => host.post({ type: 'openVersion', id }),
        copyText: (text) => host.post({ type: 'copyText', text }),
        rawToggled: (open) => saveState({ ...viewState, rawExpanded: open }),
        loadFull: (id) => host.post({ type: 'loadFull', id }),
      }));
      return;
    case 'error':
      saveState({ ...viewState, id: message.id });
      show(renderError(message.message));
      return;
    default: {
      const unhandled: never = message;
      host.post({ type: 'log', level: 'warn', message: `Unhandled message ${JSON.stringify(unhandled)}` });
    }
  }
}

function show(...children: HTMLElement[]): void {
  root.replaceChildren(...children);
  root.setAttribute('aria-busy', String(children.length === 1 && children[0].classList.contains('loading')));
}

function saveState(state: DetailsViewState): void {
  viewState = state;
  host.setState(state);
}
