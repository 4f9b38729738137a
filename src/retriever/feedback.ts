import type { KeywordIndex } from '../keyword/KeywordIndex.js';
import { forEachToken } from '../keyword/segmenter.js';
import { ZH_QUESTION_WORDS, ZH_STOPWORDS, ZH_WEAK_WORDS } from '../keyword/stopwords.js';
import type { QueryAnalysis, QueryTerm } from '../keyword/types.js';

/**
 * Pseudo-relevance feedback (RM3-style, Lavrenko & Croft 2001; Abdul-Jaleel et al. 2004): the words that stand
 * out in the first few passages found (term frequency in them × idf in the library) are added to the query at a
 * small weight and the search is run again, so a passage that says the same thing as the top ones in their
 * words can rise. The added terms stand in for no question word (`of: null`).
 */

/** Passages the feedback terms are read from. */
export const FEEDBACK_PASSAGES = 3;
/** Terms added. */
export const FEEDBACK_TERMS = 6;
/** Weight of the best feedback term; the others are scaled by their score relative to it. */
export const FEEDBACK_WEIGHT = 0.3;

const HAN_WORD = /^\p{Script=Han}{2,}$/u;

/** `analysis` plus feedback terms drawn from `texts` (the top passages, best first). */
export function feedbackTerms(
  analysis: QueryAnalysis,
  texts: readonly string[],
  index: Pick<KeywordIndex, 'frequency'>,
): QueryAnalysis {
  const known = new Set(analysis.terms.map((t) => t.term));
  const score = new Map<string, number>();
  for (const text of texts.slice(0, FEEDBACK_PASSAGES)) {
    const tf = new Map<string, number>();
    let length = 0;
    forEachToken(text, (token, kind) => {
      if (kind !== 'word') return;
      length++;
      if (!HAN_WORD.test(token) || known.has(token)) return;
      if (ZH_STOPWORDS.has(token) || ZH_WEAK_WORDS.has(token) || ZH_QUESTION_WORDS.has(token)) return;
      tf.set(token, (tf.get(token) ?? 0) + 1);
    });
    for (const [token, n] of tf) score.set(token, (score.get(token) ?? 0) + n / Math.max(1, length));
  }
  const weighted: { term: string; value: number }[] = [];
  for (const [term, s] of score) {
    const { df, rows } = index.frequency(term);
    // A word of one passage only says nothing about the others; a word of most passages nothing at all.
    if (df < 2 || df > rows / 4) continue;
    weighted.push({ term, value: s * Math.log(rows / df) });
  }
  weighted.sort((a, b) => b.value - a.value || a.term.localeCompare(b.term));
  const best = weighted[0]?.value ?? 0;
  if (best <= 0) return analysis;
  const added: QueryTerm[] = weighted.slice(0, FEEDBACK_TERMS).map(({ term, value }) => ({
    term,
    weight: (FEEDBACK_WEIGHT * value) / best,
    source: 'expansion',
    of: null,
  }));
  return { ...analysis, terms: [...analysis.terms, ...added] };
}
