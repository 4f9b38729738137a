/**
 * The dictionary orders an English word's senses by everyday use ("fine" → 优良, 精细, 精美, 良好; a regulation's
 * 罚款 comes fifth), and the analysis keeps the first three. The library knows better which sense it speaks of:
 * a word none of whose translations the library holds, or none of whose translations the best passages use,
 * gets the first rarer sense that they do hold. A word the library speaks of in the dictionary's sense keeps it.
 */
import { senseCandidates } from './translate.js';
import type { QueryAnalysis, QueryTerm } from './types.js';

/** A library-chosen sense's weight against the best translation of its word. */
const LIBRARY_SENSE_SHARE = 0.75;
/** Passages read for the senses they use (the first pass's best). */
export const SENSE_PASSAGES = 10;

/** Translation terms by the English word or phrase they translate. */
function concepts(analysis: QueryAnalysis): Map<string, QueryTerm[]> {
  const out = new Map<string, QueryTerm[]>();
  for (const t of analysis.terms) {
    if (t.source !== 'translation' || t.of === undefined || t.of === null) continue;
    out.set(t.of, [...(out.get(t.of) ?? []), t]);
  }
  return out;
}

/**
 * For each concept whose translations all fail `uses`, the first rarer sense (two or more characters) that
 * passes it, added at `LIBRARY_SENSE_SHARE` of the concept's best weight; the analysis itself when none is.
 */
function withSenses(analysis: QueryAnalysis, uses: (term: string) => boolean): QueryAnalysis {
  if (analysis.language !== 'en') return analysis;
  const present = new Set(analysis.terms.map((t) => t.term));
  const added: QueryTerm[] = [];
  for (const [of, terms] of concepts(analysis)) {
    if (terms.some((t) => uses(t.term))) continue;
    const sense = senseCandidates(of).find((w) => [...w].length >= 2 && !present.has(w) && uses(w));
    if (!sense) continue;
    present.add(sense);
    const best = Math.max(...terms.map((t) => t.weight));
    added.push({ term: sense, weight: best * LIBRARY_SENSE_SHARE, source: 'translation', of });
  }
  if (added.length === 0) return analysis;
  return { ...analysis, terms: [...analysis.terms, ...added].sort((a, b) => b.weight - a.weight) };
}

/** Senses the library's index holds, for words it holds no translation of (`holds`: KeywordIndex.holds). */
export function withHeldSenses(analysis: QueryAnalysis, holds: (term: string) => boolean): QueryAnalysis {
  return withSenses(analysis, holds);
}

/**
 * Senses the first pass's best passages use, for words none of whose translations they use ("fine" over the
 * articles of a regulation: 罚款). The analysis itself (same object) when nothing is added.
 */
export function withPassageSenses(analysis: QueryAnalysis, passages: readonly string[]): QueryAnalysis {
  return withSenses(analysis, (term) => passages.some((text) => text.includes(term)));
}
