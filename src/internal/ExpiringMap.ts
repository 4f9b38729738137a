/**
 * A process-local map whose entries expire (after the map's TTL, or one given per entry) and which never
 * holds more than `maxEntries` (oldest insertions go first). The in-process half of the shared stores: dedupe
 * claims, cached answers and summaries, and what any of them falls back to while Redis is unreachable.
 */
export class ExpiringMap<V> {
  private readonly entries = new Map<string, { value: V; expires: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  set(key: string, value: V, ttlMs = this.ttlMs): void {
    this.entries.delete(key);
    this.entries.set(key, { value, expires: this.now() + ttlMs });
    if (this.entries.size > this.maxEntries) this.evict();
  }

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expires <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  /** Live and not-yet-swept entries. */
  get size(): number {
    return this.entries.size;
  }

  values(): V[] {
    const now = this.now();
    return [...this.entries.values()].filter((e) => e.expires > now).map((e) => e.value);
  }

  /** Drops expired entries first; if still over the cap, the oldest insertions. */
  private evict(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) if (entry.expires <= now) this.entries.delete(key);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }
}
