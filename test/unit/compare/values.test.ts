// The value helpers of the comparison: equality, deltas, paths, display text
// and the line diff of templates.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diffLines, formatDelta, formatValue, valuesEqual } from '../../../src/core/index';
import { childPath, lastKey, leafChange, numericDelta } from '../../../src/core/compare/values';

test('valuesEqual on special numbers', () => {
  assert.equal(valuesEqual(NaN, NaN), true);
  assert.equal(valuesEqual(NaN, 0), false);
  assert.equal(valuesEqual(Infinity, Infinity), true);
  assert.equal(valuesEqual(Infinity, -Infinity), false);
  assert.equal(valuesEqual(2n ** 60n, 2n ** 60n), true);
  assert.equal(valuesEqual(3n, 3), true);
  assert.equal(valuesEqual(3n, 3.5), false);
  assert.equal(valuesEqual(1, '1'), false);
});

test('valuesEqual on nested values', () => {
  assert.equal(valuesEqual({ a: [1, { b: NaN }] }, { a: [1, { b: NaN }] }), true);
  assert.equal(valuesEqual({ a: 1, b: 2 }, { b: 2, a: 1 }), true, 'key order does not matter');
  assert.equal(valuesEqual([1, 2], [2, 1]), false, 'array order matters');
  assert.equal(valuesEqual({ a: 1 }, { a: 1, b: undefined }), false);
  assert.equal(valuesEqual([], {}), false);
  assert.equal(valuesEqual(null, null), true);
});

test('numericDelta cases', () => {
  assert.deepEqual(numericDelta(4, 5), { absolute: 1, relative: 0.25, direction: 'up' });
  assert.deepEqual(numericDelta(0, 5), { absolute: 5, relative: null, direction: 'up' });
  assert.deepEqual(numericDelta(-2, -3), { absolute: -1, relative: -0.5, direction: 'down' });
  assert.deepEqual(numericDelta(7, 7), { absolute: 0, relative: 0, direction: 'none' });
  assert.deepEqual(numericDelta(2n ** 62n, 2n ** 62n + 1n), { absolute: 1, relative: 1 / 2 ** 62, direction: 'up' });
  assert.deepEqual(numericDelta(2n, 2.5), { absolute: 0.5, relative: 0.25, direction: 'up' });
  assert.equal(numericDelta(NaN, 1), undefined);
  assert.equal(numericDelta(1, Infinity), undefined);
  assert.equal(numericDelta(true, false), undefined);
  assert.equal(numericDelta('1', 2), undefined);
});

test('formatDelta rounds binary noise', () => {
  assert.equal(formatDelta({ absolute: 0.10000000000000009, relative: 0.1, direction: 'up' }), '+0.1 (+10%)');
  assert.equal(formatDelta({ absolute: -0.00027000000000004576, relative: -0.000598, direction: 'down' }), '-0.00027 (-0.0598%)');
  assert.equal(formatDelta({ absolute: 5, relative: null, direction: 'up' }), '+5');
  assert.equal(formatDelta({ absolute: 0, relative: 0, direction: 'none' }), '0');
});

test('formatValue of each type', () => {
  assert.equal(formatValue('text'), 'text');
  assert.equal(formatValue(NaN), 'NaN');
  assert.equal(formatValue(-Infinity), '-Infinity');
  assert.equal(formatValue(2n ** 64n), '18446744073709551616');
  assert.equal(formatValue(null), 'null');
  assert.equal(formatValue({ a: [1, NaN] }), '{"a":[1,"NaN"]}');
  assert.equal(formatValue('abcdef', 4), 'abc…');
});

test('childPath quotes odd keys', () => {
  assert.equal(childPath('properties', 'C'), 'properties.C');
  assert.equal(childPath('properties', 'a.b'), 'properties["a.b"]');
  assert.equal(childPath('properties', '0'), 'properties["0"]');
  assert.equal(childPath('', 'tags'), 'tags');
  assert.equal(childPath('', 'two words'), '["two words"]');
  assert.equal(lastKey('properties.column_stats.age.mean'), 'mean');
  assert.equal(lastKey('properties.column_stats["a.b"]'), 'a.b');
  assert.equal(lastKey(childPath('x', 'a["q"]')), 'a["q"]');
});

test('leafChange kinds', () => {
  assert.equal(leafChange('p', 'typed', undefined, 1).kind, 'added');
  assert.equal(leafChange('p', 'typed', 1, undefined).kind, 'removed');
  assert.equal(leafChange('p', 'typed', null, 1).kind, 'changed');
  assert.equal(Object.hasOwn(leafChange('p', 'typed', null, 1), 'a'), true, 'a stored null is a value');
  assert.equal(leafChange('p', 'typed', [1], [1]).kind, 'unchanged');
});

test('diffLines marks kept, removed and added lines', () => {
  assert.deepEqual(diffLines('a\nb\nc', 'a\nx\nc\nd'), [
    { op: ' ', text: 'a' },
    { op: '-', text: 'b' },
    { op: '+', text: 'x' },
    { op: ' ', text: 'c' },
    { op: '+', text: 'd' },
  ]);
  assert.deepEqual(diffLines('same', 'same'), [{ op: ' ', text: 'same' }]);
  assert.deepEqual(diffLines('', 'new'), [{ op: '-', text: '' }, { op: '+', text: 'new' }]);
});
