/**
 * The prompt panel's webview in headless Chromium: the sample workspace's
 * chat and text prompts, live rendering as values are typed, error markers,
 * a JSON example checked against python3's str.format, cut templates and
 * hostile strings. Needs `npm run build` first.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { loadWorkspace, type WorkspaceIndex } from '../../src/core';
import type { Localizer } from '../../src/extension/details/detailsView';
import { loadSourcePrompt, loadStoredPrompt, promptStrings, type LoadedPrompt } from '../../src/extension/prompt/promptView';
import type { HostToPromptMessage, PromptOrigin, PromptPreview, PromptToHostMessage } from '../../src/protocol/prompt';
import { THEMES } from './themes';
import { launchBrowser, REPO_ROOT, WebviewPage, WebviewServer } from './harness';

const english: Localizer = {
  t: (message, ...args) => message.replace(/\{(\d+)\}/g, (_match, position: string) => String(args[Number(position)])),
  language: 'en',
};

const SAMPLE = path.join(REPO_ROOT, 'samples/workspace');

describe('prompt webview', { timeout: 120_000 }, () => {
  let browser: Browser;
  let server: WebviewServer;
  let index: WorkspaceIndex;

  before(async () => {
    [browser, server, index] = await Promise.all([launchBrowser(), WebviewServer.start(), loadWorkspace(SAMPLE)]);
  });

  after(async () => {
    index?.dispose();
    await browser?.close();
    await server?.stop();
  });

  async function stored(name: string, label: string): Promise<LoadedPrompt> {
    const version = index.versions.find((candidate) => candidate.type === 'Prompt' && candidate.name === name && candidate.label === label);
    assert.ok(version, `${name} ${label} is not in the sample workspace`);
    const loaded = loadStoredPrompt(await index.details(version.id), english);
    assert.ok(!('reason' in loaded), 'reason' in loaded ? loaded.reason : '');

    return loaded;
  }

  it('chat prompt shows role cards and chips', async () => {
    const agent = await stored('support_agent', 'v1.0.0 (#3)');
    const webview = await WebviewPage.open(browser, server, 'prompt', THEMES[1]);
    try {
      await webview.post(show(agent.preview));
      const page = webview.page;
      await page.locator('.template .role-card').first().waitFor();

      assert.deepEqual(await page.locator('.template .role-card .role').allTextContents(), ['system', 'user']);
      assert.deepEqual(await page.locator('.template .role-card.role-user .chip').allTextContents(), [
        '{customer_name}', '{plan}', '{message}', '{language}',
      ]);
      assert.equal(await page.locator('.template .role-card.role-system .chip').count(), 0);
      assert.deepEqual(await variableRows(page), ['customer_name', 'plan', 'message', 'language']);
      assert.equal(await page.locator('.variable-row.missing').count(), 4);
      assert.deepEqual(await page.locator('.model-settings dt').allTextContents(), ['model', 'temperature']);
      assert.deepEqual(await page.locator('.model-settings dd').allTextContents(), ['gpt-4o', '0.7']);
      assert.equal(await page.locator('.error-message').textContent(), 'KeyError: \'customer_name\' at message 2, line 1, column 11');
      assert.equal(await page.locator('.template .role-user .chip.failed').textContent(), '{customer_name}');

      for (const [name, value] of [['customer_name', 'Ada'], ['plan', 'Pro'], ['message', 'My export fails.'], ['language', 'French']]) {
        await typeValue(page, name, value);
      }
      await page.locator('.error-message').waitFor({ state: 'detached' });

      assert.deepEqual(await page.locator('.output .role-card .role').allTextContents(), ['system', 'user']);
      assert.equal(
        await page.locator('.output .role-user pre.rendered').textContent(),
        'Customer Ada (plan: Pro) wrote:\nMy export fails.\nReply in French.',
      );
      assert.deepEqual(await page.locator('.output .role-user .out.var').allTextContents(), ['Ada', 'Pro', 'My export fails.', 'French']);
      assert.match(
        await page.locator('.counts').textContent() ?? '',
        /^\d+ tokens \(o200k_base\) · \d+ characters · the token count covers the message contents and excludes the per-message chat overhead$/,
      );
      await webview.screenshot('prompt-chat-dark');
      assert.deepEqual(await webview.violations(), []);
    } finally {
      await webview.close();
    }
  });

  it('text prompt highlights a typed value', async () => {
    const summarizer = await stored('ticket_summarizer', 'v2.0.0 (#5)');
    const webview = await WebviewPage.open(browser, server, 'prompt', THEMES[0]);
    try {
      await webview.post(show(summarizer.preview));
      const page = webview.page;
      await page.locator('.template .chip').first().waitFor();

      assert.deepEqual(await page.locator('.template .chip').allTextContents(), ['{product}', '{ticket}']);
      assert.deepEqual(await page.locator('.model-settings dt').allTextContents(), ['model', 'temperature', 'max_tokens']);
      assert.equal(await page.locator('.model-settings dd').first().textContent(), 'gpt-4o-mini');
      assert.match(await page.locator('.counts').textContent() ?? '', /^\d+ tokens \(o200k_base\) · \d+ characters$/);

      await typeValue(page, 'ticket', 'Login page shows a 500 error.');
      await page.locator('.variable-row[data-variable="ticket"]:not(.missing)').waitFor();
      assert.equal(await page.locator('.variable-row.missing').getAttribute('data-variable'), 'product');
      assert.equal(await page.locator('.error-message').textContent(), 'KeyError: \'product\' at line 1, column 13');
      assert.equal(await page.locator('.out.stop').count(), 1);

      await typeValue(page, 'product', 'Acme CRM');
      await page.locator('.error-message').waitFor({ state: 'detached' });
      const expected = 'You triage Acme CRM tickets. Summarize the ticket below for an on-call engineer, then give a severity from 1-4.'
        + '\n\nTicket:\nLogin page shows a 500 error.';
      assert.equal(await page.locator('.output pre.rendered').textContent(), expected);
      assert.equal(await page.locator('.out.var[data-variable="ticket"]').textContent(), 'Login page shows a 500 error.');
      assert.equal(await page.locator('.out.var[data-variable="product"]').textContent(), 'Acme CRM');
      // gpt-tokenizer 3.4.0 in Node gives 40 o200k_base tokens: one per word or
      // word piece (You|tri|age| Ac|me|...), with "1-4" and " 500" split into
      // digits and punctuation the way o200k_base pre-tokenizes numbers.
      assert.equal(expected.length, 150);
      assert.equal(await page.locator('.counts').textContent(), '40 tokens (o200k_base) · 150 characters');

      await page.waitForFunction(() => window.flowymlTest.posted.some((message) => (message as { type?: string }).type === 'valuesChanged'));
      await page.locator('vscode-button.copy-rendered').click();
      const posted = (await webview.posted()) as PromptToHostMessage[];
      const values = { ticket: { mode: 'text', text: 'Login page shows a 500 error.' }, product: { mode: 'text', text: 'Acme CRM' } };
      assert.deepEqual(posted.at(-1), { type: 'action', action: 'copy', values });
      assert.deepEqual(posted.filter((message) => message.type === 'valuesChanged').at(-1), { type: 'valuesChanged', name: 'ticket_summarizer', values });
      // The state names where the prompt came from, so the host can load it again after a window reload.
      assert.deepEqual(await webview.state(), { name: 'ticket_summarizer', values, origin: { kind: 'version', id: summarizer.preview.id } });

      // Showing the same prompt again, as a revived panel does after a window reload, keeps the typed values
      // and sends them to the host, which may never have received them.
      const postedBefore = (await webview.posted()).length;
      await webview.post(show({ ...summarizer.preview, values: {} }));
      await page.locator('.out.var[data-variable="product"]', { hasText: 'Acme CRM' }).waitFor();
      const postedAfter = ((await webview.posted()) as PromptToHostMessage[]).slice(postedBefore);
      assert.deepEqual(postedAfter.find((message) => message.type === 'valuesChanged'), { type: 'valuesChanged', name: 'ticket_summarizer', values });

      await webview.screenshot('prompt-text-light');
      assert.deepEqual(await webview.violations(), []);
    } finally {
      await webview.close();
    }
  });

  it('syntax error marks its line and column', async () => {
    const template = 'Summarize {ticket}.\nSeverity: {level} }\nThanks';
    const broken = loadSourcePrompt({ name: 'broken', template }, english);
    const python = pythonFormat(template, { ticket: 'x', level: '2' });
    assert.equal(python.error, "ValueError: Single '}' encountered in format string");
    const webview = await WebviewPage.open(browser, server, 'prompt', THEMES[2]);
    try {
      await webview.post(show(broken.preview));
      const page = webview.page;
      await page.locator('.piece.error').waitFor();

      assert.equal(await page.locator('.piece.error').textContent(), '}');
      assert.equal(await page.locator('.piece.error').getAttribute('data-offset'), String(template.lastIndexOf('}')));
      assert.equal(await page.locator('.piece.rest').textContent(), '\nThanks');
      assert.equal(await page.locator('.error-message').textContent(), `${pythonFormat(template, {}).error} at line 1, column 12`);
      assert.deepEqual(await page.locator('.output-status .note').allTextContents(), [
        'ValueError: Single \'}\' encountered in format string at line 2, column 19',
        'Missing: ticket, level. Python raises KeyError for the first one.',
      ]);

      await typeValue(page, 'ticket', 'x');
      await typeValue(page, 'level', '2');
      await page.locator('.variable-row.missing').first().waitFor({ state: 'detached' });
      assert.equal(await page.locator('.error-message').textContent(), `${python.error} at line 2, column 19`);
      assert.equal(await page.locator('.out.stop').count(), 1);
      assert.equal(await page.locator('vscode-button.copy-rendered').getAttribute('disabled'), '');
      await webview.screenshot('prompt-syntax-error-high-contrast');
      assert.deepEqual(await webview.violations(), []);
    } finally {
      await webview.close();
    }
  });

  it('JSON example renders as Python does', async () => {
    const template = 'Reply with JSON like {{"name": "{name}", "tags": [{{"id": 1}}]}}.\nFirst item: {items[0]!r}, price {price:>8.2f}, user {user[name]}';
    const example = loadSourcePrompt({ name: 'json_example', template }, english);
    const python = pythonFormat(template, { name: 'Ada', items: ['a\'b', 2], price: 3.14159, user: { name: 'Grace' } });
    assert.equal(python.error, undefined);
    const webview = await WebviewPage.open(browser, server, 'prompt', THEMES[1]);
    try {
      await webview.post(show(example.preview));
      const page = webview.page;
      await page.locator('.template .chip').first().waitFor();

      assert.deepEqual(await page.locator('.template .chip').allTextContents(), ['{name}', '{items[0]!r}', '{price:>8.2f}', '{user[name]}']);
      assert.deepEqual(await variableRows(page), ['name', 'items', 'price', 'user']);
      await typeValue(page, 'name', 'Ada');
      await typeValue(page, 'items', '["a\'b", 2]', true);
      await typeValue(page, 'price', '3.14159', true);
      await typeValue(page, 'user', '{"name": "Grace"}', true);
      await page.locator('.error-message').waitFor({ state: 'detached' });

      assert.equal(await page.locator('.output pre.rendered').textContent(), python.text);
      assert.deepEqual(await page.locator('.out.var').allTextContents(), ['Ada', '"a\'b"', '    3.14', 'Grace']);
      await webview.screenshot('prompt-json-example');
      assert.deepEqual(await webview.violations(), []);
    } finally {
      await webview.close();
    }
  });

  it('invalid JSON value is flagged', async () => {
    const example = loadSourcePrompt({ name: 'numbers', template: 'Total: {total:.1f}' }, english);
    const webview = await WebviewPage.open(browser, server, 'prompt', THEMES[0]);
    try {
      await webview.post(show(example.preview));
      const page = webview.page;
      await typeValue(page, 'total', '3.', true);

      await page.locator('.variable-row.invalid').waitFor();
      assert.match(await page.locator('.field-error').textContent() ?? '', /^Invalid JSON:/);
      assert.equal(await page.locator('vscode-button.copy-rendered').getAttribute('disabled'), '');

      await typeValue(page, 'total', '2.25', true);
      await page.locator('.variable-row.invalid').waitFor({ state: 'detached' });
      assert.equal(await page.locator('.output pre.rendered').textContent(), pythonFormat('Total: {total:.1f}', { total: 2.25 }).text);
    } finally {
      await webview.close();
    }
  });

  it('token counts follow the model', async () => {
    const summarizer = await stored('ticket_summarizer', 'v2.0.0 (#5)');
    const values = { product: { mode: 'text', text: 'Acme CRM' }, ticket: { mode: 'text', text: 'Login page shows a 500 error.' } } as const;
    const cases: [model: string | undefined, counts: string][] = [
      ['claude-3', '150 characters · no token count: no offline tokenizer ships for the model family of claude-3'],
      ['gemini-1.5-pro', '150 characters · no token count: no offline tokenizer ships for the model family of gemini-1.5-pro'],
      [undefined, '150 characters · no token count: the store records no model for this prompt'],
      ['gpt-4', '40 tokens (cl100k_base) · 150 characters'],
      ['gpt-4o-2024-08-06', '40 tokens (o200k_base) · 150 characters'],
    ];
    for (const [model, counts] of cases) {
      const webview = await WebviewPage.open(browser, server, 'prompt', THEMES[0]);
      try {
        await webview.post(show({ ...summarizer.preview, model, values }));
        const page = webview.page;
        await page.locator('.output pre.rendered').waitFor();

        assert.equal(await page.locator('.counts').textContent(), counts, `model ${model}`);
      } finally {
        await webview.close();
      }
    }
  });

  it('cut template is never rendered', async () => {
    const agent = await stored('support_agent', 'v1.0.0 (#3)');
    const cut: PromptPreview = {
      ...agent.preview,
      values: {},
      completeness: 'cut',
      note: 'the stored repr stops at 1000 characters, after 1 complete message(s); the rest of the template is missing',
    };
    const webview = await WebviewPage.open(browser, server, 'prompt', THEMES[0]);
    try {
      await webview.post(show(cut));
      const page = webview.page;
      await page.locator('.banner.incomplete').waitFor();

      assert.match(await page.locator('.banner.incomplete').textContent() ?? '', /^Incomplete template: the stored repr stops/);
      assert.equal(await page.locator('.output .output-part').count(), 0);
      assert.match(await page.locator('.error-message').textContent() ?? '', /^Not rendered/);
      assert.equal(await page.locator('vscode-button.open-document').getAttribute('disabled'), '');
    } finally {
      await webview.close();
    }
  });

  it('stored and parsed variable lists differ', async () => {
    const summarizer = await stored('ticket_summarizer', 'v2.0.0 (#5)');
    const differing: PromptPreview = {
      ...summarizer.preview,
      template: { kind: 'text', text: 'Use {{ticket}} literally, then {ticket.id} and {score:.2f}' },
      storedVariables: ['ticket'],
      values: { ticket: { mode: 'text', text: 'x' }, old_name: { mode: 'text', text: 'kept from v1' } },
    };
    const webview = await WebviewPage.open(browser, server, 'prompt', THEMES[0]);
    try {
      await webview.post(show(differing));
      const page = webview.page;
      await page.locator('.banner.variables-differ').waitFor();

      assert.match(await page.locator('.banner.variables-differ').textContent() ?? '', /^Stored variables \[ticket\] · read by the template \[ticket, score\]\. .*template\.format\(\*\*variables\)/);
      assert.deepEqual(await variableRows(page), ['ticket', 'score', 'old_name']);
      assert.equal(await page.locator('.variable-row.unused').getAttribute('data-variable'), 'old_name');
      assert.match(await page.locator('.output-status').textContent() ?? '', /Unused: old_name\./);
      assert.match(await page.locator('.error-message').textContent() ?? '', /^AttributeError: 'str' object has no attribute 'id' at line 1, column \d+$/);

      await page.locator('.variable-row[data-variable="old_name"] button.unset').click();
      await page.locator('.variable-row[data-variable="old_name"]').waitFor({ state: 'detached' });
      await page.locator('.variable-row[data-variable="ticket"] button.unset').click();
      await page.locator('.variable-row.missing[data-variable="ticket"]').waitFor();
      assert.deepEqual(await variableRows(page), ['ticket', 'score']);
      assert.equal(await page.locator('.error-message').textContent(), 'KeyError: \'ticket\' at line 1, column 33');
    } finally {
      await webview.close();
    }
  });

  it('hostile strings render as inert text', async () => {
    const markup = '<img src=x onerror="window.flowymlPwned=1"><b>bold</b>';
    const control = 'tab\there\u0007bell\u202eevil';
    const hostile = loadSourcePrompt({
      name: `${markup}${control}`,
      template: [{ role: markup, content: `${markup} {value} <script>window.flowymlPwned=2</script>` }],
    }, english);
    const webview = await WebviewPage.open(browser, server, 'prompt', THEMES[1]);
    try {
      await webview.post(show(hostile.preview));
      const page = webview.page;
      await page.locator('.template .role-card').waitFor();
      await typeValue(page, 'value', markup);
      await page.locator('.out.var').waitFor();

      assert.equal(await page.locator('#root img').count(), 0);
      assert.equal(await page.locator('#root b').count(), 0);
      assert.equal(await page.locator('#root script').count(), 0);
      assert.equal(await page.evaluate(() => (window as unknown as { flowymlPwned?: number }).flowymlPwned), undefined);
      assert.equal(await page.locator('h1.name').textContent(), `${markup}tab\\there\\x07bell\\u202eevil`);
      assert.equal(await page.locator('.template .role').textContent(), markup);
      assert.equal(await page.locator('.out.var').textContent(), markup);
      await webview.screenshot('prompt-hostile', { fullPage: false });
      assert.deepEqual(await webview.violations(), []);
    } finally {
      await webview.close();
    }
  });
});

function show(preview: Omit<PromptPreview, 'values'> & { values?: PromptPreview['values'] }): HostToPromptMessage {
  return { type: 'show', preview: { values: {}, ...preview }, strings: promptStrings(english), origin: originOf(preview) };
}

/** Returns the origin of a preview: its stored version's id, or a source template when it has none. */
function originOf(preview: Pick<PromptPreview, 'id' | 'name'>): PromptOrigin {
  return preview.id ? { kind: 'version', id: preview.id } : { kind: 'source', argument: { name: preview.name, template: 'Hello {name}' } };
}

async function variableRows(page: Page): Promise<string[]> {
  return page.locator('.variable-row').evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset.variable ?? ''));
}

/** Types a value into a variable's field, switching JSON mode on first when asked. */
async function typeValue(page: Page, name: string, value: string, json = false): Promise<void> {
  const row = page.locator(`.variable-row[data-variable="${name}"]`);
  if (json && !(await row.locator('vscode-checkbox').evaluate((box) => (box as HTMLInputElement).checked))) {
    await row.locator('vscode-checkbox label').click();
  }
  await row.locator('vscode-textarea textarea').fill(value);
}

/** Formats with python3's `str.format(**variables)`: the oracle the panel must match byte for byte. */
function pythonFormat(template: string, variables: Record<string, unknown>): { text: string | undefined; error: string | undefined } {
  const script = [
    'import json, sys',
    'data = json.load(sys.stdin)',
    'try:',
    '    out = {"text": data["template"].format(**data["variables"])}',
    'except Exception as error:',
    '    out = {"error": f"{type(error).__name__}: {error}"}',
    'print(json.dumps(out))',
  ].join('\n');
  const result = spawnSync('python3', ['-c', script], { input: JSON.stringify({ template, variables }), encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);

  return JSON.parse(result.stdout) as { text: string | undefined; error: string | undefined };
}
