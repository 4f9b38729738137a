import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  characterCompounds,
  isDictionaryPair,
  withCharacterCompounds,
} from '../../src/keyword/char-compounds.js';
import type { QueryAnalysis } from '../../src/keyword/types.js';

test('a character’s compounds come from jieba’s dictionary, most frequent first', () => {
  const pig = characterCompounds('猪');
  assert.ok(pig.includes('生猪') && pig.includes('猪肉'), pig.join(' '));
  assert.ok(pig.every((w) => w.includes('猪') && [...w].length >= 2 && [...w].length <= 3));
  assert.deepEqual(characterCompounds('生猪'), []);
});

test('a one-character translation gains the compounds the library holds, under the same English word', () => {
  const analysis: QueryAnalysis = {
    language: 'en',
    terms: [
      { term: '四川', weight: 0.8, source: 'translation', of: 'sichuan' },
      { term: '猪', weight: 0.24, source: 'translation', of: 'hog' },
    ],
  };
  const held = new Set(['生猪']);
  const out = withCharacterCompounds(analysis, (t) => held.has(t));
  const added = out.terms.find((t) => t.term === '生猪');
  assert.equal(added?.of, 'hog');
  assert.equal(added?.source, 'translation');
  assert.ok(Math.abs((added?.weight ?? 0) - 0.4) < 1e-9);
  // Nothing the library lacks, and nothing for Chinese questions.
  assert.equal(
    out.terms.some((t) => t.term === '猪肉'),
    false,
  );
  assert.equal(withCharacterCompounds({ ...analysis, language: 'zh' }, () => true).terms.length, 2);
});

test('two-character dictionary words are told from chance pairs of characters', () => {
  assert.equal(isDictionaryPair('县乡'), true);
  assert.equal(isDictionaryPair('城乡'), true);
  assert.equal(isDictionaryPair('县猪'), false);
  assert.equal(isDictionaryPair('城乡建设'), false);
});
