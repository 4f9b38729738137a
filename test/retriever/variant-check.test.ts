import assert from 'node:assert/strict';
import { test } from 'node:test';
import { missingVariant } from '../../src/retriever/variant-check.js';

const doc =
  '三级公立医院绩效考核指标体系由4个方面的指标构成。一级指标 | 二级指标。2019年开展第一次全国三级公立医院绩效考核。';

test('a grade the documents only cover under another grade is named with what they cover', () => {
  assert.deepEqual(missingVariant('二级公立医院绩效考核指标有哪些？', [doc]), {
    kind: 'variant',
    named: ['二级公立医院'],
    covered: ['三级公立医院'],
  });
});

test('the grade the documents speak of, plain counts and unmarked questions pass', () => {
  assert.equal(missingVariant('三级公立医院绩效考核指标有哪些？', [doc]), null);
  assert.equal(missingVariant('考核分几个方面？有5个城市吗？', [doc]), null);
  // 二级指标 is in the text: the question's own graded word is there, nothing is missing.
  assert.equal(missingVariant('二级指标有哪些？', [doc]), null);
});

test('an ordinal with no sibling in the documents is not a mismatch (nothing to say instead)', () => {
  assert.equal(missingVariant('第二批集中采购有哪些品种？', [doc]), null);
  const second = missingVariant('第二次全国三级公立医院绩效考核什么时候？', [doc]);
  assert.deepEqual(second?.kind === 'variant' ? second.covered : null, ['第一次全国三级']);
});
