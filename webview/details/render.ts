/**
 * Draws a DetailsView into the panel. Every stored string is set with
 * textContent or as an attribute value, never parsed as HTML.
 */
import type { DetailsStrings, DetailsView, VersionLink } from '../../src/protocol/details';
import { visibleText } from '../../src/protocol/text';
import { element } from '../shared/dom';
import { renderSection } from './sections';

/** Maximum name length the header shows; the full name is in its tooltip. */
const MAX_HEADING_CHARS = 120;

export interface RenderCallbacks {
  openVersion(id: string): void;
  copyText(text: string): void;
  rawToggled(open: boolean): void;
  loadFull(id: string): void;
}

export function renderDetails(
  details: DetailsView,
  strings: DetailsStrings,
  rawExpanded: boolean,
  callbacks: RenderCallbacks,
): HTMLElement[] {
  const sections: (HTMLElement | undefined)[] = [
    renderHeader(details, strings, callbacks),
    details.problem ? element('div', { className: 'problem', text: details.problem, attributes: { role: 'alert' } }) : undefined,
    details.limit ? renderLimit(details, callbacks) : undefined,
    renderFacts(details),
    details.tags.length > 0 ? renderTags(details, strings) : undefined,
    ...details.sections.map((section) => renderSection(section, strings)),
    renderProperties(details, strings, details.sections.length === 0),
    renderLineage(details, strings, callbacks),
    renderRaw(details, strings, rawExpanded, callbacks),
  ];

  return sections.filter((section): section is HTMLElement => section !== undefined);
}

/** Renders the details cap notice: what the panel left out, and a button that loads the row in full where allowed. */
function renderLimit(details: DetailsView, callbacks: RenderCallbacks): HTMLElement | undefined {
  const limit = details.limit;
  if (!limit) return undefined;
  const notice = element('div', { className: 'limit-notice', attributes: { role: 'status' } }, [element('p', { className: 'limit-message', text: limit.message })]);
  if (limit.loadLabel) {
    const button = element('vscode-button', { className: 'load-full', text: limit.loadLabel });
    button.addEventListener('click', () => callbacks.loadFull(details.id));
    notice.append(button);
  }

  return notice;
}

export function renderLoading(): HTMLElement {
  return element('div', { className: 'loading' }, [element('vscode-progress-ring')]);
}

export function renderError(message: string): HTMLElement {
  return element('div', { className: 'problem', text: message, attributes: { role: 'alert' } });
}

function renderHeader(details: DetailsView, strings: DetailsStrings, callbacks: RenderCallbacks): HTMLElement {
  const name = element('h1', { className: 'name', text: cropped(details.name), attributes: { title: details.name } });
  const type = element('vscode-badge', { className: 'type', text: details.type });
  const version = element('span', { className: details.versionDerived ? 'version derived' : 'version', text: details.versionLabel });
  const marker = details.versionDerived ? element('span', { className: 'derived-marker', text: strings.derivedVersion }) : undefined;
  const copy = element('vscode-button', { className: 'copy-id', text: strings.copyId, attributes: { secondary: '' } });
  copy.addEventListener('click', () => callbacks.copyText(details.id));

  return element('header', { className: 'details-header' }, [
    element('div', { className: 'title-row' }, [type, name]),
    element('div', { className: 'version-row' }, [version, marker, copy]),
  ]);
}

function renderFacts(details: DetailsView): HTMLElement {
  const list = element('dl', { className: 'facts' });
  for (const fact of details.facts) {
    list.append(
      element('dt', { text: fact.label }),
      element('dd', { className: fact.code ? 'code' : undefined, text: fact.value }),
    );
  }

  return list;
}

function renderTags(details: DetailsView, strings: DetailsStrings): HTMLElement {
  const badges = details.tags.map((tag) => element('vscode-badge', { className: 'tag', text: `${tag.key}=${tag.value}` }));

  return element('section', { className: 'tags', attributes: { 'aria-label': strings.tags } }, badges);
}

function renderProperties(details: DetailsView, strings: DetailsStrings, open: boolean): HTMLElement {
  const section = collapsible(strings.properties, String(details.properties.length), open);
  if (details.properties.length === 0) {
    section.append(element('p', { className: 'empty', text: strings.noProperties }));
    return section;
  }

  const body = element('tbody');
  for (const property of details.properties) {
    const key = element('th', { text: property.key, attributes: { scope: 'row' } });
    if (property.typed) key.append(element('span', { className: 'typed-marker', text: '●', attributes: { title: strings.typedProperty } }));
    body.append(element('tr', { className: property.typed ? 'typed' : 'extra' }, [key, element('td', { text: property.value })]));
  }
  section.append(element('table', { className: 'properties' }, [body]));

  return section;
}

function renderLineage(details: DetailsView, strings: DetailsStrings, callbacks: RenderCallbacks): HTMLElement {
  const section = collapsible(strings.lineage, `${details.parents.length} ↑ · ${details.children.length} ↓`, true);
  section.append(
    element('h2', { text: strings.parents }),
    linkList(details.parents, strings, callbacks, 'parents'),
    element('h2', { text: strings.children }),
    linkList(details.children, strings, callbacks, 'children'),
  );

  return section;
}

function linkList(links: VersionLink[], strings: DetailsStrings, callbacks: RenderCallbacks, className: string): HTMLElement {
  if (links.length === 0) return element('p', { className: `empty ${className}`, text: strings.none });

  const list = element('ul', { className: `links ${className}` });
  for (const link of links) {
    const button = element('button', { className: link.derived ? 'link derived' : 'link', text: cropped(link.name), attributes: { type: 'button', title: link.id } });
    button.addEventListener('click', () => callbacks.openVersion(link.id));
    const meta = [link.type, link.label, link.derived ? strings.derivedLink : undefined].filter(Boolean).join(' · ');
    list.append(element('li', {}, [button, element('span', { className: 'link-meta', text: meta })]));
  }

  return list;
}

function renderRaw(details: DetailsView, strings: DetailsStrings, open: boolean, callbacks: RenderCallbacks): HTMLElement {
  const section = collapsible(strings.rawJson, formatBytes(details.raw.bytes), open);
  section.classList.add('raw-section');
  section.addEventListener('vsc-collapsible-toggle', (event) => callbacks.rawToggled(event.detail.open));
  section.append(element('pre', { className: 'raw', multilineText: details.raw.text }));
  if (details.raw.truncated) section.append(element('p', { className: 'note', text: strings.rawTruncated }));

  return section;
}

function collapsible(heading: string, description: string, open: boolean): HTMLElement {
  const section = element('vscode-collapsible');
  section.heading = visibleText(heading);
  section.description = visibleText(description);
  section.open = open;

  return section;
}

function cropped(text: string): string {
  return text.length > MAX_HEADING_CHARS ? `${text.slice(0, MAX_HEADING_CHARS - 1)}…` : text;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;

  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
