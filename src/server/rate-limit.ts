import type { RequestHandler } from 'express';
import { RateLimitedError } from '../errors/index.js';
import type { RateLimiter } from '../internal/rate-limiter.js';

/**
 * Per-client limit keyed by IP. `req.ip` is the socket address unless the app's `trust proxy` setting
 * says to believe `X-Forwarded-For` (set it when running behind a reverse proxy, or all users share one bucket).
 */
export function rateLimitByIp(limiter: RateLimiter): RequestHandler {
  return (req, _res, next) => {
    const key = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    limiter
      .take(key)
      .then((retryAfter) => next(retryAfter > 0 ? new RateLimitedError(retryAfter) : undefined), next);
  };
}
