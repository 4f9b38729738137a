/**
 * The dictionary orders an English word's senses by everyday use ("fine" → 优良, 精细, 精美, 良好; a regulation's
 * 罚款 comes fifth), and the analysis keeps the first three. The library knows better which sense it speaks of:
 * a word none of whose translations the library holds, or none of whose translations the best passages use,
 * gets the first rarer sense that they do hold. A word the library speaks of in the dictionary's sense keeps it.
 * Two neighbouring words ("Working Rules", "county and township") whose senses the passages write as one
 * compound (工作规则; 县乡, a two-character one only when jieba's dictionary has it) have found their senses, and
 * the compound names what they name.
 */
import { isDictionaryPair } from './char-compounds.js';
import { EN_STOPWORDS } from './stopwords.js';
import { englishWords, senseCandidates } from './translate.js';
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

/** The compound counts as the phrase it translates (translate.ts `WEIGHT.phrase`)… */
const COMPOUND_WEIGHT = 1;
/** …and a part the analysis lacks as a second-best translation of its word (translate.ts `WEIGHT.candidate`). */
const PART_WEIGHT = 0.6;

/**
 * Neighbouring content words of an English question ("working rules"), and two joined by "and" ("county and
 * township": Chinese contracts them, 县乡).
 */
function wordPairs(question: string): [string, string][] {
  const words = englishWords(question)
    .map((w) => w.toLowerCase())
    .filter((w) => !/\d/u.test(w));
  const content = (w: string | undefined): w is string => !!w && w.length >= 2 && !EN_STOPWORDS.has(w);
  const pairs: [string, string][] = [];
  words.forEach((w, i) => {
    const next = words[i + 1];
    const afterAnd = words[i + 2];
    if (!content(w)) return;
    if (content(next)) pairs.push([w, next]);
    else if (next === 'and' && content(afterAnd)) pairs.push([w, afterAnd]);
  });
  return pairs;
}

/** A compound the passages' text must hold: three or more characters, or a two-character dictionary word. */
function isCompound(word: string): boolean {
  const n = [...word].length;
  return n >= 3 || (n === 2 && isDictionaryPair(word));
}

/**
 * `analysis` with, for each pair of neighbouring words, the first senses of the two that `passages` write as
 * one compound: the compound at phrase weight (it names a document's title, "国务院工作规则", and the clauses
 * that use it), and each part the analysis lacks under its own word. The analysis itself when no pair is found.
 */
function withCompounds(
  analysis: QueryAnalysis,
  question: string,
  passages: readonly string[],
): QueryAnalysis {
  const terms = new Map(analysis.terms.map((t) => [t.term, { ...t }]));
  let changed = false;
  const raise = (term: string, of: string, weight: number) => {
    const known = terms.get(term);
    if (known) {
      if (known.weight < weight) {
        known.weight = weight;
        changed = true;
      }
      return;
    }
    terms.set(term, { term, weight, source: 'translation', of });
    changed = true;
  };
  for (const [a, b] of wordPairs(question)) {
    const left = senseCandidates(a);
    const right = senseCandidates(b);
    const found = left
      .flatMap((x) => right.map((y) => [x, y] as const))
      .find(([x, y]) => isCompound(`${x}${y}`) && passages.some((text) => text.includes(`${x}${y}`)));
    if (!found) continue;
    const [x, y] = found;
    raise(x, a, PART_WEIGHT);
    raise(y, b, PART_WEIGHT);
    raise(`${x}${y}`, `${a} ${b}`, COMPOUND_WEIGHT);
  }
  if (!changed) return analysis;
  return { ...analysis, terms: [...terms.values()].sort((p, q) => q.weight - p.weight) };
}

/** Senses the library's index holds, for words it holds no translation of (`holds`: KeywordIndex.holds). */
export function withHeldSenses(analysis: QueryAnalysis, holds: (term: string) => boolean): QueryAnalysis {
  return withSenses(analysis, holds);
}

/**
 * Senses the best passages of a first search use: compounds of neighbouring words (工作规则), and for words none
 * of whose translations they use, a rarer sense ("fine" over the articles of a regulation: 罚款). The analysis
 * itself (same object) when nothing is added.
 */
export function withPassageSenses(
  analysis: QueryAnalysis,
  question: string,
  passages: readonly string[],
): QueryAnalysis {
  if (analysis.language !== 'en' || passages.length === 0) return analysis;
  const compounded = withCompounds(analysis, question, passages);
  return withSenses(compounded, (term) => passages.some((text) => text.includes(term)));
}
