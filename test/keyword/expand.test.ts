import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  compoundParts,
  expandQuery,
  parseExpansionKinds,
  senseNeighbours,
} from '../../src/keyword/expand.js';
import { analyzeQuery } from '../../src/keyword/translate.js';

describe('query expansion from CC-CEDICT and jieba', () => {
  it('finds words sharing a dictionary sense, not the word itself or words containing it', () => {
    const neighbours = senseNeighbours('彩礼');
    assert.ok(neighbours.includes('聘礼'), neighbours.join(','));
    assert.ok(!neighbours.includes('彩礼'));
    for (const n of senseNeighbours('幼儿园')) assert.ok(!n.includes('幼儿园') && !'幼儿园'.includes(n), n);
    assert.deepEqual(senseNeighbours('不是一个词的字串'), []);
  });

  it('splits compounds into the dictionary words jieba finds in them', () => {
    const parts = compoundParts('城镇职工');
    assert.ok(parts.includes('城镇') && parts.includes('职工'), parts.join(','));
    assert.deepEqual(compoundParts('彩礼'), []);
  });

  it('adds expansions below the word they stand in for, naming it, and leaves the question terms alone', () => {
    const plain = analyzeQuery('村里彩礼要得高');
    const expanded = expandQuery(plain, new Set(['senses']));
    const original = plain.terms.find((t) => t.term === '彩礼');
    const added = expanded.terms.find((t) => t.term === '聘礼');
    assert.ok(original && added);
    assert.equal(added.source, 'expansion');
    assert.equal(added.of, '彩礼');
    assert.ok(added.weight < original.weight);
    for (const t of plain.terms)
      assert.deepEqual(
        expanded.terms.find((e) => e.term === t.term),
        t,
      );
    assert.equal(expandQuery(plain, new Set()), plain);
  });

  it('expands only the question’s own words, not the dictionary translations of an English question', () => {
    const en = analyzeQuery('What is the bride price rule in the countryside?');
    const expanded = expandQuery(en, new Set(['senses', 'split']));
    assert.equal(expanded.terms.filter((t) => t.source === 'expansion').length, 0);
  });

  it('parses the setting', () => {
    assert.deepEqual([...parseExpansionKinds('senses, feedback,bogus')], ['senses', 'feedback']);
    assert.deepEqual([...parseExpansionKinds('none')], []);
  });
});

describe('English place names from the dictionary', () => {
  it('translates a province by its own name first (Sichuan → 四川, Inner Mongolia → 内蒙古)', () => {
    const sichuan = analyzeQuery('How many hogs does Sichuan want to sell?').terms;
    assert.equal(sichuan.filter((t) => t.source === 'translation')[0]?.term, '四川');
    assert.ok(analyzeQuery('jobs in Inner Mongolia').terms.some((t) => t.term === '内蒙古'));
  });

  it('groups the translations of one English word under that word; their bigrams stand for nothing', () => {
    const terms = analyzeQuery('kindergarten fees').terms.filter((t) => t.source === 'translation');
    const words = terms.filter((t) => t.of !== undefined);
    assert.ok(words.filter((t) => t.of === 'kindergarten').length > 1, JSON.stringify(words));
    for (const t of words) assert.ok(t.of === 'kindergarten' || t.of === 'fees', `${t.term} ${t.of}`);
    assert.equal(terms.find((t) => t.term === '幼儿')?.of, undefined);
  });
});
