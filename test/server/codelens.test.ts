/**
 * CodeLens over the language server's streams. Expected titles are literals
 * read from the stores with the sqlite3 command line. flowyml-1.7-basic has
 * three completed runs of iris_training, the last at 2026-12-04 19:25:54 UTC.
 * The sample workspace has four churn_training runs, the last failing in
 * `evaluate`, and a churn_scoring run left `running` by a killed process.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CodeLens } from 'vscode-languageserver-protocol';
import { SAMPLE_WORKSPACE, SMALL_FIXTURES } from '../helpers/paths';
import { positionOf, startServer, type OpenDocument, type TestClient } from './harness';

function titlesOnLine(lenses: CodeLens[], line: number): string[] {
  return lenses.filter((l) => l.range.start.line === line).map((l) => l.command?.title ?? '');
}

describe('flowyml-1.7-basic pipeline.py', () => {
  const root = path.join(SMALL_FIXTURES, 'flowyml-1.7-basic');
  let client: TestClient;
  let document: OpenDocument;
  let lenses: CodeLens[];

  before(async () => {
    client = await startServer({ roots: [root] });
    document = await client.open(path.join(root, 'pipeline.py'));
    lenses = await client.codeLens(document);
  });

  after(async () => {
    await client.close();
  });

  test('step lens shows runs, outputs and lineage', () => {
    const line = positionOf(document.text, '@step(', { occurrence: 1 }).line;

    assert.deepEqual(titlesOnLine(lenses, line), [
      '3 runs · last succeeded · 2026-12-04 19:25:54 UTC',
      'data/train: #3',
      'data/test: #3',
      'Lineage',
      'Impact',
    ]);
  });

  test('step lens commands open details and lineage', () => {
    const line = positionOf(document.text, '@step(', { occurrence: 1 }).line;
    const commands = lenses.filter((l) => l.range.start.line === line).map((l) => [l.command?.command, l.command?.arguments]);

    assert.deepEqual(commands, [
      ['', undefined],
      ['flowyml.showDetails', ['.flowyml/metadata.db:artifacts:894d7adb-c71d-4754-a1af-2b905affe663_preprocess_data%2Ftrain']],
      ['flowyml.showDetails', ['.flowyml/metadata.db:artifacts:894d7adb-c71d-4754-a1af-2b905affe663_preprocess_data%2Ftest']],
      ['flowyml.showLineage', ['step:894d7adb-c71d-4754-a1af-2b905affe663:preprocess']],
      ['flowyml.showImpact', ['.flowyml/metadata.db:artifacts:894d7adb-c71d-4754-a1af-2b905affe663_preprocess_data%2Ftrain']],
    ]);
  });

  test('multi-line decorator lens sits on its first line', () => {
    // train_model's decorator spans five lines.
    const line = positionOf(document.text, '@step(\n    inputs=["data/train"]').line;

    assert.deepEqual(titlesOnLine(lenses, line), ['3 runs · last succeeded · 2026-12-04 19:25:54 UTC', 'model/logreg: #3', 'Lineage', 'Impact']);
  });

  test('asset lenses show latest version and consumers', () => {
    const titles = (needle: string) => titlesOnLine(lenses, positionOf(document.text, needle).line);

    assert.deepEqual(titles('train = Dataset.create('), ['iris_train #3 · 1 consumer']);
    assert.deepEqual(titles('return Model.create('), ['iris_logreg #3 · 1 consumer']);
    assert.deepEqual(titles('return Metrics.create('), ['iris_eval #3 · 0 consumers']);
  });

  test('every lens has a title', () => {
    // Four steps with five outputs in all (a status, an output each, a lineage and an impact lens per step), and five asset calls.
    assert.equal(lenses.length, 4 * 3 + 5 + 5);
    for (const lens of lenses) assert.ok(lens.command && lens.command.title.length > 0);
  });
});

describe('sample workspace pipeline.py', () => {
  let client: TestClient;
  let document: OpenDocument;
  let lenses: CodeLens[];

  before(async () => {
    client = await startServer({ roots: [SAMPLE_WORKSPACE] });
    document = await client.open(path.join(SAMPLE_WORKSPACE, 'pipeline.py'));
    lenses = await client.codeLens(document);
  });

  after(async () => {
    await client.close();
  });

  const lineOf = (needle: string) => positionOf(document.text, needle).line;

  test('failed step shows the error and its last recorded output', () => {
    const line = lineOf('@step(inputs=["model/churn", "features/churn"], outputs=["metrics/eval"]');

    assert.deepEqual(titlesOnLine(lenses, line), [
      '4 runs · last failed: invalid evaluation config: min_auc=-1.0 (must be in [0, 1]) · 2026-12-04 20:07:08 UTC',
      'metrics/eval: v3.0.0 (#3)',
      'Lineage',
      'Impact',
    ]);
  });

  test('step after a failure shows not run', () => {
    const line = lineOf('@step(inputs=["model/churn", "metrics/eval"]');

    assert.equal(titlesOnLine(lenses, line)[0], '4 runs · last not run (an earlier step failed) · 2026-12-04 20:07:08 UTC');
  });

  test('step of a killed run shows it interrupted', () => {
    const line = lineOf('@step(outputs=["batch/input"]');

    assert.deepEqual(titlesOnLine(lenses, line), ['1 run · last interrupted or still running · 2026-12-04 20:07:14 UTC', 'Lineage']);
  });

  test('step that never recorded a run says so', () => {
    assert.deepEqual(titlesOnLine(lenses, lineOf('@step(inputs=["batch/input"]')), ['No runs in the store yet']);
  });

  test('stored version label appears on the asset lens', () => {
    assert.deepEqual(titlesOnLine(lenses, lineOf('return Model.create(')), ['churn_model v4.0.0 (#4) · 3 consumers']);
  });

  test('computed checkpoint name counts matching names', () => {
    assert.deepEqual(titlesOnLine(lenses, lineOf('ck = Checkpoint.create(')), ['Name computed at run time · 12 stored names match']);
  });

  test('unnamed asset resolves through the step output', () => {
    assert.deepEqual(titlesOnLine(lenses, lineOf('return routed.Metrics(')), ['metrics/typed #1 · 0 consumers']);
  });

  test('chat prompt with a literal template gets a preview lens', () => {
    const preview = lenses.find((l) => l.command?.title === 'Preview');

    assert.equal(preview?.range.start.line, lineOf('return Prompt.create(\n        template=['));
    assert.equal(preview?.command?.command, 'flowyml.previewPrompt');
    assert.deepEqual(preview?.command?.arguments, [{
      name: 'support_agent',
      template: [
        { role: 'system', content: "You are Acme's support agent. Answer in at most three sentences." },
        { role: 'user', content: 'Customer {customer_name} (plan: {plan}) wrote:\n{message}\nReply in {language}.' },
      ],
    }]);
  });

  test('prompt whose template is a parameter gets no preview', () => {
    assert.deepEqual(titlesOnLine(lenses, lineOf('return Prompt.create(\n        template=template')), ['ticket_summarizer v2.0.0 (#5) · 2 consumers']);
  });
});
