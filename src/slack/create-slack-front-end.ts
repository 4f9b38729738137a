import { App, ExpressReceiver, SocketModeReceiver, type webApi } from '@slack/bolt';
import express, { type Application } from 'express';
import type { SubscriptionStore } from '../digest/subscriptions.js';
import type { PolicyEngine } from '../engine/PolicyEngine.js';
import { AckGate } from '../internal/AckGate.js';
import { ConcurrencyLimit } from '../internal/ConcurrencyLimit.js';
import { JsonCache } from '../internal/kv-store.js';
import { limitedEngine } from '../internal/limited-engine.js';
import { createLocalState, type SharedState } from '../internal/shared-state.js';
import type { DedupeStore } from '../internal/ttl-store.js';
import type { Logger } from '../logging/logger.js';
import { ChannelScopes } from '../scopes/index.js';
import type { FrontEnd } from '../server/FrontEnd.js';
import type { Answer } from '../types.js';
import { createBoltLogger } from './bolt-logger.js';
import type { SlackConfig, SlackDeps } from './deps.js';
import { createErrorSink } from './error-sink.js';
import { FeedbackLog } from './feedback-log.js';
import { registerListeners } from './listeners/index.js';
import { dedupeEvents } from './middleware/dedupe-events.js';
import { ignoreBotAndEditedMessages } from './middleware/ignore-bot-messages.js';
import { requestContext } from './middleware/request-context.js';
import { verifySlackRequest } from './middleware/verify-request.js';

/** Where Bolt's receiver listens in HTTP mode (Event Subscriptions, Interactivity and the slash command). */
export const SLACK_EVENTS_PATH = '/slack/events';

/** Long enough to cover Slack's retry schedule (immediately, 1 min, 5 min) with margin. */
const DEDUPE_TTL_MS = 10 * 60_000;

/**
 * Web API retries: a few quick attempts with backoff (a chat answer that arrives minutes late is worse than an
 * error). On HTTP 429 the WebClient waits the `Retry-After` seconds before each retry.
 */
export const DEFAULT_SLACK_RETRY: webApi.RetryOptions = {
  retries: 3,
  factor: 2,
  minTimeout: 300,
  maxTimeout: 3000,
};

export interface SlackFrontEndOptions {
  config: SlackConfig;
  engine: PolicyEngine;
  logger: Logger;
  /**
   * The shared HTTP server's Express app. In HTTP mode Bolt's receiver is mounted on it at `/slack/events`
   * (before any body parser that would consume the raw body Bolt needs for signature checks).
   * When omitted in HTTP mode, the front end runs its own server on `port`/`host` at `start()`.
   */
  app?: Application;
  /**
   * Dedupe claims, rate limits, recent answers and answered threads; pass Redis-backed state when several
   * replicas run (default: this process only).
   */
  state?: SharedState;
  /** Overrides `state.dedupe` (tests observe claims through it). */
  dedupe?: DedupeStore;
  /** Directory for `feedback.jsonl` (append-only), e.g. `embeddings/feedback`. */
  feedbackDir: string;
  /** Own-server HTTP mode only (no `app`): defaults 3000 and 127.0.0.1. */
  port?: number;
  host?: string;
  /** WebClient retry policy; defaults to {@link DEFAULT_SLACK_RETRY}. */
  retryConfig?: webApi.RetryOptions;
  /** Minimum gap between progressive updates of a streaming answer; default 1000 ms. */
  streamUpdateIntervalMs?: number;
  /** Engine calls (answers, summaries) run at most this many at a time; default 4. Keeps acks fast in bursts. */
  maxConcurrentAnswers?: number;
  /** Which documents each channel and DM sees; default: the whole library everywhere. */
  scopes?: ChannelScopes;
  /** Where `/policy subscribe` keeps subscriptions; without it digests are off. */
  subscriptions?: SubscriptionStore;
}

/** The Slack front end: a {@link FrontEnd} plus the Bolt app (for tests and diagnostics). */
export interface SlackFrontEnd extends FrontEnd {
  readonly mode: 'http' | 'socket';
  readonly bolt: App;
  /** Resolves once no acknowledged request is still being answered (graceful shutdown, tests). */
  idle(): Promise<void>;
}

function normaliseApiUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  return url.endsWith('/') ? url : `${url}/`;
}

/**
 * Builds the Slack front end on Bolt: Socket Mode when `config.appToken` is set (SocketModeReceiver), otherwise
 * HTTP mode (ExpressReceiver at `/slack/events`, signing secret and 5-minute window checked by Bolt). Listeners
 * are registered immediately; `start()` verifies the bot token (auth.test) and, in Socket Mode, connects.
 */
export async function createSlackFrontEnd(options: SlackFrontEndOptions): Promise<SlackFrontEnd> {
  const { config, engine, logger } = options;
  const log = logger.child({ component: 'slack' });
  // Bolt's lines get their own component (a child of `log` would repeat the key).
  const boltLogger = createBoltLogger(logger);
  const slackApiUrl = normaliseApiUrl(config.apiUrl);
  const clientOptions: webApi.WebClientOptions = {
    retryConfig: options.retryConfig ?? DEFAULT_SLACK_RETRY,
    ...(slackApiUrl ? { slackApiUrl } : {}),
  };
  const mode: 'http' | 'socket' = config.appToken ? 'socket' : 'http';
  const ownServer = mode === 'http' && options.app === undefined;
  const ackGate = new AckGate();
  const expressApp = mode === 'http' ? (options.app ?? express()) : undefined;
  // Registered before Bolt's router so it sees every Slack request first.
  expressApp?.use(SLACK_EVENTS_PATH, ackGate.middleware());
  // Two-sided timestamp window and body-shape checks before Bolt (which would answer 500 on a bad shape).
  expressApp?.post(
    SLACK_EVENTS_PATH,
    ...verifySlackRequest({ signingSecret: config.signingSecret, logger: log }),
  );

  const receiver =
    mode === 'socket'
      ? new SocketModeReceiver({
          appToken: config.appToken as string,
          logger: boltLogger,
          // apps.connections.open goes through this client: it must honour SLACK_API_URL too.
          installerOptions: { clientOptions: slackApiUrl ? { slackApiUrl } : {} },
        })
      : new ExpressReceiver({
          signingSecret: config.signingSecret,
          logger: boltLogger,
          endpoints: SLACK_EVENTS_PATH,
          // Ack first, answer after: the HTTP response goes out on ack(), before any retrieval runs.
          processBeforeResponse: false,
          app: expressApp,
        });

  const bolt = new App({
    receiver,
    token: config.botToken,
    logger: boltLogger,
    clientOptions,
    // auth.test runs in start(), so a bad token fails `npm start` instead of the first event.
    deferInitialization: true,
    extendedErrorHandler: true,
    ignoreSelf: true,
    convoStore: false,
  });

  const state = options.state ?? createLocalState();
  const deps: SlackDeps = {
    config,
    engine: limitedEngine(engine, new ConcurrencyLimit(options.maxConcurrentAnswers ?? 4)),
    logger: log,
    dedupe: options.dedupe ?? state.dedupe,
    dedupeTtlMs: DEDUPE_TTL_MS,
    limiter: state.rateLimiter('slack', config.rateLimitPerMinute),
    feedback: new FeedbackLog(options.feedbackDir),
    answers: new JsonCache<Answer>(state.cache, 'slack:answer:', 60 * 60_000),
    answeredThreads: new JsonCache<true>(state.cache, 'slack:thread:', 7 * 24 * 60 * 60_000),
    streaming: { nativeAvailable: true },
    streamUpdateIntervalMs: options.streamUpdateIntervalMs ?? 1000,
    ackGate,
    scopes: options.scopes ?? ChannelScopes.unscoped(),
    subscriptions: options.subscriptions ?? null,
  };

  const inFlight = new Set<Promise<unknown>>();
  bolt.use(requestContext(log, inFlight, ackGate));
  bolt.use(ignoreBotAndEditedMessages());
  bolt.use(dedupeEvents(deps.dedupe, deps.dedupeTtlMs));
  registerListeners(bolt, deps);
  bolt.error(createErrorSink(log));

  const where =
    mode === 'socket'
      ? 'socket mode'
      : `http ${SLACK_EVENTS_PATH}${ownServer ? ` on port ${options.port ?? 3000}` : ''}`;
  let started = false;
  return {
    name: `slack (${where})`,
    mode,
    bolt,
    async start() {
      if (started) return;
      await bolt.init();
      if (mode === 'socket') await bolt.start();
      else if (ownServer) await bolt.start({ port: options.port ?? 3000, host: options.host ?? '127.0.0.1' });
      started = true;
      log.info({ mode }, 'slack front end started');
    },
    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    async stop() {
      if (started && (mode === 'socket' || ownServer)) await bolt.stop();
      started = false;
      // Answers already acknowledged to Slack are finished, not dropped.
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
