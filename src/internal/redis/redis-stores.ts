import { type KeyValueStore, MemoryKeyValueStore } from '../kv-store.js';
import { MemoryRateLimiter, type RateLimiter, waitSeconds } from '../rate-limiter.js';
import { type DedupeStore, MemoryDedupeStore } from '../ttl-store.js';
import type { RedisConnection } from './connection.js';

/**
 * The Redis implementations of the shared-state interfaces. Each keeps a process-local store of the same kind
 * and uses it whenever Redis fails (see `RedisConnection.run`): answering goes on, and retries that reach the
 * same replica are still recognised.
 */

/** Dedupe claims shared by replicas: `SET key 1 NX PX ttl` is atomic, so exactly one replica wins a key. */
export class RedisDedupeStore implements DedupeStore {
  private readonly local = new MemoryDedupeStore();
  constructor(private readonly redis: RedisConnection) {}

  claim(key: string, ttlMs: number): Promise<boolean> {
    return this.redis.run(
      'dedupe',
      async (client) =>
        (await client.set(
          this.redis.key(`dedupe:${key}`),
          '1',
          'PX',
          Math.max(1, Math.round(ttlMs)),
          'NX',
        )) === 'OK',
      () => this.local.claim(key, ttlMs),
    );
  }
}

/**
 * Sliding-window log in a sorted set, one script so the check and the record are atomic across replicas.
 * Time comes from the Redis server (`TIME`), so replicas with skewed clocks still share one window.
 * Returns 0 when allowed, otherwise the ms until the oldest hit leaves the window.
 */
const SLIDING_WINDOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= limit then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {tonumber(oldest[2]), now}
end
redis.call('ZADD', KEYS[1], now, now .. '-' .. ARGV[3])
redis.call('PEXPIRE', KEYS[1], window)
return {0, now}
`;

export class RedisRateLimiter implements RateLimiter {
  private readonly local: MemoryRateLimiter;
  private seq = 0;

  constructor(
    private readonly redis: RedisConnection,
    /** Which limit this is ("web", "slack"), so two limits on one key do not share a window. */
    private readonly scope: string,
    private readonly limit: number,
    private readonly windowMs = 60_000,
  ) {
    this.local = new MemoryRateLimiter(limit, windowMs);
  }

  take(key: string): Promise<number> {
    return this.redis.run(
      'rate limit',
      async (client) => {
        const member = `${process.pid}-${++this.seq}-${Math.random().toString(36).slice(2, 8)}`;
        const reply = (await client.eval(
          SLIDING_WINDOW,
          1,
          this.redis.key(`ratelimit:${this.scope}:${key}`),
          String(this.windowMs),
          String(this.limit),
          member,
        )) as [number, number];
        const [oldest, now] = reply;
        return oldest === 0 ? 0 : waitSeconds(oldest, this.windowMs, now);
      },
      () => this.local.takeNow(key),
    );
  }
}

export class RedisKeyValueStore implements KeyValueStore {
  private readonly local = new MemoryKeyValueStore();
  constructor(private readonly redis: RedisConnection) {}

  get(key: string): Promise<string | null> {
    return this.redis.run(
      'cache get',
      async (client) => (await client.get(this.redis.key(`cache:${key}`))) ?? (await this.local.get(key)),
      () => this.local.get(key),
    );
  }

  set(key: string, value: string, ttlMs: number): Promise<void> {
    return this.redis.run(
      'cache set',
      async (client) => {
        await client.set(this.redis.key(`cache:${key}`), value, 'PX', Math.max(1, Math.round(ttlMs)));
      },
      () => this.local.set(key, value, ttlMs),
    );
  }
}
