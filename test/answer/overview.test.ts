import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isOverviewQuestion } from '../../src/answer/overview.js';

const TECH = ['科技司', '工业和信息化部科技司'];
const ELEC = ['电子信息司', '工业和信息化部电子信息司'];

test('questions about a issuer plan as a whole are overview questions', () => {
  assert.ok(isOverviewQuestion('科技司2022年的重点工作有哪些？', TECH));
  assert.ok(isOverviewQuestion('电子信息司要做哪些工作？', ELEC));
  assert.ok(isOverviewQuestion('中小企业局2021年取得了哪些成绩？', ['中小企业局', '中小企业']));
  assert.ok(isOverviewQuestion("What are the SME bureau's priorities?", ['SME']));
  assert.ok(
    isOverviewQuestion('What are the main tasks of the Issuer of Science and Technology in 2022?', [
      'Science and Technology',
    ]),
  );
});

test('questions about a topic are not, even when phrased alike', () => {
  assert.ok(!isOverviewQuestion('电子信息司在智能光伏方面要做哪些工作？', ELEC));
  assert.ok(!isOverviewQuestion('智能光伏方面要开展什么工作？', []));
  assert.ok(!isOverviewQuestion('2021年新建了多少个5G基站？', []));
  assert.ok(!isOverviewQuestion('What are the priorities for 6G research?', []));
  assert.ok(!isOverviewQuestion('科技司的标准化工作有哪些安排？', TECH));
});

test('an English issuer name matched loosely still leaves no topic', () => {
  assert.ok(
    isOverviewQuestion("What are the SME bureau's priorities?", ["What are SME bureau's priorities"]),
  );
  assert.ok(!isOverviewQuestion("What are the SME bureau's priorities for financing?", ['SME']));
});
