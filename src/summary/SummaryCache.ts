import type { AnswerMode, Language, Summary } from '../types.js';

export interface SummaryCacheKey {
  /** Corpus fingerprint from the index manifest: a new corpus invalidates every entry. */
  fingerprint: string;
  /** Department short name, or null for the all-departments summary. */
  department: string | null;
  language: Language;
  mode: AnswerMode;
}

/**
 * Summaries by corpus fingerprint + department + language + mode. Bounded (oldest entry evicted first)
 * and de-duplicating: concurrent requests for one key share one computation.
 */
export class SummaryCache {
  private readonly entries = new Map<string, Promise<Summary>>();

  constructor(private readonly maxEntries = 64) {}

  static keyOf(key: SummaryCacheKey): string {
    return JSON.stringify([key.fingerprint, key.department, key.language, key.mode]);
  }

  /** The cached summary, or the result of `create` (not cached when it throws). */
  getOrCreate(key: SummaryCacheKey, create: () => Promise<Summary>): Promise<Summary> {
    const k = SummaryCache.keyOf(key);
    const hit = this.entries.get(k);
    if (hit) return hit;
    const pending = create();
    this.entries.set(k, pending);
    pending.catch(() => this.entries.delete(k));
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    return pending;
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }
}
