/**
 * The file name an export of a comparison proposes: short and safe for any
 * stored name, including hostile and 100,000-character ones.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { comparisonFileStem, type Comparison } from '../../../src/core/index';

function comparisonOf(name: string, a: string | null, b: string | null): Comparison {
  const facts = (storedVersion: string | null, label: string) => ({ name, storedVersion, label });
  return { a: facts(a, '#1'), b: facts(b, '#2') } as unknown as Comparison;
}

describe('comparison file stem', () => {
  test('stored versions name the sides', () => {
    assert.equal(comparisonFileStem(comparisonOf('churn_model', 'v1.0.0', 'v2.0.0')), 'churn_model-v1.0.0-vs-v2.0.0');
  });

  test('labels stand in for missing versions', () => {
    assert.equal(comparisonFileStem(comparisonOf('iris', null, null)), 'iris-_1-vs-_2');
  });

  test('path and shell characters become underscores', () => {
    assert.equal(comparisonFileStem(comparisonOf('../../etc/passwd; rm -rf ~', 'v1', 'v2')), '__.._etc_passwd_rm_-rf_-v1-vs-v2');
  });

  test('a leading dot cannot hide the file', () => {
    assert.equal(comparisonFileStem(comparisonOf('.env', 'v1', 'v2')), '_env-v1-vs-v2');
  });

  test('a huge name is cut to 120 characters', () => {
    const stem = comparisonFileStem(comparisonOf('x'.repeat(100_000), 'v1', 'v2'));
    assert.equal(stem.length, 120);
    assert.equal(stem, 'x'.repeat(120));
  });

  test('a name of only symbols still gives a stem', () => {
    assert.equal(comparisonFileStem(comparisonOf('模型', 'β', 'γ')), '_-_-vs-_');
  });
});
