/**
 * Go to definition and find references between step inputs and outputs,
 * within one file, across open files and across files found by the
 * workspace scan.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SymbolKind, WorkspaceSymbolRequest, type Location, type Position, type SymbolInformation } from 'vscode-languageserver-protocol';
import { URI } from 'vscode-uri';
import { StepLocationsRequest } from '../../src/protocol/lsp';
import { SMALL_FIXTURES } from '../helpers/paths';
import { positionOf, startServer, waitFor, type OpenDocument, type TestClient } from './harness';

const ROOT = path.join(SMALL_FIXTURES, 'flowyml-1.7-basic');

const CONSUMER = `from flowyml import Metrics, step


@step(inputs=["model/logreg"], outputs=["report/summary"])
def summarize(model):
    return Metrics.create(name="summary", n=1)
`;

function rangeOf(text: string, needle: string, occurrence = 0): { start: Position; end: Position } {
  const start = positionOf(text, needle, { occurrence });
  return { start, end: { line: start.line, character: start.character + needle.length } };
}

function sortLocations(locations: Location[] | null): Location[] {
  return [...(locations ?? [])].sort((a, b) => a.uri.localeCompare(b.uri) || a.range.start.line - b.range.start.line);
}

describe('open files', () => {
  let client: TestClient;
  let pipeline: OpenDocument;
  let consumer: OpenDocument;

  before(async () => {
    client = await startServer({ roots: [ROOT] });
    pipeline = await client.open(path.join(ROOT, 'pipeline.py'));
    consumer = await client.open(path.join(ROOT, 'consumer.py'), CONSUMER);
  });

  after(async () => {
    await client.close();
  });

  test('definition of an input is the output of the same name', async () => {
    // The second "data/train" is train_model's input; the first is preprocess's output.
    const locations = await client.definition(pipeline, positionOf(pipeline.text, '"data/train"', { occurrence: 1, delta: 4 }));

    assert.deepEqual(locations, [{ uri: pipeline.uri, range: rangeOf(pipeline.text, '"data/train"', 0) }]);
  });

  test('definition reaches another open file', async () => {
    const locations = await client.definition(consumer, positionOf(consumer.text, '"model/logreg"', { delta: 1 }));

    assert.deepEqual(locations, [{ uri: pipeline.uri, range: rangeOf(pipeline.text, '"model/logreg"', 0) }]);
  });

  test('references of an output list its consumers in every file', async () => {
    const locations = await client.references(pipeline, positionOf(pipeline.text, 'outputs=["model/logreg"]', { delta: 11 }));

    assert.deepEqual(sortLocations(locations), sortLocations([
      { uri: pipeline.uri, range: rangeOf(pipeline.text, '"model/logreg"', 1) },
      { uri: consumer.uri, range: rangeOf(consumer.text, '"model/logreg"') },
    ]));
  });

  test('references with the declaration include the output', async () => {
    const locations = await client.references(pipeline, positionOf(pipeline.text, '"data/raw"', { delta: 1 }), true);

    assert.deepEqual(locations, [
      { uri: pipeline.uri, range: rangeOf(pipeline.text, '"data/raw"', 0) },
      { uri: pipeline.uri, range: rangeOf(pipeline.text, '"data/raw"', 1) },
    ]);
  });

  test('output nobody consumes has no references', async () => {
    assert.deepEqual(await client.references(consumer, positionOf(consumer.text, '"report/summary"', { delta: 2 })), []);
  });

  test('non-FlowyML positions return nothing', async () => {
    assert.equal(await client.definition(pipeline, positionOf(pipeline.text, 'import numpy', { delta: 9 })), null);
    assert.equal(await client.definition(pipeline, positionOf(pipeline.text, 'def train_model', { delta: 6 })), null);
    assert.equal(await client.definition(pipeline, positionOf(pipeline.text, 'outputs=["model/logreg"]', { delta: 11 })), null);
    assert.equal(await client.references(pipeline, positionOf(pipeline.text, 'name="iris_raw"', { delta: 7 })), null);
  });
});

describe('store fallback and workspace scan', () => {
  let workspace: string;

  before(() => {
    // A copy of the store with the pipeline file on disk, so the scan can find it.
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'flowyml-lsp-nav-'));
    fs.cpSync(path.join(ROOT, '.flowyml'), path.join(workspace, '.flowyml'), { recursive: true });
    fs.mkdirSync(path.join(workspace, 'pipelines'));
    fs.copyFileSync(path.join(ROOT, 'pipeline.py'), path.join(workspace, 'pipelines', 'training.py'));
    fs.mkdirSync(path.join(workspace, '.venv', 'lib'), { recursive: true });
    fs.writeFileSync(path.join(workspace, '.venv', 'lib', 'ignored.py'), 'from flowyml import step\n@step(outputs=["model/logreg"])\ndef shadow():\n    pass\n');
  });

  after(() => {
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  test('scanned file on disk answers definition', async () => {
    const client = await startServer({ roots: [workspace], server: { scan: { maxFiles: 100, maxFileBytes: 1_000_000 } } });
    try {
      const consumer = await client.open(path.join(workspace, 'consumer.py'), CONSUMER);
      const training = fs.readFileSync(path.join(workspace, 'pipelines', 'training.py'), 'utf8');
      const expected = [{ uri: URI.file(path.join(workspace, 'pipelines', 'training.py')).toString(), range: rangeOf(training, '"model/logreg"', 0) }];

      // The scan runs after start-up; wait until it has parsed the file.
      const locations = await waitFor('a definition from the scanned file', async () =>
        (await client.definition(consumer, positionOf(consumer.text, '"model/logreg"', { delta: 1 }))) ?? undefined);

      assert.deepEqual(locations, expected);
    } finally {
      await client.close();
    }
  });

  test('input with no declared output jumps to the step the store names', async () => {
    const client = await startServer({ roots: [workspace] });
    try {
      // train_model declares no outputs here, but the store records it producing "model/logreg".
      const producer = await client.open(path.join(workspace, 'producer.py'), 'from flowyml import step\n\n@step\ndef train_model():\n    pass\n');
      const consumer = await client.open(path.join(workspace, 'consumer.py'), CONSUMER);
      const locations = await client.definition(consumer, positionOf(consumer.text, '"model/logreg"', { delta: 1 }));

      assert.deepEqual(locations, [{ uri: producer.uri, range: rangeOf(producer.text, 'train_model') }]);
    } finally {
      await client.close();
    }
  });
});

describe('step locations and workspace symbols', () => {
  let client: TestClient;
  let pipeline: OpenDocument;
  let renamed: OpenDocument;

  before(async () => {
    client = await startServer({ roots: [ROOT] });
    pipeline = await client.open(path.join(ROOT, 'pipeline.py'));
    // A second definition of the stored step "train_model", under a decorator name.
    renamed = await client.open(path.join(ROOT, 'retrain.py'), 'from flowyml import step\n\n\n@step(name="train_model")\ndef retrain(train):\n    return train\n');
  });

  after(async () => {
    await client.close();
  });

  test('step name finds its functions', async () => {
    const locations = await client.connection.sendRequest(StepLocationsRequest, { step: 'train_model' });

    assert.deepEqual(sortLocations(locations), sortLocations([
      { uri: pipeline.uri, range: { start: positionOf(pipeline.text, 'def train_model', { delta: 4 }), end: positionOf(pipeline.text, 'def train_model', { delta: 15 }) } },
      { uri: renamed.uri, range: rangeOf(renamed.text, 'retrain') },
    ]));
  });

  test('an unknown step has no location', async () => {
    assert.deepEqual(await client.connection.sendRequest(StepLocationsRequest, { step: 'no_such_step' }), []);
  });

  test('workspace symbols list steps', async () => {
    const symbols = await client.connection.sendRequest(WorkspaceSymbolRequest.type, { query: 'RETRA' }) as SymbolInformation[];

    assert.deepEqual(symbols.map((s) => [s.name, s.containerName, s.kind, s.location.uri]), [
      ['train_model', 'FlowyML step (retrain)', SymbolKind.Function, renamed.uri],
    ]);
    const all = await client.connection.sendRequest(WorkspaceSymbolRequest.type, { query: '' }) as SymbolInformation[];
    assert.deepEqual(all.map((s) => s.name).sort(), ['evaluate', 'load_data', 'preprocess', 'train_model', 'train_model']);
  });
});
