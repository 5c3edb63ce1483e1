/**
 * The prompt panel's model and wire form in Node: a chat template survives
 * its trip to the webview with every key and type, JSON-mode values keep
 * Python's int and float apart, and the flags and pieces the panel draws.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  chatMessagesToJs, pyDict, pyFloat, pyInt, pyList, pyRepr, pyStr, renderPrompt, type PromptTemplate, type PyValue,
} from '../../src/core';
import { parseTemplate } from '../../src/core/prompt/index';
import { templateFromSource, templateSource, variablesFromInputs, type PromptPreview } from '../../src/protocol/prompt';
import { buildModel, codePoints } from '../../webview/prompt/model';
import { countTokens, encodingForModel } from '../../webview/prompt/tokens';

function chat(messages: PyValue[]): PromptTemplate {
  return {
    kind: 'chat',
    messages: messages.map((message) => {
      const content = message.type === 'dict' ? message.entries.find(([key]) => key.type === 'str' && key.value === 'content')?.[1] : undefined;
      const role = message.type === 'dict' ? message.entries.find(([key]) => key.type === 'str' && key.value === 'role')?.[1] : undefined;
      return {
        role: role?.type === 'str' ? role.value : undefined,
        content: content?.type === 'str' ? parseTemplate(content.value) : undefined,
        message,
      };
    }),
  };
}

function preview(template: PromptPreview['template'], overrides: Partial<PromptPreview> = {}): PromptPreview {
  return {
    name: 'p', versionLabel: undefined, id: undefined, sourceText: '', template, completeness: 'complete',
    note: undefined, storedVariables: undefined, model: undefined, modelSettings: [], values: {}, ...overrides,
  };
}

function renderedMessages(template: PromptTemplate, variables: Map<string, PyValue>): unknown[] {
  const rendered = renderPrompt(template, variables);

  return rendered.kind === 'chat' ? chatMessagesToJs(rendered.messages) : [];
}

describe('prompt panel model', () => {
  it('chat wire form keeps keys and types', () => {
    const original = chat([
      pyDict([[pyStr('role'), pyStr('system')], [pyStr('content'), pyStr('Be brief {{json}}.')]]),
      pyDict([[pyStr('role'), pyStr('user')], [pyStr('content'), pyStr('Hi {name}')], [pyStr('weight'), pyFloat(1)], [pyInt(7), pyList([pyStr('é\n')])]]),
      pyStr('not a dict'),
    ]);
    const source = templateSource(original);
    const copy = templateFromSource(source);

    assert.equal(source.kind, 'chat');
    assert.equal(copy.kind, 'chat');
    assert.deepEqual(copy.kind === 'chat' && copy.messages.map((message) => pyRepr(message.message)), original.kind === 'chat' && original.messages.map((message) => pyRepr(message.message)));
    const variables = new Map([['name', pyStr('Ada')]]);
    assert.deepEqual(renderedMessages(copy, variables), renderedMessages(original, variables));
  });

  it('JSON inputs keep int and float', () => {
    const { variables, invalid } = variablesFromInputs({
      count: { mode: 'json', text: '1' },
      ratio: { mode: 'json', text: '1.0' },
      text: { mode: 'text', text: '1' },
      broken: { mode: 'json', text: '{"a":' },
    });

    assert.deepEqual(variables.get('count'), pyInt(1));
    assert.deepEqual(variables.get('ratio'), pyFloat(1));
    assert.deepEqual(variables.get('text'), pyStr('1'));
    assert.equal(variables.has('broken'), false);
    assert.ok(invalid.has('broken'));
  });

  it('model flags missing and unused', () => {
    const model = buildModel(preview({ kind: 'text', text: 'A {a} B {b:>{width}} C' }), {
      a: { mode: 'text', text: 'x' },
      old: { mode: 'text', text: 'y' },
    });

    assert.deepEqual(model.variables, ['a', 'b', 'width']);
    assert.deepEqual(model.missing, ['b', 'width']);
    assert.deepEqual(model.unused, ['old']);
    assert.equal(model.error?.exception, 'KeyError');
    assert.deepEqual(model.parts[0].pieces.map((piece) => [piece.kind, piece.text]), [
      ['literal', 'A '], ['field', '{a}'], ['literal', ' B '], ['field', '{b:>{width}}'], ['literal', ' C'],
    ]);
    assert.deepEqual(model.parts[0].pieces[3].specVariables, ['width']);
    assert.equal(model.parts[0].pieces[3].failed, true);
  });

  it('cut template is not rendered', () => {
    const model = buildModel(preview({ kind: 'text', text: 'Hi {name}' }, { completeness: 'cut' }), { name: { mode: 'text', text: 'x' } });

    assert.equal(model.rendered, false);
    assert.equal(model.parts[0].output, undefined);
    assert.equal(model.characters, 0);
  });

  it('characters count code points', () => {
    const model = buildModel(preview({ kind: 'text', text: '{x}' }), { x: { mode: 'text', text: 'a😀' } });

    assert.equal(model.characters, 2);
    assert.equal(codePoints('a😀'), 2);
  });
});

describe('prompt token counts', () => {
  it('model names map to encodings', () => {
    const cases: [model: string | undefined, encoding: string | undefined][] = [
      ['gpt-4o-mini', 'o200k_base'],
      ['GPT-4o', 'o200k_base'],
      ['gpt-4.1-nano', 'o200k_base'],
      ['o1-mini', 'o200k_base'],
      ['o3', 'o200k_base'],
      ['gpt-4-turbo', 'cl100k_base'],
      ['gpt-4', 'cl100k_base'],
      ['gpt-3.5-turbo', 'cl100k_base'],
      ['claude-3', undefined],
      ['gemini-1.5-pro', undefined],
      ['llama-3-70b', undefined],
      ['', undefined],
      [undefined, undefined],
    ];
    for (const [model, encoding] of cases) {
      assert.equal(encodingForModel(model), encoding, `model ${model}`);
    }
  });

  it('counts sum over texts', () => {
    // "Hello world" is two tokens ("Hello", " world") in both encodings.
    assert.equal(countTokens(['Hello world'], 'o200k_base'), 2);
    assert.equal(countTokens(['Hello world', 'Hello world'], 'cl100k_base'), 4);
    assert.equal(countTokens([], 'o200k_base'), 0);
  });
});
