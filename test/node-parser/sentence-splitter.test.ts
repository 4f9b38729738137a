import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splitSentences } from '../../src/node-parser/sentence-splitter.js';

const texts = (s: string, base = 0) => splitSentences(s, base).map((x) => x.text);

/** Every span must be the exact slice of the source it claims. */
function assertExact(source: string, base: number): void {
  for (const s of splitSentences(source, base)) {
    assert.equal(source.slice(s.start - base, s.end - base), s.text);
    assert.equal(s.text, s.text.trim());
  }
}

describe('splitSentences', () => {
  it('splits after 。！？； and keeps offsets exact with a base offset', () => {
    const src = '一是加强。二是推进！三是什么？四是落实；五是';
    assert.deepEqual(texts(src), ['一是加强。', '二是推进！', '三是什么？', '四是落实；', '五是']);
    assertExact(src, 100);
    assert.deepEqual(splitSentences('甲。乙。', 7)[1], { text: '乙。', start: 9, end: 11 });
  });

  it('keeps a closing quote or bracket with the sentence it ends', () => {
    assert.deepEqual(texts('他说：“要稳。”随后落实。（完）'), ['他说：“要稳。”', '随后落实。', '（完）']);
    assert.deepEqual(texts('「好！」『是？』'), ['「好！」', '『是？』']);
  });

  it('does not split inside quotes that do not follow a terminator', () => {
    assert.deepEqual(texts('组织做好“百城千屏”超高清视频落地推广活动工作。'), [
      '组织做好“百城千屏”超高清视频落地推广活动工作。',
    ]);
  });

  it('keeps runs of terminators together', () => {
    assert.deepEqual(texts('真的吗？！是的……好。'), ['真的吗？！', '是的……', '好。']);
  });

  it('handles Latin text: ! ? and a period before whitespace, not decimals or dotted tokens', () => {
    assert.deepEqual(texts('Hello world. Is 2.6 big? Yes! e.g.this stays'), [
      'Hello world.',
      'Is 2.6 big?',
      'Yes!',
      'e.g.this stays',
    ]);
    assert.deepEqual(texts('覆盖超2.6亿户家庭。'), ['覆盖超2.6亿户家庭。']);
  });

  it('never includes surrounding whitespace and breaks at newlines', () => {
    const src = '　　首句。  \n\n第二段没有句号\n第三行。 ';
    assert.deepEqual(texts(src), ['首句。', '第二段没有句号', '第三行。']);
    assertExact(src, 3);
  });

  it('returns nothing for empty or blank text', () => {
    assert.deepEqual(splitSentences(''), []);
    assert.deepEqual(splitSentences(' \n\t　'), []);
  });

  it('is exact on mixed random text', () => {
    const alphabet = ['中', '文', '。', '！', '？', '；', '”', '）', ' ', '\n', 'a', '.', '1', '…', '，'];
    let seed = 42;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    for (let round = 0; round < 200; round++) {
      let s = '';
      const len = rand() % 40;
      for (let i = 0; i < len; i++) s += alphabet[rand() % alphabet.length];
      assertExact(s, round);
      // Sentences are in order and do not overlap.
      const spans = splitSentences(s);
      for (let i = 1; i < spans.length; i++) assert.ok((spans[i - 1]?.end ?? 0) <= (spans[i]?.start ?? 0));
      // Nothing but whitespace is left out.
      const covered = spans.map((x) => x.text).join('');
      assert.equal(covered.replace(/\s/g, ''), s.replace(/\s/g, ''));
    }
  });
});
