// Stored Prompt templates: the sample workspace's real rows rendered and
// checked against CPython, cut reprs, the template property, and hostile
// repr text.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  LiteralParseError, MAX_LITERAL_DEPTH, STORED_VALUE_LIMIT, compareVariables, loadWorkspace, parsePythonListPrefix,
  parsePythonLiteral, promptTemplateOf, pyDict, pyList, pyRepr, pyStr, renderPrompt, templateSyntaxError, templateVariables,
  type AssetVersion, type PromptTemplateInfo, type PyValue, type VersionDetails, type WorkspaceIndex,
} from '../../../src/core/index';
import { SAMPLE_WORKSPACE } from '../../helpers/paths';
import { oracleUnavailable, runOracle, tag, untag, type OracleCase, type TaggedValue } from '../../helpers/python-format-oracle';

const skipOracle = oracleUnavailable() ?? false;

let workspace: WorkspaceIndex;
let prompts: { version: AssetVersion; details: VersionDetails }[];

before(async () => {
  workspace = await loadWorkspace(SAMPLE_WORKSPACE);
  const versions = workspace.versions.filter((v) => v.type === 'Prompt');
  prompts = await Promise.all(versions.map(async (version) => ({ version, details: await workspace.details(version.id) })));
});

after(() => workspace.dispose());

function available(info: PromptTemplateInfo): Extract<PromptTemplateInfo, { available: true }> {
  assert.ok(info.available, info.available ? '' : info.reason);
  return info;
}

/** Builds a Prompt's details as the loader does, with only the fields promptTemplateOf reads. */
function promptDetails(typed: Record<string, unknown>, extra: Record<string, unknown>, type = 'Prompt'): VersionDetails {
  const version = { id: 'test:prompt', type, name: 'p' } as AssetVersion;
  return { version, properties: { typed, extra }, raw: {}, rawTruncated: false, children: [] };
}

test('sample holds text and chat prompts', () => {
  const names = prompts.map((p) => `${p.version.name} ${promptTemplateOf(p.details).available ? (promptTemplateOf(p.details) as { kind: string }).kind : 'none'}`);
  assert.deepEqual([...new Set(names)].sort(), ['support_agent chat', 'ticket_summarizer text']);
  assert.ok(prompts.length >= 8, `only ${prompts.length} Prompt versions`);
});

test('every sample prompt parses completely', () => {
  for (const { version, details } of prompts) {
    const info = available(promptTemplateOf(details));
    assert.equal(info.source, 'value-repr', version.id);
    assert.equal(info.completeness, 'complete', version.id);
    assert.equal(templateSyntaxError(info.template), undefined, version.id);
  }
});

test('support_agent reads four variables', () => {
  for (const { details } of prompts.filter((p) => p.version.name === 'support_agent')) {
    const info = available(promptTemplateOf(details));
    assert.equal(info.kind, 'chat');
    assert.deepEqual(templateVariables(info.template), ['customer_name', 'plan', 'message', 'language']);
    assert.equal(info.template.kind === 'chat' && info.template.messages.map((m) => m.role).join(','), 'system,user');
    assert.equal(info.storedVariables, undefined, 'FlowyML stores no variables for chat prompts');
  }
});

test('ticket_summarizer variables match stored', () => {
  for (const { version, details } of prompts.filter((p) => p.version.name === 'ticket_summarizer')) {
    const info = available(promptTemplateOf(details));
    const parsed = templateVariables(info.template);
    assert.deepEqual(parsed, info.storedVariables, version.id);
    assert.equal(compareVariables(parsed, info.storedVariables).note, undefined, version.id);
  }
});

test('sample renders equal CPython', { skip: skipOracle }, () => {
  const values: [string, PyValue][] = [
    ['customer_name', pyStr('Zoë')], ['plan', pyStr('pro {annual}')], ['message', pyStr('Line 1\nLine "2"')],
    ['language', pyStr('French')], ['ticket', pyStr('Printer {on} fire')], ['product', pyStr('Acme')],
  ];
  const tagged = values.map(([k, v]): [string, TaggedValue] => [k, tag(v)]);
  const cases: OracleCase[] = prompts.map(({ details }) => {
    const info = available(promptTemplateOf(details));
    const value = details.properties.extra.value as string;
    return info.kind === 'chat' ? { op: 'chat', template: value, vars: tagged } : { op: 'format', template: value, vars: tagged };
  });

  const results = runOracle(cases);
  prompts.forEach(({ version, details }, i) => {
    const info = available(promptTemplateOf(details));
    const rendered = renderPrompt(info.template, new Map(values));
    const result = results[i];
    assert.ok(result.ok, version.id);
    assert.equal(rendered.error, undefined, version.id);
    if (rendered.kind === 'text') assert.equal(rendered.result.text, result.text, version.id);
    else assert.equal(pyRepr(pyList(rendered.messages.map((m) => m.message))), pyRepr(untag(result.value as TaggedValue)), version.id);
  });
});

function longChat(messages: number): PyValue {
  return pyList(Array.from({ length: messages }, (_, i) => pyDict([
    [pyStr('role'), pyStr(i % 2 ? 'user' : 'system')],
    [pyStr('content'), pyStr(`Message ${i}: ${'lorem ipsum '.repeat(8)}{topic}`)],
  ])));
}

test('cut chat repr is incomplete', () => {
  const repr = pyRepr(longChat(20));
  assert.ok(repr.length > STORED_VALUE_LIMIT);
  const info = available(promptTemplateOf(promptDetails({ prompt_format: 'chat' }, { value: repr.slice(0, STORED_VALUE_LIMIT) })));
  assert.equal(info.complete, false);
  assert.equal(info.completeness, 'cut');
  assert.equal(info.kind, 'chat');
  const complete = info.template.kind === 'chat' ? info.template.messages.length : -1;
  assert.ok(complete > 0, `${complete} complete messages`);
  assert.ok(complete < 20, `${complete} complete messages`);
  assert.match(info.note ?? '', new RegExp(`after ${complete} complete message`));
});

test('chat repr of exactly 1000 characters is complete', () => {
  let repr = pyRepr(longChat(1));
  repr = repr.replace('{topic}', `{topic}${'x'.repeat(STORED_VALUE_LIMIT - repr.length)}`);
  assert.equal(repr.length, STORED_VALUE_LIMIT);
  const info = available(promptTemplateOf(promptDetails({ prompt_format: 'chat' }, { value: repr })));
  assert.equal(info.completeness, 'complete');
});

test('text of exactly 1000 characters is possibly cut', () => {
  const text = `{a} ${'y'.repeat(STORED_VALUE_LIMIT - 4)}`;
  const info = available(promptTemplateOf(promptDetails({ prompt_format: 'text' }, { value: text })));
  assert.equal(info.completeness, 'possibly-cut');
  assert.equal(info.complete, false);
  const shorter = available(promptTemplateOf(promptDetails({ prompt_format: 'text' }, { value: text.slice(1) })));
  assert.equal(shorter.completeness, 'complete');
});

test('template property wins over the value', () => {
  const chat = [{ role: 'system', content: 'Be {tone}.' }, { role: 'user', content: '{q}', name: 'bob' }];
  const info = available(promptTemplateOf(promptDetails({ template: chat, prompt_format: 'chat', variables: ['q'] }, { value: 'ignored' })));
  assert.equal(info.source, 'template-property');
  assert.deepEqual(templateVariables(info.template), ['tone', 'q']);
  assert.deepEqual(info.storedVariables, ['q']);
  const rendered = renderPrompt(info.template, new Map([['tone', pyStr('brief')], ['q', pyStr('Why?')]]));
  assert.equal(rendered.kind === 'chat' && pyRepr(pyList(rendered.messages.map((m) => m.message))), "[{'role': 'system', 'content': 'Be brief.'}, {'role': 'user', 'content': 'Why?', 'name': 'bob'}]");

  const text = available(promptTemplateOf(promptDetails({ template: 'Hi {n}' }, {})));
  assert.equal(text.kind, 'text');
  assert.equal(text.completeness, 'complete');
});

test('unavailable without template or for other types', () => {
  const none = promptTemplateOf(promptDetails({ prompt_format: 'chat' }, {}));
  assert.equal(none.available, false);
  assert.match(none.available ? '' : none.reason, /stores no template/);
  const model = promptTemplateOf(promptDetails({}, { value: 'x' }, 'Model'));
  assert.match(model.available ? '' : model.reason, /is a Model, not a Prompt/);
  const broken = promptTemplateOf(promptDetails({ prompt_format: 'chat' }, { value: "[{'role': 'user'} oops]" }));
  assert.match(broken.available ? '' : broken.reason, /not a readable Python list/);
});

test('chat error names its message', () => {
  const info = available(promptTemplateOf(promptDetails({ prompt_format: 'chat' }, { value: "[{'role': 'system', 'content': 'ok'}, {'role': 'user', 'content': 'line\\n  {x!q}'}]" })));
  const error = templateSyntaxError(info.template);
  assert.equal(error, undefined, 'an unknown conversion is raised only when rendering');
  const rendered = renderPrompt(info.template, new Map([['x', pyStr('1')]]));
  assert.equal(rendered.error?.messageIndex, 1);
  assert.equal(rendered.error?.message, 'ValueError: Unknown conversion specifier q at message 2, line 2, column 6');
});

test('non-str content raises like FlowyML', () => {
  const info = available(promptTemplateOf(promptDetails({ prompt_format: 'chat' }, { value: "[{'role': 'user', 'content': ['a']}, {'role': 'tool'}]" })));
  const rendered = renderPrompt(info.template, new Map());
  assert.equal(rendered.error?.exception, 'AttributeError');
  assert.equal(rendered.error?.pythonMessage, "'list' object has no attribute 'format'");
  assert.equal(rendered.kind === 'chat' && pyRepr(rendered.messages[1].message), "{'role': 'tool'}", 'a message without content is kept');
});

test('stored variables compared with parser', () => {
  const template = 'Total {order.total:.2f} for {items[0]} ({{note}}) {x:>5} {name}';
  const comparison = compareVariables(['order', 'items', 'x', 'name'], ['note', 'name']);
  assert.deepEqual(comparison.notInStored, ['order', 'items', 'x']);
  assert.deepEqual(comparison.onlyInStored, ['note']);
  assert.match(comparison.note ?? '', /template\.format\(\*\*variables\)/);
  assert.ok(template.includes('{{note}}'));
});

test('literal parser rejects deep nesting', () => {
  const deep = '['.repeat(MAX_LITERAL_DEPTH + 1) + ']'.repeat(MAX_LITERAL_DEPTH + 1);
  assert.throws(() => parsePythonLiteral(deep), (error: unknown) => error instanceof LiteralParseError && /nesting deeper/.test(error.message) && !error.truncated);
  const veryDeep = '['.repeat(1_000_000);
  assert.throws(() => parsePythonLiteral(veryDeep), LiteralParseError);
  const ok = '['.repeat(MAX_LITERAL_DEPTH) + ']'.repeat(MAX_LITERAL_DEPTH);
  assert.equal(parsePythonLiteral(ok).type, 'list');
});

test('literal parser reports unterminated strings', () => {
  for (const text of ["'abc", "['a', 'b", "{'k': \"v", "'\\x4", "'\\", "[{'role': 'us"]) {
    assert.throws(() => parsePythonLiteral(text), (error: unknown) => error instanceof LiteralParseError && error.truncated, text);
  }
  assert.throws(() => parsePythonLiteral("'a\nb'"), (error: unknown) => error instanceof LiteralParseError && !error.truncated && error.location.line === 1);
});

test('literal parser reads 1 MB strings', () => {
  const big = 'a\\n'.repeat(350_000);
  const started = Date.now();
  const value = parsePythonLiteral(`['${big}']`);
  assert.equal(value.type === 'list' && value.items[0].type === 'str' && value.items[0].value.length, 700_000);
  assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
  const cut = parsePythonListPrefix(`[{'content': 'x'}, '${'b'.repeat(1_000_000)}`);
  assert.equal(cut.items.length, 1);
  assert.equal(cut.truncated, true);
});

test('literal parser rejects hostile input cleanly', () => {
  for (const text of ['__import__("os")', '[1 2]', '{[1]: 2}', '{1, 2}', "b'x'", '1j', '0x10', "'\\N{BULLET}'", ']', '', '[1,,2]']) {
    assert.throws(() => parsePythonLiteral(text), LiteralParseError, text);
  }
});
