// Type inference and extraction for model files, checkpoints, prompts,
// metrics and other files, on files built here byte by byte.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { extractFile, ExtractionError, inferAssetType, readOnnxModel, readSafetensorsHeader, templateVariables } from '../../../src/core/stats/index';
import { temporaryFolder, writeKeras, writeOnnx, writeSafetensors, writeTorchZip } from '../../helpers/register-files';

const dir = temporaryFolder('files');

function isExtractionError(code: string): (error: unknown) => boolean {
  return (error) => error instanceof ExtractionError && error.code === code;
}

describe('safetensors', () => {
  const file = path.join(dir, 'model.safetensors');
  writeSafetensors(file, [
    { name: 'encoder.weight', dtype: 'F32', shape: [2, 3], bytesPerElement: 4 },
    { name: 'encoder.bias', dtype: 'F32', shape: [3], bytesPerElement: 4 },
    { name: 'head.weight', dtype: 'BF16', shape: [3, 4, 5], bytesPerElement: 2 },
    { name: 'scalar', dtype: 'I64', shape: [], bytesPerElement: 8 },
  ], { format: 'pt' });

  test('header gives tensors, dtypes and parameters', () => {
    const summary = readSafetensorsHeader(file);
    assert.equal(summary.numTensors, 4);
    assert.deepEqual(summary.dtypes, { F32: 2, BF16: 1, I64: 1 });
    // 2·3 + 3 + 3·4·5 + 1 (a scalar's shape product is 1)
    assert.equal(summary.parameters, 70);
    assert.deepEqual(summary.metadata, { format: 'pt' });
  });

  test('safetensors infers a pytorch Model', async () => {
    assert.equal(inferAssetType(file), 'Model');
    const result = await extractFile(file);
    assert.equal(result.type, 'Model');
    assert.equal(result.properties.framework, 'pytorch');
    assert.equal(result.properties.parameters, 70);
    assert.equal(result.properties.num_tensors, 4);
  });

  test('safetensors as Checkpoint lists state keys', async () => {
    const result = await extractFile(file, { type: 'Checkpoint', checkpoint: { epoch: 3, step: 150, isBest: true, metrics: { loss: 0.25 } } });
    assert.equal(result.type, 'Checkpoint');
    assert.equal(result.properties.epoch, 3);
    assert.equal(result.properties.step, 150);
    assert.equal(result.properties.is_best, true);
    assert.deepEqual(result.properties.checkpoint_metrics, { loss: 0.25 });
    assert.equal(result.properties.num_tensors, 4);
    assert.deepEqual(result.properties.state_keys, ['encoder.weight', 'encoder.bias', 'head.weight', 'scalar']);
  });

  test('safetensors header longer than the file is rejected', () => {
    const bad = path.join(dir, 'bad.safetensors');
    const bytes = Buffer.alloc(16);
    bytes.writeBigUInt64LE(BigInt(1000));
    fs.writeFileSync(bad, bytes);
    assert.throws(() => readSafetensorsHeader(bad), isExtractionError('invalid'));
  });

  test('safetensors offsets past the data are rejected', () => {
    const bad = path.join(dir, 'offsets.safetensors');
    const header = JSON.stringify({ t: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } });
    const length = Buffer.alloc(8);
    length.writeBigUInt64LE(BigInt(header.length));
    fs.writeFileSync(bad, Buffer.concat([length, Buffer.from(header), Buffer.alloc(8)]));
    assert.throws(() => readSafetensorsHeader(bad), /data offsets outside the file/);
  });
});

describe('keras', () => {
  for (const compress of [true, false]) {
    test(`keras archive ${compress ? 'deflated' : 'stored'}`, async () => {
      const file = path.join(dir, `model-${compress}.keras`);
      writeKeras(file, { compress, weightsBytes: 2 * 1024 * 1024 });
      const result = await extractFile(file);
      assert.equal(result.type, 'Model');
      assert.equal(result.properties.framework, 'keras');
      assert.equal(result.properties.model_class, 'Sequential');
      assert.equal(result.properties.num_layers, 3);
      assert.deepEqual(result.properties.layers, [
        { name: 'dense', class_name: 'Dense' },
        { name: 'dropout', class_name: 'Dropout' },
        { name: 'dense_1', class_name: 'Dense' },
      ]);
      assert.equal(result.properties.optimizer, 'Adam');
      assert.equal(result.properties.learning_rate, 0.001);
      assert.equal(result.properties.loss, 'binary_crossentropy');
      assert.deepEqual(result.properties.metrics, ['accuracy']);
      assert.equal(result.properties.keras_version, '3.3.3');
    });
  }

  test('keras file that is not a zip is rejected', async () => {
    const file = path.join(dir, 'fake.keras');
    fs.writeFileSync(file, 'plain text');
    await assert.rejects(extractFile(file), isExtractionError('invalid'));
  });
});

describe('onnx', () => {
  const file = path.join(dir, 'tiny.onnx');
  writeOnnx(file);

  test('onnx inputs, outputs and operators', () => {
    const summary = readOnnxModel(file);
    assert.equal(summary.irVersion, 8);
    assert.equal(summary.producer, 'flowyml-tests');
    assert.deepEqual(summary.opsets, { 'ai.onnx': 17, 'com.example': 1 });
    // W is listed as an input too, the way models before IR version 4 list weights.
    assert.deepEqual(summary.inputs, [{ name: 'X', elem_type: 'FLOAT', shape: ['N', 4] }]);
    assert.deepEqual(summary.outputs, [{ name: 'Y2', elem_type: 'FLOAT', shape: ['N', 3] }]);
    assert.equal(summary.numNodes, 4);
    assert.deepEqual(summary.operators, { MatMul: 1, Add: 1, Relu: 1, 'com.example.Identity': 1 });
    assert.equal(summary.numInitializers, 2);
    assert.equal(summary.parameters, 15);
  });

  test('onnx infers a Model', async () => {
    const result = await extractFile(file);
    assert.equal(result.type, 'Model');
    assert.equal(result.properties.framework, 'onnx');
    assert.equal(result.properties.num_operators, 4);
    assert.equal(result.properties.parameters, 15);
  });

  test('truncated onnx is rejected', () => {
    const bad = path.join(dir, 'cut.onnx');
    fs.writeFileSync(bad, fs.readFileSync(file).subarray(0, 40));
    assert.throws(() => readOnnxModel(bad), isExtractionError('invalid'));
  });
});

describe('opaque and folder models', () => {
  test('pickle is recorded by size only', async () => {
    const file = path.join(dir, 'model.pkl');
    fs.writeFileSync(file, Buffer.from([0x80, 0x04, 0x95, 0x00, 0x2e]));
    const result = await extractFile(file);
    assert.equal(result.type, 'Model');
    assert.deepEqual(result.properties, { serialization: 'pickle', file_size: 5 });
    assert.match(result.warnings.join(' '), /not deserialized/);
  });

  test('torch zip is recognised as pytorch', async () => {
    const file = path.join(dir, 'weights.pt');
    writeTorchZip(file);
    const result = await extractFile(file);
    assert.equal(result.properties.framework, 'pytorch');
    assert.equal(result.properties.serialization, 'torch');
  });

  test('ckpt infers a Checkpoint', async () => {
    const file = path.join(dir, 'epoch3.ckpt');
    fs.writeFileSync(file, 'opaque');
    assert.equal(inferAssetType(file), 'Checkpoint');
    const result = await extractFile(file, { checkpoint: { epoch: 3 } });
    assert.deepEqual(result.properties, { epoch: 3, is_best: false, file_size: 6 });
  });

  test('hugging face folder sums its shards', async () => {
    const folder = path.join(dir, 'hf-model');
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'config.json'), JSON.stringify({ architectures: ['BertModel'], model_type: 'bert', num_hidden_layers: 2, hidden_size: 8, torch_dtype: 'float32' }));
    writeSafetensors(path.join(folder, 'model-00001-of-00002.safetensors'), [{ name: 'a', dtype: 'F32', shape: [8, 8], bytesPerElement: 4 }]);
    writeSafetensors(path.join(folder, 'model-00002-of-00002.safetensors'), [{ name: 'b', dtype: 'F16', shape: [8], bytesPerElement: 2 }]);
    assert.equal(inferAssetType(folder), 'Model');
    const result = await extractFile(folder);
    assert.equal(result.properties.framework, 'transformers');
    assert.equal(result.properties.model_class, 'BertModel');
    assert.equal(result.properties.num_layers, 2);
    assert.equal(result.properties.parameters, 72);
    assert.deepEqual(result.properties.dtypes, { F32: 1, F16: 1 });
  });

  test('plain folder is an Artifact', async () => {
    const folder = path.join(dir, 'plain-folder');
    fs.mkdirSync(path.join(folder, 'sub'), { recursive: true });
    fs.writeFileSync(path.join(folder, 'a.txt'), 'abc');
    fs.writeFileSync(path.join(folder, 'sub', 'b.bin'), 'defg');
    const result = await extractFile(folder);
    assert.equal(result.type, 'Artifact');
    assert.deepEqual(result.properties, { format: 'folder', num_files: 2, total_size: 7 });
  });
});

describe('prompts, metrics and artifacts', () => {
  test('text prompt lists its variables', async () => {
    const file = path.join(dir, 'summarize.prompt');
    fs.writeFileSync(file, 'Summarize {ticket} for {customer.name}; keep {{braces}} and {0}. {ticket!r:>10}');
    const result = await extractFile(file);
    assert.equal(result.type, 'Prompt');
    assert.equal(result.template, fs.readFileSync(file, 'utf8'));
    assert.deepEqual(result.properties, { format: 'text', variables: ['ticket', 'customer'], num_variables: 2, file_size: fs.statSync(file).size });
    assert.deepEqual(result.warnings, []);
  });

  test('yaml chat prompt keeps model settings', async () => {
    const file = path.join(dir, 'agent.yaml');
    fs.writeFileSync(file, [
      'model: gpt-4o',
      'temperature: 0.7',
      'messages:',
      '  - role: system',
      '    content: You help {customer}.',
      '  - role: user',
      '    content: "{question}"',
    ].join('\n'));
    assert.equal(inferAssetType(file), 'Prompt');
    const result = await extractFile(file);
    assert.equal(result.properties.format, 'chat');
    assert.equal(result.properties.model, 'gpt-4o');
    assert.equal(result.properties.temperature, 0.7);
    assert.equal(result.properties.num_messages, 2);
    assert.deepEqual(result.properties.roles, ['system', 'user']);
    assert.deepEqual(result.properties.variables, ['customer', 'question']);
    assert.deepEqual(result.template, [{ role: 'system', content: 'You help {customer}.' }, { role: 'user', content: '{question}' }]);
  });

  test('template variables in first-use order', () => {
    assert.deepEqual(templateVariables('{f:{g}}{a}{b[0]}{c.d}{e!s}{{h}}}}{a}'), ['f', 'g', 'a', 'b', 'c', 'e']);
  });

  test('template syntax error is a warning', async () => {
    const file = path.join(dir, 'broken.txt');
    fs.writeFileSync(file, 'Hello {name');
    const result = await extractFile(file);
    assert.equal(result.type, 'Prompt');
    assert.match(result.warnings.join(' '), /str\.format syntax error .* raises ValueError/);
  });

  test('json of numbers infers Metrics', async () => {
    const file = path.join(dir, 'eval.json');
    fs.writeFileSync(file, JSON.stringify({ auc: 0.71, accuracy: 0.8, per_class: { a: 1, b: 0.5 }, n: 387 }));
    assert.equal(inferAssetType(file), 'Metrics');
    const result = await extractFile(file);
    assert.deepEqual(result.properties, { auc: 0.71, accuracy: 0.8, per_class: { a: 1, b: 0.5 }, n: 387, file_size: fs.statSync(file).size });
  });

  test('other json and files are Artifacts', async () => {
    const json = path.join(dir, 'config.json');
    fs.writeFileSync(json, JSON.stringify({ name: 'x', depth: 3 }));
    assert.equal(inferAssetType(json), 'Artifact');
    const binary = path.join(dir, 'blob.bin');
    fs.writeFileSync(binary, Buffer.alloc(10));
    const result = await extractFile(binary);
    assert.equal(result.type, 'Artifact');
    assert.deepEqual(result.properties, { format: 'bin', file_size: 10 });
  });
});

describe('bad input', () => {
  test('missing file is unreadable', async () => {
    await assert.rejects(extractFile(path.join(dir, 'nope.csv')), isExtractionError('unreadable'));
  });

  test('text file as Dataset is unsupported', async () => {
    const file = path.join(dir, 'notes.txt');
    fs.writeFileSync(file, 'hello');
    await assert.rejects(extractFile(file, { type: 'Dataset' }), isExtractionError('unsupported'));
  });

  test('non-numeric json as Metrics is invalid', async () => {
    const file = path.join(dir, 'words.json');
    fs.writeFileSync(file, JSON.stringify({ a: 'b' }));
    await assert.rejects(extractFile(file, { type: 'Metrics' }), isExtractionError('invalid'));
  });

  test('binary file as Prompt is invalid', async () => {
    const file = path.join(dir, 'bytes.txt');
    fs.writeFileSync(file, Buffer.from([0xff, 0xfe, 0x00, 0x80]));
    await assert.rejects(extractFile(file, { type: 'Prompt' }), isExtractionError('invalid'));
  });
});
