import { getReverseDictionary, getSenseDictionary, PRIMARY_PER_KEY } from './cedict-reverse.js';
import type { ExpansionKind } from './expansion-kinds.js';
import { getJieba } from './segmenter.js';
import { ZH_QUESTION_WORDS, ZH_STOPWORDS, ZH_WEAK_WORDS } from './stopwords.js';
import type { QueryAnalysis, QueryTerm } from './types.js';

export { EXPANSION_KINDS, type ExpansionKind, parseExpansionKinds } from './expansion-kinds.js';

/**
 * Query expansion from general resources, no model and no word list of our own:
 *
 * - `senses`: Chinese words that share an English sense in CC-CEDICT (彩礼 "bride price; betrothal gift" →
 *   聘礼; 幼儿园 "kindergarten" → 幼稚园). Only a word's first senses are followed, only to headwords jieba knows,
 *   and a candidate reached through several senses ranks first.
 * - `split`: the dictionary words inside a compound (jieba's search mode: 城镇职工 → 城镇 + 职工), which then
 *   count as words rather than as arbitrary character bigrams.
 *
 * Expansions weigh less than the word they stand in for and name it (`of`), so coverage can credit them at a
 * discount (answer/coverage.ts).
 */

export const EXPANSION_WEIGHT = {
  /** A word sharing the question word's dictionary sense, relative to that word. */
  senses: 0.4,
  /** A dictionary word inside a compound, relative to the compound. */
  split: 0.6,
} as const;

/** Sense-sharing words added per question word. */
const MAX_SENSE_WORDS = 3;
/** Only the first senses of a word are its everyday meaning. */
const SENSES_FOLLOWED = 2;
const HAN_WORD = /^\p{Script=Han}{2,}$/u;

function usable(term: string): boolean {
  return (
    HAN_WORD.test(term) && !ZH_STOPWORDS.has(term) && !ZH_WEAK_WORDS.has(term) && !ZH_QUESTION_WORDS.has(term)
  );
}

/** Words sharing `word`'s first English senses in CC-CEDICT, best first. */
export function senseNeighbours(word: string, max = MAX_SENSE_WORDS): string[] {
  const senses = getSenseDictionary().get(word)?.slice(0, SENSES_FOLLOWED) ?? [];
  const reverse = getReverseDictionary();
  const score = new Map<string, number>();
  senses.forEach((sense, i) => {
    (reverse.get(sense) ?? []).slice(0, PRIMARY_PER_KEY).forEach((headword, rank) => {
      if (headword === word || !usable(headword)) return;
      // Containment is not a different word (幼儿 ⊂ 幼儿园): the bigrams already reach it.
      if (headword.includes(word) || word.includes(headword)) return;
      score.set(headword, (score.get(headword) ?? 0) + 1 / (i + 1) - rank * 0.1);
    });
  });
  return [...score.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, max)
    .map(([w]) => w);
}

/** Dictionary words inside a compound of 3+ characters (jieba search mode), the compound itself excluded. */
export function compoundParts(word: string): string[] {
  if ([...word].length < 3) return [];
  return [...new Set(getJieba().cutForSearch(word, true))].filter((w) => w !== word && usable(w));
}

/**
 * `analysis` with expansion terms added (never replacing or lowering a term already there). Only the question's
 * own words are expanded (source 'query', full word weight); `kinds` other than senses/split are ignored here
 * (feedback needs the index: retriever/feedback.ts).
 */
export function expandQuery(analysis: QueryAnalysis, kinds: ReadonlySet<ExpansionKind>): QueryAnalysis {
  if (!kinds.has('senses') && !kinds.has('split')) return analysis;
  const byTerm = new Map(analysis.terms.map((t) => [t.term, t]));
  const added = new Map<string, QueryTerm>();
  const add = (term: string, weight: number, of: string) => {
    const present = byTerm.get(term);
    if (present && present.weight >= weight) return;
    if (present && present.source === 'query') {
      // A bigram the question already has becomes a word: raise it, keep it the question's own.
      present.weight = weight;
      return;
    }
    const previous = added.get(term);
    if (!previous || previous.weight < weight) added.set(term, { term, weight, source: 'expansion', of });
  };
  const terms = analysis.terms.map((t) => ({ ...t }));
  for (const t of terms) byTerm.set(t.term, t);
  for (const t of terms) {
    if (t.source !== 'query' || t.weight < 0.8 || !usable(t.term)) continue;
    if (kinds.has('split'))
      for (const part of compoundParts(t.term)) add(part, t.weight * EXPANSION_WEIGHT.split, t.term);
    if (kinds.has('senses')) {
      for (const neighbour of senseNeighbours(t.term))
        add(neighbour, t.weight * EXPANSION_WEIGHT.senses, t.term);
    }
  }
  return {
    ...analysis,
    terms: [...terms, ...added.values()].sort((a, b) => b.weight - a.weight),
  };
}
