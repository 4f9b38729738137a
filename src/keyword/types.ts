import type { Language } from '../types.js';

/**
 * Where a query term came from: the question itself, the English→Chinese dictionary, or an expansion of another
 * term (a word sharing its dictionary sense, a sub-word of a compound, a term of the top passages).
 */
export type QueryTermSource = 'query' | 'translation' | 'expansion';

/** One search term. `term` is already an index token (segmented, lower-cased); weight > 0. */
export interface QueryTerm {
  term: string;
  weight: number;
  source: QueryTermSource;
  /**
   * For an expansion: the question term it stands in for (null for pseudo-relevance feedback terms). For a
   * translation: the English word or phrase it translates — the alternatives of one word form one concept.
   */
  of?: string | null;
}

/** A question turned into weighted keyword-index terms. */
export interface QueryAnalysis {
  language: Language;
  terms: QueryTerm[];
}

/** One chunk as handed to the keyword index. `ordinal` is the chunk's position (0..n-1); rows come in order. */
export interface KeywordRow {
  ordinal: number;
  /** Body text, segmented at build time. */
  text: string;
  /** Title field (e.g. article title and section), segmented at build time; matches count less. */
  title: string;
}

export interface KeywordHit {
  ordinal: number;
  /** Weighted BM25, higher is better. */
  score: number;
  /** Query terms (as given in the analysis) that occur in the row's text or title. */
  matchedTerms: string[];
}

export interface KeywordSearchOptions {
  /**
   * Only rows whose ordinal has a non-zero byte here are searched (ordinals past its end are not). The index knows
   * nothing about what the mask stands for (a document, an issuer, a year…); callers build it once and reuse it,
   * and must not change it afterwards (a per-mask summary is cached).
   */
  allowed?: Uint8Array;
  /**
   * Only rows with `from ≤ ordinal < to` are searched (with `allowed`, rows both allow). One document's chunks
   * have consecutive ordinals, so a search within a document visits only its stretch of each posting list
   * instead of every window of the index.
   */
  range?: { from: number; to: number };
  /**
   * Score every posting instead of pruning: the reference the pruned search is tested against (same results,
   * slower). Default false.
   */
  exhaustive?: boolean;
}
