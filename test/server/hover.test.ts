/**
 * Hovers over the language server's streams, on the flowyml-1.7-basic store
 * with its pipeline.py and an edge-case file. Expected texts are literals,
 * checked against the store with the sqlite3 command line:
 *
 *   sqlite3 -readonly .flowyml/metadata.db "select name, run_id, json_extract(metadata, '$.properties') from artifacts"
 *
 * The store has three runs of iris_training. The last one, 894d7adb…, ran at
 * 2026-12-04 19:25:54 UTC.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { TRUSTED_HOVER_COMMANDS } from '../../src/protocol/lsp';
import { SMALL_FIXTURES } from '../helpers/paths';
import { positionOf, startServer, type OpenDocument, type TestClient } from './harness';

const ROOT = path.join(SMALL_FIXTURES, 'flowyml-1.7-basic');
const EDGE_CASES = fs.readFileSync(path.join(__dirname, 'python', 'edge_cases.py'), 'utf8');

const RUN_3 = '894d7adb-c71d-4754-a1af-2b905affe663';
const RUN_2 = '0f5d4615-f51f-4c49-a9c6-b8246f0a87d3';
const id = (run: string, step: string, output: string) => `.flowyml/metadata.db:artifacts:${run}_${step}_${encodeURIComponent(output)}`;

function link(label: string, command: string, ...args: unknown[]): string {
  return `[${label}](command:${command}?${encodeURIComponent(JSON.stringify(args))})`;
}

function versionLinks(latest: string, previous: string): string {
  return [
    link('Details', 'flowyml.showDetails', latest),
    link('Lineage', 'flowyml.showLineage', latest),
    link('Compare with previous', 'flowyml.compareVersions', previous, latest),
  ].join(' · ');
}

let client: TestClient;
let pipeline: OpenDocument;
let edge: OpenDocument;

before(async () => {
  client = await startServer({ roots: [ROOT] });
  pipeline = await client.open(path.join(ROOT, 'pipeline.py'));
  // Opened under the fixture folder, so the fixture's store is the one it belongs to.
  edge = await client.open(path.join(ROOT, 'edge_cases.py'), EDGE_CASES);
});

after(async () => {
  await client.close();
});

describe('pipeline.py of flowyml-1.7-basic', () => {
  test('asset name shows latest version, properties and lineage', async () => {
    const text = await client.hoverText(pipeline, positionOf(pipeline.text, 'name="iris_logreg"', { delta: 8 }));

    assert.equal(text, [
      '**Model** `iris_logreg`',
      'Latest version: **#3** (derived: no stored version) of 3',
      'Created 2026-12-04 19:25:54 UTC by step `train_model` in run `894d7adb` (pipeline `iris_training`, completed)',
      'framework: `sklearn` · class: `LogisticRegression`',
      'Parents (1): `iris_train` #3',
      'Children (1): `iris_eval` #3',
      'Consumed by step `evaluate`',
      versionLinks(id(RUN_3, 'train_model', 'model/logreg'), id(RUN_2, 'train_model', 'model/logreg')),
    ].join('\n\n'));
  });

  test('hover range covers the name string', async () => {
    const hover = await client.hover(pipeline, positionOf(pipeline.text, 'name="iris_raw"', { delta: 7 }));
    const start = positionOf(pipeline.text, '"iris_raw"');

    assert.deepEqual(hover?.range, { start, end: { line: start.line, character: start.character + '"iris_raw"'.length } });
  });

  test('metrics show their values', async () => {
    const text = await client.hoverText(pipeline, positionOf(pipeline.text, 'name="iris_eval"', { delta: 8 }));

    assert.match(text ?? '', /\n\naccuracy: `0\.972972972972973` · f1_macro: `0\.9710144927536232` · n_test: `37`\n\n/);
    assert.match(text ?? '', /\n\nParents \(2\): `iris_logreg` #3, `iris_test` #3\n\nChildren: none\n\n/);
  });

  test('step function shows runs, status and outputs', async () => {
    const text = await client.hoverText(pipeline, positionOf(pipeline.text, 'def train_model', { delta: 6 }));

    assert.equal(text, [
      '**Step** `train_model` of pipeline `iris_training`',
      '3 runs; last in run `894d7adb` at 2026-12-04 19:25:54 UTC: succeeded',
      'Outputs:\n- `model/logreg` → Model `iris_logreg` **#3**',
      'Inputs: `data/train`',
      [
        link('Lineage', 'flowyml.showLineage', `step:${RUN_3}:train_model`),
        link('Details of model/logreg', 'flowyml.showDetails', id(RUN_3, 'train_model', 'model/logreg')),
      ].join(' · '),
    ].join('\n\n'));
  });

  test('decorator of a step shows the step', async () => {
    const onDecorator = await client.hoverText(pipeline, positionOf(pipeline.text, '@step(', { occurrence: 2, delta: 2 }));
    const onName = await client.hoverText(pipeline, positionOf(pipeline.text, 'def train_model', { delta: 6 }));

    assert.equal(onDecorator, onName);
  });

  test('add_step argument shows the step it adds', async () => {
    const onReference = await client.hoverText(pipeline, positionOf(pipeline.text, 'add_step(train_model)', { delta: 10 }));
    const onName = await client.hoverText(pipeline, positionOf(pipeline.text, 'def train_model', { delta: 6 }));

    assert.equal(onReference, onName);
  });

  test('output name resolves through the step outputs', async () => {
    const text = await client.hoverText(pipeline, positionOf(pipeline.text, '"data/test"', { delta: 2 }));

    assert.equal(text?.split('\n\n').slice(0, 5).join('\n\n'), [
      '**Output** `data/test` of step `preprocess`',
      'Recorded 3 times, by `preprocess`.',
      'Latest version: **#3** (derived: no stored version) of 3',
      'Created 2026-12-04 19:25:54 UTC by step `preprocess` in run `894d7adb` (pipeline `iris_training`, completed)',
      'rows: `37` · columns: `4`',
    ].join('\n\n'));
  });

  test('input name shows the version the step consumed', async () => {
    // The second "data/train" is the input of train_model.
    const text = await client.hoverText(pipeline, positionOf(pipeline.text, '"data/train"', { occurrence: 1, delta: 3 }));

    assert.equal(text?.split('\n\n').slice(0, 6).join('\n\n'), [
      '**Input** `data/train` of step `train_model`',
      'Recorded 3 times, by `preprocess`.',
      'Latest version consumed: **#3** (derived: no stored version) of 3',
      'Created 2026-12-04 19:25:54 UTC by step `preprocess` in run `894d7adb` (pipeline `iris_training`, completed)',
      'rows: `113` · columns: `4`',
      'Parents (1): `iris_raw` #3',
    ].join('\n\n'));
  });

  test('pipeline name shows its runs', async () => {
    const text = await client.hoverText(pipeline, positionOf(pipeline.text, 'Pipeline("iris_training"', { delta: 12 }));

    assert.equal(text, [
      '**Pipeline** `iris_training`',
      '3 runs (3 completed); last run `894d7adb` at 2026-12-04 19:25:54 UTC: completed',
      'Steps of the last run:\n- `load_data`: succeeded\n- `preprocess`: succeeded\n- `train_model`: succeeded\n- `evaluate`: succeeded',
      link('Lineage of the last run', 'flowyml.showLineage', `run:${RUN_3}`),
    ].join('\n\n'));
  });

  test('hover links use only the trusted commands', async () => {
    const texts = await Promise.all([
      client.hoverText(pipeline, positionOf(pipeline.text, 'name="iris_logreg"', { delta: 8 })),
      client.hoverText(pipeline, positionOf(pipeline.text, 'def train_model', { delta: 6 })),
      client.hoverText(pipeline, positionOf(pipeline.text, 'Pipeline("iris_training"', { delta: 12 })),
    ]);
    const commands = texts.flatMap((t) => [...(t ?? '').matchAll(/\]\(command:([^?]+)\?/g)].map((m) => m[1]));

    assert.ok(commands.length > 0);
    for (const command of commands) assert.ok(TRUSTED_HOVER_COMMANDS.includes(command as never), command);
  });

  test('positions outside FlowyML symbols have no hover', async () => {
    const positions = [
      positionOf(pipeline.text, 'import numpy', { delta: 8 }),
      positionOf(pipeline.text, 'source="sklearn.datasets.load_iris"', { delta: 10 }),
      positionOf(pipeline.text, 'def run_once', { delta: 6 }),
      positionOf(pipeline.text, 'seed: int', { delta: 1 }),
    ];

    for (const position of positions) assert.equal(await client.hover(pipeline, position), null);
  });
});

describe('edge cases', () => {
  test('name through an f-string constant', async () => {
    const text = await client.hoverText(edge, positionOf(edge.text, 'name=TRAIN_NAME', { delta: 7 }));

    assert.equal(text?.split('\n\n').slice(0, 3).join('\n\n'), [
      '**Dataset** `iris_train` (constant `TRAIN_NAME`)',
      'Latest version: **#3** (derived: no stored version) of 3',
      'Created 2026-12-04 19:25:54 UTC by step `preprocess` in run `894d7adb` (pipeline `iris_training`, completed)',
    ].join('\n\n'));
  });

  test('name through concatenated constants', async () => {
    const text = await client.hoverText(edge, positionOf(edge.text, 'name=TEST_NAME', { delta: 7 }));

    assert.equal(text?.split('\n\n')[0], '**Dataset** `iris_test` (constant `TEST_NAME`)');
    assert.match(text ?? '', /\n\nrows: `37` · columns: `4`\n\n/);
  });

  test('multi-line call with a module prefix', async () => {
    const onCallee = await client.hoverText(edge, positionOf(edge.text, 'flowyml.Dataset.create', { delta: 9 }));
    const onName = await client.hoverText(edge, positionOf(edge.text, 'name=TRAIN_NAME', { delta: 7 }));

    assert.equal(onCallee, onName);
  });

  test('emoji and CJK before the name on the same line', async () => {
    const position = positionOf(edge.text, 'name=RAW_NAME', { delta: 5 });
    const hover = await client.hover(edge, position);
    const text = hover ? (hover.contents as { value: string }).value : '';

    assert.equal(text.split('\n\n')[0], '**Dataset** `iris_raw` (constant `RAW_NAME`)');
    assert.deepEqual(hover?.range, { start: position, end: { line: position.line, character: position.character + 'RAW_NAME'.length } });
  });

  test('hover range of a name after emoji is exact', async () => {
    const start = positionOf(edge.text, '"iris_raw")');
    const hover = await client.hover(edge, start);
    const before = await client.hover(edge, { line: start.line, character: start.character - 1 });

    assert.equal((hover?.contents as { value: string } | undefined)?.value.split('\n\n')[0], '**Dataset** `iris_raw`');
    assert.deepEqual(hover?.range, { start, end: { line: start.line, character: start.character + '"iris_raw"'.length } });
    // One code unit earlier is the `=` of `name=`, outside every symbol.
    assert.equal(before, null);
  });

  test('name that is not in the store says so', async () => {
    const text = await client.hoverText(edge, positionOf(edge.text, '"never_recorded"', { delta: 3 }));

    assert.equal(text, '**Dataset** `never_recorded`\n\nNot in the store yet: no version named `never_recorded` was recorded.');
  });

  test('computed name lists stored names of its type that match', async () => {
    const text = await client.hoverText(edge, positionOf(edge.text, 'name=f"iris_', { delta: 7 }));

    assert.equal(text, '**Model**\n\nName computed at run time: `f"iris_{model_version}"`\n\nStored names that match:\n- `iris_logreg` **#3**');
  });

  test('output list through a constant', async () => {
    const onConstant = await client.hoverText(edge, positionOf(edge.text, 'outputs=EVAL_OUTPUTS', { delta: 10 }));
    const onString = await client.hoverText(edge, positionOf(edge.text, '["metrics"]', { delta: 3 }));

    assert.equal(onConstant?.split('\n\n')[0], '**Output** `metrics` of step `evaluate`');
    assert.equal(onConstant, onString);
  });

  test('step without runs says so', async () => {
    const text = await client.hoverText(edge, positionOf(edge.text, 'def untracked_step', { delta: 6 }));

    assert.equal(text, '**Step** `untracked_step`\n\nNo runs of this step in the store yet.');
  });

  test('pipeline name through a constant', async () => {
    const text = await client.hoverText(edge, positionOf(edge.text, 'Pipeline(PIPELINE_NAME)', { delta: 10 }));

    assert.equal(text?.split('\n\n')[0], '**Pipeline** `iris_training` (constant `PIPELINE_NAME`)');
  });

  test('prompt not yet stored says so', async () => {
    const text = await client.hoverText(edge, positionOf(edge.text, '"summary_prompt"', { delta: 3 }));

    assert.equal(text, '**Prompt** `summary_prompt`\n\nNot in the store yet: no version named `summary_prompt` was recorded.');
  });

  test('Dataset of another library has no hover', async () => {
    assert.equal(await client.hover(edge, positionOf(edge.text, 'HFDataset.from_dict', { delta: 3 })), null);
  });

  test('edits are parsed before the next hover', async () => {
    const document = await client.open(path.join(ROOT, 'edited.py'), 'from flowyml import Dataset\nx = Dataset.create(data=1, name="iris_raw")\n');
    await document.change('from flowyml import Dataset\nx = Dataset.create(data=1, name="iris_test")\n');
    const text = await client.hoverText(document, positionOf(document.text, '"iris_test"', { delta: 2 }));

    assert.equal(text?.split('\n\n')[0], '**Dataset** `iris_test`');
  });
});
