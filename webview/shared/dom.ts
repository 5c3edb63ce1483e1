/**
 * A small DOM builder. Text always goes in through `textContent`, so stored
 * strings can never become markup, whatever they contain. Invisible
 * characters (controls, bidirectional overrides) are shown as escapes, so a
 * string displays in its stored order.
 */
import { visibleText } from '../../src/protocol/text';

export interface ElementOptions {
  className?: string;
  /** One-line text. */
  text?: string;
  /** Text whose line breaks and tabs are kept, for `<pre>`. */
  multilineText?: string;
  attributes?: Record<string, string>;
}

export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  options: ElementOptions = {},
  children: (Node | undefined)[] = [],
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (options.className) node.className = options.className;
  if (options.text !== undefined) node.textContent = visibleText(options.text);
  if (options.multilineText !== undefined) node.textContent = visibleText(options.multilineText, { keepLineBreaks: true });
  for (const [name, value] of Object.entries(options.attributes ?? {})) node.setAttribute(name, visibleText(value));
  for (const child of children) {
    if (child) node.append(child);
  }

  return node;
}
