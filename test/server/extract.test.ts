import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { extractSymbols } from '../../src/server/python/extract';
import type { FileSymbols, NameValue } from '../../src/server/python/model';
import { locateParserFiles, PythonParser } from '../../src/server/python/parser';
import { decodeStringContent } from '../../src/server/python/values';
import { SourceText } from '../../src/server/text/source';

let parser: PythonParser;

before(async () => {
  parser = await PythonParser.load(locateParserFiles());
});

function extract(text: string): FileSymbols {
  const tree = parser.parse(text);
  try {
    return extractSymbols(tree, new SourceText(text), parser.offsetUnit);
  } finally {
    tree.delete();
  }
}

function staticName(value: NameValue | undefined): string | undefined {
  return value?.kind === 'static' ? value.value : undefined;
}

test('parser reports UTF-16 offsets', () => {
  assert.equal(parser.offsetUnit, 'utf16');
});

test('all nine asset types are recognised, with and without a prefix', () => {
  const symbols = extract(`
import flowyml
from flowyml import Asset, Artifact, Checkpoint, Dataset, FeatureSet, Metrics, Model, Prompt, Report
from flowyml.core import types as routed
a = Dataset.create(data=1, name="d")
b = Model.from_sklearn(m, name="m1")
c = Model.from_pytorch(m, name="m2")
d = Model.from_keras(m, name="m3")
e = Metrics.create(name="me", auc=1.0)
f = Prompt(name="p1", template="t")
g = Prompt.create(template="t", name="p2")
h = Checkpoint.create(data=1, name="c")
i = FeatureSet(name="fs")
j = Report(name="r")
k = Artifact(name="a")
l = Asset(name="x")
m = flowyml.Dataset(name="prefixed")
n = routed.Model(data=1, name="routed_model")
o = flowyml.Model.create(data=1, name="prefixed_factory")
`);
  const found = symbols.assets.map((a) => [a.assetType, a.factory ?? '', staticName(a.name?.value)]);

  assert.deepEqual(found, [
    ['Dataset', 'create', 'd'],
    ['Model', 'from_sklearn', 'm1'],
    ['Model', 'from_pytorch', 'm2'],
    ['Model', 'from_keras', 'm3'],
    ['Metrics', 'create', 'me'],
    ['Prompt', '', 'p1'],
    ['Prompt', 'create', 'p2'],
    ['Checkpoint', 'create', 'c'],
    ['FeatureSet', '', 'fs'],
    ['Report', '', 'r'],
    ['Artifact', '', 'a'],
    ['Asset', '', 'x'],
    ['Dataset', '', 'prefixed'],
    ['Model', '', 'routed_model'],
    ['Model', 'create', 'prefixed_factory'],
  ]);
});

test('classes of the same name from other libraries are ignored', () => {
  const symbols = extract(`
from flowyml import step
from datasets import Dataset
from torch.utils.data import Dataset as TorchDataset
import pandas as pd
a = Dataset.from_dict({"x": [1]})
b = TorchDataset()
c = pd.Model(name="x")
`);

  assert.deepEqual(symbols.assets, []);
});

test('file without a FlowyML import has no symbols', () => {
  const symbols = extract('x = Dataset.create(data=1, name="d")\n');

  assert.deepEqual(symbols.targets, []);
});

test('aliased imports resolve to the FlowyML class', () => {
  const symbols = extract('from flowyml import Dataset as D\nx = D.create(data=1, name="aliased")\n');

  assert.equal(symbols.assets[0].assetType, 'Dataset');
  assert.equal(staticName(symbols.assets[0].name?.value), 'aliased');
});

test('constructor first positional argument is its name', () => {
  const symbols = extract(`
from flowyml import Prompt, Dataset
from flowyml.core import types as routed
a = Prompt("positional", template="t")
b = Dataset.create("data.csv")
c = routed.Metrics({"auc": 0.9})
`);

  assert.equal(staticName(symbols.assets[0].name?.value), 'positional');
  assert.equal(symbols.assets[1].name, undefined);
  assert.equal(symbols.assets[2].name, undefined);
});

test('names resolve through constants, f-strings and concatenation', () => {
  const symbols = extract(`
from flowyml import Dataset
BASE = "sales"
VERSION = 2
FULL = f"{BASE}_v{VERSION}"
JOINED = BASE + "_" + "raw"
ALIAS = FULL
IMPLICIT = "a" "b"
a = Dataset.create(data=1, name=FULL)
b = Dataset.create(data=1, name=JOINED)
c = Dataset.create(data=1, name=ALIAS)
d = Dataset.create(data=1, name=IMPLICIT)
e = Dataset.create(data=1, name=f"{BASE}/{{braces}}")
`);
  const names = symbols.assets.map((a) => a.name?.value);

  assert.deepEqual(names[0], { kind: 'static', value: 'sales_v2', constant: 'FULL' });
  assert.deepEqual(names[1], { kind: 'static', value: 'sales_raw', constant: 'JOINED' });
  assert.deepEqual(names[2], { kind: 'static', value: 'sales_v2', constant: 'ALIAS' });
  assert.deepEqual(names[3], { kind: 'static', value: 'ab', constant: 'IMPLICIT' });
  assert.deepEqual(names[4], { kind: 'static', value: 'sales/{braces}', constant: undefined });
});

test('run-time names are computed, with a pattern of the static parts', () => {
  const symbols = extract(`
from flowyml import Checkpoint, Dataset
TWICE = "a"
TWICE = "b"
def f(version, epoch, name):
    Checkpoint.create(data=1, name=f"model_{version}_epoch{epoch}")
    Dataset.create(data=1, name=name)
    Dataset.create(data=1, name=TWICE)
    Dataset.create(data=1, name=f"{version!r}")
`);
  const [checkpoint, variable, reassigned, converted] = symbols.assets.map((a) => a.name?.value);

  assert.equal(checkpoint?.kind, 'computed');
  assert.equal(checkpoint?.kind === 'computed' && checkpoint.text, 'f"model_{version}_epoch{epoch}"');
  assert.equal(checkpoint?.kind === 'computed' && checkpoint.pattern?.test('model_v1.0.0_epoch3'), true);
  assert.equal(checkpoint?.kind === 'computed' && checkpoint.pattern?.test('model_v1_other'), false);
  assert.deepEqual(variable, { kind: 'computed', text: 'name', pattern: undefined });
  assert.equal(reassigned?.kind, 'computed');
  assert.equal(converted?.kind, 'computed');
});

test('steps with and without decorator arguments', () => {
  const symbols = extract(`
import flowyml
from flowyml import step
OUTS = ["data/clean"]

@step
def bare():
    pass

@step(inputs=["data/raw"], outputs=OUTS, name="renamed")
def cleaner(raw):
    pass

@flowyml.step(
    outputs=[
        "model/best",  # a comment between names
    ],
)
async def trainer():
    pass
`);
  const steps = symbols.steps.map((s) => ({
    name: s.name,
    functionName: s.functionName,
    inputs: s.inputs.map((i) => staticName(i.name.value)),
    outputs: s.outputs.map((o) => staticName(o.name.value)),
  }));

  assert.deepEqual(steps, [
    { name: 'bare', functionName: 'bare', inputs: [], outputs: [] },
    { name: 'renamed', functionName: 'cleaner', inputs: ['data/raw'], outputs: ['data/clean'] },
    { name: 'trainer', functionName: 'trainer', inputs: [], outputs: ['model/best'] },
  ]);
});

test('asset calls inside a step know their step', () => {
  const symbols = extract(`
from flowyml import Dataset, step
@step(outputs=["data/raw"])
def load():
    return Dataset.create(data=1, name="raw")
x = Dataset.create(data=1, name="outside")
`);

  assert.equal(symbols.assets[0].step?.name, 'load');
  assert.equal(symbols.assets[1].step, undefined);
});

test('pipelines and add_step references, chained and through a loop', () => {
  const symbols = extract(`
from flowyml import Pipeline, Project, step
NAME = "nightly"
p = Pipeline(NAME, context=None)
q = Pipeline(name="weekly")
r = Project("x").create_pipeline("from_project")
p.add_step(load).add_step(train)
for s in (clean, featurize):
    q.add_step(s)
`);

  assert.deepEqual(symbols.pipelines.map((p) => staticName(p.name?.value)), ['nightly', 'weekly', 'from_project']);
  assert.deepEqual(symbols.stepRefs.map((r) => r.functionName).sort(), ['clean', 'featurize', 'load', 'train']);
});

test('prompt templates spelled out in source are kept', () => {
  const symbols = extract(`
from flowyml import Prompt
TEMPLATE = "Hello {name}"
a = Prompt(name="text", template=TEMPLATE)
b = Prompt.create(name="chat", template=[
    {"role": "system", "content": "Be brief."},
    {"role": "user", "content": "Explain {topic}."},
])
c = Prompt(name="dynamic", template=load())
`);

  assert.equal(symbols.assets[0].template, 'Hello {name}');
  assert.deepEqual(symbols.assets[1].template, [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Explain {topic}.' },
  ]);
  assert.equal(symbols.assets[2].template, undefined);
});

test('string escapes decode as Python does', () => {
  assert.equal(decodeStringContent('a\\nb\\t\\\\\\x41\\u00e9\\101', false, false), 'a\nb\t\\Aé' + 'A');
  assert.equal(decodeStringContent('\\d\\q', false, false), '\\d\\q');
  assert.equal(decodeStringContent('a\\nb', true, false), 'a\\nb');
  assert.equal(decodeStringContent('{{x}}', false, true), '{x}');
  assert.equal(decodeStringContent('{{x}}', false, false), '{{x}}');
});

test('name spans are UTF-16 offsets on lines with emoji and CJK', () => {
  const text = 'from flowyml import Dataset\nx = "😀日本"; d = Dataset.create(data=1, name="iris_raw")\n';
  const symbols = extract(text);
  const span = symbols.assets[0].name!.span;

  assert.equal(text.slice(span.start, span.end), '"iris_raw"');
});
