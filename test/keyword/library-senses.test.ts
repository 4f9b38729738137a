import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withHeldSenses, withPassageSenses } from '../../src/keyword/library-senses.js';
import { analyzeQuery } from '../../src/keyword/translate.js';

const question = 'What is the maximum fine for an agency?';

test('the dictionary’s first senses of "fine" leave out a regulation’s 罚款', () => {
  const terms = analyzeQuery(question).terms.filter((t) => t.of === 'fine');
  assert.ok(terms.length > 0);
  assert.equal(
    terms.some((t) => t.term === '罚款'),
    false,
  );
});

test('passages that use none of a word’s translations give it the rarer sense they use', () => {
  const analysis = analyzeQuery(question);
  const articles = ['第二十五条　专利代理机构有下列行为之一的，予以警告，可以处10万元以下的罚款。'];
  const out = withPassageSenses(analysis, question, articles);
  const fine = out.terms.find((t) => t.term === '罚款');
  assert.equal(fine?.of, 'fine');
  assert.equal(fine?.source, 'translation');
  const best = Math.max(...analysis.terms.filter((t) => t.of === 'fine').map((t) => t.weight));
  assert.ok(Math.abs((fine?.weight ?? 0) - best * 0.75) < 1e-9);
  // Passages using a translation already, or none of the senses, change nothing (the same analysis back).
  const fineSense = analysis.terms.find((t) => t.of === 'fine')?.term ?? '';
  assert.equal(withPassageSenses(analysis, question, [`质量${fineSense}`]), analysis);
  assert.equal(withPassageSenses(analysis, question, ['与罚无关的句子。']), analysis);
});

test('a word the library holds no translation of gets the rarer sense it holds; Chinese questions are kept', () => {
  const analysis = analyzeQuery(question);
  const held = new Set(['罚款', '机构']);
  const out = withHeldSenses(analysis, (t) => held.has(t));
  assert.equal(out.terms.find((t) => t.term === '罚款')?.of, 'fine');
  const zh = analyzeQuery('罚款最高多少？');
  assert.equal(
    withHeldSenses(zh, () => true),
    zh,
  );
});

test('neighbouring words whose senses the passages write as one compound are read as that compound', () => {
  const q = 'Who sits on the executive meeting under the Working Rules?';
  const analysis = analyzeQuery(q);
  // "working" alone is 加工/运作 to the dictionary; 工作 is the sense of "work".
  assert.equal(
    analysis.terms.some((t) => t.term === '工作'),
    false,
  );
  const out = withPassageSenses(analysis, q, ['《国务院工作规则》已经国务院常务会议修订通过。']);
  assert.equal(out.terms.find((t) => t.term === '工作规则')?.weight, 1);
  assert.equal(out.terms.find((t) => t.term === '工作规则')?.of, 'working rules');
  assert.equal(out.terms.find((t) => t.term === '工作')?.of, 'working');
  // A pair the passages never write together adds nothing.
  assert.equal(withPassageSenses(analysis, q, ['与此无关。']), analysis);
  // Two words joined by "and" compound too, into a two-character word only when the dictionary has it (县乡).
  const county = 'Can staff be borrowed from county and township governments?';
  const joined = withPassageSenses(analyzeQuery(county), county, ['原则上不得从县乡借调工作人员。']);
  assert.ok(joined.terms.some((t) => t.term === '县乡'));
});
