/**
 * The lineage panel's toolbar and side lists, built from
 * @vscode-elements/elements controls. Labels come from the host's strings;
 * node names go in as text only.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { LineageDepth, LineageExportFormat, LineageStrings } from '../../src/protocol/lineage';
import { LINEAGE_EXPORT_FORMATS } from '../../src/protocol/lineage';
import { croppedText } from '../../src/protocol/text';
import { element } from '../shared/dom';

/** Depth choices; `all` follows every generation. */
const DEPTH_CHOICES = ['0', '1', '2', '3', '5', '10', 'all'];

/** Most entries a search or cluster list shows at once. */
export const LIST_LIMIT = 200;
/** List entries are cut at this many characters, so one huge name cannot fill the side panel. */
const LABEL_CHARS = 120;
/** Tooltips of list entries stop here. */
const TOOLTIP_CHARS = 2000;

interface ValueElement extends HTMLElement {
  value: string;
}

interface CheckedElement extends HTMLElement {
  checked: boolean;
}

export interface ToolbarCallbacks {
  depthChanged(depth: LineageDepth): void;
  pathOnlyChanged(pathOnly: boolean): void;
  searched(query: string): void;
  fit(): void;
  refocus(): void;
  export(format: LineageExportFormat): void;
}

export interface Toolbar {
  element: HTMLElement;
  search: ValueElement;
  setDepth(depth: LineageDepth): void;
  setPathOnly(pathOnly: boolean): void;
}

export function createToolbar(strings: LineageStrings, callbacks: ToolbarCallbacks): Toolbar {
  const search = element('vscode-textfield', { className: 'search', attributes: { placeholder: strings.search, 'aria-label': strings.search, type: 'search' } }) as unknown as ValueElement;
  search.addEventListener('input', () => callbacks.searched(search.value));

  const up = depthSelect(strings, strings.upstream, 'depth-up');
  const down = depthSelect(strings, strings.downstream, 'depth-down');
  const emitDepth = () => callbacks.depthChanged({ up: parseDepth(up.value), down: parseDepth(down.value) });
  up.addEventListener('change', emitDepth);
  down.addEventListener('change', emitDepth);

  const pathOnly = element('vscode-checkbox', { className: 'path-only', attributes: { label: strings.pathOnly } }) as unknown as CheckedElement;
  pathOnly.addEventListener('change', () => callbacks.pathOnlyChanged(pathOnly.checked));

  const fit = element('vscode-button', { className: 'fit', text: strings.fit, attributes: { secondary: '' } });
  fit.addEventListener('click', () => callbacks.fit());
  const refocus = element('vscode-button', { className: 'refocus', text: strings.refocus, attributes: { secondary: '' } });
  refocus.addEventListener('click', () => callbacks.refocus());

  const format = element('vscode-single-select', { className: 'export-format', attributes: { 'aria-label': strings.export } },
    LINEAGE_EXPORT_FORMATS.map((value) => element('vscode-option', { text: value.toUpperCase(), attributes: { value } }))) as unknown as ValueElement;
  const exportButton = element('vscode-button', { className: 'export', text: strings.export });
  exportButton.addEventListener('click', () => callbacks.export((format.value || 'svg') as LineageExportFormat));

  const bar = element('div', { className: 'toolbar', attributes: { role: 'toolbar' } }, [
    search,
    labelled(strings.upstream, up),
    labelled(strings.downstream, down),
    pathOnly,
    fit,
    refocus,
    element('span', { className: 'export-group' }, [format, exportButton]),
  ]);

  return {
    element: bar,
    search,
    setDepth(depth) {
      up.value = depth.up === null ? 'all' : String(depth.up);
      down.value = depth.down === null ? 'all' : String(depth.down);
    },
    setPathOnly(value) {
      pathOnly.checked = value;
    },
  };
}

function depthSelect(strings: LineageStrings, label: string, className: string): ValueElement {
  return element('vscode-single-select', { className, attributes: { 'aria-label': label } },
    DEPTH_CHOICES.map((value) => element('vscode-option', { text: value === 'all' ? strings.allGenerations : value, attributes: { value } }))) as unknown as ValueElement;
}

function labelled(text: string, control: HTMLElement): HTMLElement {
  return element('label', { className: 'control' }, [element('span', { text }), control]);
}

function parseDepth(value: string): number | null {
  return value === 'all' ? null : Number(value);
}

/** Builds a list of node buttons, cut at LIST_LIMIT with a count of the rest. */
export function nodeList(
  className: string,
  items: { id: string; label: string; detail?: string }[],
  choose: (id: string) => void,
  moreText: (count: number) => string,
  ordered = false,
): HTMLElement {
  const list = element(ordered ? 'ol' : 'ul', { className: `node-list ${className}` });
  for (const item of items.slice(0, LIST_LIMIT)) {
    const button = element('button', { className: 'link', text: croppedText(item.label, LABEL_CHARS), attributes: { 'data-id': item.id, title: croppedText(item.detail ?? item.id, TOOLTIP_CHARS) } });
    button.addEventListener('click', () => choose(item.id));
    list.append(element('li', {}, [button]));
  }
  if (items.length > LIST_LIMIT) list.append(element('li', { className: 'more', text: moreText(items.length - LIST_LIMIT) }));

  return list;
}
