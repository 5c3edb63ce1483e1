// Differential tests: every case runs through our renderer and through
// CPython 3.11 (one python3 process per batch), and the two must agree byte
// for byte: the rendered text, or the exception class and its message.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AssetVersion } from '../../../src/core/index';
import {
  parseJsonValue, parsePythonLiteral, promptTemplateOf, pyAscii, pyFormat, pyRepr, pyToString, renderPrompt, renderTemplate,
  type PromptFormatError, type PyValue,
} from '../../../src/core/prompt';
import { oracleUnavailable, runOracle, tag, untag, type OracleCase, type OracleResult, type TaggedValue } from '../../helpers/python-format-oracle';
import {
  HAND_WRITTEN, STANDARD_VARIABLES, randomFloat, randomInt, randomSpec, randomString, randomTemplate, randomValue, seededRandom,
} from './format-corpus';

const skip = oracleUnavailable() ?? false;
const GENERATED_TEMPLATES = 700;
const GENERATED_FORMAT_CALLS = 3000;
const GENERATED_REPRS = 600;

const variables = new Map(STANDARD_VARIABLES);
const taggedVariables = STANDARD_VARIABLES.map(([name, value]): [string, TaggedValue] => [name, tag(value)]);

function describeOurs(run: () => string): string {
  try {
    return `ok ${JSON.stringify(run())}`;
  } catch (error) {
    const e = error as PromptFormatError & { exception?: string; pythonMessage?: string };
    if (e.exception !== undefined) return `${e.exception}: ${e.pythonMessage}`;
    throw error;
  }
}

function describePython(result: OracleResult, field: 'text' = 'text'): string {
  return result.ok ? `ok ${JSON.stringify(result[field])}` : `${result.exception}: ${result.message}`;
}

function renderDescription(template: string): string {
  const result = renderTemplate(template, variables);
  return result.error ? `${result.error.exception}: ${result.error.pythonMessage}` : `ok ${JSON.stringify(result.text)}`;
}

/** Compares one batch of templates with Python and returns the disagreements. */
function templateMismatches(templates: string[]): string[] {
  const cases: OracleCase[] = templates.map((template) => ({ op: 'format', template, vars: taggedVariables }));
  const results = runOracle(cases);
  const mismatches: string[] = [];
  templates.forEach((template, i) => {
    const ours = renderDescription(template);
    const python = describePython(results[i]);
    if (ours !== python) mismatches.push(`${JSON.stringify(template)}\n    ours:   ${ours}\n    python: ${python}`);
  });

  return mismatches;
}

test('corpus holds at least 200 templates', () => {
  assert.ok(HAND_WRITTEN.length + GENERATED_TEMPLATES >= 200, `only ${HAND_WRITTEN.length + GENERATED_TEMPLATES} templates`);
  assert.ok(HAND_WRITTEN.length >= 200, `only ${HAND_WRITTEN.length} hand-written templates`);
});

test('hand-written templates match CPython', { skip }, () => {
  assert.deepEqual(templateMismatches(HAND_WRITTEN), []);
});

test('generated templates match CPython', { skip }, () => {
  const random = seededRandom(20261204);
  const templates = Array.from({ length: GENERATED_TEMPLATES }, () => randomTemplate(random));
  assert.deepEqual(templateMismatches(templates), []);
});

test('format() of random values matches CPython', { skip }, () => {
  const random = seededRandom(7);
  const cases: { value: PyValue; spec: string }[] = [];
  for (let i = 0; i < GENERATED_FORMAT_CALLS; i++) {
    const roll = random();
    let value: PyValue;
    if (roll < 0.2) value = { type: 'str', value: randomString(random, 6) };
    else if (roll < 0.5) value = { type: 'int', value: randomInt(random) };
    else if (roll < 0.95) value = { type: 'float', value: randomFloat(random) };
    else value = { type: 'bool', value: random() < 0.5 };
    cases.push({ value, spec: randomSpec(random).replace(/[{}]/g, '') });
  }

  const results = runOracle(cases.map(({ value, spec }) => ({ op: 'format_value', value: tag(value), spec })));
  const mismatches: string[] = [];
  cases.forEach(({ value, spec }, i) => {
    const ours = describeOurs(() => pyFormat(value, spec));
    const python = describePython(results[i]);
    if (ours !== python) mismatches.push(`format(${pyRepr(value)}, ${JSON.stringify(spec)})\n    ours:   ${ours}\n    python: ${python}`);
  });
  assert.deepEqual(mismatches.slice(0, 30), []);
});

test('repr, str and ascii match CPython', { skip }, () => {
  const random = seededRandom(99);
  const values = [
    ...STANDARD_VARIABLES.map(([, value]) => value),
    ...Array.from({ length: GENERATED_REPRS }, () => randomValue(random)),
  ];
  const results = runOracle(values.map((value) => ({ op: 'repr', value: tag(value) })));
  const mismatches: string[] = [];
  values.forEach((value, i) => {
    const result = results[i];
    assert.ok(result.ok, `python failed on value ${i}`);
    const ours = { repr: pyRepr(value), str: pyToString(value), ascii: pyAscii(value) };
    const python = { repr: result.repr, str: result.str, ascii: result.ascii };
    if (JSON.stringify(ours) !== JSON.stringify(python)) mismatches.push(`ours:   ${JSON.stringify(ours)}\n    python: ${JSON.stringify(python)}`);
  });
  assert.deepEqual(mismatches.slice(0, 20), []);
});

/** Compares values after a round trip through the oracle's tagged form (NaN compares equal to NaN). */
function sameValue(a: PyValue, b: PyValue): boolean {
  return JSON.stringify(tag(a)) === JSON.stringify(tag(b));
}

test('literal parser matches ast.literal_eval', { skip }, () => {
  const random = seededRandom(5);
  const texts = [
    ...Array.from({ length: 300 }, () => pyRepr(randomValue(random))).filter((text) => !/\b(inf|nan)\b/.test(text)),
    "'a' ", ' [1, 2,]', '(1,)', '(1)', '()', '{1: 2, 1.0: 3, True: 4}', "{'a': 1, 'a': 2}", '-5', '- 5', '+5', '1_000',
    '1e5', '1E-5', '.5', '5.', '00', "'\\x41\\u00e9\\U0001F600\\n\\t\\\\\\'\\0\\101\\q'", '"\\""', "'''", '[1, [2, [3]]]',
    "'\\\n'", 'True', 'None', 'False', '[True, None]', "{'k': (1, 2)}", '1.5e+300', '1e400', '-0.0', '-0',
  ];
  const results = runOracle(texts.map((text) => ({ op: 'literal', text })));
  const mismatches: string[] = [];
  texts.forEach((text, i) => {
    const result = results[i];
    let ours: PyValue | string;
    try {
      ours = parsePythonLiteral(text);
    } catch (error) {
      ours = `error: ${(error as Error).message}`;
    }
    if (!result.ok) {
      if (typeof ours !== 'string') mismatches.push(`${JSON.stringify(text)}: ours parsed, python raised ${result.exception}`);
      return;
    }
    if (typeof ours === 'string' || !sameValue(ours, untag(result.value as TaggedValue))) {
      mismatches.push(`${JSON.stringify(text)}\n    ours:   ${typeof ours === 'string' ? ours : pyRepr(ours)}\n    python: ${pyRepr(untag(result.value as TaggedValue))}`);
    }
  });
  assert.deepEqual(mismatches, []);
});

test('JSON parser matches json.loads', { skip }, () => {
  const texts = [
    '1', '1.0', '-0', '-0.0', '1e5', '1E400', '-1e400', 'NaN', 'Infinity', '-Infinity', '12345678901234567890123',
    '{"b": 1, "a": 2, "2": 3, "1": 4}', '{"a": 1, "a": 2}', '[1, 2.5, "x", true, false, null]', '"\\ud83d\\ude00"',
    '"\\ud800"', '"\\u00e9\\n\\/"', ' {"k": {"n": [1, {"m": 0.1}]}} ', '0.1', '5e-324', '123.456e-2',
  ];
  const results = runOracle(texts.map((text) => ({ op: 'json', text })));
  texts.forEach((text, i) => {
    const result = results[i];
    assert.ok(result.ok, `python failed on ${text}`);
    const ours = parseJsonValue(text);
    assert.equal(pyRepr(ours), pyRepr(untag(result.value as TaggedValue)), text);
  });
});

const CHAT_TEMPLATES = [
  "[{'role': 'system', 'content': 'Reply as JSON: {{\"answer\": \"{name}\", \"score\": {f:.2f}}}'}, {'role': 'user', 'content': '{uni!r} and {l[1]}'}]",
  "[{'role': 'user', 'content': 'Hi {name}', 'name': 'bob', 'meta': {'k': [1, 2.5, None]}}, {'role': 'assistant'}]",
  "[{'content': '{i:+08,d}', 'role': 'user'}, {'role': 'system', 'content': \"it's {quote!r}\"}]",
  "[{'role': 'user', 'content': 'broken } brace'}]",
  "[{'role': 'user', 'content': 'ok'}, {'role': 'user', 'content': '{missing}'}]",
  "[{'role': 'user', 'content': ['not', 'a', 'str']}]",
  "[{'role': 'user', 'content': 'tab\\there\\nnew {d[nested][a][0]:>4}'}]",
  '[]',
];

test('chat templates match FlowyML render', { skip }, () => {
  const results = runOracle(CHAT_TEMPLATES.map((template) => ({ op: 'chat', template, vars: taggedVariables })));
  CHAT_TEMPLATES.forEach((template, i) => {
    const info = promptTemplateOf({
      version: { id: 'chat', type: 'Prompt' } as AssetVersion,
      properties: { typed: { prompt_format: 'chat' }, extra: { value: template } },
      raw: {},
      rawTruncated: false,
      children: [],
    });
    assert.ok(info.available, template);
    const rendered = renderPrompt(info.template, variables);
    const result = results[i];
    if (!result.ok) {
      assert.equal(`${rendered.error?.exception}: ${rendered.error?.pythonMessage}`, `${result.exception}: ${result.message}`, template);
      return;
    }
    assert.equal(rendered.error, undefined, template);
    const ours = rendered.kind === 'chat' ? rendered.messages.map((m) => m.message) : [];
    assert.equal(pyRepr({ type: 'list', items: ours }), pyRepr(untag(result.value as TaggedValue)), template);
  });
});
