/**
 * How the keyword (BM25) and dense (cosine) rankings become one.
 *
 * Default: a convex combination of scores, `α · bm25/max(bm25) + (1 − α) · cosine` (Bruch et al., "An
 * Analysis of Fusion Functions for Hybrid Retrieval", 2023: it beats RRF and is robust to α). Because the
 * cosine is used raw, a dense model that cannot tell passages apart (flat similarities) shifts the keyword
 * order very little, whereas reciprocal rank fusion would give its arbitrary order full weight. Measured on
 * dev-qa with the tiny test model: RRF top-1 0.78, convex 1.00 (keyword alone 1.00).
 *
 * Reciprocal rank fusion (Cormack et al. 2009) stays available for comparison (`POLICYBOT_FUSION=rrf`).
 */
export const RRF_K = 60;

export interface RankedList {
  /** Ordinals in rank order, best first. */
  ordinals: number[];
  weight: number;
}

export function reciprocalRankFusion(lists: RankedList[], k = RRF_K): Map<number, number> {
  const fused = new Map<number, number>();
  for (const list of lists) {
    list.ordinals.forEach((ordinal, i) => {
      fused.set(ordinal, (fused.get(ordinal) ?? 0) + list.weight / (k + i + 1));
    });
  }
  return fused;
}

export interface ScoredCandidate {
  ordinal: number;
  score: number;
}

/**
 * Convex combination over the union of both candidate lists. `cosineOf` supplies the similarity of
 * keyword candidates the dense search did not return; pass null in keyword-only mode.
 */
export function convexCombination(
  keyword: ScoredCandidate[],
  dense: ScoredCandidate[],
  cosineOf: ((ordinal: number) => number) | null,
  alpha: number,
): Map<number, number> {
  let maxKeyword = 0;
  for (const hit of keyword) maxKeyword = Math.max(maxKeyword, hit.score);
  const keywordNorm = new Map(keyword.map((h) => [h.ordinal, maxKeyword > 0 ? h.score / maxKeyword : 0]));
  const denseScore = new Map(dense.map((h) => [h.ordinal, h.score]));
  const fused = new Map<number, number>();
  const denseWeight = cosineOf ? 1 - alpha : 0;
  const keywordWeight = cosineOf ? alpha : 1;
  for (const ordinal of new Set([...keywordNorm.keys(), ...denseScore.keys()])) {
    const cosine = denseScore.get(ordinal) ?? (cosineOf ? cosineOf(ordinal) : 0);
    fused.set(ordinal, keywordWeight * (keywordNorm.get(ordinal) ?? 0) + denseWeight * cosine);
  }
  return fused;
}
