/**
 * YAML text into the values PyYAML's `yaml.safe_load` returns, so that a
 * value registered from a YAML selection hashes as it would in Python.
 *
 * The `yaml` package parses the structure with the failsafe schema, which
 * leaves every scalar as text. Plain scalars are then resolved with the
 * YAML 1.1 rules PyYAML's resolver applies (PyYAML 6): `yes`/`off` are
 * booleans, `0o17` is a string while `017` is octal, `1e3` is a string
 * because a float needs a dot, `1:30` is sexagesimal.
 */
import { Alias, type Document, isAlias, isMap, isScalar, isSeq, parseDocument, Scalar } from 'yaml';
import { PyDict, PyFloat, type PyKey, type PyValue, PythonJsonError } from './python-json';

const NULL_PATTERN = /^(?:~|null|Null|NULL|)$/;
const BOOL_PATTERN = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const INT_PATTERN = /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const FLOAT_PATTERN = /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const DATE_PATTERN = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;
const DATETIME_PATTERN = /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?$/;

/** Parses one YAML document into Python values. Throws PythonJsonError for what cannot be reproduced. */
export function parsePythonYaml(text: string): PyValue {
  const doc = parseDocument(text, { schema: 'failsafe', uniqueKeys: false });
  if (doc.errors.length > 0) throw new PythonJsonError(`invalid YAML: ${doc.errors[0].message}`);
  return convert(doc.contents, doc, 0);
}

function convert(node: unknown, doc: Document, depth: number): PyValue {
  if (depth > 1000) throw new PythonJsonError('YAML is nested too deeply');
  if (node === null || node === undefined) return null;
  if (isAlias(node)) return convert((node as Alias).resolve(doc), doc, depth + 1);
  if (isMap(node)) {
    const dict = new PyDict();
    for (const pair of node.items) {
      const key = convert(pair.key, doc, depth + 1);
      if (key === '<<' && isScalar(pair.key) && (pair.key as Scalar).type === Scalar.PLAIN) {
        throw new PythonJsonError('YAML merge keys (<<) are not supported for value hashing');
      }
      if (!isHashableKey(key)) throw new PythonJsonError('a YAML mapping key is a list or mapping, which Python cannot use as a dict key');
      dict.set(key, convert(pair.value, doc, depth + 1));
    }
    return dict;
  }
  if (isSeq(node)) return node.items.map((item) => convert(item, doc, depth + 1));
  if (isScalar(node)) return scalarValue(node as Scalar);
  throw new PythonJsonError('unsupported YAML node');
}

function isHashableKey(value: PyValue): value is PyKey {
  return !Array.isArray(value) && !(value instanceof PyDict);
}

function scalarValue(node: Scalar): PyValue {
  const text = String(node.value);
  const tag = node.tag;
  if (tag && tag !== 'tag:yaml.org,2002:str' && tag !== '!') return explicitlyTagged(text, tag);
  if (node.type !== Scalar.PLAIN || tag === 'tag:yaml.org,2002:str') return text;
  return resolvePlain(text);
}

function explicitlyTagged(text: string, tag: string): PyValue {
  switch (tag) {
    case 'tag:yaml.org,2002:null': return null;
    case 'tag:yaml.org,2002:bool': return /^(?:yes|true|on)$/i.test(text);
    case 'tag:yaml.org,2002:int': return yamlInt(text);
    case 'tag:yaml.org,2002:float': return yamlFloat(text);
    default: throw new PythonJsonError(`YAML tag ${tag} is not supported for value hashing`);
  }
}

/** Applies PyYAML's implicit resolvers to a plain scalar. */
export function resolvePlain(text: string): PyValue {
  if (NULL_PATTERN.test(text)) return null;
  if (BOOL_PATTERN.test(text)) return /^(?:yes|true|on)$/i.test(text);
  if (INT_PATTERN.test(text)) return yamlInt(text);
  if (FLOAT_PATTERN.test(text)) return yamlFloat(text);
  // default=str turns a datetime.date into its ISO text, which is the scalar itself.
  if (DATE_PATTERN.test(text)) return text;
  if (DATETIME_PATTERN.test(text)) {
    throw new PythonJsonError(`the YAML timestamp ${text} becomes a Python datetime, whose str() is not reproduced; quote it to register it as text`);
  }
  return text;
}

function yamlInt(raw: string): number | bigint {
  let text = raw.replace(/_/g, '');
  let sign = BigInt(1);
  if (text.startsWith('-')) sign = BigInt(-1);
  if (text.startsWith('-') || text.startsWith('+')) text = text.slice(1);
  let value: bigint;
  if (text === '0') value = BigInt(0);
  else if (text.startsWith('0b')) value = BigInt(text);
  else if (text.startsWith('0x')) value = BigInt(text);
  else if (text.startsWith('0')) value = BigInt(`0o${text.slice(1)}`);
  else if (text.includes(':')) value = text.split(':').reduce((sum, part) => sum * BigInt(60) + BigInt(part), BigInt(0));
  else value = BigInt(text);
  const signed = sign * value;
  const safe = signed <= BigInt(Number.MAX_SAFE_INTEGER) && signed >= BigInt(Number.MIN_SAFE_INTEGER);
  return safe ? Number(signed) : signed;
}

function yamlFloat(raw: string): number | PyFloat {
  let text = raw.replace(/_/g, '').toLowerCase();
  let sign = 1;
  if (text.startsWith('-')) sign = -1;
  if (text.startsWith('-') || text.startsWith('+')) text = text.slice(1);
  let value: number;
  if (text === '.inf') value = Infinity;
  else if (text === '.nan') value = NaN;
  else if (text.includes(':')) value = text.split(':').reduce((sum, part) => sum * 60 + Number(part), 0);
  else value = Number(text);
  value *= sign;
  return Number.isInteger(value) || !Number.isFinite(value) ? new PyFloat(value) : value;
}
