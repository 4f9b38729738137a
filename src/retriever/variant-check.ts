/**
 * A question about one grade, batch or class of a thing ("二级公立医院", "第二批集中采购", "一类疫苗") that the
 * answering documents only speak of under another number ("三级公立医院"): the passages are on topic but
 * about a sibling, so the question is refused with what the documents do cover instead of answered with
 * the sibling's clauses. Only ordinal-marked names are checked — a number in front of a classifier that
 * forms a grade — so ordinary figures ("5个城市") are left alone.
 */
import { longestCommonRun } from '../internal/text-measures.js';
import type { MissingScope } from '../types.js';

/**
 * An ordinal or a grade and the thing it marks: 第二批/第四次/第三期 (ordinals) or 二级/一类/三档 (grades), then
 * two Han characters of what follows ("二级公立" of 二级公立医院). Plain counts ("5个城市", "三次") are not matched.
 */
const VARIANT =
  /(第[一二三四五六七八九十\d]{1,3}[次批期轮届代]|[一二三四五六七八九十\d]{1,2}[级类档等])(\p{Script=Han}{2})/gu;

/** Han characters after a match shown with it ("二级公立医院", not "二级公立"). */
const SHOWN = 4;

function variantsIn(
  text: string,
): { form: string; head: string; rest: string; kind: string; shown: string }[] {
  return [...text.matchAll(VARIANT)].map((m) => {
    const head = m[1] ?? '';
    const after = /^\p{Script=Han}*/u.exec(text.slice((m.index ?? 0) + head.length))?.[0] ?? '';
    return { form: m[0], head, rest: m[2] ?? '', kind: head.slice(-1), shown: after.slice(0, SHOWN) };
  });
}

/** The words after two graded names that they share ("公立医院" of 二级公立医院 and 三级公立医院). */
function sharedTail(a: string, b: string): string {
  let n = 0;
  while (n < a.length && a[n] === b[n]) n++;
  return a.slice(0, n);
}

/**
 * Names the question's graded things that none of `texts` (the answering documents) mention while they
 * mention the same thing under another grade; null when there is no such mismatch.
 */
export function missingVariant(question: string, texts: readonly string[]): MissingScope | null {
  const named: string[] = [];
  const covered = new Set<string>();
  for (const v of variantsIn(question.replace(/[\s\u3000]+/gu, ''))) {
    if (texts.some((t) => t.includes(v.form))) continue;
    const siblings = new Map<string, string>();
    for (const t of texts) {
      for (const s of variantsIn(t)) {
        if (s.kind !== v.kind || s.rest !== v.rest || s.head === v.head) continue;
        const tail = sharedTail(v.shown, s.shown);
        const known = siblings.get(s.head);
        if (!known || tail.length > known.length) siblings.set(s.head, tail);
      }
    }
    if (siblings.size === 0) {
      // A later batch, round or session (第二批, 第三次) the documents never name at all: they speak of the
      // thing, not of that occurrence of it. (A first one is often called 首批 or 试点 instead.)
      const later = /^第(?:[二三四五六七八九十]|[2-9]|\d{2})/u.test(v.head);
      if (later && !texts.some((t) => t.includes(v.head))) named.push(`${v.head}${v.shown}`);
      continue;
    }
    const tail = [...siblings.values()].reduce((a, b) => (b.length > a.length ? b : a));
    named.push(`${v.head}${tail}`);
    for (const [head, t] of siblings) covered.add(`${head}${t.length >= tail.length ? tail : t}`);
  }
  return named.length > 0 ? { kind: 'variant', named, covered: [...covered].slice(0, 3) } : null;
}

/** "2024年" and the Han words after it, skipping a region's name the title puts between ("2025年内蒙古电力…"). */
const YEAR_PHRASE = /((?:19|20)\d{2})\s*年(?:度)?(\p{Script=Han}{4,})/gu;
/** A phrase of the question must share this many characters with the title's, right after the year. */
const EDITION_RUN = 6;

/**
 * A question about one year's edition of a document series ("内蒙古2024年电力多边交易市场中长期交易…") when
 * the answering documents are other years' editions ("关于做好2025年内蒙古电力多边交易市场中长期交易…的通知"):
 * the year is part of the title's subject, so the other edition's clauses do not answer. Only the words right
 * after the year are compared with the title's, so "2025年全省生产总值增长多少" over the 2026 政府工作报告 (which
 * reports 2025's results) is left alone. `titles` are the answering documents' titles.
 */
export function missingEdition(question: string, titles: readonly string[]): MissingScope | null {
  const asked = [...question.replace(/[\s\u3000]+/gu, '').matchAll(YEAR_PHRASE)];
  if (asked.length !== 1) return null;
  const [, yearText, words] = asked[0] as RegExpMatchArray;
  const year = Number(yearText);
  const covered = new Set<number>();
  for (const title of titles) {
    for (const [, otherText, after] of title.replace(/[\s\u3000]+/gu, '').matchAll(YEAR_PHRASE)) {
      const other = Number(otherText);
      if (!after || !words) continue;
      if (other === year) return null;
      if (longestCommonRun(words, after).length >= EDITION_RUN) covered.add(other);
    }
  }
  return covered.size > 0
    ? { kind: 'year', named: [year], covered: [...covered].sort((a, b) => a - b) }
    : null;
}
