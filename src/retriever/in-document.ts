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
  const sample = sampleOf(chunks);
  return {
    ...analysis,
    terms: analysis.terms.map((t) => {
      const library = libraryIdf(t.term);
      if (!(library > 0)) return t;
      const df = (sample.containing(t.term) * n) / sample.size;
      return { ...t, weight: (t.weight * Math.max(floor, idf(n, df))) / library };
    }),
  };
}

/** Between the joined sample texts: no query term holds it, so no match spans two chunks. */
const SEPARATOR = '\u0000';

/**
 * A document's sampled chunks as one text: counting the chunks that hold a term is then one native search per
 * chunk that holds it, not an `includes` call per chunk and term. The last few are kept, by chunk list (a
 * document's unfiltered list is the same array every time).
 */
class ChunkSample {
  readonly size: number;
  private readonly texts: readonly string[];
  private readonly joined: JoinedTexts;
  private lowered: JoinedTexts | null = null;

  constructor(chunks: readonly Chunk[]) {
    // A long document's frequencies are estimated from evenly spaced chunks: its idf needs proportions, not counts.
    const step = Math.max(1, Math.ceil(chunks.length / MAX_SAMPLED_CHUNKS));
    this.texts = (step === 1 ? chunks : chunks.filter((_, i) => i % step === 0)).map((c) => c.text);
    this.size = this.texts.length;
    this.joined = joinTexts(this.texts);
  }

  /** How many sampled chunks contain `term` (Latin terms case-insensitively; Han text has no case). */
  containing(term: string): number {
    if (term.includes(SEPARATOR)) return this.texts.filter((t) => t.includes(term)).length;
    if (!/[A-Za-z]/u.test(term)) return countContaining(this.joined, term);
    // Lower-cased per chunk: a lower-cased character can be longer than the original.
    this.lowered ??= joinTexts(this.texts.map((t) => t.toLowerCase()));
    return countContaining(this.lowered, term.toLowerCase());
  }
}

interface JoinedTexts {
  text: string;
  /** Where each text starts in `text`, ascending. */
  starts: number[];
}

function joinTexts(texts: readonly string[]): JoinedTexts {
  const starts: number[] = [];
  let at = 0;
  for (const t of texts) {
    starts.push(at);
    at += t.length + SEPARATOR.length;
  }
  return { text: texts.join(SEPARATOR), starts };
}

function countContaining({ text, starts }: JoinedTexts, needle: string): number {
  let hits = 0;
  let from = 0;
  for (;;) {
    const at = text.indexOf(needle, from);
    if (at < 0) return hits;
    hits++;
    // The next text after the one holding this match.
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((starts[mid] as number) <= at) lo = mid + 1;
      else hi = mid;
    }
    if (lo >= starts.length) return hits;
    from = starts[lo] as number;
  }
}

/** Samples kept: the documents of the last few questions (a sample holds up to 200 chunk texts, joined). */
const KEPT_SAMPLES = 64;
const samples = new Map<readonly Chunk[], ChunkSample>();

function sampleOf(chunks: readonly Chunk[]): ChunkSample {
  let sample = samples.get(chunks);
  if (sample) samples.delete(chunks);
  else sample = new ChunkSample(chunks);
  samples.set(chunks, sample);
  if (samples.size > KEPT_SAMPLES) samples.delete(samples.keys().next().value as readonly Chunk[]);
  return sample;
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
