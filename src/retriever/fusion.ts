/**
 * Reciprocal rank fusion (Cormack et al. 2009): score = Σ weight / (k + rank), rank from 1.
 * Rank-based, so BM25 scores and cosine similarities need no common scale.
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
