import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { whitenRed } from '../../../src/ingest/ocr/ocr-image.js';
import { COLUMN_GAP, normaliseOcrLine } from '../../../src/ingest/ocr/ocr-text.js';

describe('normaliseOcrLine', () => {
  it('removes the spaces Tesseract puts between Chinese characters, digits and brackets', () => {
    assert.equal(normaliseOcrLine('国 务 院 办 公 厅 2019 年 1 月 1 日'), '国务院办公厅2019年1月1日');
    assert.equal(normaliseOcrLine('国 办 发 [2019] 2 号'), '国办发[2019]2号');
  });

  it('keeps one space at a column gap', () => {
    assert.equal(
      normaliseOcrLine(`项 目 ${COLUMN_GAP} 责 任 单 位${COLUMN_GAP}2026 年`),
      '项目 责任单位 2026年',
    );
  });

  it('keeps spaces between Latin words and numbers', () => {
    assert.equal(normaliseOcrLine('支持 5G network 建设, Page 3'), '支持5G network建设，Page 3');
  });

  it('makes ASCII punctuation touching Chinese full-width, and maps radicals', () => {
    assert.equal(
      normaliseOcrLine('各 省 , 自 治 区 : ( 以 下 简 称 ) ⼈⺠'),
      '各省，自治区：（以下简称）人民',
    );
  });
});

describe('whitenRed', () => {
  it('whitens seal red and leaves black, grey and dark red-brown ink', () => {
    const pixels = new Uint8Array([225, 35, 40, 0, 0, 0, 128, 128, 128, 110, 40, 30, 150, 100, 90]);
    assert.equal(whitenRed(pixels, 3), 1);
    assert.deepEqual([...pixels], [255, 255, 255, 0, 0, 0, 128, 128, 128, 110, 40, 30, 150, 100, 90]);
    assert.equal(whitenRed(new Uint8Array([0, 0, 0]), 1), 0, 'greyscale images have no red');
  });
});
