/** How the state replicas share (dedupe, rate limits, AI-bot streams, caches) is doing, for `/healthz`. */
export interface SharedStateHealth {
  /** `memory`: this process only (one replica); `redis`: shared through REDIS_URL. */
  backend: 'memory' | 'redis';
  /** `degraded` while Redis is unreachable: each store then falls back to this process's own memory. */
  status: 'ok' | 'degraded';
  /** ISO time the outage began. */
  since: string | null;
  reason: string | null;
}
