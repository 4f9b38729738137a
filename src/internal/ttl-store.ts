import { ExpiringMap } from './ExpiringMap.js';

/**
 * "Have we seen this key recently?" — used to answer each chat message exactly once despite retries.
 * In-process here; `RedisDedupeStore` shares the claims between replicas (`SET key 1 NX PX ttl`).
 */
export interface DedupeStore {
  /** Atomically records `key`; resolves true if it was new, false if it was seen within the TTL. */
  claim(key: string, ttlMs: number): Promise<boolean>;
}

/** Process-local store; entries expire, and the map is bounded (oldest claims go first). */
export class MemoryDedupeStore implements DedupeStore {
  private readonly claims: ExpiringMap<true>;

  constructor(options: { now?: () => number; maxEntries?: number } = {}) {
    this.claims = new ExpiringMap<true>(60_000, options.maxEntries ?? 100_000, options.now ?? Date.now);
  }

  async claim(key: string, ttlMs: number): Promise<boolean> {
    if (this.claims.has(key)) return false;
    this.claims.set(key, true, ttlMs);
    return true;
  }

  get size(): number {
    return this.claims.size;
  }
}
