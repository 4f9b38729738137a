import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';
import type { Config } from '../config/config.js';
import type { PolicyEngine } from '../engine/PolicyEngine.js';
import type { SharedState } from '../internal/shared-state.js';
import type { Logger } from '../logging/logger.js';
import { type ApiRouterOptions, createApiRouter } from './api-router.js';
import { connectionCloseWhenClosing, lifecycleOf } from './app-lifecycle.js';
import { healthHandler } from './health.js';
import { errorSink, methodNotAllowed, notFound } from './http-errors.js';
import { requestContext } from './request-context.js';
import { securityHeaders } from './security-headers.js';

/**
 * The page's static files. `src/server` and `dist/server` are both two levels below the package root,
 * so the same relative URL finds `src/web/public` whether running from source (tsx) or from the build.
 */
export const DEFAULT_PUBLIC_DIR = fileURLToPath(new URL('../../src/web/public/', import.meta.url));

export interface HttpAppOptions {
  config: Config;
  engine: PolicyEngine;
  logger: Logger;
  /** Names of the active front ends, reported by `/healthz` (read on each request). */
  frontEnds: () => string[];
  /** State shared by replicas: the web rate limit comes from it, and `/healthz` reports on it. */
  sharedState?: SharedState;
  /** Directory of the chat page; defaults to `src/web/public` in the package. */
  publicDir?: string;
  /** Milliseconds between SSE keep-alive comments (default 15 s). */
  sseHeartbeatMs?: number;
  /** Document sets, subscriptions and digest dry runs for the API and the page (see channel-routes.ts). */
  channels?: ApiRouterOptions['channels'];
}

/**
 * The one HTTP app: chat page at `/`, JSON API under `/api`, `/healthz`. No global body parser: only
 * `/api` parses JSON, so raw-body consumers mounted later (Slack signatures, WeCom XML) still work.
 * Mount further routes on the returned app before `startHttpServer`, which appends the final 404 and
 * error sink (see `finalizeHttpApp`); `/api` has its own.
 */
export function createHttpApp(options: HttpAppOptions): Express {
  const { config, engine, logger, frontEnds } = options;
  const app = express();
  const lifecycle = lifecycleOf(app);
  app.disable('x-powered-by');
  // Behind a reverse proxy, `req.ip` (and so the per-IP rate limit) must come from X-Forwarded-For.
  app.set('trust proxy', config.server.trustProxy);
  app.set('etag', 'strong');

  app.use(securityHeaders());
  app.use(requestContext(logger));
  app.use(connectionCloseWhenClosing(lifecycle));

  const shared = options.sharedState;
  app.get('/healthz', healthHandler(engine, frontEnds, shared ? () => shared.health() : undefined));
  app.all('/healthz', methodNotAllowed(['GET']));
  app.use(
    '/api',
    createApiRouter({
      config,
      engine,
      logger,
      lifecycle,
      ...(shared ? { limiter: shared.rateLimiter('web', config.server.rateLimitPerMinute) } : {}),
      ...(options.sseHeartbeatMs === undefined ? {} : { heartbeatMs: options.sseHeartbeatMs }),
      ...(options.channels ? { channels: options.channels } : {}),
    }),
  );
  app.use(
    express.static(options.publicDir ?? DEFAULT_PUBLIC_DIR, {
      index: 'index.html',
      dotfiles: 'ignore',
      redirect: false,
      // Revalidate every time (cheap with ETags) so an upgrade never mixes old and new assets.
      setHeaders: (res) => res.setHeader('Cache-Control', 'no-cache'),
    }),
  );
  return app;
}

/**
 * Appends the catch-all 404 and the error sink. `startHttpServer` calls it just before listening, so
 * routes the Slack and WeCom front ends mount on the app after `createHttpApp` still come first and
 * share the error shape. Idempotent.
 */
export function finalizeHttpApp(app: Express, logger: Logger): void {
  const lifecycle = lifecycleOf(app);
  if (lifecycle.finalized) return;
  lifecycle.finalized = true;
  app.use(notFound());
  app.use(errorSink(logger));
}
