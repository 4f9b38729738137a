import { ExpiringMap } from './ExpiringMap.js';

/**
 * A string cache with per-entry TTL: recent answers (Slack's Share button), threads the bot answered in,
 * issuer summaries. In-process here; `RedisKeyValueStore` shares it between replicas. Losing an entry
 * only costs a recomputation, never a wrong answer.
 */
export interface KeyValueStore {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
}

export class MemoryKeyValueStore implements KeyValueStore {
  private readonly map: ExpiringMap<string>;

  constructor(options: { maxEntries?: number; now?: () => number } = {}) {
    this.map = new ExpiringMap<string>(60_000, options.maxEntries ?? 10_000, options.now ?? Date.now);
  }

  async get(key: string): Promise<string | null> {
    return this.map.get(key) ?? null;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.map.set(key, value, ttlMs);
  }
}

/** JSON values of one kind under one key prefix, e.g. `slack:answer:` → `Answer`. */
export class JsonCache<T> {
  constructor(
    private readonly store: KeyValueStore,
    private readonly prefix: string,
    private readonly ttlMs: number,
  ) {}

  async get(key: string): Promise<T | undefined> {
    const raw = await this.store.get(this.prefix + key);
    if (raw === null) return undefined;
    try {
      return JSON.parse(raw) as T;
    } catch {
      return undefined; // a foreign or truncated value is a miss, not a failure
    }
  }

  async set(key: string, value: T): Promise<void> {
    await this.store.set(this.prefix + key, JSON.stringify(value), this.ttlMs);
  }
}
