import type { QueryTerm } from '../keyword/types.js';
import type { QueryConcept } from '../types.js';

/**
 * What a question asks for, as concepts rather than surface terms: one concept per question term, except that
 * the translations of one English word or phrase are alternatives of one concept (any of them found covers
 * it), and each concept carries the expansions that stand in for it (found, they cover it at a discount).
 * Coverage measured this way does not fall because a translation has three candidates or because the passage
 * says the question's word in other words.
 */

/** Share of a concept's weight credited when only one of its expansions is found. */
export const EXPANSION_CREDIT = 0.6;

/** Concepts of the question's terms (`question`: no expansions) and the expansions searched with them. */
export function questionConcepts(
  question: readonly QueryTerm[],
  expansions: readonly QueryTerm[],
): QueryConcept[] {
  const byKey = new Map<string, QueryConcept>();
  for (const t of question) {
    const key = t.source === 'translation' && t.of ? `\0${t.of}` : t.term;
    const concept = byKey.get(key);
    if (!concept) {
      const english = t.source === 'translation' && t.of ? { english: t.of } : {};
      byKey.set(key, { ...english, terms: [t.term], weight: t.weight, expansions: [] });
    } else {
      concept.terms.push(t.term);
      concept.weight = Math.max(concept.weight, t.weight);
    }
  }
  const concepts = [...byKey.values()];
  for (const e of expansions) {
    if (!e.of) continue;
    for (const c of concepts)
      if (c.terms.includes(e.of) && !c.expansions.includes(e.term)) c.expansions.push(e.term);
  }
  return concepts;
}

/** Weighted share (0..1) of the concepts `found` holds: a term fully, only an expansion at EXPANSION_CREDIT. */
export function conceptCoverage(
  concepts: readonly QueryConcept[],
  found: (term: string) => boolean,
  weightOf: (concept: QueryConcept) => number = (c) => c.weight,
): number {
  let total = 0;
  let covered = 0;
  for (const c of concepts) {
    const w = weightOf(c);
    total += w;
    if (c.terms.some(found)) covered += w;
    else if (c.expansions.some(found)) covered += w * EXPANSION_CREDIT;
  }
  return total > 0 ? covered / total : 0;
}
