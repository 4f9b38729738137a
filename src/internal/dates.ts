/**
 * Years and dates as Chinese policy documents write them — the one place that knows their shapes, used by
 * ingest (成文日期, closing dates, titles), retrieval (a question's year) and answers.
 */

/**
 * A four-digit year from 1900 to 2099 that is not part of a longer number ("2019年", "2019-01-09",
 * "in 2021"; not "120198").
 */
export const YEAR = /(?<!\d)(?:19|20)\d{2}(?!\d)/g;

/** The year a paragraph opens with ("2021年，工业和信息化部…" → 2021), or null. */
export function openingYear(text: string): number | null {
  const m = /^\s*((?:19|20)\d{2})\s*年/u.exec(text.slice(0, 16));
  return m ? Number(m[1]) : null;
}

/** Distinct years mentioned in `text`, in order of first mention. */
export function yearsIn(text: string): number[] {
  const out: number[] = [];
  for (const m of text.matchAll(YEAR)) {
    const year = Number(m[0]);
    if (!out.includes(year)) out.push(year);
  }
  return out;
}

const CN_DIGITS: Record<string, number> = {
  〇: 0,
  零: 0,
  O: 0,
  o: 0,
  '○': 0,
  一: 1,
  二: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
  两: 2,
};

/**
 * A Chinese numeral up to the thousands ("十", "二十五", "一百零八", "三十一") or a digit string; null when
 * `text` is neither. Used for dates (二〇一九年一月九日), article numbers (第十条) and counts.
 */
export function chineseNumber(text: string): number | null {
  const s = text.trim();
  if (/^\d+$/.test(s)) return Number(s);
  if (!/^[〇零○一二三四五六七八九十百千两]+$/u.test(s)) return null;
  let total = 0;
  let current = 0;
  for (const ch of s) {
    const digit = CN_DIGITS[ch];
    if (digit !== undefined) {
      current = digit;
      continue;
    }
    const unit = ch === '十' ? 10 : ch === '百' ? 100 : 1000;
    total += (current === 0 && unit === 10 ? 1 : current) * unit;
    current = 0;
  }
  return total + current;
}

/** A year written digit by digit in Chinese: 一九九六 → 1996, 二〇一九 → 2019. */
function spelledYear(text: string): number | null {
  if (!/^[〇零○O一二三四五六七八九]{4}$/u.test(text)) return null;
  let year = 0;
  for (const ch of text) year = year * 10 + (CN_DIGITS[ch] ?? 0);
  return year;
}

const pad = (n: number) => String(n).padStart(2, '0');

function iso(year: number, month: number | null, day: number | null): string | null {
  if (year < 1900 || year > 2099) return null;
  if (month === null) return String(year);
  if (month < 1 || month > 12) return null;
  if (day === null) return `${year}-${pad(month)}`;
  if (day < 1 || day > 31) return null;
  return `${year}-${pad(month)}-${pad(day)}`;
}

const CN = '〇零○O一二三四五六七八九十';
/** 2019年1月9日, 2019 年 01 月 09 日, 一九九六年一月二十五日, 2019年1月 (day optional). */
const CHINESE_DATE = new RegExp(
  `((?:19|20)\\d{2}|[${CN}]{4})\\s*年\\s*(?:(\\d{1,2}|[${CN}]{1,3})\\s*月\\s*(?:(\\d{1,2}|[${CN}]{1,4})\\s*[日号])?)?`,
  'u',
);
/** 2019-01-09, 2019/6/8, 2019.1.9 (a time of day may follow). */
const NUMERIC_DATE = /(?<!\d)((?:19|20)\d{2})\s*[-/.．]\s*(\d{1,2})\s*[-/.．]\s*(\d{1,2})(?!\d)/u;

export interface FoundDate {
  /** ISO 8601: "2019-01-09", or "2019-01" / "2019" when the text gives no day / month. */
  iso: string;
  index: number;
  length: number;
}

/** The first date in `text` (Chinese or numeric notation), or null. */
export function findDate(text: string): FoundDate | null {
  const a = CHINESE_DATE.exec(text);
  const b = NUMERIC_DATE.exec(text);
  const candidates: FoundDate[] = [];
  if (a) {
    const yearText = a[1] ?? '';
    const year = /^\d/.test(yearText) ? Number(yearText) : spelledYear(yearText);
    const month = a[2] === undefined ? null : chineseNumber(a[2]);
    const day = a[3] === undefined ? null : chineseNumber(a[3]);
    const value = year === null ? null : iso(year, month, day);
    if (value) candidates.push({ iso: value, index: a.index, length: a[0].length });
  }
  if (b) {
    const value = iso(Number(b[1]), Number(b[2]), Number(b[3]));
    if (value) candidates.push({ iso: value, index: b.index, length: b[0].length });
  }
  candidates.sort((x, y) => x.index - y.index);
  return candidates[0] ?? null;
}

/** `findDate` when the date is (nearly) all the text says: a closing date line, a 成文日期 value. */
export function parseDateLine(text: string): string | null {
  const compact = text.replace(/[\s\u3000（）()]/gu, '');
  const found = findDate(compact);
  if (!found) return null;
  const rest = compact.slice(0, found.index) + compact.slice(found.index + found.length);
  // A time of day after a numeric date ("2024-11-18 15:24:15") is part of a date line too.
  return rest.replace(/\d{1,2}[:：]\d{2}(?:[:：]\d{2})?/u, '').length <= 2 ? found.iso : null;
}

/** The year of an ISO date ("2019-01-09" → 2019), or null. */
export function yearOf(isoDate: string | null | undefined): number | null {
  if (!isoDate) return null;
  const year = Number(isoDate.slice(0, 4));
  return Number.isInteger(year) && year >= 1900 ? year : null;
}
