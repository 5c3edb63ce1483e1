// Dataset statistics from CSV, TSV, JSON Lines, JSON records and Parquet
// files made here. Expected statistics come from Python's csv, json and
// statistics modules, computed from the same cells without the code under test.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { extractFile, ExtractionError, type ExtractProgress } from '../../../src/core/stats/index';
import { PYTHON_STATS_FUNCTION, pythonAvailable, pythonColumnStats, pythonJson, temporaryFolder } from '../../helpers/register-files';

const skipPython = pythonAvailable();
const dir = temporaryFolder('stats');

const CSV_TEXT = [
  'id,score,empty,,名前,mixed,quoted',
  '1,0.5,,a,Zoë,1.0,"x, y"',
  '2,NaN,,b,東京,abc,"multi',
  'line"',
  '3,,,a,,2,plain',
  '4,-1.25e2,,a,Zoë,1.0,"""q"""',
  '5,7,,,naïve,NA,plain',
  '',
].join('\r\n');

/**
 * Parses the CSV with Python's csv module, reads cells as pandas does by
 * default (its NA strings are nulls, numbers are numbers) and prints their
 * statistics.
 */
const PYTHON_CSV_STATS = PYTHON_STATS_FUNCTION + String.raw`
import csv, io
request = json.load(sys.stdin)
NA = {"", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
      "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null"}
def cell(text):
    if text in NA:
        return None
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text
rows = list(csv.reader(io.StringIO(request["text"], newline=""), delimiter=request["delimiter"]))
header = [name if name else "Unnamed: %d" % i for i, name in enumerate(rows[0])]
body = [row for row in rows[1:] if row]
columns = [[name, [cell(row[i]) if i < len(row) else None for row in body]] for i, name in enumerate(header)]
print(json.dumps(column_stats(columns)))
`;

function assertStatsEqual(actual: Record<string, unknown>, expected: Record<string, Record<string, unknown>>): void {
  assert.deepEqual(Object.keys(actual), Object.keys(expected));
  for (const [column, want] of Object.entries(expected)) {
    const got = actual[column] as Record<string, unknown>;
    for (const key of ['dtype', 'count', 'nulls', 'unique', 'min', 'max', 'top_values']) {
      assert.deepEqual(got[key], want[key], `${column}.${key}`);
    }
    for (const key of ['mean', 'std']) {
      if (want[key] === undefined || want[key] === null) {
        assert.equal(got[key] ?? null, want[key] ?? null, `${column}.${key}`);
        continue;
      }
      const a = got[key] as number;
      const b = want[key] as number;
      assert.ok(Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b)), `${column}.${key}: ${a} != ${b}`);
    }
  }
}

describe('delimited files', { skip: skipPython }, () => {
  for (const [extension, delimiter] of [['csv', ','], ['tsv', '\t']] as const) {
    test(`${extension} with NaN, empty and non-ASCII columns`, async () => {
      const text = delimiter === ',' ? CSV_TEXT : CSV_TEXT.replace(/,/g, '\t').replace('x\t y', 'x, y');
      const file = path.join(dir, `people.${extension}`);
      fs.writeFileSync(file, `\uFEFF${text}`);

      const expected = pythonJson<Record<string, Record<string, unknown>>>(PYTHON_CSV_STATS, { text, delimiter });
      const result = await extractFile(file);

      assert.equal(result.type, 'Dataset');
      assert.equal(result.properties.num_samples, 5);
      assert.equal(result.properties.num_features, 7);
      assert.deepEqual(result.properties.feature_columns, ['id', 'score', 'empty', 'Unnamed: 3', '名前', 'mixed', 'quoted']);
      assertStatsEqual(result.properties.column_stats as Record<string, unknown>, expected);
      assert.equal((result.properties.column_stats as Record<string, { dtype: string }>).empty.dtype, 'empty');
      assert.equal((result.properties.column_stats as Record<string, { dtype: string }>).mixed.dtype, 'categorical');
      assert.equal(result.properties.file_size, fs.statSync(file).size);
    });
  }

  test('csv repeated header names get suffixes', async () => {
    const file = path.join(dir, 'dupes.csv');
    fs.writeFileSync(file, 'a,a,a\n1,2,3\n');
    const result = await extractFile(file);
    assert.deepEqual(result.properties.feature_columns, ['a', 'a.1', 'a.2']);
  });

  test('csv with only blank lines is rejected', async () => {
    const file = path.join(dir, 'blank.csv');
    fs.writeFileSync(file, '\n\n');
    await assert.rejects(extractFile(file), (error: unknown) => error instanceof ExtractionError && error.code === 'invalid');
  });
});

const RECORDS = [
  { city: 'Zürich', temp: 21.5, rain: null, ok: true },
  { city: '東京', temp: 30, ok: false, note: 'hot' },
  { city: 'Zürich', temp: -2.25, rain: 3 },
  { city: 'Lima', temp: 18, rain: 0, ok: true, note: '5' },
];

/** Reads JSON Lines with Python's json module, columns in order of first appearance, and prints their statistics. */
const PYTHON_RECORD_STATS = PYTHON_STATS_FUNCTION + String.raw`
records = [json.loads(line) for line in json.load(sys.stdin).splitlines() if line.strip()]
names = []
for record in records:
    for key in record:
        if key not in names:
            names.append(key)
print(json.dumps(column_stats([[name, [record.get(name) for record in records]] for name in names])))
`;

describe('json files', { skip: skipPython }, () => {
  test('json lines with missing keys', async () => {
    const file = path.join(dir, 'weather.jsonl');
    const lines = RECORDS.map((r) => JSON.stringify(r)).join('\n');
    fs.writeFileSync(file, `${lines}\n\n`);
    const result = await extractFile(file);
    assert.equal(result.type, 'Dataset');
    assert.equal(result.properties.num_samples, 4);
    assert.deepEqual(result.properties.feature_columns, ['city', 'temp', 'rain', 'ok', 'note']);
  });

  test('json lines statistics match python', async () => {
    const file = path.join(dir, 'weather2.jsonl');
    const lines = RECORDS.map((r) => JSON.stringify(r)).join('\n');
    fs.writeFileSync(file, lines);
    const result = await extractFile(file);
    assertStatsEqual(result.properties.column_stats as Record<string, unknown>, pythonJson(PYTHON_RECORD_STATS, lines));
  });

  test('json array of records matches json lines', async () => {
    const file = path.join(dir, 'weather.json');
    fs.writeFileSync(file, JSON.stringify(RECORDS));
    const lines = RECORDS.map((r) => JSON.stringify(r)).join('\n');
    const result = await extractFile(file);
    assert.equal(result.type, 'Dataset');
    assertStatsEqual(result.properties.column_stats as Record<string, unknown>, pythonJson(PYTHON_RECORD_STATS, lines));
  });

  test('json lines with a non-object line is rejected', async () => {
    const file = path.join(dir, 'bad.jsonl');
    fs.writeFileSync(file, '{"a": 1}\n[1, 2]\n');
    await assert.rejects(extractFile(file), /line 2: expected a JSON object/);
  });
});

describe('parquet files', { skip: skipPython }, () => {
  test('parquet with NaN, nulls, an empty column and non-ASCII names', async () => {
    const { parquetWriteBuffer } = await import('hyparquet-writer');
    const ids = [1, 2, 3, 4, 5, 6, 7];
    const scores = [0.5, NaN, null, 2.25, -1, 0.5, 1e6];
    const names = ['Zoë', '東京', null, 'Zoë', 'naïve', '', 'Zoë'];
    const empty = [null, null, null, null, null, null, null];
    const flags = [true, false, true, null, true, true, false];
    const buffer = parquetWriteBuffer({
      columnData: [
        { name: 'id', data: ids.map(BigInt), type: 'INT64' },
        { name: 'score', data: scores, type: 'DOUBLE' },
        { name: '名前', data: names, type: 'STRING' },
        { name: 'empty', data: empty, type: 'DOUBLE' },
        { name: 'flag', data: flags, type: 'BOOLEAN' },
      ],
      rowGroupSize: 3,
    });
    const file = path.join(dir, 'people.parquet');
    fs.writeFileSync(file, Buffer.from(buffer));

    const expected = pythonColumnStats([
      ['id', ids],
      ['score', scores.map((s) => (s === null || Number.isNaN(s) ? null : s))],
      ['名前', names],
      ['empty', empty],
      ['flag', flags],
    ]);
    const progress: ExtractProgress[] = [];
    const result = await extractFile(file, { onProgress: (p) => progress.push(p) });

    assert.equal(result.type, 'Dataset');
    assert.equal(result.properties.num_samples, 7);
    assert.deepEqual(result.properties.feature_columns, ['id', 'score', '名前', 'empty', 'flag']);
    assertStatsEqual(result.properties.column_stats as Record<string, unknown>, expected);
    assert.equal(progress.at(-1)?.bytesDone, fs.statSync(file).size);
  });

  test('a file that is not parquet is rejected', async () => {
    const file = path.join(dir, 'fake.parquet');
    fs.writeFileSync(file, 'not parquet at all');
    await assert.rejects(extractFile(file), (error: unknown) => error instanceof ExtractionError && error.code === 'invalid');
  });
});

describe('streaming', () => {
  const file = path.join(dir, 'large.csv');
  const rows = 200_000;

  test('large csv reports progress up to the size', async () => {
    const lines = ['n,half,label'];
    for (let i = 0; i < rows; i++) lines.push(`${i},${i / 2},k${i % 7}`);
    fs.writeFileSync(file, lines.join('\n'));
    const progress: ExtractProgress[] = [];
    const result = await extractFile(file, { onProgress: (p) => progress.push(p) });

    assert.equal(result.properties.num_samples, rows);
    const stats = result.properties.column_stats as Record<string, { mean: number; unique: number; top_values?: string[] }>;
    assert.equal(stats.n.mean, (rows - 1) / 2);
    // Distinct values are tracked up to a cap, past which `unique` is a lower bound.
    assert.equal(stats.n.unique, 100_000);
    assert.equal((stats.n as { unique_is_lower_bound?: boolean }).unique_is_lower_bound, true);
    assert.deepEqual(stats.label.top_values, ['k0', 'k1', 'k2', 'k3', 'k4']);
    assert.ok(progress.length >= 1);
    for (let i = 1; i < progress.length; i++) assert.ok(progress[i].bytesDone >= progress[i - 1].bytesDone);
    assert.equal(progress.at(-1)?.bytesDone, fs.statSync(file).size);
  });

  test('abort signal cancels a csv read', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(extractFile(file, { signal: controller.signal }), (error: unknown) => error instanceof ExtractionError && error.code === 'cancelled');
  });
});
