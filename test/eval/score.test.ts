import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PassageContext } from '../../src/engine/PolicyEngine.js';
import {
  answerContains,
  citedSentences,
  isHeadingOnly,
  namesPlaceOrDocument,
  phantomCitations,
  scoreListAnswer,
} from '../../src/eval/score.js';
import type { Answer, Chunk, Citation } from '../../src/types.js';

const PASSAGE =
  '第十条 具备下列条件的，可以申请设立专利代理机构：有符合法律、行政法规规定的专利代理机构名称；有书面合伙协议或者公司章程；有独立的经营场所。';

function citation(n: number, quote: string, extra: Partial<Citation> = {}): Citation {
  const start = Math.max(0, PASSAGE.indexOf(quote));
  return {
    n,
    passageId: 'tiaoli#3',
    doc: 'tiaoli',
    docTitle: '专利代理条例',
    partTitle: '专利代理条例',
    issuer: null,
    issuerFull: null,
    docNumber: null,
    date: null,
    region: null,
    sectionPath: ['第二章 专利代理机构和专利代理师'],
    section: '第二章 专利代理机构和专利代理师',
    quote,
    passage: PASSAGE,
    start,
    end: start + quote.length,
    ...extra,
  };
}

function answer(
  text: string,
  citations: Citation[],
  refused = false,
): Pick<Answer, 'text' | 'citations' | 'refused'> {
  return { text, citations, refused };
}

const chunk = { id: 'tiaoli#3', text: PASSAGE } as Chunk;
const lookup = (id: string): PassageContext | null =>
  id === 'tiaoli#3'
    ? { chunk, context: `第二章 专利代理机构和专利代理师\n${PASSAGE}`, contextStart: 0 }
    : null;

describe('answer containment', () => {
  it('finds the evidence across a citation marker in the text', () => {
    const a = answer('有书面合伙协议[1]或者公司章程[2]。', [citation(1, '有书面合伙协议或者公司章程')]);
    assert.equal(answerContains(a, '有书面合伙协议或者公司章程'), true);
  });

  it('finds the evidence in a citation quote when the text paraphrases it', () => {
    const a = answer('需要一个独立的场所[1]。', [citation(1, '有独立的经营场所')]);
    assert.equal(answerContains(a, '有独立的经营场所'), true);
    assert.equal(answerContains(a, '有书面合伙协议或者公司章程'), false);
  });

  it('a refusal contains nothing, even when its text names the topic', () => {
    assert.equal(
      answerContains(answer('没有找到关于有独立的经营场所的规定。', [], true), '有独立的经营场所'),
      false,
    );
  });
});

describe('phantom citations', () => {
  it('flags a quote that is not verbatim in its passage, an unknown passage and an empty quote', () => {
    const good = citation(1, '有独立的经营场所');
    const invented = citation(2, '有独立的经营场所和十名以上专利代理师');
    const unknown = citation(3, '有独立的经营场所', { passageId: 'nowhere#0' });
    const empty = citation(4, ' ');
    const phantoms = phantomCitations([good, invented, unknown, empty], lookup);
    assert.deepEqual(
      phantoms.map((c) => c.n),
      [2, 3, 4],
    );
  });

  it('accepts a quote from the paragraph around the chunk (the context passage() returns)', () => {
    assert.deepEqual(phantomCitations([citation(1, '第二章 专利代理机构和专利代理师')], lookup), []);
  });
});

describe('list answers', () => {
  const items = [
    '有符合法律、行政法规规定的专利代理机构名称',
    '有书面合伙协议或者公司章程',
    '有独立的经营场所',
    '合伙人、股东符合国家有关规定',
  ];

  it('item recall counts items in the text or the quotes; precision counts cited sentences holding an item', () => {
    const a = answer(
      '设立条件包括：有书面合伙协议或者公司章程[1]。还要有独立的经营场所[2]。机构应当加强管理[3]。这句没有引用。',
      [citation(1, '有书面合伙协议或者公司章程'), citation(2, '有独立的经营场所'), citation(3, '第十条')],
    );
    const score = scoreListAnswer(a, items);
    assert.deepEqual(score.found, [1, 2]);
    assert.equal(score.citedSentences, 3);
    assert.equal(score.holdingSentences, 2);
  });

  it('a cited sentence holds an item through the quote it cites', () => {
    const a = answer('名称要合规[1]。', [citation(1, '有符合法律、行政法规规定的专利代理机构名称')]);
    assert.deepEqual(scoreListAnswer(a, items), { found: [0], citedSentences: 1, holdingSentences: 1 });
  });

  it('a refusal scores nothing', () => {
    assert.deepEqual(scoreListAnswer(answer('未找到。', [], true), items), {
      found: [],
      citedSentences: 0,
      holdingSentences: 0,
    });
  });

  it('citedSentences pairs each sentence with the quotes it cites', () => {
    const a = answer('甲[1][2]。乙。', [citation(1, '有独立的经营场所'), citation(2, '第十条')]);
    assert.deepEqual(citedSentences(a), [{ text: '甲。', quotes: ['有独立的经营场所', '第十条'] }]);
  });
});

describe('heading-only answers', () => {
  const c = citation(1, '第二章 专利代理机构和专利代理师');

  it('flags a section heading, a document title and a file name, also after a short lead-in', () => {
    assert.equal(isHeadingOnly(answer('第二章 专利代理机构和专利代理师[1]', [c])), true);
    assert.equal(isHeadingOnly(answer('根据《专利代理条例》的工作安排：专利代理条例[1]。', [c])), true);
    assert.equal(
      isHeadingOnly(answer('根据广东省能源局的工作安排：广东电力市场年度交易实施方案.pdf[1]。', [c])),
      true,
    );
    assert.equal(isHeadingOnly(answer('（三）加强组织领导[1]\n四、保障措施[1]', [c])), true);
    assert.equal(isHeadingOnly(answer('重点任务[1]', [c]), ['重点任务']), true);
  });

  it('does not flag an answer with content, nor a refusal', () => {
    assert.equal(isHeadingOnly(answer('第二章规定：有独立的经营场所[1]。', [c])), false);
    // The extractive layer strips the quote's "。" and closes with its own; the quote keeps the document's.
    const item = citation(1, '（三）各地要加强组织领导，明确责任分工。');
    assert.equal(
      isHeadingOnly(
        answer('根据《专利代理条例》的工作安排：（三）各地要加强组织领导，明确责任分工[1]。', [item]),
      ),
      false,
    );
    assert.equal(isHeadingOnly(answer('（三）各地要加强组织领导。明确责任分工[1]', [c])), false);
    assert.equal(isHeadingOnly(answer('专利代理条例', [], true)), false);
  });
});

describe('questions that name a region or a document', () => {
  it('recognises provinces (Chinese and English), 《titles》 and 文号', () => {
    assert.equal(namesPlaceOrDocument('河南（不是四川）今年计划新建改造多少亩高标准农田？'), true);
    assert.equal(namesPlaceOrDocument("What is Zhejiang's GDP growth target?"), true);
    assert.equal(namesPlaceOrDocument('《专利代理条例》最初是哪一年发布的？'), true);
    assert.equal(namesPlaceOrDocument('国发〔2019〕3号要把综合保税区打造成哪几个中心？'), true);
    assert.equal(namesPlaceOrDocument('总理出国访问的时候，由谁临时代行总理职务？'), false);
  });
});
