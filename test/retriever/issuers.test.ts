import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveIssuer } from '../../src/retriever/issuers.js';

const DEPTS = [
  { short: '科技司', full: '工业和信息化部科技司' },
  { short: '电子信息司', full: '工业和信息化部电子信息司' },
  { short: '信息通信发展司', full: '工业和信息化部信息通信发展司' },
  { short: '中小企业局', full: '工业和信息化部中小企业局' },
];

test('short, full and partial Chinese names resolve', () => {
  assert.equal(resolveIssuer('科技司', DEPTS)?.short, '科技司');
  assert.equal(resolveIssuer('工业和信息化部电子信息司', DEPTS)?.short, '电子信息司');
  assert.equal(resolveIssuer('中小企业', DEPTS)?.short, '中小企业局');
  assert.equal(resolveIssuer('信息通信', DEPTS)?.short, '信息通信发展司');
  assert.equal(resolveIssuer(' 科技 ', DEPTS)?.short, '科技司');
});

test('English names and acronyms resolve', () => {
  assert.equal(resolveIssuer('SME', DEPTS)?.short, '中小企业局');
  assert.equal(resolveIssuer('Science and Technology', DEPTS)?.short, '科技司');
  assert.equal(resolveIssuer('Electronics and Information', DEPTS)?.short, '电子信息司');
  assert.equal(resolveIssuer('Information and Communication Development', DEPTS)?.short, '信息通信发展司');
});

test('unknown names resolve to null', () => {
  assert.equal(resolveIssuer('财政部', DEPTS), null);
  assert.equal(resolveIssuer('weather', DEPTS), null);
  assert.equal(resolveIssuer('', DEPTS), null);
});
