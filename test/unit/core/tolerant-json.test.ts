import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JsonParseError, LONG_INTEGER_PART, parseTolerantJson, stringifyJson, tryParseTolerantJson } from '../../../src/core/json/tolerant';

test('bare NaN and Infinity tokens parse as numbers', () => {
  const value = parseTolerantJson('{"loss": NaN, "grad_norm": Infinity, "min_logit": -Infinity, "lr": 0.1}') as Record<string, number>;
  assert.ok(Number.isNaN(value.loss));
  assert.equal(value.grad_norm, Infinity);
  assert.equal(value.min_logit, -Infinity);
  assert.equal(value.lr, 0.1);
});

test('tokens inside strings stay text', () => {
  const value = parseTolerantJson('{"note": "NaN and Infinity and 12345678901234567890", "q": "say \\"NaN\\""}') as Record<string, string>;
  assert.equal(value.note, 'NaN and Infinity and 12345678901234567890');
  assert.equal(value.q, 'say "NaN"');
});

test('64-bit integers stay exact', () => {
  const value = parseTolerantJson('{"id": 9007199254740993, "neg": -9223372036854775808, "small": 9007199254740991}') as Record<string, unknown>;
  assert.equal(value.id, 9007199254740993n);
  assert.equal(value.neg, -9223372036854775808n);
  assert.equal(value.small, 9007199254740991);
});

test('long integer check: integers only', () => {
  for (const text of ['12345678901234567', '-9223372036854775808', '[1234567890123456]', '{"a":1,"b":9007199254740993}']) {
    assert.ok(LONG_INTEGER_PART.test(text), text);
  }
  // Python's float repr writes up to 17 significant digits, in the fraction or the exponent's mantissa.
  for (const text of ['0.8444218515250481', '0.30000000000000004', '1.2345678901234567e+30', '1e+1234567890123456', '123456789012345']) {
    assert.ok(!LONG_INTEGER_PART.test(text), text);
  }
});

test('long floats beside big integers', () => {
  const value = parseTolerantJson('{"d": 0.30000000000000004, "e": 1.2345678901234567e+300, "big": [12345678901234567890]}') as Record<string, unknown>;
  assert.equal(value.d, 0.30000000000000004);
  assert.equal(value.e, 1.2345678901234567e+300);
  assert.deepEqual(value.big, [12345678901234567890n]);
  // Without a long integer the fast path gives the same floats.
  assert.deepEqual(parseTolerantJson('{"d": 0.30000000000000004, "f": 0.8444218515250481}'), { d: 0.30000000000000004, f: 0.8444218515250481 });
});

test('stringify writes bigints exactly and NaN as a string', () => {
  const text = stringifyJson({ id: 9007199254740993n, loss: NaN, up: Infinity, down: -Infinity, ok: 1 });
  assert.equal(text, '{"id":9007199254740993,"loss":"NaN","up":"Infinity","down":"-Infinity","ok":1}');
});

test('malformed JSON raises JsonParseError with position', () => {
  assert.throws(() => parseTolerantJson('{"a": 1,, }'), (error: unknown) => error instanceof JsonParseError && /position 8/.test(error.message));
});

test('deeply nested JSON parses or fails cleanly', () => {
  const deep = '['.repeat(1000) + ']'.repeat(1000);
  assert.ok(Array.isArray(parseTolerantJson(deep)));
  const result = tryParseTolerantJson('['.repeat(10_000_000), null);
  assert.equal(result.value, null);
  assert.match(result.error ?? '', /invalid JSON|nested too deeply/);
});

test('tryParse returns the fallback for empty text', () => {
  assert.deepEqual(tryParseTolerantJson('', []), { value: [] });
  assert.deepEqual(tryParseTolerantJson(null, {}), { value: {} });
});
