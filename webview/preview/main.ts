/**
 * The artifact preview panel's browser code. It posts `ready`, then shows a
 * loading state with a Cancel button, the file's head rows, text, image or
 * facts, or an error. Every string is set as text, never as markup.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import { isHostToPreviewMessage, type HostToPreviewMessage, type PreviewContent, type PreviewStrings, type PreviewToHostMessage, type PreviewView } from '../../src/protocol/preview';
import { element } from '../shared/dom';
import { HostChannel } from '../shared/host';

const host = new HostChannel<PreviewToHostMessage, Record<string, never>>();
host.forwardErrors();

const root = document.getElementById('root') as HTMLElement;

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (!isHostToPreviewMessage(event.data)) return;
  handle(event.data);
});
host.post({ type: 'ready' });

function handle(message: HostToPreviewMessage): void {
  switch (message.type) {
    case 'loading': {
      const cancel = element('vscode-button', { text: message.strings.cancel, attributes: { secondary: '' } });
      cancel.addEventListener('click', () => host.post({ type: 'cancel' }));
      root.replaceChildren(element('div', { className: 'loading' }, [
        element('vscode-progress-ring'),
        element('span', { text: `${message.strings.loading} ${message.file}` }),
        cancel,
      ]));
      root.setAttribute('aria-busy', 'true');
      return;
    }
    case 'show':
      root.replaceChildren(...renderView(message.view, message.strings));
      root.setAttribute('aria-busy', 'false');
      return;
    case 'error':
      root.replaceChildren(element('div', { className: 'problem', text: message.message, attributes: { role: 'alert' } }));
      root.setAttribute('aria-busy', 'false');
      return;
    default: {
      const unhandled: never = message;
      host.post({ type: 'log', level: 'warn', message: `Unhandled message ${JSON.stringify(unhandled)}` });
    }
  }
}

function renderView(view: PreviewView, strings: PreviewStrings): HTMLElement[] {
  const header = element('header', { className: 'preview-header' }, [
    element('h1', { className: 'name', text: view.title }),
    element('div', { className: 'file code', text: view.file }),
    element('div', { className: 'size', text: `${view.bytes} ${strings.bytes}` }),
    view.note ? element('div', { className: 'note', text: view.note }) : undefined,
  ]);

  return [header, renderContent(view.content, strings)];
}

function renderContent(content: PreviewContent, strings: PreviewStrings): HTMLElement {
  switch (content.kind) {
    case 'table': {
      const head = element('thead', {}, [element('tr', {}, content.columns.map((column) => element('th', { text: column })))]);
      const body = element('tbody', {}, content.rows.map((row) => element('tr', {}, row.map((cell) => element('td', { text: cell })))));
      const shown = content.totalRows === undefined ? `${content.rows.length}` : `${content.rows.length} / ${content.totalRows}`;
      let cut: string | undefined;
      if (content.totalRows === undefined) cut = strings.truncated;
      else if (content.truncated) cut = strings.moreRows;
      return element('section', { className: 'table-preview' }, [
        element('div', { className: 'caption', text: `${content.format} · ${shown} ${strings.rowsOf}${cut ? ` · ${cut}` : ''}` }),
        element('div', { className: 'table-scroll' }, [element('table', { className: 'head-rows' }, [head, body])]),
      ]);
    }
    case 'json':
    case 'text':
      return element('section', { className: `${content.kind}-preview` }, [
        element('pre', { multilineText: content.text }),
        content.truncated ? element('div', { className: 'caption', text: strings.truncated }) : undefined,
      ]);
    case 'image':
      return element('section', { className: 'image-preview' }, [
        element('img', { attributes: { src: `data:${content.mime};base64,${content.base64}`, alt: '' } }),
      ]);
    case 'summary':
      return element('section', { className: 'summary-preview' }, [
        element('table', { className: 'facts' }, [element('tbody', {}, content.facts.map((fact) => element('tr', {}, [
          element('th', { text: fact.label }), element('td', { className: 'code', text: fact.value }),
        ])))]),
        content.warnings.length > 0 ? element('ul', { className: 'warnings', attributes: { 'aria-label': strings.warnings } }, content.warnings.map((warning) => element('li', { text: warning }))) : undefined,
      ]);
    default: {
      const unhandled: never = content;
      return element('div', { text: JSON.stringify(unhandled) });
    }
  }
}
