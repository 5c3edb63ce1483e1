// Content hashes of values must equal what FlowyML computes in Python:
// sha256(json.dumps(data, sort_keys=True, default=str)). Each case is
// checked against python3 itself, parsing the same text with json.loads or
// yaml.safe_load.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { floatRepr, hashValue, parsePythonJson, parsePythonYaml, pythonJsonDumps } from '../../../src/core/register/index';
import { PYTHON, pythonAvailable, pythonJson } from '../../helpers/register-files';

const skipPython = pythonAvailable();
const skipYaml = skipPython ?? (spawnSync(PYTHON, ['-c', 'import yaml']).status === 0 ? undefined : 'python3 has no yaml module (PyYAML)');

const JSON_CASES = [
  '{"b": 1, "a": [1.0, 2.5, -0.0, 0, -0, 1e16, 1e15, 1e-5, 0.0001, 123456789.123, 1.5e300, 5e-324, 1.7976931348623157e308]}',
  '{"big": 123456789012345678901234567890, "neg": -9007199254740993, "safe": 9007199254740991}',
  '{"nan": NaN, "inf": Infinity, "minus": -Infinity, "huge": 1e400}',
  '{"text": "é ñ 名前 😀 \\u0000 \\u007f \\u2028 tab\\there \\"quoted\\" back\\\\slash / slash"}',
  '{"\\uff5e": 1, "\\ud83d\\ude00": 2, "a": 3, "B": 4, "": 5}',
  '[true, false, null, [], {}, [[{"z": {"y": {"x": 1}}}]]]',
  '{"dup": 1, "other": 2, "dup": 3}',
  '"a lone string"',
  '0.1',
  '{"metrics": {"auc": 0.71205, "accuracy": 0.79587, "f1": 0.07059, "n_eval": 387}}',
];

const PYTHON_HASH = String.raw`
import hashlib, json, sys
request = json.load(sys.stdin)
out = []
for text in request["texts"]:
    if request["syntax"] == "yaml":
        import yaml
        data = yaml.safe_load(text)
    else:
        data = json.loads(text)
    dumped = json.dumps(data, sort_keys=True, default=str)
    out.append([dumped, hashlib.sha256(dumped.encode()).hexdigest()])
print(json.dumps(out))
`;

describe('json values', { skip: skipPython }, () => {
  const expected = skipPython ? [] : pythonJson<[string, string][]>(PYTHON_HASH, { syntax: 'json', texts: JSON_CASES });

  JSON_CASES.forEach((text, index) => {
    test(`json case ${index + 1} dumps and hashes as python`, () => {
      const value = parsePythonJson(text);
      assert.equal(pythonJsonDumps(value, { sortKeys: true }), expected[index][0]);
      assert.equal(hashValue(value), expected[index][1]);
    });
  });

  test('invalid json is rejected', () => {
    assert.throws(() => parsePythonJson('{"a": }'), /invalid JSON at character 6/);
    assert.throws(() => parsePythonJson('[1, 2] x'), /unexpected text/);
  });
});

const YAML_CASES = [
  'auc: 0.71\naccuracy: 1.0\nn: 387\nrate: 1e3\nok: yes\noff_flag: off\nempty:\nnull_value: ~',
  'octal: 017\nhex: 0x1F\nbinary: 0b101\nsexagesimal: 1:30\nfloat_sexagesimal: 1:30.5\nunderscored: 1_000\nsigned: +12\nzero: 0',
  'inf: .inf\nneg_inf: -.inf\nnan: .NaN\ndot: .5\nexp: 1.0e+3\ntrailing: 3.',
  'when: 2024-01-02\nquoted_number: "12"\nsingle: \'yes\'\nplain: hello world\nunicode: Zoë 東京',
  'list:\n  - 1\n  - two\n  - 3.0\nnested:\n  b: {y: 2, x: 1}\n  a: [true, false, null]',
  'anchor: &base\n  k: 1\nalias: *base\nnumbers: {1: one, 2: two, 10: ten, 1.5: half, true: yes}',
  'block: |\n  line one\n  line {two}\nfolded: >\n  a\n  b\n',
  '!!str 123',
  'explicit_float: !!float 3\nexplicit_int: !!int "7"',
];

describe('yaml values', { skip: skipYaml }, () => {
  const expected = skipYaml ? [] : pythonJson<[string, string][]>(PYTHON_HASH, { syntax: 'yaml', texts: YAML_CASES });

  YAML_CASES.forEach((text, index) => {
    test(`yaml case ${index + 1} hashes as pyyaml`, () => {
      const value = parsePythonYaml(text);
      assert.equal(pythonJsonDumps(value, { sortKeys: true }), expected[index][0]);
      assert.equal(hashValue(value), expected[index][1]);
    });
  });

  test('yaml datetime is rejected with a hint', () => {
    assert.throws(() => parsePythonYaml('at: 2024-01-02 10:00:00'), /quote it/);
  });

  test('yaml with mixed key types is rejected for hashing', () => {
    assert.throws(() => hashValue(parsePythonYaml('1: a\nb: c')), /mixed types/);
  });
});

describe('float repr', () => {
  test('float repr matches python', { skip: skipPython }, () => {
    const numbers = [1, 0.1, 0.5, 100, 1e15, 1e16, 1.5e16, 123456789012345680000, 1e-4, 1e-5, 2.5e-5, 5e-324, 1.7976931348623157e308, 3.14159, -2.5, 1 / 3, 2 / 3, 1e22, 4.35, 0.30000000000000004];
    const python = pythonJson<string[]>('import json, sys\nprint(json.dumps([repr(float(x)) for x in json.load(sys.stdin)]))', numbers);
    assert.deepEqual(numbers.map(floatRepr), python);
  });

  test('integral plain numbers print as ints', () => {
    assert.equal(pythonJsonDumps({ a: 2, b: 2.5, c: -0 }), '{"a": 2, "b": 2.5, "c": 0}');
  });
});
