/**
 * 今年 / 去年 / 前年 / 明年 and "this year" / "last year" / "the year before last" / "next year" in a compare
 * request or a change question, resolved to years. "This year" is the library's: the newest year a document of
 * the library is of (its date, else the latest year its paragraphs open with, as for figures), never after the
 * current calendar year, and the calendar year when no document gives one. A bot over a library answers
 * "今年和去年比" about the newest plans it holds — on a library whose newest plan is of 2022 the calendar year
 * would name documents it does not have.
 */
import { referenceYear } from '../figures/extract-figures.js';
import type { StructuredDocument } from '../types.js';

/** The year "今年" means for this library (see the module comment). */
export function libraryYear(documents: readonly StructuredDocument[], now: Date = new Date()): number {
  const current = now.getUTCFullYear();
  let latest: number | null = null;
  for (const doc of documents) {
    const y = referenceYear(doc);
    if (y !== null && y <= current && (latest === null || y > latest)) latest = y;
  }
  return latest ?? current;
}

const ZH: [RegExp, number][] = [
  [/今年度?|本年度?/gu, 0],
  [/去年度?/gu, -1],
  [/前年/gu, -2],
  [/明年度?/gu, 1],
];
const EN: [RegExp, number][] = [
  [/\bthis year(?:'s)?/giu, 0],
  [/\b(?:the )?year before last\b/giu, -2],
  [/\blast year(?:'s)?/giu, -1],
  [/\bnext year(?:'s)?/giu, 1],
];

/**
 * The text with each relative year word replaced by the year (`2022年` in Chinese, `2022` in English). A
 * function for `thisYear` is called only when the text has such a word (the library's year reads every undated
 * document's paragraphs).
 */
export function resolveRelativeYears(text: string, thisYear: number | (() => number)): string {
  let year = typeof thisYear === 'number' ? thisYear : null;
  const current = () => {
    year ??= (thisYear as () => number)();
    return year;
  };
  let out = text;
  for (const [re, offset] of ZH) out = out.replace(re, () => `${current() + offset}年`);
  for (const [re, offset] of EN) out = out.replace(re, () => `${current() + offset}`);
  return out;
}
