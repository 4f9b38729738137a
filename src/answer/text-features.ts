/**
 * Small text features shared by extractive scoring, refusal signals and follow-up handling:
 * question language, query-term weights and character bigrams.
 */

import { detectLanguage } from '../keyword/translate.js';
import type { Language, ScoredPassage } from '../types.js';

const HAN = /\p{Script=Han}/gu;

/**
 * Language of a question, by the same rule the query analyzer uses (Chinese when Han characters are at
 * least half as many as Latin letters), so framing and retrieval never disagree.
 */
export function detectQuestionLanguage(text: string): Language {
  return detectLanguage(text);
}

/**
 * Question words and fillers that say nothing about the topic. Retrieval terms normally come
 * without them (the keyword analyzer drops stop words); this guards scoring when they don't.
 */
const FILLER_TERMS = new Set([
  '什么',
  '哪些',
  '哪个',
  '哪类',
  '多少',
  '怎么',
  '怎样',
  '如何',
  '方面',
  '要',
  '的',
  '了',
  '是',
  '有',
  '和',
  '在',
  '吗',
  '呢',
  '做',
  '由谁来',
  '谁',
  '工作',
  '有什么',
  '是什么',
  '要怎样',
  '哪',
  '个',
  '年',
  'what',
  'how',
  'the',
  'is',
  'of',
  'for',
  'will',
  'a',
  'an',
  'to',
  'in',
]);

/** Terms worth matching: no fillers, no single Han characters, no punctuation. */
export function contentTerms(terms: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of terms) {
    const t = raw.trim();
    const key = t.toLowerCase();
    if (!t || seen.has(key) || FILLER_TERMS.has(key)) continue;
    if (/^[\p{P}\p{S}\s]+$/u.test(t)) continue;
    if (/^\p{Script=Han}$/u.test(t)) continue;
    if (/^[a-z]$/i.test(t)) continue;
    seen.add(key);
    out.push(t);
  }
  return out;
}

/**
 * Weight per term: specific terms (longer words, Latin/number tokens like "5G", "IPv6") count more,
 * terms found in every retrieved passage count less (an IDF over the retrieved set).
 */
export function weightTerms(
  terms: readonly string[],
  passages: readonly ScoredPassage[],
  analyzerWeights: ReadonlyMap<string, number> = new Map(),
): Map<string, number> {
  const n = passages.length;
  const weights = new Map<string, number>();
  for (const t of terms) {
    const hanLen = t.match(HAN)?.length ?? 0;
    let base: number;
    if (/^\d{4}年?$/.test(t)) base = 0.8;
    else if (hanLen === 0) base = 1.4;
    else base = Math.min(hanLen, 4) / 2;
    let idf = 1;
    if (n > 1) {
      const df = passages.filter((p) => includesTerm(p.chunk.text, t)).length;
      idf = 0.5 + Math.log((n + 1) / (df + 0.5)) / Math.log(2 * (n + 1));
    }
    weights.set(t, base * idf * (analyzerWeights.get(t) ?? 1));
  }
  return weights;
}

/** Case-insensitive containment for Latin terms, exact for Han. */
export function includesTerm(text: string, term: string): boolean {
  if (/[A-Za-z]/.test(term)) return text.toLowerCase().includes(term.toLowerCase());
  return text.includes(term);
}

/**
 * Like `includesTerm`, but an occurrence inside its deputy's title does not count: 副总指挥 is not the
 * 总指挥 a question asks for (副组长, 副主任, 副省长 alike), unless the question asks for the deputy itself.
 */
export function includesRole(text: string, term: string, question: string): boolean {
  if (!includesTerm(text, term)) return false;
  if (!/^\p{Script=Han}{2,}$/u.test(term) || question.includes(`副${term}`)) return true;
  for (let i = text.indexOf(term); i >= 0; i = text.indexOf(term, i + 1)) {
    if (text[i - 1] !== '副') return true;
  }
  return false;
}

/** Filler bigrams of question phrasing ("什么", "哪些") that would otherwise match everywhere. */
const FILLER_BIGRAMS = new Set([
  '什么',
  '哪些',
  '哪个',
  '多少',
  '怎么',
  '怎样',
  '如何',
  '方面',
  '要在',
  '有什',
  '是什',
  '要怎',
  '工作',
]);

/** Distinct Han/alphanumeric character bigrams of a text, minus question fillers. */
export function bigrams(text: string): Set<string> {
  const out = new Set<string>();
  const runs = text.match(/[\p{Script=Han}A-Za-z0-9]+/gu) ?? [];
  for (const run of runs) {
    const chars = [...run];
    for (let i = 0; i + 1 < chars.length; i++) {
      const g = `${chars[i]}${chars[i + 1]}`;
      if (!FILLER_BIGRAMS.has(g)) out.add(g);
    }
  }
  return out;
}

/** |a ∩ b| / |a|, 0 when a is empty. */
export function overlapRatio(a: Set<string>, b: Set<string>): number {
  if (a.size === 0) return 0;
  let hit = 0;
  for (const g of a) if (b.has(g)) hit++;
  return hit / a.size;
}

/** Jaccard similarity of two bigram sets, for redundancy checks. */
export function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let inter = 0;
  for (const g of a) if (b.has(g)) inter++;
  return inter / (a.size + b.size - inter);
}

/** Political framing: guiding thought, party congresses and plenums (part of BOILERPLATE). */
export const POLITICAL_FRAMING =
  /习近平|党的[一二三四五六七八九十]+大|[一二三四五六七八九十]+届(?:[一二三四五六七八九十]+中、?)*全会|思想为指导/u;

/**
 * Framing that says nothing about results or plans (political boilerplate, openers such as
 * "在部党组坚强领导下"). Such sentences are poor answers and poor summary bullets.
 */
export const BOILERPLATE = new RegExp(
  `现予(?:印发|公布|发布)|现将.{0,40}(?:印发|公布)给?|请认真贯彻(?:执行|落实)|请遵照执行|${POLITICAL_FRAMING.source}|党中央|国务院决策部署|领导下|为指导|指示批示|工作会议精神|决策部署|工作要求`,
  'u',
);
