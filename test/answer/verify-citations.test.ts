import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CitationMarkerFilter, verifyCitations } from '../../src/answer/verify-citations.js';
import type { Chunk } from '../../src/types.js';
import { makeChunk } from '../helpers/passages.js';

function chunk(ordinal: number, text: string, start = ordinal * 1000): Chunk {
  return makeChunk(ordinal, text, {
    issuer: '信息通信发展司',
    issuerFull: '工业和信息化部信息通信发展司',
    start,
  });
}

const passages = [
  chunk(0, '全面完成两项任务。新建5G基站超60万个，千兆光网具备覆盖超2.6亿户家庭的能力。'),
  chunk(1, '二是持续开展6G愿景研究和技术验证，办好第二届6G研讨会。'),
  chunk(2, '推动中小企业数字化转型。'),
];

describe('verifyCitations', () => {
  it('removes a sentence citing a phantom passage and keeps the rest', () => {
    const v = verifyCitations('新建5G基站超60万个[1]。6G研讨会将在月球举行[9]。', passages, 'zh');
    assert.ok(v);
    assert.equal(v.text, '新建5G基站超60万个[1]。');
    assert.deepEqual(
      v.removed.map((r) => r.reason),
      ['invalid-citation'],
    );
  });

  it('drops uncited claims but keeps a short connective lead-in', () => {
    const v = verifyCitations(
      '根据信息通信发展司的工作安排：新建5G基站超60万个[1]。这一成绩举世瞩目。',
      passages,
      'zh',
    );
    assert.ok(v);
    assert.equal(v.text, '根据信息通信发展司的工作安排：新建5G基站超60万个[1]。');
    assert.deepEqual(
      v.removed.map((r) => r.reason),
      ['uncited'],
    );
  });

  it('drops a Chinese claim that shares nothing with its cited passage', () => {
    const v = verifyCitations('新建5G基站超60万个[1]。农业产量大幅提高[2]。', passages, 'zh');
    assert.ok(v);
    assert.equal(v.text, '新建5G基站超60万个[1]。');
    assert.equal(v.removed[0]?.reason, 'unsupported');
  });

  it('renumbers by first use and quotes the best-matching sentence verbatim', () => {
    const v = verifyCitations(
      'The ministry will continue 6G vision research (持续开展6G愿景研究) [2]. It built over 600,000 5G base stations (新建5G基站超60万个) [1][2].',
      passages,
      'en',
    );
    assert.ok(v);
    assert.equal(
      v.text,
      'The ministry will continue 6G vision research (持续开展6G愿景研究) [1]. It built over 600,000 5G base stations (新建5G基站超60万个) [2][1].',
    );
    assert.deepEqual(
      v.citations.map((c) => [c.n, c.passageId]),
      [
        [1, 'doc#1'],
        [2, 'doc#0'],
      ],
    );
    const c2 = v.citations[1];
    assert.ok(c2);
    assert.equal(c2.quote, '新建5G基站超60万个，千兆光网具备覆盖超2.6亿户家庭的能力。');
    assert.equal(c2.start, 9);
    assert.equal(c2.end, 9 + c2.quote.length);
  });

  it('accepts [1,2] and full-width markers', () => {
    const v = verifyCitations('新建5G基站超60万个［1］；开展6G愿景研究[1,2]。', passages, 'zh');
    assert.ok(v);
    assert.equal(v.citations.length, 2);
    assert.match(v.text, /\[1\]\[2\]/);
  });

  it('returns null when nothing verifiable is left', () => {
    assert.equal(verifyCitations('完全没有引用。', passages, 'zh'), null);
    assert.equal(verifyCitations('只有幻觉[7]。', passages, 'zh'), null);
  });
});

describe('CitationMarkerFilter', () => {
  it('holds back split markers and drops phantom ones', () => {
    const f = new CitationMarkerFilter(3);
    const out =
      ['新建5G基站', '超60万个[', '1]。', '虚构[', '9', ']。', '末尾['].map((d) => f.push(d)).join('') +
      f.flush();
    assert.equal(out, '新建5G基站超60万个[1]。虚构。末尾[');
  });
});
