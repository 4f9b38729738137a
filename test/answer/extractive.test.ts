import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { composeExtractive, holdsWhatIsAsked, meetsNeed } from '../../src/answer/extractive.js';
import { splitClauses, splitLines, splitSentences } from '../../src/answer/sentences.js';
import type { Chunk, RetrievalResult } from '../../src/types.js';
import { makeChunk, rankedRetrieval } from '../helpers/passages.js';

function chunk(ordinal: number, text: string, issuer: string, start: number): Chunk {
  return makeChunk(ordinal, text, {
    docTitle: '落实工作会精神 推动高质量发展',
    issuer,
    issuerFull: `工业和信息化部${issuer}`,
    start,
  });
}

function retrieval(
  query: string,
  terms: string[],
  chunks: Chunk[],
  language: 'zh' | 'en' = 'zh',
): RetrievalResult {
  return rankedRetrieval(query, chunks, terms, language);
}

const review = chunk(
  1,
  '全面完成两项任务，中小企业宽带和专线平均资费大幅下降，新建5G基站超60万个，千兆光网具备覆盖超2.6亿户家庭的能力，5G应用创新不断走向深入，历史性实现全国行政村“村村通宽带”。',
  '信息通信发展司',
  100,
);
const plan = chunk(
  2,
  '四是实施5G行业应用“十百千工程”，选择10个垂直行业，新建1000个行业虚拟专网。',
  '信息通信发展司',
  900,
);
const sme = chunk(
  3,
  '新培育专精特新“小巨人”企业2930家，中央财政安排35亿元支持“专精特新”中小企业高质量发展。',
  '中小企业局',
  2000,
);

describe('sentence and clause splitting', () => {
  it('keeps verbatim offsets', () => {
    const text = '一是甲。二是乙！三是丙';
    for (const s of splitSentences(text, 10)) assert.equal(text.slice(s.start - 10, s.end - 10), s.text);
    assert.deepEqual(
      splitSentences(text).map((s) => s.text),
      ['一是甲。', '二是乙！', '三是丙'],
    );
    assert.deepEqual(
      splitClauses('甲，乙、丙，丁').map((s) => s.text),
      ['甲，', '乙、丙，', '丁'],
    );
    const lines = '  相关附件：\n\n附件：方案.pdf  \n末行';
    assert.deepEqual(
      splitLines(lines).map((l) => [l.text, lines.slice(l.start, l.end)]),
      [
        ['相关附件：', '相关附件：'],
        ['附件：方案.pdf', '附件：方案.pdf'],
        ['末行', '末行'],
      ],
    );
  });
});

describe('composeExtractive on hand-built retrieval results', () => {
  it('answers with the clause that holds the figure, not the whole long sentence', () => {
    const r = retrieval('2021年新建了多少个5G基站？', ['新建', '5g', '基站', '2021'], [review, plan]);
    const x = composeExtractive('2021年新建了多少个5G基站？', 'zh', r, { maxChars: 300 });
    assert.equal(x.text, '根据信息通信发展司《文章》：新建5G基站超60万个[1]。');
    const c = x.citations[0];
    assert.ok(c);
    assert.equal(c.quote, '新建5G基站超60万个');
    assert.equal(c.passageId, 'doc#1');
    assert.equal(c.start, review.start + review.text.indexOf('新建5G基站'));
    assert.equal(c.end - c.start, c.quote.length);
  });

  it('frames English questions in English with Chinese quotes', () => {
    const r = retrieval('How many 5G base stations were built?', ['5g', '基站', '新建'], [review], 'en');
    const x = composeExtractive('How many 5G base stations were built?', 'en', r, { maxChars: 300 });
    assert.equal(x.text, 'According to 信息通信发展司《文章》: “新建5G基站超60万个” [1].');
  });

  it('groups by issuer and numbers citations by first use', () => {
    const q = '新建5G基站和小巨人企业各有多少？';
    const r = retrieval(q, ['5g', '基站', '小巨人', '企业', '新建', '培育'], [review, sme]);
    const x = composeExtractive(q, 'zh', r, { maxChars: 300 });
    assert.match(x.text, /^根据信息通信发展司《文章》：.*\[1\]。此外，据中小企业局《文章》：.*\[2\]。$/);
    assert.deepEqual(
      x.citations.map((c) => c.issuer),
      ['信息通信发展司', '中小企业局'],
    );
  });

  it('does not add a second source that only repeats the same terms', () => {
    const twin = chunk(4, '新建5G基站超60万个，成效明显。', '信息通信发展司', 5000);
    const r = retrieval('新建5G基站多少', ['新建', '5g', '基站'], [review, twin]);
    const x = composeExtractive('新建5G基站多少', 'zh', r, { maxChars: 300 });
    assert.equal(x.citations.length, 1);
  });

  it('respects a small budget', () => {
    const q = '专精特新有哪些支持？';
    const r = retrieval(q, ['专精', '特新', '支持', '中央财政', '培育'], [sme, review, plan]);
    const x = composeExtractive(q, 'zh', r, { maxChars: 60 });
    assert.ok([...x.text].length <= 80, x.text);
    assert.ok(x.units.length >= 1);
  });
});

describe('year-aware units', () => {
  const pastSme = chunk(
    7,
    '推动加大中小企业金融支持力度。新培育专精特新“小巨人”企业2930家。',
    '中小企业局',
    2000,
  );
  const planSme = chunk(8, '新培育3000家左右第四批“小巨人”企业。', '中小企业局', 3000);
  const years = (c: Chunk) => (c.ordinal === 7 ? 2021 : c.ordinal === 8 ? 2022 : null);

  it('prefers the paragraph about the year asked for, either way round', () => {
    const ask = (q: string) =>
      composeExtractive(q, 'zh', retrieval(q, ['培育', '小巨人', '企业'], [planSme, pastSme]), {
        maxChars: 300,
        maxUnits: 1,
        paragraphYear: years,
      }).text;
    assert.match(ask('2021年培育了多少家小巨人企业？'), /2930家/);
    assert.match(ask('2022年要培育多少家小巨人企业？'), /3000家/);
  });

  it('never offers a bare year as an answer unit', () => {
    const c = chunk(9, '2022年，科技司将认真贯彻落实党中央决策部署。', '科技司', 4000);
    const result = composeExtractive(
      '科技司2022年做什么？',
      'zh',
      retrieval('科技司2022年做什么？', ['科技司'], [c]),
      {
        maxChars: 300,
      },
    );
    assert.ok(result.candidates.every((u) => u.text.replace(/[\d\p{P}\s]|年/gu, '').length >= 4));
  });
});

describe('holdsWhatIsAsked', () => {
  const units = (...texts: string[]) => texts.map((text) => ({ text }));
  it('a how-much question needs a figure among the best units, a when question a date', () => {
    const notice = units('建立健全虚拟电厂参与电力市场交易机制。', '附件：实施方案.pdf');
    assert.equal(holdsWhatIsAsked('最小调节容量是多少兆瓦？', notice), false);
    assert.equal(holdsWhatIsAsked('最小调节容量是多少兆瓦？', units('调节容量不低于5兆瓦。')), true);
    assert.equal(holdsWhatIsAsked('什么时候报名？', notice), false);
    assert.equal(holdsWhatIsAsked('什么时候报名？', units('每年3月1日至3月31日报名。')), true);
  });
  it('other questions, and an English "when" clause before a who-question, need nothing', () => {
    const plain = units('调运费用由调入方负担。');
    assert.equal(holdsWhatIsAsked('调运费用由谁负担？', plain), true);
    assert.equal(
      holdsWhatIsAsked('When grain reserves are moved, who pays the transport cost?', plain),
      true,
    );
    assert.equal(holdsWhatIsAsked('When does the rule take effect?', plain), false);
  });
  it('a year alone is not a figure', () => {
    assert.equal(holdsWhatIsAsked('补贴多少元？', units('2019年起实施补贴。')), false);
  });
  it('a sum of money asked needs an amount: an age or a count is none', () => {
    const benefits = units('落实好生育津贴、育儿补贴、满3岁即入园等政策。');
    assert.equal(holdsWhatIsAsked('How much is the monthly childcare subsidy per child?', benefits), false);
    assert.equal(holdsWhatIsAsked('育儿补贴每月多少钱？', benefits), false);
    assert.equal(holdsWhatIsAsked('育儿补贴每月多少钱？', units('每孩每月发放育儿补贴300元。')), true);
  });
});

it('meetsNeed: an article number is no figure, an amount or a batch ordinal is', () => {
  assert.equal(meetsNeed('第三十一条　代理国防专利事务的管理办法另行制定。', 'figure'), false);
  assert.equal(meetsNeed('依照本条例第二十五条的规定处理。', 'figure'), false);
  assert.equal(meetsNeed('可以处10万元以下的罚款。', 'figure'), true);
  assert.equal(meetsNeed('扎实开展第四次全国农业普查。', 'figure'), true);
  assert.equal(meetsNeed('在整改到位之前，不得办理竣工验收。', 'time'), false);
  assert.equal(meetsNeed('该项工作于2019年4月底前完成。', 'time'), true);
  assert.equal(meetsNeed('可以处10万元以下的罚款。', 'amount'), true);
  assert.equal(meetsNeed('处违法所得1倍以上5倍以下的罚款。', 'amount'), true);
  assert.equal(meetsNeed('新建5G基站超60万个。', 'amount'), false);
});

it('quotes a short paragraph of two sentences as one unit: the second needs the first', () => {
  const holiday = chunk(
    3,
    '经国务院批准，现将2019年元旦、春节放假调休日期的具体安排通知如下。\n一、元旦：2018年12月30日至2019年1月1日放假调休，共3天。2018年12月29日（星期六）上班。\n二、春节：2月4日至10日放假调休，共7天。2月2日（星期六）、2月3日（星期日）上班。',
    '国务院办公厅',
    0,
  );
  const result = composeExtractive(
    '2019年元旦哪个星期六上班？',
    'zh',
    retrieval('2019年元旦哪个星期六上班？', ['2019', '元旦', '星期六', '上班'], [holiday]),
    { maxChars: 300 },
  );
  assert.equal(
    result.units[0]?.text,
    '一、元旦：2018年12月30日至2019年1月1日放假调休，共3天。2018年12月29日（星期六）上班。',
  );
});

it('a plan question without a year takes the latest year the passages are about, the review year disfavoured', () => {
  const reviewed = {
    ...chunk(4, '全省城镇新增就业107万人。', '省政府', 0),
    sectionPath: ['一、2025年工作回顾'],
  };
  const planned = { ...chunk(5, '城镇新增就业85万人。', '省政府', 500), sectionPath: ['三、2026年工作安排'] };
  const ask = (q: string) =>
    composeExtractive(q, 'zh', retrieval(q, ['城镇', '新增', '就业'], [reviewed, planned]), { maxChars: 300 })
      .units[0]?.text;
  assert.equal(ask('这一年打算城镇新增就业多少人？'), '城镇新增就业85万人。');
  // Without a plan word the passages' order stands.
  assert.equal(ask('城镇新增就业多少人？'), '全省城镇新增就业107万人。');
});

it('the years of a title or 文号 a unit cites are not the year the unit is about', () => {
  const citing = chunk(6, '按照《1996年通知》（国办发〔1996〕2号），宣传坚持科学原则。', '国办', 0);
  const own = chunk(7, '1996年，宣传坚持科学原则。', '国办', 400);
  const q = '1996年宣传坚持什么原则？';
  const top = composeExtractive(q, 'zh', retrieval(q, ['宣传', '坚持', '原则', '1996'], [citing, own]), {
    maxChars: 300,
  }).units[0]?.text;
  assert.equal(top, '1996年，宣传坚持科学原则。');
});
