/**
 * Passage order inside a document. Library-wide BM25 ranks a document's passages by the words that found the
 * document: its title words, its topic (三级公立医院, 绩效考核, 指标 in nearly every chunk of that 意见) are rare in
 * the library, so every chunk of the document scores on them and the short chunks densest in them win — the
 * title line, a heading, the definition clause — over the one chunk holding the word that tells the passages
 * apart (医护比). Within a document those words tell nothing; what does is what is rare *among its own
 * chunks*. So once the first pass has picked the documents that answer, their passages are ranked again with
 * each query term's weight scaled by its idf within the document (Robertson–Spärck Jones over the document's
 * chunks, the same idf form as the library's), and the document keeps the ranks it had.
 */
import { longestCommonRun } from '../internal/text-measures.js';
import { idf } from '../keyword/bm25.js';
import type { QueryAnalysis } from '../keyword/types.js';
import type { Chunk } from '../types.js';

/**
 * The least within-document idf a term keeps, as a share of the largest possible (a term in no chunk): a topic
 * word in every chunk still says the passage is on topic, and breaks ties.
 */
export const IN_DOCUMENT_FLOOR = 0.1;
/** Chunks of a document read to estimate its term frequencies (a long document is sampled evenly). */
export const MAX_SAMPLED_CHUNKS = 200;
/** Documents this small are ranked by the library-wide order alone: too few chunks for an idf to mean much. */
export const MIN_DOCUMENT_CHUNKS = 4;

/**
 * The analysis re-weighted so that the keyword index, which multiplies each term's weight by its library idf,
 * scores BM25 with the term's idf among `chunks` (one document's) instead: weight × idf_doc / idf_library.
 * Containment is by substring of the chunk text, which for Chinese is what a token match means too (医护 in
 * 医护比), without segmenting the document again.
 */
export function inDocumentWeights(
  analysis: QueryAnalysis,
  chunks: readonly Chunk[],
  libraryIdf: (term: string) => number,
): QueryAnalysis {
  const n = chunks.length;
  const floor = IN_DOCUMENT_FLOOR * idf(n, 0);
  // A long document's frequencies are estimated from evenly spaced chunks: its idf needs proportions, not counts.
  const step = Math.max(1, Math.ceil(n / MAX_SAMPLED_CHUNKS));
  const sample = step === 1 ? chunks : chunks.filter((_, i) => i % step === 0);
  let lowered: string[] | null = null;
  return {
    ...analysis,
    terms: analysis.terms.map((t) => {
      const library = libraryIdf(t.term);
      if (!(library > 0)) return t;
      // Han text has no case: only a Latin term needs the lower-cased chunks.
      const latin = /[A-Za-z]/u.test(t.term);
      if (latin) lowered ??= sample.map((c) => c.text.toLowerCase());
      const needle = latin ? t.term.toLowerCase() : t.term;
      let hits = 0;
      for (let i = 0; i < sample.length; i++) {
        const text = latin ? (lowered as string[])[i] : (sample[i] as Chunk).text;
        if (text?.includes(needle)) hits++;
      }
      const df = (hits * n) / sample.length;
      return { ...t, weight: (t.weight * Math.max(floor, idf(n, df))) / library };
    }),
  };
}

/**
 * The ranked ordinals with each listed document's passages put in `order` (its own best first), in the slots
 * its passages held: documents keep their places against each other, the document's passages change places
 * among themselves, and a passage of the second pass that the first missed takes the document's last slot
 * it would not otherwise fill. `order` holds ordinals of that document only.
 */
export function reorderWithin(
  ranked: readonly number[],
  docOf: (ordinal: number) => string | undefined,
  docId: string,
  order: readonly number[],
): number[] {
  const slots: number[] = [];
  ranked.forEach((ordinal, i) => {
    if (docOf(ordinal) === docId) slots.push(i);
  });
  if (slots.length === 0 || order.length === 0) return [...ranked];
  const replacement = [...order.slice(0, slots.length)];
  // Passages of the document the second pass did not return keep their first-pass order after it.
  for (const i of slots) {
    if (replacement.length >= slots.length) break;
    const ordinal = ranked[i] as number;
    if (!replacement.includes(ordinal)) replacement.push(ordinal);
  }
  const out = [...ranked];
  slots.forEach((slot, j) => {
    out[slot] = replacement[j] as number;
  });
  return out;
}

/** Shortest run of the question's own wording, verbatim in a passage, that counts as a phrase match. */
const MIN_PHRASE = 4;
/** Longest run counted (a longer one says no more). */
const MAX_PHRASE = 10;
/** Score gained per character of the run beyond `MIN_PHRASE - 1`. */
const PHRASE_GAIN = 0.08;
/** Passages of a document looked at for phrase matches (its best by the within-document scores). */
const PHRASE_PASSAGES = 10;

/**
 * Scores of one document's passages, each raised by the longest run of the question's own wording it holds
 * verbatim (`phrase`: the question without what it shares with its document's title, text-measures.ts
 * `withoutSharedRuns`): the clause that says "发电侧暂按一段式量价开展交易与结算" to "…发电侧暂时按什么方式开展交易与
 * 结算" is the one asked about, more than the passages dense in the document's topic words. Only the best
 * `PHRASE_PASSAGES` are looked at.
 */
export function withPhraseMatches(
  scores: ReadonlyMap<number, number>,
  phrase: string,
  textOf: (ordinal: number) => string,
): Map<number, number> {
  const out = new Map(scores);
  // The shortest runs that count, to skip (natively, with includes) the passages holding none of them.
  const chars = [...phrase];
  const grams = new Set<string>();
  for (let i = 0; i + MIN_PHRASE <= chars.length; i++) {
    const gram = chars.slice(i, i + MIN_PHRASE).join('');
    if (!gram.includes('\u0000') && !/\s/u.test(gram)) grams.add(gram);
  }
  if (grams.size === 0) return out;
  const best = [...scores.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, PHRASE_PASSAGES);
  for (const [ordinal, score] of best) {
    const text = textOf(ordinal);
    if (![...grams].some((g) => text.includes(g))) continue;
    const run = Math.min(MAX_PHRASE, longestCommonRun(phrase, text).length);
    if (run >= MIN_PHRASE) out.set(ordinal, score * (1 + PHRASE_GAIN * (run - MIN_PHRASE + 1)));
  }
  return out;
}
