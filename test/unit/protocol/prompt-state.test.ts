/**
 * The prompt panel's saved view state: the host revives the panel after a
 * window reload only from a state whose origin it can load again.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isHostToPromptMessage, isPromptOrigin, isPromptViewState } from '../../../src/protocol/prompt';

const values = { ticket: { mode: 'text', text: 'Login fails.' } };

describe('prompt view state', () => {
  it('accepts a stored version or a source template as the origin', () => {
    assert.equal(isPromptOrigin({ kind: 'version', id: '.flowyml/catalog.db:artifacts:abc' }), true);
    assert.equal(isPromptOrigin({ kind: 'source', argument: { name: 'greeter', template: 'Hello {name}' } }), true);
    assert.equal(isPromptOrigin({ kind: 'source', argument: { template: [{ role: 'user', content: 'Hi {name}' }] } }), true);
  });

  it('rejects origins the host could not load', () => {
    assert.equal(isPromptOrigin({ kind: 'version' }), false);
    assert.equal(isPromptOrigin({ kind: 'version', id: 7 }), false);
    assert.equal(isPromptOrigin({ kind: 'source', argument: { template: 7 } }), false);
    assert.equal(isPromptOrigin({ kind: 'source', argument: { template: [{ role: 'user' }] } }), false);
    assert.equal(isPromptOrigin({ kind: 'file', path: '/etc/passwd' }), false);
    assert.equal(isPromptOrigin(null), false);
  });

  it('keeps states saved before the origin was recorded', () => {
    assert.equal(isPromptViewState({ name: 'ticket_summarizer', values }), true);
    assert.equal(isPromptViewState({ name: 'ticket_summarizer', values, origin: { kind: 'version', id: 'x' } }), true);
    assert.equal(isPromptViewState({ name: 'ticket_summarizer', values, origin: { kind: 'version' } }), false);
    assert.equal(isPromptViewState({ name: 'ticket_summarizer', values: { ticket: { mode: 'yaml', text: '' } } }), false);
  });

  it('requires the origin on a show message', () => {
    const preview = { template: { kind: 'text', text: 'Hi' } };
    const strings = {};
    assert.equal(isHostToPromptMessage({ type: 'show', preview, strings, origin: { kind: 'version', id: 'x' } }), true);
    assert.equal(isHostToPromptMessage({ type: 'show', preview, strings }), false);
  });
});
