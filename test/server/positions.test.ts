import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SourceText } from '../../src/server/text/source';

test('positions count UTF-16 units past emoji and CJK', () => {
  // 😀 is two UTF-16 code units, each CJK character one.
  const text = 'a = "😀日本"; name = "x"\n';
  const source = new SourceText(text);
  const offset = text.indexOf('name');

  assert.equal(offset, 12);
  assert.deepEqual(source.positionAt(offset), { line: 0, character: 12 });
  assert.equal(source.offsetAt({ line: 0, character: 12 }), offset);
});

test('line breaks follow LSP: LF, CRLF and a lone CR', () => {
  const source = new SourceText('a\nb\r\nc\rd');

  assert.equal(source.lineCount, 4);
  assert.deepEqual(source.positionAt(2), { line: 1, character: 0 });
  assert.deepEqual(source.positionAt(5), { line: 2, character: 0 });
  assert.deepEqual(source.positionAt(7), { line: 3, character: 0 });
  assert.equal(source.offsetAt({ line: 3, character: 0 }), 7);
});

test('character past line end clamps before the line break', () => {
  const source = new SourceText('ab\r\ncd');

  assert.equal(source.offsetAt({ line: 0, character: 99 }), 2);
  assert.equal(source.offsetAt({ line: 9, character: 0 }), 6);
  assert.equal(source.offsetAt({ line: -1, character: 3 }), 0);
});

test('character inside a surrogate pair moves to its start', () => {
  const source = new SourceText('x😀y');

  assert.equal(source.offsetAt({ line: 0, character: 2 }), 1);
  assert.equal(source.offsetAt({ line: 0, character: 3 }), 3);
});

test('UTF-8 byte offsets map to UTF-16 offsets', () => {
  // é is 2 bytes, 日 3 bytes, 😀 4 bytes; all one character except 😀 (two units).
  const text = 'é日😀z';
  const source = new SourceText(text);

  assert.equal(source.offsetOfUtf8(0), 0);
  assert.equal(source.offsetOfUtf8(2), 1);
  assert.equal(source.offsetOfUtf8(5), 2);
  assert.equal(source.offsetOfUtf8(9), 4);
  assert.equal(source.offsetOfUtf8(10), 5);
  // A byte inside a multi-byte character belongs to that character.
  assert.equal(source.offsetOfUtf8(7), 2);
});

test('positions at the end of text without a final newline', () => {
  const source = new SourceText('日本');

  assert.deepEqual(source.positionAt(2), { line: 0, character: 2 });
  assert.deepEqual(source.positionAt(50), { line: 0, character: 2 });
});
