import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildCitation } from '../../../src/answer/citations.js';
import type { ScoredUnit } from '../../../src/answer/extractive.js';
import { type ListResult, withLead } from '../../../src/answer/lists/index.js';
import type { Chunk } from '../../../src/types.js';

const chunk = (id: string, start: number, text: string, sectionPath: string[]): Chunk =>
  ({
    id,
    ordinal: 0,
    docId: 'yijian',
    docTitle: '关于加强绩效考核工作的意见',
    partTitle: '关于加强绩效考核工作的意见',
    issuer: null,
    issuerFull: null,
    docNumber: null,
    date: null,
    region: null,
    sectionPath,
    section: sectionPath.at(-1) ?? null,
    paragraphIndex: 0,
    start,
    end: start + text.length,
    text,
  }) as Chunk;

const items = chunk(
  'yijian#2',
  100,
  '（一）医疗质量。提供高质量的医疗服务。（二）运营效率。体现精细化管理。',
  ['二、指标体系'],
);
const list: ListResult = {
  text: '根据《关于加强绩效考核工作的意见》 › 二、指标体系：\n- 医疗质量：提供高质量的医疗服务[1]；\n- 运营效率：体现精细化管理[2]。',
  citations: [buildCitation(1, items, 8, 18), buildCitation(2, items, 27, 34)],
  groups: [
    {
      source: '《关于加强绩效考核工作的意见》 › 二、指标体系',
      lines: [
        { docId: 'yijian', start: 108, end: 118, text: '医疗质量：提供高质量的医疗服务', cites: [1] },
        { docId: 'yijian', start: 127, end: 134, text: '运营效率：体现精细化管理', cites: [2] },
      ],
      more: 0,
    },
  ],
  itemPassages: [],
};
const setSentence = '考核指标体系由医疗质量、运营效率、持续发展、满意度评价等4个方面的指标构成。';
const unit = (text: string, c: Chunk, score = 0.3, termCoverage = 0.6): ScoredUnit => ({
  passageIndex: 0,
  chunk: c,
  start: c.text.indexOf(text),
  end: c.text.indexOf(text) + text.length,
  text,
  score,
  termCoverage,
  matchedTerms: [],
});

describe('withLead', () => {
  it('puts the sentence naming the set first, renumbering the items’ citations', () => {
    const own = chunk('yijian#1', 40, `二、指标体系。${setSentence}`, ['二、指标体系']);
    const led = withLead(list, [unit(setSentence, own)], '考核指标体系包括哪几大块？');
    const lines = led.text.split('\n');
    assert.equal(lines[1], `${setSentence.slice(0, -1)}[1]。`);
    assert.match(lines[2] ?? '', /\[2\]；$/);
    assert.deepEqual(
      led.citations.map((c) => c.n),
      [1, 2, 3],
    );
    assert.equal(led.citations[0]?.quote, setSentence);
    assert.deepEqual(
      led.groups[0]?.lines.map((l) => l.cites),
      [[2], [3]],
    );
  });

  it('gives a sentence of another section its own source line', () => {
    const other = chunk('yijian#0', 0, `一、总体要求。${setSentence}`, ['一、总体要求']);
    const led = withLead(list, [unit(setSentence, other)], '考核指标体系包括哪几大块？');
    assert.match(
      led.text.split('\n')[0] ?? '',
      /^根据《关于加强绩效考核工作的意见》 › 一、总体要求：考核指标体系由/,
    );
  });

  it("leads with another document's sentence only from the best passage", () => {
    const elsewhere = {
      ...chunk('baogao#0', 0, `一、总体要求。${setSentence}`, ['一、总体要求']),
      docId: 'baogao',
    };
    const top = withLead(list, [unit(setSentence, elsewhere)], '考核指标体系包括哪几大块？');
    assert.match(top.text.split('\n')[0] ?? '', /^根据.*考核指标体系由/);
    const lower = { ...unit(setSentence, elsewhere), passageIndex: 2 };
    assert.equal(withLead(list, [lower], '考核指标体系包括哪几大块？'), list);
  });

  it('leaves the list alone without an enumeration, with a weak one, or when the question names the set', () => {
    const own = chunk('yijian#1', 40, `二、指标体系。${setSentence}各地要抓好落实。`, ['二、指标体系']);
    assert.equal(withLead(list, [unit('各地要抓好落实。', own)], '包括哪几大块？'), list);
    assert.equal(withLead(list, [unit(setSentence, own, 0.3, 0.1)], '包括哪几大块？'), list);
    assert.equal(withLead(list, [unit(setSentence, own)], '医疗质量、运营效率、持续发展各指什么？'), list);
  });
});
