/**
 * Scrapers and OCR cut text at every inline element or visual line: numbers, units, brackets and single
 * words end up on lines of their own ("预计" / "2025" / "年蒙西电网…" / "2900" / "亿千瓦时"; "内能源电力字" /
 * "〔" / "2024" / "〕" / "831" / "号"; "进" / "一" / "步细化"). These rules put such fragments back together
 * before paragraphs are formed. They only ever remove a line break; no character is added or changed.
 */
import { isOrganizationName } from '../metadata/organizations.js';
import { isByline, startsEnumerator } from '../text-rules.js';

/** A line cannot start with these: it continues the previous one. */
const CONTINUES = /^[，。、；：！？）)】〕」』”’》%％‰℃·…,.;:!?\]}]/u;
/** A line cannot end with these: the next line continues it. */
const OPEN_END =
  /(?:[（(【〔［「『“‘《〈[{]|关于|对于|以及|根据|按照|及其|和|及|与|或|的|对|由|向|在|为|将|把|被|从|自|至|等)$/u;
/** Measure words and units that follow a number ("2900" / "亿千瓦时"). */
const UNIT_START =
  /^(?:年|月|日|号|时|分|秒|元|角|万|亿|千|百|个|家|项|件|户|人|名|次|倍|吨|米|公里|千米|千瓦|兆瓦|度|亩|平方|立方|岁|天|周|批|座|条|台|辆|套|份|篇|余|多|左右|以上|以下|以内|及以上|及以下|小时|分钟|MW|GW|kW|kWh|mW|%)/u;
const DIGITS = /^[\d.,．]+$/u;
const ENDS_DIGIT = /\d$/u;
const FINAL = /[。！？；!?][”’」』）)】"']*$/u;
/** Only an enumerator: "三、", "（一）", "1.", "第一条" — the heading text is on the next line. */
const BARE_ENUMERATOR =
  /^(?:[一二三四五六七八九十百]+、|[（(][一二三四五六七八九十\d]+[）)]|\d{1,3}[、．.]|第[一二三四五六七八九十百\d]+[章节条款])$/u;
const OPEN_PUNCT_ONLY = /^[（(【〔［「『“‘《〈[{]+$/u;
const CLOSE_PUNCT_ONLY = /^[）)】〕］」』”’》〉\]}，。、；：！？,.;:!?]+$/u;
const HAN = /\p{Script=Han}/u;
/** Two-character headings that stand alone: 总则, 附则, 附件, 前言… */
const SECTION_WORD = /^(?:总则|附则|附件|前言|序言|目录|说明|附录|正文|结语|后记|引言)$/u;
/** A status after a title, set on its own line: "（试行）", "（ 暂 行 ）", "（征求意见稿）". */
const STATUS_LINE =
  /^[（(]\s*(?:试\s*行|暂\s*行|修\s*订|征\s*求\s*意\s*见\s*稿|草\s*案|送\s*审\s*稿)\s*[）)]$/u;
const HAN_ONLY = /^[\p{Script=Han}]+$/u;

const PAIRS: [string, string][] = [
  ['（', '）'],
  ['(', ')'],
  ['《', '》'],
  ['“', '”'],
  ['〔', '〕'],
];

/** More opening than closing brackets or quotes of some kind. */
export function unclosed(text: string): boolean {
  return PAIRS.some(([open, close]) => text.split(open).length > text.split(close).length);
}

/** An article (第十条 …) is running text, never a heading. */
const ARTICLE = /^第[一二三四五六七八九十百千\d]+[条款]/u;

/** A heading that is complete in itself: numbered, more than the number, no sentence punctuation at the end. */
function isCompleteHeading(text: string): boolean {
  return startsEnumerator(text) && !ARTICLE.test(text) && !BARE_ENUMERATOR.test(text) && text.length <= 60;
}

/**
 * Whether `next` is the rest of `current` (see the module comment). `afterNext` lets a digit run join a digit
 * run only when a unit follows ("202" / "5" / "年").
 */
export function continuesFragment(current: string, next: string, afterNext: string | undefined): boolean {
  if (!current || !next) return false;
  if (FINAL.test(current) && !CONTINUES.test(next)) return false;
  if (CONTINUES.test(next) || CLOSE_PUNCT_ONLY.test(next) || STATUS_LINE.test(next)) return true;
  if (isByline(next) || isByline(current)) return false;
  // A name cut in two ("国家发" / "展改革委"): neither half is the name, together they are one.
  if (
    HAN_ONLY.test(current) &&
    HAN_ONLY.test(next) &&
    current.length + next.length <= 24 &&
    !isOrganizationName(current) &&
    isOrganizationName(current + next)
  ) {
    return true;
  }
  if (OPEN_PUNCT_ONLY.test(current) || BARE_ENUMERATOR.test(current)) return true;
  // A bracket or quote left open ("（二○○四年六月十六日国务院" / "第54次常务会议修订通过）") is closed on the next line.
  if (unclosed(current) && current.length <= 80 && !startsEnumerator(next)) return true;
  // Something new starts: a numbered heading or item, a byline.
  if (startsEnumerator(next)) return false;
  // A single character never stands on a line of its own ("第九章附" / "则").
  if ([...next].length === 1 && HAN.test(next)) return true;
  if (isCompleteHeading(current)) return false;
  if (ENDS_DIGIT.test(current) && UNIT_START.test(next)) return true;
  if (DIGITS.test(current) && current.length <= 6) {
    if (DIGITS.test(next)) return next.length <= 6 && afterNext !== undefined && UNIT_START.test(afterNext);
    return HAN.test(next[0] ?? '') || UNIT_START.test(next);
  }
  if (OPEN_END.test(current) && current.length <= 80) return true;
  // "内蒙古电力" / "(集团)有限责任公司，…": a short parenthetical continues a short line.
  if (
    /^[（(][\p{Script=Han}]{1,10}[）)]\S/u.test(next) &&
    current.length <= 12 &&
    HAN.test(current.slice(-1))
  ) {
    return true;
  }
  if (DIGITS.test(next) && next.length <= 6 && HAN.test(current.slice(-1))) return current.length <= 40;
  // One or two characters alone are never a line of their own in running text ("进" / "一" / "步细化").
  const shortCurrent =
    [...current].length <= 2 && HAN.test(current) && !SECTION_WORD.test(current) && HAN.test(next[0] ?? '');
  const shortNext = [...next].length <= 2 && HAN.test(next) && !startsEnumerator(next);
  return shortCurrent || shortNext;
}

/** Joins two fragments: nothing between them, a space only between two Latin letters. */
export function joinFragments(current: string, next: string): string {
  return /[A-Za-z]$/.test(current) && /^[A-Za-z]/.test(next) ? `${current} ${next}` : `${current}${next}`;
}
