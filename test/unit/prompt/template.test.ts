// Parser and renderer facts Python does not report, so the oracle cannot
// check them: error positions, output spans, variable lists and the cases
// this module declines to reproduce.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  MAX_FORMAT_SIZE, formatTemplate, parseTemplate, pyFloat, pyFromJs, pyInt, pyRepr, pyStr, renderTemplate,
  type PromptFormatError, type PyValue,
} from '../../../src/core/prompt';

const vars = (entries: Record<string, PyValue>) => new Map(Object.entries(entries));

function errorOf(template: string, variables: Map<string, PyValue> = new Map()): PromptFormatError {
  const { error } = renderTemplate(template, variables);
  assert.ok(error, `expected an error for ${JSON.stringify(template)}`);
  return error;
}

test('single brace points at the brace', () => {
  const error = errorOf('Hello\n  x } y');
  assert.equal(error.exception, 'ValueError');
  assert.equal(error.pythonMessage, "Single '}' encountered in format string");
  assert.deepEqual(error.location, { offset: 10, end: 11, line: 2, column: 5 });
});

test('unclosed field points at its opening brace', () => {
  const error = errorOf('ab\r\ncd {name');
  assert.equal(error.pythonMessage, "expected '}' before end of string");
  assert.equal(error.location.line, 2);
  assert.equal(error.location.column, 4);
  assert.equal(error.location.end, 12);
});

test('missing key points at the name', () => {
  const error = errorOf('😀 {user.name:>5}', vars({}));
  assert.equal(error.exception, 'KeyError');
  assert.equal(error.pythonMessage, "'user'");
  assert.equal(error.location.column, 4, 'columns count code points, so the emoji is one column');
  assert.equal(error.location.offset, 4, 'offsets count UTF-16 units, so the emoji is two');
  assert.equal(error.location.end, 8);
  assert.match(error.message, /^KeyError: 'user' at line 1, column 4$/);
});

test('attribute error points at the attribute', () => {
  const error = errorOf('{d.k}', vars({ d: pyFromJs({ k: 1 }) }));
  assert.equal(error.exception, 'AttributeError');
  assert.equal(error.pythonMessage, "'dict' object has no attribute 'k'");
  assert.deepEqual([error.location.offset, error.location.end], [2, 4]);
});

test('positional field is an IndexError', () => {
  const error = errorOf('{name} {}', vars({ name: pyStr('x') }));
  assert.equal(error.exception, 'IndexError');
  assert.equal(error.pythonMessage, 'Replacement index 0 out of range for positional args tuple');
  assert.equal(error.location.column, 9);
});

test('bad spec points at the spec', () => {
  const error = errorOf('{x:.2d}', vars({ x: pyFloat(1.5) }));
  assert.equal(error.pythonMessage, "Unknown format code 'd' for object of type 'float'");
  assert.deepEqual([error.location.offset, error.location.end], [3, 6]);
});

test('error keeps the text rendered before it', () => {
  const result = renderTemplate('a{x}b{y}c', vars({ x: pyStr('X') }));
  assert.equal(result.text, 'aXb');
  assert.equal(result.error?.pythonMessage, "'y'");
  assert.deepEqual(result.used, ['x', 'y']);
});

test('spans map output back to variables', () => {
  const result = renderTemplate('Hi {name}, {{ok}} {n:{w}}!', vars({ name: pyStr('Ada'), n: pyInt(7), w: pyInt(3) }));
  assert.equal(result.text, 'Hi Ada, {ok}   7!');
  assert.deepEqual(result.spans.map((s) => [result.text.slice(s.start, s.end), s.variable ?? null, s.specVariables]), [
    ['Hi ', null, []],
    ['Ada', 'name', []],
    [', {ok} ', null, []],
    ['  7', 'n', ['w']],
    ['!', null, []],
  ]);
  assert.deepEqual(result.spans.map((s) => [s.templateStart, s.templateEnd]), [[0, 3], [3, 9], [9, 18], [18, 25], [25, 26]]);
});

test('spans list spec variables per field', () => {
  const result = renderTemplate('{a:{w}}|{b:{w}.{w}f}|{w:{w}}', vars({ a: pyStr('x'), b: pyFloat(1.5), w: pyInt(3) }));
  assert.equal(result.text, 'x  |1.500|  3');
  assert.deepEqual(result.spans.filter((s) => s.variable).map((s) => [s.variable, s.specVariables]), [['a', ['w']], ['b', ['w']], ['w', ['w']]]);
});

test('spans cover the whole output', () => {
  const result = renderTemplate('{a}{b}{a}', vars({ a: pyStr(''), b: pyStr('é😀') }));
  assert.equal(result.spans.length, 3);
  assert.equal(result.spans[0].end - result.spans[0].start, 0, 'an empty value still has a span');
  assert.deepEqual([result.spans[1].start, result.spans[1].end], [0, 3]);
  assert.equal(result.spans.at(-1)!.end, result.text.length);
});

test('variables are the names Python reads', () => {
  const parsed = parseTemplate('{b} {a.x} {b[0]} {{c}} {d:{w}.{p}f} {e!r} {0} {} {f:{g:{h}}}');
  assert.deepEqual(parsed.variables, ['b', 'a', 'd', 'w', 'p', 'e', 'f', 'g']);
  assert.equal(parsed.error, undefined);
});

test('variables stop at a syntax error', () => {
  const parsed = parseTemplate('{a} } {b}');
  assert.deepEqual(parsed.variables, ['a']);
  assert.equal(parsed.error?.message, "Single '}' encountered in format string");
  assert.equal(parsed.error?.start, 4);
});

test('JSON example with escaped braces renders', () => {
  const template = 'Reply as JSON: {{"summary": "{summary}", "tags": [{tag!r}]}}';
  assert.deepEqual(parseTemplate(template).variables, ['summary', 'tag']);
  assert.equal(formatTemplate(template, vars({ summary: pyStr('ok'), tag: pyStr('a') })), 'Reply as JSON: {"summary": "ok", "tags": [\'a\']}');
});

test('JSON example without escapes is a KeyError', () => {
  const error = errorOf('Reply as {"a": 1}', vars({}));
  assert.equal(error.exception, 'KeyError');
  assert.equal(error.pythonMessage, `'"a"'`);
});

test('method attribute is unsupported, not guessed', () => {
  const error = errorOf('{s.upper}', vars({ s: pyStr('x') }));
  assert.equal(error.exception, 'Unsupported');
  assert.match(error.pythonMessage, /memory address/);
  assert.equal(errorOf('{s.__class__}', vars({ s: pyStr('x') })).exception, 'Unsupported');
});

test('huge width is unsupported, not rendered', () => {
  const error = errorOf(`{s:${MAX_FORMAT_SIZE + 1}}`, vars({ s: pyStr('x') }));
  assert.equal(error.exception, 'Unsupported');
  assert.equal(formatTemplate(`{s:>${MAX_FORMAT_SIZE}}`, vars({ s: pyStr('x') })).length, MAX_FORMAT_SIZE);
});

test('plain object variables use own properties', () => {
  assert.equal(formatTemplate('{a}', { a: pyStr('x') }), 'x');
  assert.equal(renderTemplate('{constructor}', {}).error?.exception, 'KeyError');
});

test('pyFromJs maps integral numbers to int', () => {
  assert.equal(pyRepr(pyFromJs({ n: 1, f: 1.5, z: -0, b: true, none: null, big: 2n ** 70n, l: ['a'] })), "{'n': 1, 'f': 1.5, 'z': -0.0, 'b': True, 'none': None, 'big': 1180591620717411303424, 'l': ['a']}");
});

test('repr keeps characters newer than Unicode 14', () => {
  // NOTE: CPython 3.11 escapes U+1FAE8 (Unicode 15) as \U0001fae8; this module follows the engine's newer tables.
  assert.equal(pyRepr(pyStr('\u{1FAE8}')), "'\u{1FAE8}'");
});
