import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../logging/logger.js';
import type { AnswerMode, Language, Summary } from '../types.js';

export interface SummaryCacheKey {
  /** Corpus fingerprint from the index manifest: a new corpus invalidates every entry. */
  fingerprint: string;
  /** Issuer short name, or null for the all-issuers summary. */
  issuer: string | null;
  language: Language;
  mode: AnswerMode;
}

export interface SummaryCacheOptions {
  /** Entries kept in memory (oldest evicted first); default 64. */
  maxEntries?: number;
  /** When set, summaries are also stored as JSON files here (e.g. embeddings/cache) and survive restarts. */
  dir?: string;
  logger?: Logger;
}

/**
 * Summaries by corpus fingerprint + issuer + language + mode. Bounded in memory, optionally persisted,
 * and de-duplicating: concurrent requests for one key share one computation. Failures are not cached.
 */
export class SummaryCache {
  private readonly entries = new Map<string, Promise<Summary>>();
  private readonly maxEntries: number;

  constructor(private readonly options: SummaryCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? 64;
  }

  static keyOf(key: SummaryCacheKey): string {
    return JSON.stringify([key.fingerprint, key.issuer, key.language, key.mode]);
  }

  /** The cached summary, or the result of `create` (not cached when it throws). */
  getOrCreate(key: SummaryCacheKey, create: () => Promise<Summary>): Promise<Summary> {
    const k = SummaryCache.keyOf(key);
    const hit = this.entries.get(k);
    if (hit) return hit;
    const pending = this.load(k).then(async (stored) => {
      if (stored) return stored;
      const summary = await create();
      await this.store(k, summary);
      return summary;
    });
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

  private file(k: string): string | null {
    const dir = this.options.dir;
    return dir
      ? join(dir, `summary-${createHash('sha256').update(k).digest('hex').slice(0, 32)}.json`)
      : null;
  }

  private async load(k: string): Promise<Summary | null> {
    const path = this.file(k);
    if (!path) return null;
    try {
      const stored = JSON.parse(await readFile(path, 'utf8')) as { key: string; summary: Summary };
      return stored.key === k ? stored.summary : null;
    } catch {
      return null; // missing or unreadable: recompute
    }
  }

  private async store(k: string, summary: Summary): Promise<void> {
    const path = this.file(k);
    if (!path || !this.options.dir) return;
    try {
      await mkdir(this.options.dir, { recursive: true });
      const tmp = `${path}.${process.pid}.tmp`;
      await writeFile(tmp, JSON.stringify({ key: k, summary }));
      await rename(tmp, path);
    } catch (error) {
      // A cache that cannot be written only costs time; the summary itself is fine.
      this.options.logger?.warn({ err: error, dir: this.options.dir }, 'summary cache not written');
    }
  }
}
