import assert from 'node:assert/strict';
import { test } from 'node:test';
import { missingEdition, missingVariant } from '../../src/retriever/variant-check.js';

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

test('an ordinal the documents name under another number shows what they cover', () => {
  const second = missingVariant('第二次全国三级公立医院绩效考核什么时候？', [doc]);
  assert.deepEqual(second?.kind === 'variant' ? second.covered : null, ['第一次全国三级']);
});

test('a later batch or round the documents never name is missing even without a sibling to show', () => {
  const pilot = '国家组织药品集中采购和使用试点方案：选择11个城市开展试点，中选药品在试点城市使用。';
  assert.deepEqual(missingVariant('第二批国家组织药品集中采购有哪些品种中选？', [pilot]), {
    kind: 'variant',
    named: ['第二批国家组织'],
    covered: [],
  });
  // A first batch is often called 试点 or 首批; an ordinal the documents do name is there.
  assert.equal(missingVariant('第一批国家组织药品集中采购有哪些品种中选？', [pilot]), null);
  assert.equal(missingVariant('第四次全国农业普查什么时候开展？', ['扎实开展第四次全国农业普查。']), null);
});

test('a year’s edition of a series the library holds only in another year is missing, with the year it has', () => {
  const titles = ['内蒙古自治区能源局关于做好2025年内蒙古电力多边交易市场中长期交易有关事宜的通知'];
  assert.deepEqual(
    missingEdition('内蒙古2024年电力多边交易市场中长期交易要求用户年度交易电量不低于多少？', titles),
    { kind: 'year', named: [2024], covered: [2025] },
  );
  // The edition asked for, a year said of something else, and a report that reviews last year pass.
  assert.equal(missingEdition('2025年电力多边交易市场中长期交易有什么要求？', titles), null);
  assert.equal(missingEdition('2024年的用网电量怎么算？', titles), null);
  assert.equal(missingEdition('2025年全省生产总值增长了多少？', ['2026年四川省人民政府工作报告']), null);
});
