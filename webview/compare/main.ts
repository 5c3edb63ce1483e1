/**
 * The compare panel's browser code. It posts `ready`, parses the comparison
 * JSON the host sends, and redraws when the "show all" toggle changes.
 */
import type { Comparison } from '../../src/core/compare/types';
import { parseTolerantJson } from '../../src/core/json/tolerant';
import {
  isCompareViewState, isHostToCompareMessage,
  type CompareStrings, type CompareToHostMessage, type CompareViewState, type HostToCompareMessage,
} from '../../src/protocol/compare';
import { element } from '../shared/dom';
import { HostChannel } from '../shared/host';
import { renderComparison } from './render';

const host = new HostChannel<CompareToHostMessage, CompareViewState>();
host.forwardErrors();

const root = document.getElementById('root') as HTMLElement;
let current: { comparison: Comparison; strings: CompareStrings } | undefined;
let showAll = (() => {
  const saved = host.getState();
  return isCompareViewState(saved) ? saved.showAll : false;
})();

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (!isHostToCompareMessage(event.data)) return;
  handle(event.data);
});
host.post({ type: 'ready' });

function handle(message: HostToCompareMessage): void {
  switch (message.type) {
    case 'loading':
      root.setAttribute('aria-busy', 'true');
      return;
    case 'show':
      current = { comparison: parseTolerantJson(message.json) as Comparison, strings: message.strings };
      draw();
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

function draw(): void {
  if (!current) return;

  const { comparison, strings } = current;
  host.setState({ a: comparison.a.id, b: comparison.b.id, showAll });
  const scrollY = window.scrollY;
  root.replaceChildren(renderComparison(comparison, strings, {
    showAll,
    post: (message) => host.post(message),
    toggleShowAll: (value) => {
      showAll = value;
      draw();
    },
  }));
  root.classList.toggle('show-all', showAll);
  root.setAttribute('aria-busy', 'false');
  window.scrollTo(0, scrollY);
}
