import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splitCompareTargets } from '../../src/commands/parse-command.js';
import { libraryYear, resolveRelativeYears } from '../../src/compare/relative-years.js';
import type { StructuredDocument } from '../../src/types.js';

const doc = (date: string | null, text = ''): StructuredDocument =>
  ({
    id: date ?? 'undated',
    meta: { date },
    cleanedText: text,
    paragraphs: text ? [{ kind: 'body', start: 0, end: text.length }] : [],
  }) as unknown as StructuredDocument;

describe('relative years (今年/去年, this year/last year)', () => {
  it('resolves Chinese and English relative years against a given year', () => {
    assert.equal(
      resolveRelativeYears('今年和去年的目标有什么变化？', 2022),
      '2022年和2021年的目标有什么变化？',
    );
    assert.equal(resolveRelativeYears('明年比前年', 2022), '2023年比2020年');
    assert.equal(resolveRelativeYears('科技司今年度', 2024), '科技司2024年');
    assert.equal(
      resolveRelativeYears("What changed between last year and this year's plan?", 2022),
      'What changed between 2021 and 2022 plan?',
    );
    assert.equal(resolveRelativeYears('the year before last', 2022), '2020');
    assert.equal(resolveRelativeYears('2021年新建了多少个5G基站？', 2022), '2021年新建了多少个5G基站？');
  });

  it("this year is the library's newest document year, never after the calendar year", () => {
    const now = new Date('2026-12-02T00:00:00Z');
    assert.equal(libraryYear([doc('2019-03-01'), doc('2021-06-30')], now), 2021);
    assert.equal(libraryYear([doc(null, '2022年，科技司将…')], now), 2022, 'an undated plan: its paragraphs');
    assert.equal(libraryYear([doc('2031-01-01'), doc('2020-01-01')], now), 2020, 'a future date is ignored');
    assert.equal(libraryYear([], now), 2026, 'no document year: the calendar year');
  });

  it('compare commands split at relative years as at years', () => {
    assert.deepEqual(splitCompareTargets('科技司 去年 今年'), {
      before: '科技司 去年',
      after: '科技司 今年',
    });
    assert.deepEqual(splitCompareTargets('今年 去年'), { before: '今年', after: '去年' });
  });
});
