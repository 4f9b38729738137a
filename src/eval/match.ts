/**
 * The one hit rule of `policybot eval`, used for retrieval hits, answer containment, citation precision and
 * list items alike: the evidence appears in the text, compared after NFKC normalisation (full-width and
 * half-width forms are the same character) with whitespace removed, either verbatim or with at most one
 * character in ten of it edited (missing, changed or interposed) — as long as its numbers are unchanged.
 *
 * Why the tolerance: evidence strings are copied from the documents' plain text, while passages and
 * answers come out of the product's own cleaning and sentence budget. A quote cut a few characters short
 * or a dropped bracket is still the evidence; a passage holding only half of it is not, and neither is
 * one with a different number ("85万人" is not "86万人"). Edit distance (rather than "90 % of the
 * characters appear in order") bounds the characters a match may interpose, so a long passage cannot
 * match by scattering the evidence's characters over its length. Evidence under ten characters must
 * match exactly.
 */
import search from 'approx-string-match';

/** Share of the evidence's characters that may be edited in a match. */
export const MAX_EDIT_SHARE = 0.1;

export const squash = (s: string): string => s.normalize('NFKC').replace(/\s+/gu, '');

const numbersOf = (s: string): string => (s.match(/\d+(?:\.\d+)?/gu) ?? []).join(' ');

/** True when `text` holds `evidence` under the hit rule above. Empty evidence never matches. */
export function containsEvidence(text: string, evidence: string): boolean {
  const needle = squash(evidence);
  if (!needle) return false;
  const hay = squash(text);
  if (hay.includes(needle)) return true;
  const maxErrors = Math.floor(needle.length * MAX_EDIT_SHARE);
  if (maxErrors === 0) return false;
  // Myers' bit-parallel approximate search (Levenshtein distance with free ends in the text).
  const numbers = numbersOf(needle);
  return search(hay, needle, maxErrors).some((m) => numbersOf(hay.slice(m.start, m.end)) === numbers);
}

/** 1-based rank of the first passage holding the evidence, or null. */
export function firstHitRank(passages: readonly string[], evidence: string): number | null {
  const i = passages.findIndex((p) => containsEvidence(p, evidence));
  return i < 0 ? null : i + 1;
}

export interface RetrievalMetrics {
  n: number;
  recallAt1: number;
  recallAtK: number;
  mrr: number;
}

/** recall@1, recall@k and MRR over first-hit ranks (null = no hit in the top k). */
export function retrievalMetrics(ranks: readonly (number | null)[], k: number): RetrievalMetrics {
  const n = ranks.length;
  if (n === 0) return { n, recallAt1: 0, recallAtK: 0, mrr: 0 };
  return {
    n,
    recallAt1: ranks.filter((r) => r === 1).length / n,
    recallAtK: ranks.filter((r) => r !== null && r <= k).length / n,
    mrr: ranks.reduce<number>((s, r) => s + (r ? 1 / r : 0), 0) / n,
  };
}
