import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BlockText } from '../../../src/ingest/loaders/block-text.js';
import {
  addParagraphs,
  isPageNumber,
  type PositionedLine,
  type PositionedPage,
  runsToLines,
} from '../../../src/ingest/loaders/page-layout.js';

const line = (text: string, x: number, y: number, size = 10): PositionedLine => ({
  text,
  x,
  y,
  width: [...text].length * size,
  size,
});
const layout = (pages: PositionedPage[]) => {
  const out = new BlockText();
  addParagraphs(pages, out);
  return out.blocks.map((b) => [out.toString().slice(b.start, b.end), b.page]);
};
const page = (n: number, lines: PositionedLine[]): PositionedPage => ({
  page: n,
  width: 600,
  height: 800,
  lines,
});

describe('page layout', () => {
  it('recognises printed page numbers', () => {
    for (const s of [
      '3',
      '— 3 —',
      '- 12 -',
      '第3页',
      '第 3 页 共 10 页',
      '共10页 第3页',
      '3/10',
      'Page 3 of 10',
    ])
      assert.ok(isPageNumber(s), s);
    for (const s of ['2019年', '第三条', '3.5%', '一、总体要求']) assert.ok(!isPageNumber(s), s);
  });

  it('groups runs on one baseline into a line, left to right, with a space at a wide gap', () => {
    const lines = runsToLines([
      { text: '日期', x: 300, y: 100.5, width: 20, size: 10 },
      { text: '发文机关：', x: 50, y: 100, width: 50, size: 10 },
      { text: '国务院', x: 100, y: 100, width: 30, size: 10 },
      { text: '下一行', x: 50, y: 120, width: 30, size: 10 },
    ]);
    assert.deepEqual(
      lines.map((l) => l.text),
      ['发文机关：国务院 日期', '下一行'],
    );
  });

  it('starts paragraphs at an indent, after a short line, at a wider gap and at centred lines', () => {
    const body = 40; // characters per full line at size 10 from x=100 to x=500
    const full = '字'.repeat(body);
    const blocks = layout([
      page(1, [
        line('标题在中间', 275, 100),
        line('字'.repeat(body - 2), 120, 140),
        line(full, 100, 155),
        line('短行。', 100, 170),
        line(full, 100, 185),
        line('接着。', 100, 200),
        line(full, 100, 240),
        line('段后空行。', 100, 255),
      ]),
    ]);
    assert.deepEqual(
      blocks.map(([t]) => String(t).length),
      [5, body - 2 + body + 3, body + 3, body + 5],
    );
  });

  it('joins a paragraph across a page break, drops running headers and page numbers', () => {
    const full = '字'.repeat(40);
    const header = (n: number) => [line('某某市人民政府公报', 100, 30), line(`— ${n} —`, 290, 780)];
    const blocks = layout([
      page(1, [...header(1), line(`${'甲'.repeat(38)}`, 120, 100), line(full, 100, 115)]),
      page(2, [...header(2), line('乙乙乙。', 100, 100), line(`${'丙'.repeat(38)}`, 120, 115)]),
      page(3, [...header(3), line('丁丁。', 120, 100)]),
    ]);
    assert.deepEqual(blocks, [
      [`${'甲'.repeat(38)}${full}乙乙乙。`, 1],
      ['丙'.repeat(38), 2],
      ['丁丁。', 3],
    ]);
  });
});
