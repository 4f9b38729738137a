import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splitByBytes, truncateToBytes, utf8Length } from '../../src/wecom/split-text.js';

describe('splitByBytes', () => {
  it('keeps short text whole', () => {
    assert.deepEqual(splitByBytes('一句话。', 2048), ['一句话。']);
    assert.deepEqual(splitByBytes('', 2048), []);
  });

  it('cuts on sentence boundaries under a UTF-8 byte limit', () => {
    const sentence = '新建5G基站超60万个。'; // 12 chars, 28 bytes
    const text = sentence.repeat(200);
    const parts = splitByBytes(text, 2048);
    assert.ok(parts.length > 1);
    for (const part of parts) {
      assert.ok(utf8Length(part) <= 2048, `part of ${utf8Length(part)} bytes`);
      assert.ok(part.endsWith('。'), 'ends at a sentence end');
    }
    assert.equal(parts.join(''), text);
    // Characters would have allowed ~2048 chars per part; bytes allow far fewer.
    assert.ok(parts[0] !== undefined && parts[0].length < 1024);
  });

  it('hard-cuts an over-long sentence without splitting code points', () => {
    const parts = splitByBytes('中'.repeat(10), 10);
    assert.deepEqual(parts.map(utf8Length), [9, 9, 9, 3]);
    assert.equal(parts.join(''), '中'.repeat(10));
  });

  it('prefers line breaks, so citation lines stay whole', () => {
    const text = `答案。\n\n**来源**\n> [1] 科技司 · 标题 · “引文”\n> [2] 科技司 · 标题 · “引文二”`;
    const parts = splitByBytes(text, 60);
    assert.ok(parts.every((p) => utf8Length(p) <= 60));
    assert.ok(parts.some((p) => p === '> [1] 科技司 · 标题 · “引文”'));
  });
});

describe('truncateToBytes', () => {
  it('keeps whole sentences and counts the marker', () => {
    const out = truncateToBytes('第一句。第二句。第三句。', 30, '…');
    assert.equal(out, '第一句。第二句。…');
    assert.ok(utf8Length(out) <= 30);
    assert.equal(truncateToBytes('短。', 30), '短。');
  });
});
