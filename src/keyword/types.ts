import type { Language } from '../types.js';

/** Where a query term came from: the question itself, or the English→Chinese dictionary. */
export type QueryTermSource = 'query' | 'translation';

/** One search term. `term` is already an index token (segmented, lower-cased); weight > 0. */
export interface QueryTerm {
  term: string;
  weight: number;
  source: QueryTermSource;
}

/** A question turned into weighted keyword-index terms. */
export interface QueryAnalysis {
  language: Language;
  terms: QueryTerm[];
}

/** One chunk as handed to the keyword index. `ordinal` is the chunk's position (0..n-1). */
export interface KeywordRow {
  ordinal: number;
  text: string;
  title: string;
  department: string | null;
  docId: string;
}

export interface KeywordFilter {
  /** Exact department value as stored in `KeywordRow.department`. */
  department?: string;
  docId?: string;
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
   * Drop very common terms from candidate generation (they still re-rank the candidates).
   * Default true; false is meant for comparisons and tests.
   */
  prune?: boolean;
}
