/**
 * Markdown built from store strings, rendered by VS Code's own Markdown
 * renderer (the built-in `markdown.api.render` command) inside a real
 * extension host: tree tooltips from src/extension/tree/presentation.ts and
 * the language server's hover pieces from src/server/features/markdown.ts.
 * Store text must never become a link, an image, HTML, emphasis or a
 * heading, and no tooltip may be trusted to run commands.
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AssetVersion, LoadProblem } from '../../../src/core';
import { TRUSTED_HOVER_COMMANDS } from '../../../src/protocol/lsp';
import { code, commandLink, escapeMarkdown } from '../../../src/server/features/markdown';
import { problemTooltip, versionTooltip } from '../../../src/extension/tree/presentation';
import { routeItem } from '../../../src/extension/stack/stackTree';

const CORPUS = [
  '<img src=x onerror="alert(1)">',
  '<script>alert(1)</script>',
  '[run](command:workbench.action.terminal.new)',
  '![pixel](https://example.invalid/p.png)',
  '**bold** __strong__ *em* _em_ ~~gone~~',
  '# heading\n## second\n---',
  '`code` ``more``',
  '<https://example.invalid/autolink> https://example.invalid/bare',
  'https://evil.example/x',
  'www.evil.com/x and evil.com/path',
  'user@host.example mailto:someone@example.com',
  'ftp://files.example/x http://plain.example',
  '$(zap) {{template}} ${x} {0}',
  '\u202Egnp.exe \u0007 \u001b[31m',
  '| a | b |\n|---|---|\n| 1 | 2 |',
  '> quote\n- item\n1. one',
  '&lt;b&gt; &#60;img&#62;',
];

/** Tags the renderer may only produce from our own Markdown, never from store text. */
const FORBIDDEN = /<(a|img|script|iframe|em|del|s|h[1-6]|table|blockquote|ul|ol|hr)\b/i;

function version(text: string): AssetVersion {
  return {
    id: `.flowyml/catalog.db:artifacts:${encodeURIComponent(text)}`,
    aliases: [],
    name: text,
    type: 'Dataset',
    storedType: text,
    storedVersion: text,
    ordinal: 1,
    label: text,
    store: '.flowyml/catalog.db',
    runId: text,
    step: text,
    outputName: text,
    pipeline: text,
    project: text,
    createdAt: { iso: undefined, raw: text, zone: 'assumed-local' },
    parents: [],
    derivedParents: [],
    tags: { [text]: text },
    uri: text,
    path: text,
    contentHash: undefined,
    metadataBytes: 10,
  };
}

async function render(markdown: string): Promise<string> {
  return vscode.commands.executeCommand<string>('markdown.api.render', markdown);
}

describe('Markdown from hostile store strings', () => {
  it('tree tooltips stay text', async () => {
    for (const text of CORPUS) {
      const tooltip = versionTooltip(version(text));
      assert.ok(!tooltip.isTrusted, 'a tooltip is never trusted');
      assert.ok(!tooltip.supportHtml, 'a tooltip never renders HTML');
      const html = await render(tooltip.value);
      assert.doesNotMatch(html, FORBIDDEN, `tooltip of ${JSON.stringify(text)} rendered as ${html}`);
      // The name is the one bold span the tooltip adds itself.
      assert.equal(html.match(/<strong>/g)?.length, 1, html);
    }
  });

  it('problem tooltips stay text', async () => {
    for (const text of CORPUS) {
      const problem: LoadProblem = { file: '.flowyml/metadata.db', severity: 'error', code: 'corrupt', message: text };
      const tooltip = problemTooltip(problem);
      assert.ok(!tooltip.isTrusted);
      const html = await render(tooltip.value);
      assert.doesNotMatch(html, FORBIDDEN, html);
      assert.doesNotMatch(html, /<strong>|<code>/, html);
    }
  });

  it('stack routing tooltips stay text', async () => {
    for (const text of CORPUS) {
      const item = routeItem({ type: text, rule: text, storage: text, registry: text, path: text, deploy: text, applied: 'partly', notes: [text] });
      const tooltip = item.tooltip as vscode.MarkdownString;
      assert.ok(!tooltip.isTrusted);
      const html = await render(tooltip.value);
      // The notes are a list the tooltip makes itself: one list with one item here.
      assert.equal(html.match(/<ul\b/g)?.length, 1, html);
      assert.equal(html.match(/<li\b/g)?.length, 1, html);
      const withoutNotesList = html.replace(/<\/?(ul|li)\b[^>]*>/g, '');
      assert.doesNotMatch(withoutNotesList, FORBIDDEN, `stack tooltip of ${JSON.stringify(text)} rendered as ${html}`);
      // The type name is the one bold span the tooltip adds itself.
      assert.equal(html.match(/<strong>/g)?.length, 1, html);
    }
  });

  it('hover escapes stay text', async () => {
    for (const text of CORPUS) {
      const escaped = await render(escapeMarkdown(text));
      assert.doesNotMatch(escaped, FORBIDDEN, escaped);
      assert.doesNotMatch(escaped, /<strong>|<code>/, escaped);
      const spanned = await render(code(text));
      assert.doesNotMatch(spanned, FORBIDDEN, spanned);
      assert.equal(spanned.match(/<code>/g)?.length, 1, spanned);
    }
  });

  it('hover links run only our commands', async () => {
    for (const text of CORPUS) {
      const html = await render(commandLink(text, 'flowyml.showDetails', [text]));
      const links = [...html.matchAll(/<a [^>]*href="([^"]*)"/g)].map((match) => match[1]);
      assert.equal(links.length, 1, html);
      assert.ok(links[0].startsWith('command:flowyml.showDetails?'), links[0]);
    }
    for (const command of TRUSTED_HOVER_COMMANDS) assert.match(command, /^flowyml\./);
  });
});
