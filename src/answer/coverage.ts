/**
 * "Is this covered by the documents?" — decided from retrieval evidence only, never from rules about
 * particular questions. The signals are combined into one evidence score compared with a threshold
 * calibrated by `scripts/calibrate-refusal.ts` on answerable (dev-qa positives) against
 * out-of-corpus questions (dev-qa negatives + test/fixtures/out-of-corpus.jsonl).
 */
import { analyzeQuery } from '../keyword/translate.js';
import { conceptCoverage, EXPANSION_CREDIT } from '../retriever/concepts.js';
import type { RetrievalResult } from '../types.js';
import type { ScoredUnit } from './extractive.js';
import { contentTerms, includesTerm, weightTerms } from './text-features.js';

export interface EvidenceSignals {
  passages: number;
  /** Retrieval's weighted query-term coverage of the top passage (0..1). */
  coverage: number;
  /** Weighted query-term coverage of the best single sentence/clause (0..1). */
  unitCoverage: number;
  /** Weighted share of query terms found anywhere in the top passages (0..1). */
  unionCoverage: number;
  /** Best BM25 score, null when the keyword index missed. */
  topKeyword: number | null;
  /** Best dense cosine, null in keyword-only mode. */
  topDense: number | null;
  /** Dense and keyword retrieval agree on a top-3 passage; null without dense results. */
  agreement: boolean | null;
  /**
   * Weighted share of the question's own specific terms (Latin codes such as "GDP"/"IPv6", Chinese words
   * of 3+ characters) found in none of the retrieved passages (0..1): a distinctive word the corpus
   * lacks is strong evidence the question is about something else.
   */
  missingSpecific: number;
}

export interface RefusalThresholds {
  /** Evidence score below this → not covered. */
  minScore: number;
  /** BM25 half-saturation constant: topKeyword / (topKeyword + k) maps BM25 to 0..1. */
  keywordHalf: number;
  /** Cosines at or below `denseFloor` add nothing; at `denseCeil` and above add the full dense weight. */
  denseFloor: number;
  denseCeil: number;
  /** Score multiplier lost when every specific term is missing (scaled by `missingSpecific`). */
  missingPenalty: number;
}

/**
 * Calibrated with `scripts/calibrate-refusal.ts --suites eval/seed,eval/corpus-dev,eval/corpus-web-dev` on the
 * real engine (keyword-only: no embedding model offline): 113 answerable against 65 unanswerable questions over
 * three libraries; 0.26 makes the fewest errors (unanswerable refused 0.89, answerable refused 0.05). The
 * curve and why no threshold separates the groups fully are in docs/design.md ("Refusal").
 * Dense signals shift the score by at most ±0.045 until a real model is calibrated.
 */
export const REFUSAL: RefusalThresholds = {
  minScore: 0.26,
  keywordHalf: 4,
  denseFloor: 0.45,
  denseCeil: 0.75,
  missingPenalty: 0.5,
};

const TOP_FOR_UNION = 3;

function isSpecific(term: string): boolean {
  const han = term.match(/\p{Script=Han}/gu)?.length ?? 0;
  return han >= 3 || (han === 0 && /[a-z]/i.test(term) && term.length >= 2);
}

function missingSpecificShare(retrieval: RetrievalResult): number {
  let total = 0;
  let missing = 0;
  const inAny = (piece: string) => retrieval.passages.some((p) => includesTerm(p.chunk.text, piece));
  for (const t of analyzeQuery(retrieval.query, retrieval.language).terms) {
    // Only the question's own words (not dictionary translations, not bigrams of longer words).
    if (t.source !== 'query' || t.weight < 1 || !isSpecific(t.term)) continue;
    // In an English question an acronym is often the English name of a Chinese body (NDRC, NEA) that the
    // Chinese text spells out: its absence says less than a Chinese word's would.
    const absence = retrieval.language === 'en' && /^[a-z]+$/iu.test(t.term) ? 0.5 : 1;
    total += t.weight;
    // Said in other words (a word sharing its sense is there), it is missing only in part.
    const standIn = retrieval.concepts?.some((c) => c.terms.includes(t.term) && c.expansions.some(inAny));
    missing += absence * t.weight * missingFraction(t.term, retrieval) * (standIn ? 1 - EXPANSION_CREDIT : 1);
  }
  return total > 0 ? missing / total : 0;
}

/**
 * 0 when the term occurs in a retrieved passage; otherwise the share of its character bigrams that occur
 * in none (so "锂电池" against "锂电…电池" counts as present, "增长率" against "增长" as half missing).
 */
function missingFraction(term: string, retrieval: RetrievalResult): number {
  const found = (piece: string) => retrieval.passages.some((p) => includesTerm(p.chunk.text, piece));
  if (found(term)) return 0;
  const chars = [...term];
  if (!/\p{Script=Han}/u.test(term) || chars.length < 3) return 1;
  const pieces = chars.slice(0, -1).map((c, i) => `${c}${chars[i + 1]}`);
  return pieces.filter((piece) => !found(piece)).length / pieces.length;
}

/** Collects the evidence signals of one retrieval result and its scored answer units. */
export function evidenceSignals(
  retrieval: RetrievalResult,
  candidates: readonly ScoredUnit[],
): EvidenceSignals {
  const passages = retrieval.passages;
  const top = passages.slice(0, TOP_FOR_UNION);
  const terms = contentTerms(retrieval.terms);
  const weights = weightTerms(terms, top);
  const total = [...weights.values()].reduce((a, b) => a + b, 0);
  let found = 0;
  for (const t of terms) if (top.some((p) => includesTerm(p.chunk.text, t))) found += weights.get(t) ?? 0;
  const inTop = (t: string) => top.some((p) => includesTerm(p.chunk.text, t));
  // By concept: one of a word's translations found covers the word, an expansion found covers it at a discount.
  const conceptUnion = retrieval.concepts
    ? conceptCoverage(
        retrieval.concepts.filter((c) => c.terms.some((t) => weights.has(t))),
        inTop,
        (c) => Math.max(...c.terms.map((t) => weights.get(t) ?? 0)),
      )
    : 0;
  const keywordScores = passages.map((p) => p.keyword).filter((x): x is number => x !== null);
  const denseScores = passages.map((p) => p.dense).filter((x): x is number => x !== null);
  let agreement: boolean | null = null;
  if (denseScores.length > 0) {
    // Ranks are 1-based.
    const kwTop = passages.filter((p) => p.keywordRank !== null && p.keywordRank <= 3);
    agreement = kwTop.some((p) => p.denseRank !== null && p.denseRank <= 3);
  }
  return {
    missingSpecific: missingSpecificShare(retrieval),
    passages: passages.length,
    coverage: retrieval.coverage,
    unitCoverage: candidates.reduce((m, c) => Math.max(m, c.termCoverage), 0),
    unionCoverage: Math.max(total > 0 ? found / total : 0, conceptUnion),
    topKeyword: keywordScores.length > 0 ? Math.max(...keywordScores) : null,
    topDense: denseScores.length > 0 ? Math.max(...denseScores) : null,
    agreement,
  };
}

/**
 * One evidence score in 0..1: mostly lexical coverage (top passage, best sentence), plus keyword
 * strength; with dense retrieval, the cosine and the agreement of both retrievers shift it.
 */
export function evidenceScore(s: EvidenceSignals, t: RefusalThresholds = REFUSAL): number {
  if (s.passages === 0) return 0;
  const kw = s.topKeyword === null ? 0 : s.topKeyword / (s.topKeyword + t.keywordHalf);
  let score = 0.35 * s.coverage + 0.35 * s.unitCoverage + 0.15 * s.unionCoverage + 0.15 * kw;
  if (s.topDense !== null) {
    // Dense signals shift the lexical score symmetrically around neutral (at most ±0.045 in total):
    // they are not yet calibrated on a real embedding model, so their influence stays inside the measured
    // lexical margin (see REFUSAL).
    const dense = Math.min(1, Math.max(0, (s.topDense - t.denseFloor) / (t.denseCeil - t.denseFloor)));
    score += 0.03 * (2 * dense - 1) + (s.agreement ? 0.015 : -0.015);
  }
  return score * (1 - t.missingPenalty * s.missingSpecific);
}

export interface CoverageDecision {
  covered: boolean;
  score: number;
  signals: EvidenceSignals;
}

/** Decides whether the documents cover the question. */
export function assessCoverage(
  retrieval: RetrievalResult,
  candidates: readonly ScoredUnit[],
  thresholds: RefusalThresholds = REFUSAL,
): CoverageDecision {
  const signals = evidenceSignals(retrieval, candidates);
  const score = evidenceScore(signals, thresholds);
  return { covered: candidates.length > 0 && score >= thresholds.minScore, score, signals };
}
