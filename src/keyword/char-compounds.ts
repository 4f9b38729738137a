/**
 * An English word whose best translation is one character (hog → 猪, fee → 费) matches little: the index holds
 * words (生猪, 猪肉), and a lone character is a weak term. Its everyday compounds stand in for it: the two- and
 * three-character words of jieba's dictionary built on it, most frequent first, of which the caller keeps those
 * its library holds. A general resource (jieba's word frequencies), no word list of ours.
 */
import { loadJiebaFrequencies } from './cedict-reverse.js';
import type { QueryAnalysis, QueryTerm } from './types.js';

/** Dictionary words this rare are mostly names and literary forms. */
const MIN_FREQUENCY = 200;
/** Compounds remembered per character. */
const PER_CHARACTER = 12;
/** Two-character dictionary words this frequent are words (县乡, 城乡), not chance pairs of characters. */
const MIN_PAIR_FREQUENCY = 5;

let byCharacter: Map<string, string[]> | null = null;
let pairs: Set<string> | null = null;

function index(): Map<string, string[]> {
  if (byCharacter) return byCharacter;
  const scored = new Map<string, [string, number][]>();
  const twos = new Set<string>();
  for (const [word, freq] of loadJiebaFrequencies()) {
    const chars = [...word];
    if (chars.length === 2 && freq >= MIN_PAIR_FREQUENCY && /^\p{Script=Han}+$/u.test(word)) twos.add(word);
    if (freq < MIN_FREQUENCY || chars.length < 2 || chars.length > 3 || !/^\p{Script=Han}+$/u.test(word))
      continue;
    for (const c of new Set(chars)) {
      const list = scored.get(c) ?? [];
      list.push([word, freq]);
      scored.set(c, list);
    }
  }
  pairs = twos;
  byCharacter = new Map(
    [...scored].map(([c, list]) => [
      c,
      list
        .sort((a, b) => b[1] - a[1])
        .slice(0, PER_CHARACTER)
        .map(([w]) => w),
    ]),
  );
  return byCharacter;
}

/** Whether `word` is a two-character word of jieba's dictionary (县乡 for "county and township"). */
export function isDictionaryPair(word: string): boolean {
  index();
  return pairs?.has(word) ?? false;
}

/** Everyday words containing `character`, most frequent first (at most 12); [] for anything else. */
export function characterCompounds(character: string): readonly string[] {
  if ([...character].length !== 1) return [];
  return index().get(character) ?? [];
}

/** Compounds kept per one-character translation. */
const MAX_COMPOUNDS = 2;
/** A compound's weight relative to a word translation of the same rank: it is a guess at the sense. */
const COMPOUND_SHARE = 0.5;
/** The analyzer's weight of a lone character relative to a word (translate.ts `WEIGHT.singleHan`). */
const SINGLE_HAN_SHARE = 0.3;

/**
 * `analysis` (of an English question) with each one-character translation's compounds that `holds` (the
 * library's index holds them) added as translations of the same English word.
 */
export function withCharacterCompounds(
  analysis: QueryAnalysis,
  holds: (term: string) => boolean,
): QueryAnalysis {
  if (analysis.language !== 'en') return analysis;
  const present = new Set(analysis.terms.map((t) => t.term));
  const added: QueryTerm[] = [];
  for (const t of analysis.terms) {
    if (t.source !== 'translation' || [...t.term].length !== 1) continue;
    const compounds = characterCompounds(t.term).filter((w) => !present.has(w) && holds(w));
    for (const word of compounds.slice(0, MAX_COMPOUNDS)) {
      present.add(word);
      const weight = (t.weight / SINGLE_HAN_SHARE) * COMPOUND_SHARE;
      added.push({ term: word, weight, source: 'translation', ...(t.of !== undefined ? { of: t.of } : {}) });
    }
  }
  if (added.length === 0) return analysis;
  return { ...analysis, terms: [...analysis.terms, ...added].sort((a, b) => b.weight - a.weight) };
}
