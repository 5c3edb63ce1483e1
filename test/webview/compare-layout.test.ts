/**
 * The compare panel's pure parts in Node: chart layout, the field paths of
 * the `flowyml:` documents, and the protocol guards.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadWorkspace, type WorkspaceIndex } from '../../src/core';
import { fieldDocument, fieldValue, splitFieldPath } from '../../src/extension/compare/fieldPath';
import { isCompareToHostMessage, isCompareViewState, isHostToCompareMessage } from '../../src/protocol/compare';
import { BARS_SIZE, HISTORY_SIZE, layoutHistory, layoutPairedBars } from '../../webview/compare/chartLayout';
import { REPO_ROOT } from './harness';

const SAMPLE = path.join(REPO_ROOT, 'samples/workspace');
const CHURN_V1 = '.flowyml/catalog.db:artifacts:cde232e1-6be5-461c-9e2b-bce60d6f48e6';
const SUMMARIZER_2 = '.flowyml/projects/support-genai/metadata.db:artifacts:b3e24d76-e080-44cb-a107-074421ea2f8b_define_summarizer_prompt%2Fsummarizer';

describe('compare chart layout', () => {
  it('history puts both sides on one scale', () => {
    const layout = layoutHistory('loss', [0.5, 0.4, 0.3], [0.5, 0.35, 0.2]);

    assert.equal(layout.series, 'loss');
    assert.deepEqual(layout.lines.map((line) => line.side), ['a', 'b']);
    assert.deepEqual(layout.lines.map((line) => line.points.map((point) => point.epoch)), [[1, 2, 3], [1, 2, 3]]);
    const [a, b] = layout.lines;
    assert.equal(a.points[0].y, b.points[0].y, 'equal values sit at equal heights');
    assert.ok(b.points[2].y > a.points[2].y, 'the lower loss of B is drawn lower');
    assert.equal(a.points[0].x, HISTORY_SIZE.margin.left);
    assert.equal(a.points[2].x, HISTORY_SIZE.width - HISTORY_SIZE.margin.right);
    assert.deepEqual(layout.xTicks.map((tick) => tick.label), ['1', '2', '3'], 'epochs are whole numbers');
  });

  it('history skips NaN and missing sides', () => {
    const layout = layoutHistory('accuracy', [0.7, 'NaN', 0.8, 'Infinity'], undefined);

    assert.deepEqual(layout.lines.map((line) => line.side), ['a']);
    assert.deepEqual(layout.lines[0].points.map((point) => [point.epoch, point.value]), [[1, 0.7], [3, 0.8]]);
    assert.match(layout.lines[0].path, /^M[\d.]+,[\d.]+L[\d.]+,[\d.]+$/);
  });

  it('history with one constant value', () => {
    const layout = layoutHistory('lr', [0.1], [0.1]);

    assert.equal(layout.lines.length, 2);
    assert.ok(Number.isFinite(layout.lines[0].points[0].y));
    assert.ok(layout.yTicks.length > 0);
  });

  it('paired bars scale each statistic', () => {
    const { bars, height, zero } = layoutPairedBars([
      { stat: 'mean', a: 64, b: 70.25 },
      { stat: 'nulls', a: undefined, b: 5 },
    ]);

    assert.equal(zero, BARS_SIZE.labelWidth);
    assert.equal(height, 2 * BARS_SIZE.rowHeight);
    const room = BARS_SIZE.width - BARS_SIZE.labelWidth - 4;
    assert.equal(bars[0].b?.width, room, 'the larger value fills the row');
    assert.equal(bars[0].a?.width, (64 / 70.25) * room);
    assert.equal(bars[1].a, undefined);
    assert.equal(bars[1].b?.width, room);
  });

  it('paired bars centre zero for negatives', () => {
    const { bars, zero } = layoutPairedBars([{ stat: 'min', a: -2, b: 1 }]);

    assert.equal(zero, BARS_SIZE.labelWidth + (BARS_SIZE.width - BARS_SIZE.labelWidth) / 2);
    assert.equal((bars[0].a?.x ?? 0) + (bars[0].a?.width ?? 0), zero);
    assert.equal(bars[0].b?.x, zero);
    assert.equal(bars[0].b?.width, (bars[0].a?.width ?? 0) / 2);
  });
});

describe('compare field paths', () => {
  let sample: WorkspaceIndex;

  before(async () => {
    sample = await loadWorkspace(SAMPLE);
  });

  after(() => {
    sample?.dispose();
  });

  it('split identifiers and quoted keys', () => {
    assert.deepEqual(splitFieldPath('properties.hyperparameters.C'), ['properties', 'hyperparameters', 'C']);
    assert.deepEqual(splitFieldPath('properties.column_stats["a.b"].mean'), ['properties', 'column_stats', 'a.b', 'mean']);
    assert.deepEqual(splitFieldPath('properties.training_history.loss[-1]'), ['properties', 'training_history', 'loss', '-1']);
    assert.deepEqual(splitFieldPath('extra["say \\"hi\\""]'), ['extra', 'say "hi"']);
  });

  it('split rejects other text', () => {
    assert.equal(splitFieldPath(''), undefined);
    assert.equal(splitFieldPath('properties..x'), undefined);
    assert.equal(splitFieldPath('properties[x]'), undefined);
    assert.equal(splitFieldPath('../etc/passwd'), undefined);
  });

  it('values of a real model version', async () => {
    const details = await sample.details(sample.getVersion(CHURN_V1)!.id);

    assert.equal(fieldValue(details, 'properties.hyperparameters.C'), 0.05);
    assert.equal(fieldValue(details, 'properties.training_history.loss[-1]'), 0.45131);
    assert.equal(fieldValue(details, 'tags.stage'), 'archived');
    assert.equal(fieldValue(details, 'properties.no_such_field'), undefined);
    assert.equal(fieldValue(details, 'run.parameters.C'), undefined, 'run parameters are not part of the version');

    const history = fieldDocument(details, 'properties.training_history');
    assert.equal(history.language, 'json');
    assert.deepEqual(JSON.parse(history.text), { loss: [0.45533, 0.45347, 0.45131], accuracy: [0.7933, 0.7984, 0.7984] });
    assert.deepEqual(fieldDocument(details, 'tags.stage'), { text: 'archived', language: 'plaintext', found: true });
    assert.equal(fieldDocument(details, 'properties.no_such_field').found, false);
  });

  it('template of a real prompt version', async () => {
    const details = await sample.details(SUMMARIZER_2);
    const template = fieldDocument(details, 'template');

    assert.equal(template.found, true);
    assert.equal(template.language, 'plaintext');
    assert.match(template.text, /^You triage \{product\} tickets\./);
    assert.match(template.text, /\{ticket\}$/);
  });
});

describe('compare protocol guards', () => {
  it('accepts every panel message', () => {
    for (const message of [
      { type: 'ready' },
      { type: 'log', level: 'error', message: 'x' },
      { type: 'action', action: 'exportMarkdown' },
      { type: 'action', action: 'loadAll' },
      { type: 'openDiff', path: 'template' },
      { type: 'compareInputs', a: 'x', b: 'y' },
      { type: 'openVersion', id: 'x' },
    ]) assert.equal(isCompareToHostMessage(message), true, JSON.stringify(message));
  });

  it('rejects malformed panel messages', () => {
    for (const message of [
      null,
      'ready',
      { type: 'action', action: 'deleteStore' },
      { type: 'openDiff' },
      { type: 'compareInputs', a: 'x' },
      { type: 'openVersion', id: 3 },
      { type: 'other' },
    ]) assert.equal(isCompareToHostMessage(message), false, JSON.stringify(message));
  });

  it('checks host messages and view state', () => {
    assert.equal(isHostToCompareMessage({ type: 'show', json: '{}', strings: {} }), true);
    assert.equal(isHostToCompareMessage({ type: 'show', json: {} }), false);
    assert.equal(isHostToCompareMessage({ type: 'loading' }), true);
    assert.equal(isCompareViewState({ a: 'x', b: 'y', showAll: false }), true);
    assert.equal(isCompareViewState({ a: 'x', showAll: false }), false);
  });
});
