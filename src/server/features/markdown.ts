/**
 * Markdown pieces for hovers. Names, versions and errors come from the store
 * and from source files, so every one is escaped or put in a code span:
 * store text can never add links, images or HTML to a hover.
 */
import type { Instant } from '../../core';
import type { LspCommandId } from '../../protocol/lsp';

/** Text as an inline code span, with a fence longer than any backtick run inside it. */
export function code(text: string): string {
  const flat = text.replace(/[\r\n]+/g, ' ');
  const longestRun = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || flat === '' ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/**
 * Text with every Markdown punctuation character escaped, on one line. `:`
 * and `@` are escaped too, so a bare URL or e-mail address in store text does
 * not become a GFM autolink.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/[\\`*_{}[\]()<>#+\-.!|~&:@]/g, (c) => `\\${c}`);
}

/**
 * Builds a link that runs one of the server's commands with JSON arguments,
 * in the `command:` URI form VS Code renders when the client trusts that command.
 */
export function commandLink(label: string, command: LspCommandId, args: unknown[]): string {
  const query = encodeURIComponent(JSON.stringify(args));
  return `[${escapeMarkdown(label)}](command:${command}?${query})`;
}

/** Formats an instant as `2026-12-04 20:07:04 UTC`, marking a time whose zone was assumed. */
export function formatInstant(instant: Instant | undefined): string | undefined {
  if (!instant) return undefined;
  if (!instant.iso) return instant.raw;
  const text = `${instant.iso.slice(0, 10)} ${instant.iso.slice(11, 19)} UTC`;
  return instant.zone === 'assumed-local' ? `${text} (zone assumed)` : text;
}

/** Formats a property value on one line, cut at `max` characters. */
export function formatValue(value: unknown, max = 60): string {
  let text: string;
  if (typeof value === 'string') text = value;
  // NaN and Infinity print as such; JSON would turn them into null.
  else if (typeof value === 'bigint' || typeof value === 'number') text = String(value);
  else text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? String(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Shortens a run id to its first 8 characters, as the command line does. */
export function shortRunId(runId: string): string {
  return runId.length > 8 ? runId.slice(0, 8) : runId;
}

/** Up to `max` items joined with commas, then "and N more". */
export function listWithMore(items: string[], max: number): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}
