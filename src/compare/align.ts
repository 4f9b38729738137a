/**
 * Aligns the units of two sides and reads off what changed.
 *
 * Each unit's topic terms are the keyword segmenter's words (no bigrams, no numbers, no single characters),
 * weighted by their rarity across both sides (a term in every unit, like the issuer's own subject, says
 * little). Two units align on the cosine of their weighted terms, plus a little for sharing section
 * headings; pairs are taken best first, each unit at most once, above a floor. Units of one document are
 * only aligned within the same part (an article with itself, not with another issuer's).
 */
import { forEachToken } from '../keyword/segmenter.js';
import { compareQuantities } from './quantities.js';
import type { CompareUnit } from './sides.js';

/** Below this a pair is two different items (an added and a dropped one), not one that changed. */
export const ALIGN_FLOOR = 0.3;
const HEADING_WEIGHT = 0.15;
/** Two statements of one topic that both give a figure in the same unit are likely one item whose figure moved. */
const SAME_UNIT_BONUS = 0.2;
/** …but only when their words already say they are about the same thing. */
const SAME_UNIT_MIN_TEXT = 0.15;
/** A plan's target is most likely what the next year's review reports on. */
const FULFIL_BONUS = 0.1;
/** One shared word aligns two statements only when it is most of what they say. */
const ONE_TERM_MIN_TEXT = 0.5;

export interface AlignedPair {
  before: CompareUnit;
  after: CompareUnit;
  score: number;
  shared: string[];
}

export interface Alignment {
  pairs: AlignedPair[];
  dropped: CompareUnit[];
  added: CompareUnit[];
  /** Term weights over both sides, for ranking and topics. */
  weight: (term: string) => number;
}

/** Topic terms of a text: segmenter words of two or more characters, not bare numbers ("5g" is a term). */
export function topicTerms(text: string): Set<string> {
  const out = new Set<string>();
  forEachToken(text, (token, kind) => {
    if (kind !== 'word') return;
    if ([...token].length < 2 || /^[\d.]+$/u.test(token)) return;
    out.add(token);
  });
  return out;
}

function cosine(
  a: Set<string>,
  b: Set<string>,
  w: (t: string) => number,
): { score: number; shared: string[] } {
  let dot = 0;
  let na = 0;
  let nb = 0;
  const shared: string[] = [];
  for (const t of a) {
    const x = w(t) ** 2;
    na += x;
    if (b.has(t)) {
      dot += x;
      shared.push(t);
    }
  }
  for (const t of b) nb += w(t) ** 2;
  return { score: na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0, shared };
}

/** A unit's text with its quantities blanked out: "3000家左右" says how much, not what about. */
export function withoutQuantities(unit: CompareUnit): string {
  let text = unit.text;
  for (const q of [...unit.quantities].sort((x, y) => y.start - x.start)) {
    const from = q.start - unit.start;
    text = `${text.slice(0, from)} ${text.slice(from + q.text.length)}`;
  }
  return text;
}

/** Aligns `before` with `after` (see the module comment). */
export function alignUnits(before: readonly CompareUnit[], after: readonly CompareUnit[]): Alignment {
  const termsOf = new Map<CompareUnit, Set<string>>();
  const headingTermsOf = new Map<CompareUnit, Set<string>>();
  const df = new Map<string, number>();
  for (const u of [...before, ...after]) {
    const terms = topicTerms(withoutQuantities(u));
    termsOf.set(u, terms);
    headingTermsOf.set(u, topicTerms(u.headings.join(' ')));
    for (const t of terms) df.set(t, (df.get(t) ?? 0) + 1);
  }
  const n = before.length + after.length;
  const weight = (t: string) => Math.log(1 + n / (df.get(t) ?? 1));
  const candidates: AlignedPair[] = [];
  for (const a of before) {
    for (const b of after) {
      if (a.docId === b.docId && a.part !== b.part) continue;
      const text = cosine(termsOf.get(a) as Set<string>, termsOf.get(b) as Set<string>, weight);
      if (text.score === 0 || (text.shared.length < 2 && text.score < ONE_TERM_MIN_TEXT)) continue;
      const ha = headingTermsOf.get(a) as Set<string>;
      const hb = headingTermsOf.get(b) as Set<string>;
      const heading = ha.size > 0 && hb.size > 0 ? cosine(ha, hb, weight).score : 0;
      const sameUnit =
        text.score >= SAME_UNIT_MIN_TEXT &&
        a.quantities.some((q) => b.quantities.some((r) => r.unit === q.unit));
      const fulfils = a.status === 'target' && b.status === 'result';
      const score = Math.min(
        1,
        text.score +
          HEADING_WEIGHT * heading +
          (sameUnit ? SAME_UNIT_BONUS : 0) +
          (fulfils ? FULFIL_BONUS : 0),
      );
      if (score >= ALIGN_FLOOR) candidates.push({ before: a, after: b, score, shared: text.shared });
    }
  }
  candidates.sort(
    (x, y) => y.score - x.score || x.before.start - y.before.start || x.after.start - y.after.start,
  );
  const usedA = new Set<CompareUnit>();
  const usedB = new Set<CompareUnit>();
  const pairs: AlignedPair[] = [];
  for (const c of candidates) {
    if (usedA.has(c.before) || usedB.has(c.after)) continue;
    usedA.add(c.before);
    usedB.add(c.after);
    pairs.push(c);
  }
  pairs.sort((x, y) => x.after.start - y.after.start);
  return {
    pairs,
    dropped: before.filter((u) => !usedA.has(u)),
    added: after.filter((u) => !usedB.has(u)),
    weight,
  };
}

/** Informativeness of an unaligned unit, to list the telling ones first: figures, then rare terms. */
export function unitSalience(unit: CompareUnit, weight: (t: string) => number): number {
  let terms = 0;
  for (const t of topicTerms(withoutQuantities(unit))) terms += weight(t);
  return unit.quantities.length * 5 + (unit.status === 'statement' ? 0 : 0.5) + Math.min(terms, 20) / 10;
}

/** The kind of an aligned pair: a target reported as done, numbers that moved, or the same item kept. */
export function pairKind(pair: AlignedPair): 'fulfilled' | 'changed' | 'kept' {
  if (pair.before.status === 'target' && pair.after.status === 'result') return 'fulfilled';
  const moved = compareQuantities(pair.before.quantities, pair.after.quantities).some(
    (c) => c.direction !== 'same',
  );
  return moved ? 'changed' : 'kept';
}

/** The top terms of a set by weight. */
export function topTerms(terms: Iterable<string>, weight: (t: string) => number, k = 3): string[] {
  return [...terms].sort((a, b) => weight(b) - weight(a) || a.localeCompare(b)).slice(0, k);
}
