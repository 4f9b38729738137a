import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { QueryTerm } from '../../src/keyword/types.js';
import { conceptCoverage, EXPANSION_CREDIT, questionConcepts } from '../../src/retriever/concepts.js';
import { feedbackTerms } from '../../src/retriever/feedback.js';

const q = (term: string, weight: number, extra: Partial<QueryTerm> = {}): QueryTerm => ({
  term,
  weight,
  source: 'query',
  ...extra,
});

describe('question concepts', () => {
  it('one concept per English word: any of its translations covers it', () => {
    const concepts = questionConcepts(
      [
        q('幼儿园', 0.8, { source: 'translation', of: 'kindergarten' }),
        q('幼稚园', 0.6, { source: 'translation', of: 'kindergarten' }),
        q('费用', 0.8, { source: 'translation', of: 'fee' }),
      ],
      [],
    );
    assert.equal(concepts.length, 2);
    assert.equal(concepts[0]?.english, 'kindergarten');
    assert.equal(
      conceptCoverage(concepts, (t) => t === '幼稚园'),
      0.5,
    );
  });

  it('an expansion found covers its word at a discount; a feedback term covers nothing', () => {
    const concepts = questionConcepts(
      [q('彩礼', 1), q('农村', 1)],
      [
        q('聘礼', 0.4, { source: 'expansion', of: '彩礼' }),
        q('婚俗', 0.3, { source: 'expansion', of: null }),
      ],
    );
    assert.deepEqual(concepts[0]?.expansions, ['聘礼']);
    assert.equal(
      conceptCoverage(concepts, (t) => t === '聘礼' || t === '农村'),
      (1 + EXPANSION_CREDIT) / 2,
    );
    assert.equal(
      conceptCoverage(concepts, (t) => t === '婚俗'),
      0,
    );
    assert.equal(
      conceptCoverage([], () => true),
      0,
    );
  });
});

describe('pseudo-relevance feedback', () => {
  it('adds the distinctive words of the top passages below the question terms, none of the question’s own', () => {
    const df: Record<string, number> = { 高额: 3, 彩礼: 3, 整治: 4, 农村: 40 };
    const index = { frequency: (t: string) => ({ df: df[t] ?? 1, rows: 100 }) };
    const texts = ['持续整治农村高额彩礼', '整治高额彩礼和大操大办', '农村移风易俗，整治高额彩礼'];
    const out = feedbackTerms({ language: 'zh', terms: [q('彩礼', 1)] }, texts, index);
    const added = out.terms.filter((t) => t.source === 'expansion');
    assert.ok(added.some((t) => t.term === '高额' || t.term === '整治'));
    assert.ok(!added.some((t) => t.term === '彩礼' || t.term === '农村'), 'no question term, no common word');
    for (const t of added) assert.ok(t.weight <= 0.3 && t.of === null);
  });
});
