import { firstHitRank, retrievalMetrics } from '../../src/eval/match.js';
import type { HybridRetriever } from '../../src/retriever/HybridRetriever.js';
import type { DevQaItem } from './seed-corpus.js';
import { round } from './stats.js';

export interface DevQaRecall {
  recallAtK: number;
  recallAt1: number;
  mrr: number;
  n: number;
  /** Ids of answerable questions whose evidence was not in the top k. */
  misses: string[];
}

/**
 * dev-qa retrieval quality, scored exactly like `policybot eval` (the hit rule of src/eval/match.ts: a
 * returned passage holds the evidence); unanswerable questions (evidence null) are skipped.
 */
export async function devQaRecall(
  retriever: HybridRetriever,
  items: readonly DevQaItem[],
  k: number,
): Promise<DevQaRecall> {
  const ranks: (number | null)[] = [];
  const misses: string[] = [];
  for (const item of items) {
    if (item.evidence === null) continue;
    const result = await retriever.retrieve({ text: item.q, k });
    const rank = firstHitRank(
      result.passages.map((p) => p.chunk.text),
      item.evidence,
    );
    ranks.push(rank);
    if (rank === null) misses.push(item.id);
  }
  const m = retrievalMetrics(ranks, k);
  return {
    recallAtK: round(m.recallAtK, 3),
    recallAt1: round(m.recallAt1, 3),
    mrr: round(m.mrr, 3),
    n: m.n,
    misses,
  };
}
