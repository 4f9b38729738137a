import type { Logger } from '../logging/logger.js';
import { type KeyValueStore, MemoryKeyValueStore } from './kv-store.js';
import { MemoryRateLimiter, type RateLimiter } from './rate-limiter.js';
import type { RedisConnection } from './redis/connection.js';
import type { SharedStateHealth } from './state-health.js';
import { type DedupeStore, MemoryDedupeStore } from './ttl-store.js';

/**
 * The state several replicas behind a load balancer must agree on, one store per kind: dedupe claims, rate
 * limits, caches (answers, answered threads, summaries), and the Redis connection for stores a front end
 * builds itself (the WeCom AI-bot streams). In-process by default; shared through Redis when `REDIS_URL` is set.
 */
export interface SharedState {
  readonly dedupe: DedupeStore;
  readonly cache: KeyValueStore;
  /** A limiter of `limit` hits per `windowMs` per key; `scope` keeps two limits on one key apart. */
  rateLimiter(scope: string, limit: number, windowMs?: number): RateLimiter;
  /** Null for in-process state. */
  readonly redis: RedisConnection | null;
  health(): SharedStateHealth;
  close(): Promise<void>;
}

/** One process's state (the default, and what tests use). */
export function createLocalState(): SharedState {
  return {
    dedupe: new MemoryDedupeStore(),
    cache: new MemoryKeyValueStore(),
    rateLimiter: (_scope, limit, windowMs) => new MemoryRateLimiter(limit, windowMs),
    redis: null,
    health: () => ({ backend: 'memory', status: 'ok', since: null, reason: null }),
    close: async () => {},
  };
}

export interface SharedStateOptions {
  redis: { url: string; commandTimeoutMs: number; connectTimeoutMs: number; keyPrefix: string } | null;
  logger: Logger;
}

/**
 * Redis-backed state when `options.redis` is set (the client is loaded only then), otherwise in-process.
 * An unreachable Redis does not stop start-up: the state starts degraded and recovers when Redis answers.
 */
export async function createSharedState(options: SharedStateOptions): Promise<SharedState> {
  if (!options.redis) return createLocalState();
  const { RedisConnection } = await import('./redis/connection.js');
  const { RedisDedupeStore, RedisKeyValueStore, RedisRateLimiter } = await import('./redis/redis-stores.js');
  const redis = await RedisConnection.open({
    ...options.redis,
    logger: options.logger.child({ component: 'redis' }),
  });
  return {
    dedupe: new RedisDedupeStore(redis),
    cache: new RedisKeyValueStore(redis),
    rateLimiter: (scope, limit, windowMs) => new RedisRateLimiter(redis, scope, limit, windowMs),
    redis,
    health: () => redis.health(),
    close: () => redis.close(),
  };
}
