import type { KeyValueStore } from '../internal/kv-store.js';
import type { Logger } from '../logging/logger.js';
import type { AnswerMode, Language, Summary } from '../types.js';

export interface SummaryCacheKey {
  /** Corpus fingerprint from the index manifest: a new corpus invalidates every entry. */
  fingerprint: string;
  /** Issuer short name, or null for the all-issuers summary. */
  issuer: string | null;
  language: Language;
  mode: AnswerMode;
  /** Set for the summary of documents (their ids, joined): `issuer` is then null. */
  documents?: string;
  /** The document set summarised (a hash of its document ids); absent for the whole library. */
  scope?: string;
}

export interface SummaryCacheOptions {
  /** Entries kept in memory (oldest evicted first); default 64. */
  maxEntries?: number;
  /** When set, summaries are also kept here (shared by replicas with Redis) and survive restarts. */
  store?: KeyValueStore;
  /** How long a stored summary is kept (default 24 h; the fingerprint in the key already invalidates it). */
  storeTtlMs?: number;
  logger?: Logger;
}

/**
 * Summaries by corpus fingerprint + issuer + language + mode. Bounded in memory, optionally in a shared
 * store, and de-duplicating: concurrent requests for one key share one computation. Failures are not cached,
 * and neither is a summary that came out in a lesser mode than its key asks for (an LLM summary that fell back
 * to extractive because the model failed or the request budget ran out): it is served, and the next request
 * tries again.
 */
export class SummaryCache {
  private readonly entries = new Map<string, Promise<Summary>>();
  private readonly maxEntries: number;

  constructor(private readonly options: SummaryCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? 64;
  }

  static keyOf(key: SummaryCacheKey): string {
    const base = [key.fingerprint, key.issuer, key.language, key.mode];
    const extra = [key.documents, key.scope].filter((x) => x !== undefined);
    return JSON.stringify(extra.length === 0 ? base : [...base, ...extra]);
  }

  /** The cached summary, or the result of `create` (not cached when it throws or is degraded). */
  getOrCreate(key: SummaryCacheKey, create: () => Promise<Summary>): Promise<Summary> {
    const k = SummaryCache.keyOf(key);
    const hit = this.entries.get(k);
    if (hit) return hit;
    const pending = this.load(k).then(async (stored) => {
      if (stored) return stored;
      const summary = await create();
      if (summary.mode === key.mode) await this.store(k, summary);
      else queueMicrotask(() => this.forget(k, pending));
      return summary;
    });
    this.entries.set(k, pending);
    pending.catch(() => this.forget(k, pending));
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

  private forget(k: string, pending: Promise<Summary>): void {
    if (this.entries.get(k) === pending) this.entries.delete(k);
  }

  private storeKey(k: string): string {
    return `summary:${k}`;
  }

  private async load(k: string): Promise<Summary | null> {
    if (!this.options.store) return null;
    try {
      const raw = await this.options.store.get(this.storeKey(k));
      return raw === null ? null : (JSON.parse(raw) as Summary);
    } catch {
      return null; // missing or unreadable: recompute
    }
  }

  private async store(k: string, summary: Summary): Promise<void> {
    if (!this.options.store) return;
    try {
      await this.options.store.set(
        this.storeKey(k),
        JSON.stringify(summary),
        this.options.storeTtlMs ?? 24 * 60 * 60_000,
      );
    } catch (error) {
      // A cache that cannot be written only costs time; the summary itself is fine.
      this.options.logger?.warn({ err: error }, 'summary cache not written');
    }
  }
}
