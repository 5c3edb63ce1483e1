/** The pure chart layouts of the details panel, checked in Node without a browser. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ColumnSummary } from '../../src/protocol/details';
import { formatNumber, layoutLineChart, layoutRangeBar, LINE_CHART_SIZE } from '../../webview/details/chartLayout';

const column = (stats: Partial<ColumnSummary>): ColumnSummary => ({ name: 'c', dtype: 'numeric', topValues: [], ...stats });

describe('chart layout', () => {
  it('line points stay inside the plot area', () => {
    const layout = layoutLineChart([{ name: 'loss', points: [{ x: '1', y: 0.5 }, { x: '2', y: 0.3 }, { x: '3', y: 0.2 }] }]);
    const { width, height, margin } = LINE_CHART_SIZE;

    for (const point of layout.lines[0].points) {
      assert.ok(point.x >= margin.left, `x ${point.x}`);
      assert.ok(point.x <= width - margin.right, `x ${point.x}`);
      assert.ok(point.y >= margin.top, `y ${point.y}`);
      assert.ok(point.y <= height - margin.bottom, `y ${point.y}`);
    }
    assert.ok(layout.lines[0].points[0].y < layout.lines[0].points[2].y, 'larger values are drawn higher');
    assert.match(layout.lines[0].path, /^M[\d.]+,[\d.]+L/);
  });

  it('x labels keep first-seen order', () => {
    const layout = layoutLineChart([
      { name: 'a', points: [{ x: 'v1.0.0 (#1)', y: 1 }, { x: 'v1.10.0 (#3)', y: 2 }] },
      { name: 'b', points: [{ x: 'v1.9.0 (#2)', y: 3 }] },
    ]);

    assert.deepEqual(layout.xTicks.map((tick) => tick.label), ['v1.0.0 (#1)', 'v1.10.0 (#3)', 'v1.9.0 (#2)']);
    assert.deepEqual(layout.lines.map((line) => line.colorIndex), [0, 1]);
  });

  it('constant series gets a nonzero y range', () => {
    const layout = layoutLineChart([{ name: 'n', points: [{ x: '1', y: 387 }, { x: '2', y: 387 }] }]);

    assert.ok(layout.yTicks.length >= 2);
    assert.ok(Number.isFinite(layout.lines[0].points[0].y));
  });

  it('many x labels are thinned', () => {
    const points = Array.from({ length: 40 }, (_, epoch) => ({ x: String(epoch + 1), y: epoch }));
    const layout = layoutLineChart([{ name: 'loss', points }]);

    assert.ok(layout.xTicks.length <= 4, `${layout.xTicks.length} x labels`);
    assert.equal(layout.xTicks[0].label, '1');
  });

  it('range bar marks mean band and median', () => {
    const layout = layoutRangeBar(column({ min: 0, max: 10, mean: 5, std: 1, median: 4 }), 100);

    assert.deepEqual(layout, { width: 100, mean: 50, band: { x: 40, width: 20 }, median: 40 });
  });

  it('range bar clamps a wide band', () => {
    const layout = layoutRangeBar(column({ min: 0, max: 1, mean: 0.2, std: 5 }), 100);

    assert.deepEqual(layout?.band, { x: 0, width: 100 });
  });

  it('no range bar without min and max', () => {
    assert.equal(layoutRangeBar(column({ mean: 3 }), 100), undefined);
  });

  it('numbers keep four significant digits', () => {
    assert.equal(formatNumber(37.7875), '37.79');
    assert.equal(formatNumber(400), '400');
    assert.equal(formatNumber(0.000123456), '0.0001235');
  });
});
