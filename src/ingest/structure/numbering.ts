/**
 * The numbering of Chinese policy documents' hierarchy: 第一编 → 第一章 → 第一节 → 第一条 in regulations;
 * 一、 → （一） → 1. / 1． / 1、 → （1） → ① in notices, opinions, plans and reports; 1 / 1.1 / 1.1.1 in
 * technical plans (应急预案). Ranks order them: a lower rank contains a higher one.
 */
import { chineseNumber } from '../../internal/dates.js';

export type NumberingStyle =
  | 'part'
  | 'chapter'
  | 'section'
  | 'article'
  | 'cn'
  | 'cn-paren'
  | 'decimal'
  | 'arabic'
  | 'arabic-paren'
  | 'circled';

export interface Numbering {
  style: NumberingStyle;
  /** The numbering as written: "第十条", "（一）", "1.", "1.2.1". */
  label: string;
  /** Its value (第十条 → 10, （三） → 3, 1.2.1 → 1), for telling a sequence from a stray number. */
  value: number;
  /** Nesting rank: part 0 … circled 9; decimal numbers rank by their depth. */
  rank: number;
  /** Text after the label, trimmed. */
  rest: string;
}

const CN_NUM = '[一二三四五六七八九十百千零〇两]+';
const RULES: { style: NumberingStyle; rank: number; pattern: RegExp }[] = [
  { style: 'part', rank: 0, pattern: new RegExp(`^(第${CN_NUM}编|第\\d+编)`, 'u') },
  { style: 'chapter', rank: 1, pattern: new RegExp(`^(第${CN_NUM}章|第\\d+章)`, 'u') },
  { style: 'section', rank: 2, pattern: new RegExp(`^(第${CN_NUM}节|第\\d+节)`, 'u') },
  { style: 'article', rank: 3, pattern: new RegExp(`^(第${CN_NUM}条|第\\d+条)`, 'u') },
  { style: 'cn', rank: 4, pattern: new RegExp(`^(${CN_NUM}、)`, 'u') },
  { style: 'cn-paren', rank: 5, pattern: new RegExp(`^([（(]${CN_NUM}[）)])`, 'u') },
  { style: 'arabic', rank: 7, pattern: /^(\d{1,3}[.．、](?!\d))/u },
  { style: 'arabic-paren', rank: 8, pattern: /^([（(]\d{1,3}[）)])/u },
  { style: 'circled', rank: 9, pattern: /^([①-⑳])/u },
];
/** "1 总则", "1.1 编制目的", "4.2.1 …": decimal outline numbers followed by a space and a heading. */
const DECIMAL = /^(\d{1,2}(?:\.\d{1,2}){0,3})(?=[\s\u3000]+\p{Script=Han})/u;

function numberValue(label: string): number {
  const digits = /\d+/u.exec(label);
  if (digits) return Number(digits[0]);
  if (/^[①-⑳]$/u.test(label)) return label.charCodeAt(0) - 0x2460 + 1;
  const han = label.replace(/[第章节条编、（）()]/gu, '');
  return chineseNumber(han) ?? 0;
}

/** The numbering a paragraph opens with, or null. */
export function numberingOf(text: string): Numbering | null {
  const t = text.trimStart();
  const decimal = DECIMAL.exec(t);
  if (decimal?.[1]) {
    const label = decimal[1];
    const depth = label.split('.').length;
    return {
      style: 'decimal',
      label,
      value: numberValue(label),
      rank: 3 + depth,
      rest: t.slice(label.length).trim(),
    };
  }
  for (const rule of RULES) {
    const m = rule.pattern.exec(t);
    if (!m?.[1]) continue;
    const label = m[1];
    return {
      style: rule.style,
      label,
      value: numberValue(label),
      rank: rule.rank,
      rest: t.slice(label.length).trim(),
    };
  }
  return null;
}
