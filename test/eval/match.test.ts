import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { containsEvidence, firstHitRank, retrievalMetrics } from '../../src/eval/match.js';

describe('the hit rule', () => {
  const evidence = '专利代理机构的组织形式应当为合伙企业、有限责任公司等'; // 26 characters: 2 edits allowed

  it('matches verbatim evidence and ignores whitespace on both sides', () => {
    assert.equal(containsEvidence(`第八条 ${evidence}。`, evidence), true);
    assert.equal(containsEvidence('专利代理机构的组织形式\n应当为合伙企业、 有限责任公司等', evidence), true);
    assert.equal(containsEvidence(evidence, '合伙企业 、有限责任公司'), true);
  });

  it('tolerates at most one edited character in ten', () => {
    const twoMissing = evidence.slice(0, -2); // quote cut two characters short
    assert.equal(containsEvidence(`……${twoMissing}`, evidence), true);
    const twoChanged = evidence.replace('合伙', '合作').replace('有限', '无限'); // 2 substitutions
    assert.equal(containsEvidence(twoChanged, evidence), true);
    const threeMissing = evidence.slice(0, -3);
    assert.equal(containsEvidence(threeMissing, evidence), false);
  });

  it('is exact for evidence under ten characters', () => {
    assert.equal(containsEvidence('不得办成营利性的', '不得办成营利性的'), true);
    assert.equal(containsEvidence('不得办成盈利性的', '不得办成营利性的'), false);
  });

  it('never forgives a changed number', () => {
    const target = '新建改造高标准农田400万亩以上'; // 16 characters: 1 edit allowed
    assert.equal(containsEvidence('新建改造高标准农田400万亩以', target), true);
    assert.equal(containsEvidence('新建改造高标准农田500万亩以上', target), false);
    assert.equal(containsEvidence('新建改造高标准农田40万亩以上', target), false);
  });

  it('does not match the evidence scattered over a long passage or half of it', () => {
    const scattered = [...evidence].join('其他文字');
    assert.equal(containsEvidence(scattered, evidence), false);
    assert.equal(containsEvidence(evidence.slice(0, 13), evidence), false);
    assert.equal(containsEvidence('anything', '   '), false);
  });

  it('treats full-width and half-width forms as the same character (NFKC)', () => {
    assert.equal(containsEvidence('在专利代理机构实习满1年', '在专利代理机构实习满１年'), true);
    assert.equal(containsEvidence('５Ｇ基站', '5G基站'), true);
  });
});

describe('retrieval ranks', () => {
  it('firstHitRank is 1-based, null without a hit', () => {
    assert.equal(firstHitRank(['无关', '逐步减少一般性产品标准数量。'], '逐步减少一般性产品标准数量'), 2);
    assert.equal(firstHitRank(['无关'], '逐步减少一般性产品标准数量'), null);
  });

  it('retrievalMetrics averages over all ranks', () => {
    assert.deepEqual(retrievalMetrics([1, 2, null, 6], 5), {
      n: 4,
      recallAt1: 0.25,
      recallAtK: 0.5,
      mrr: (1 + 0.5 + 1 / 6) / 4,
    });
    assert.deepEqual(retrievalMetrics([], 5), { n: 0, recallAt1: 0, recallAtK: 0, mrr: 0 });
  });
});
