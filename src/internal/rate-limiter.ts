/**
 * At most `limit` events per `windowMs` for each key (user id, IP…). Async so that replicas can share the
 * count (`RedisRateLimiter`); `take` resolves 0 when the hit is allowed (and recorded), otherwise the
 * seconds until the next hit would be allowed (a refused hit is not recorded).
 */
export interface RateLimiter {
  take(key: string): Promise<number>;
}

/** Seconds to wait until the oldest hit in the window leaves it (at least 1). */
export function waitSeconds(oldestMs: number, windowMs: number, nowMs: number): number {
  return Math.max(1, Math.ceil((oldestMs + windowMs - nowMs) / 1000));
}

/** Process-local sliding-window limiter. */
export class MemoryRateLimiter implements RateLimiter {
  private readonly hits = new Map<string, number[]>();
  private readonly now: () => number;

  constructor(
    private readonly limit: number,
    private readonly windowMs = 60_000,
    options: { now?: () => number } = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  async take(key: string): Promise<number> {
    return this.takeNow(key);
  }

  /** The synchronous core, also used as the fallback while Redis is unreachable. */
  takeNow(key: string): number {
    const now = this.now();
    const since = now - this.windowMs;
    const recent = (this.hits.get(key) ?? []).filter((t) => t > since);
    if (recent.length >= this.limit) {
      this.hits.set(key, recent);
      return waitSeconds(recent[0] ?? now, this.windowMs, now);
    }
    recent.push(now);
    this.hits.set(key, recent);
    if (this.hits.size > 50_000) this.prune(since);
    return 0;
  }

  private prune(since: number): void {
    for (const [key, times] of this.hits) {
      if (!times.some((t) => t > since)) this.hits.delete(key);
    }
  }
}
