import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assessCoverage, evidenceScore, evidenceSignals, REFUSAL } from '../../src/answer/coverage.js';
import { scoreUnits } from '../../src/answer/extractive.js';
import type { Chunk, RetrievalResult, ScoredPassage } from '../../src/types.js';

function chunk(ordinal: number, text: string, issuer = '科技司'): Chunk {
  return {
    id: `d#${ordinal}`,
    ordinal,
    docId: 'd',
    docTitle: 't',
    partTitle: 'a',
    issuer,
    issuerFull: `工业和信息化部${issuer}`,
    docNumber: null,
    date: null,
    region: null,
    sectionPath: ['提升关键共性技术供给层次，迈出制造业创新体系建设新步伐。'],
    section: '提升关键共性技术供给层次，迈出制造业创新体系建设新步伐。',
    paragraphIndex: ordinal,
    start: ordinal * 500,
    end: ordinal * 500 + text.length,
    text,
  };
}

function result(
  terms: string[],
  coverage: number,
  hits: Array<{ text: string; keyword: number | null; dense?: number | null; denseRank?: number | null }>,
): RetrievalResult {
  const passages: ScoredPassage[] = hits.map((h, i) => ({
    chunk: chunk(i, h.text),
    score: 1 / (61 + i),
    dense: h.dense ?? null,
    keyword: h.keyword,
    denseRank: h.denseRank ?? (h.dense != null ? i + 1 : null),
    keywordRank: h.keyword === null ? null : i + 1,
    matchedTerms: terms.filter((t) => h.text.includes(t)),
  }));
  return {
    query: terms.join(''),
    language: 'zh',
    terms,
    passages,
    coverage,
    mode: hits.some((h) => h.dense != null) ? 'hybrid' : 'keyword-only',
    timings: { totalMs: 1, denseMs: 0, keywordMs: 1 },
  };
}

const strong = result(['智能', '光伏', '试点', '示范'], 1, [
  { text: '面向碳达峰碳中和，持续开展智能光伏试点示范，加快新型高效光伏组件产业化。', keyword: 12 },
  { text: '推动光伏产业国际产能和应用合作进程。', keyword: 4 },
]);
const weak = result(['全国', 'gdp', '增长率', '2021'], 0.3, [
  { text: '全国工业和信息化工作会议指出，2021年以来，全系统扎实落实任务。', keyword: 3 },
]);

describe('coverage decision', () => {
  it('covers strong lexical evidence and refuses weak evidence', () => {
    assert.equal(assessCoverage(strong, scoreUnits('智能光伏试点示范', strong)).covered, true);
    const w = assessCoverage(weak, scoreUnits('2021年全国GDP增长率是多少', weak));
    assert.equal(w.covered, false);
    assert.ok(w.score < REFUSAL.minScore);
  });

  it('refuses when nothing was retrieved', () => {
    const none = result(['x'], 0, []);
    const d = assessCoverage(none, []);
    assert.equal(d.covered, false);
    assert.equal(d.score, 0);
  });

  it('is monotone in each signal', () => {
    const base = evidenceSignals(weak, scoreUnits('2021年全国GDP增长率是多少', weak));
    const s0 = evidenceScore(base);
    assert.ok(evidenceScore({ ...base, coverage: base.coverage + 0.3 }) > s0);
    assert.ok(evidenceScore({ ...base, unitCoverage: base.unitCoverage + 0.3 }) > s0);
    assert.ok(evidenceScore({ ...base, topKeyword: (base.topKeyword ?? 0) + 5 }) > s0);
    const dense = { ...base, topDense: 0.5, agreement: false };
    assert.ok(evidenceScore({ ...dense, topDense: 0.8 }) > evidenceScore(dense));
    assert.ok(evidenceScore({ ...dense, agreement: true }) > evidenceScore(dense));
  });

  it('reads dense signals and agreement when present', () => {
    const hybrid = result(['智能', '光伏'], 1, [
      { text: '持续开展智能光伏试点示范。', keyword: 9, dense: 0.71, denseRank: 2 },
      { text: '光伏产业。', keyword: null, dense: 0.8, denseRank: 1 },
    ]);
    const s = evidenceSignals(hybrid, []);
    assert.equal(s.topDense, 0.8);
    assert.equal(s.topKeyword, 9);
    assert.equal(s.agreement, true);
  });
});

describe('missing specific terms', () => {
  const passage = [
    {
      text: '国家发展改革委、国家能源局：电力现货市场未连续运行的地区，原则上不向用户侧疏导辅助服务费用。',
      keyword: 10,
    },
  ];
  it('counts an acronym of an English question half as missing as the same term of a Chinese one', () => {
    const zh = {
      ...result(['ndrc', '辅助服务'], 0.6, passage),
      query: 'NDRC的辅助服务费用怎么疏导？',
      language: 'zh' as const,
    };
    const en = {
      ...result(['ndrc', '辅助服务'], 0.6, passage),
      query: 'How does the NDRC pass on ancillary costs?',
      language: 'en' as const,
    };
    const zhMissing = evidenceSignals(zh, []).missingSpecific;
    const enMissing = evidenceSignals(en, []).missingSpecific;
    assert.equal(zhMissing, 1);
    assert.equal(enMissing, 0.5);
  });
});
