/**
 * "Have we seen this key recently?" — used to answer each chat message exactly once despite retries.
 * An interface so that several replicas can share one store (e.g. Redis `SET key 1 NX PX ttl`).
 */
export interface DedupeStore {
  /** Atomically records `key`; resolves true if it was new, false if it was seen within the TTL. */
  claim(key: string, ttlMs: number): Promise<boolean>;
}

/** Process-local store; entries expire lazily and the map is swept so it cannot grow without bound. */
export class MemoryDedupeStore implements DedupeStore {
  private readonly expiries = new Map<string, number>();
  private readonly now: () => number;
  private readonly maxEntries: number;

  constructor(options: { now?: () => number; maxEntries?: number } = {}) {
    this.now = options.now ?? Date.now;
    this.maxEntries = options.maxEntries ?? 100_000;
  }

  async claim(key: string, ttlMs: number): Promise<boolean> {
    const now = this.now();
    const expiry = this.expiries.get(key);
    if (expiry !== undefined && expiry > now) return false;
    if (this.expiries.size >= this.maxEntries) this.sweep(now);
    this.expiries.set(key, now + ttlMs);
    return true;
  }

  get size(): number {
    return this.expiries.size;
  }

  private sweep(now: number): void {
    for (const [key, expiry] of this.expiries) {
      if (expiry <= now) this.expiries.delete(key);
    }
    // Still full of live keys: drop the oldest insertions rather than grow without bound.
    const excess = this.expiries.size - Math.floor(this.maxEntries * 0.9);
    if (excess > 0) {
      let dropped = 0;
      for (const key of this.expiries.keys()) {
        if (dropped++ >= excess) break;
        this.expiries.delete(key);
      }
    }
  }
}
