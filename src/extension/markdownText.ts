/**
 * Store text inside Markdown that VS Code renders: tree tooltips and the
 * stack view's tooltips. `MarkdownString.appendText` escapes Markdown syntax
 * but leaves `:`, `.` and `@`, so a stored `https://…`, `www.…` or
 * `user@host` still becomes a link through GFM's autolinks. Here every ASCII
 * punctuation character is escaped with a backslash, which CommonMark allows
 * for all of them. So no autolink, entity, HTML tag, theme icon or emphasis
 * can start in the escaped text.
 */
import type * as vscode from 'vscode';

const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/g;

/** Escapes `text` so that it renders as itself; line breaks become hard breaks. */
export function escapeStoreText(text: string): string {
  return text
    .replace(ASCII_PUNCTUATION, (c) => `\\${c}`)
    .replace(/\r\n?|\n/g, '\\\n');
}

/** Appends untrusted text to `markdown` as literal text. */
export function appendStoreText(markdown: vscode.MarkdownString, text: string): void {
  markdown.appendMarkdown(escapeStoreText(text));
}
