import type express from 'express';
import type { Config } from '../config/config.js';
import type { SubscriptionStore } from '../digest/subscriptions.js';
import type { PolicyEngine } from '../engine/PolicyEngine.js';
import { AckGate } from '../internal/AckGate.js';
import { ConcurrencyLimit } from '../internal/ConcurrencyLimit.js';
import { limitedEngine } from '../internal/limited-engine.js';
import { type DedupeStore, MemoryDedupeStore } from '../internal/ttl-store.js';
import type { Logger } from '../logging/logger.js';
import { ChannelScopes } from '../scopes/index.js';
import type { FrontEnd } from '../server/FrontEnd.js';
import { type AibotStreamStore, MemoryAibotStreams } from './AibotStreams.js';
import { AIBOT_CALLBACK_PATH, createAibotCallbackRouter } from './aibot-callback.js';
import { APP_CALLBACK_PATH, createAppCallbackRouter } from './app-callback.js';
import { BackgroundTasks } from './BackgroundTasks.js';
import { WecomApiClient } from './WecomApiClient.js';
import { decodeAesKey } from './wecom-crypto.js';

export { createWecomDigestSender } from './digest-sender.js';
export { type PushSummaryOptions, pushSummary } from './push-summary.js';
export { type PushSummaryArgs, type PushSummaryDeps, runPushSummary } from './push-summary-command.js';
export { renderAnswerMarkdown, renderAnswerText, renderDigestMarkdown } from './render.js';
export { AIBOT_CALLBACK_PATH, APP_CALLBACK_PATH };

const MAX_CONCURRENT_ANSWERS = 4;
/** WeCom retries a slow callback 3 times within ~15 s; MsgIds are remembered far longer than that. */
const MIN_DEDUPE_TTL_MS = 10 * 60_000;

/**
 * How long a MsgId must be remembered so that a captured callback cannot be answered twice: a signed
 * timestamp is accepted from `window` seconds before to `window` seconds after now, so a replay can arrive
 * up to 2 × window after the original. With the window off (0) only the minimum applies.
 */
export function dedupeTtlMs(maxSkewSeconds: number): number {
  return Math.max(MIN_DEDUPE_TTL_MS, 2 * maxSkewSeconds * 1000);
}

export interface WecomFrontEndOptions {
  config: Config['wecom'];
  engine: PolicyEngine;
  logger: Logger;
  /** The one Express app; routes are mounted with their own body parsers (other routes need raw bodies). */
  app: express.Application;
  /** Shared across replicas to answer each MsgId once; defaults to an in-process store. */
  dedupe?: DedupeStore;
  /** AI-bot streams; shared across replicas (`RedisAibotStreams`) so a refresh may reach any of them. */
  streams?: AibotStreamStore;
  fetch?: typeof fetch;
  /** Clock in ms, for timestamp-window tests. */
  now?: () => number;
  /** Which documents each group chat and DM sees; default: the whole library everywhere. */
  scopes?: ChannelScopes;
  /** Where `订阅` keeps subscriptions; without it digests are off. */
  subscriptions?: SubscriptionStore;
}

/**
 * Mounts the WeCom self-built app callback (`/wecom/callback`) and/or the AI-bot callback
 * (`/wecom/aibot`) on `app`. Returns null when neither is configured. Throws `ConfigError` for an
 * EncodingAESKey that does not decode to 32 bytes.
 */
export function createWecomFrontEnd(options: WecomFrontEndOptions): FrontEnd | null {
  const { config, app: expressApp } = options;
  if (!config.app && !config.aibot) return null;
  const logger = options.logger.child({ frontEnd: 'wecom' });
  const dedupe = options.dedupe ?? new MemoryDedupeStore();
  const now = options.now ?? Date.now;
  const scopes = options.scopes ?? ChannelScopes.unscoped();
  // In a burst, every callback is acknowledged before answers take the CPU, and at most a few answers
  // run at once (the same policy as the Slack front end).
  const ackGate = new AckGate();
  const engine = limitedEngine(options.engine, new ConcurrencyLimit(MAX_CONCURRENT_ANSWERS));
  const tasks = new BackgroundTasks(logger, () => ackGate.idle());
  expressApp.use([APP_CALLBACK_PATH, AIBOT_CALLBACK_PATH], ackGate.middleware());
  const mounted: string[] = [];

  if (config.app) {
    const client = new WecomApiClient({
      apiBase: config.apiBase,
      corpId: config.app.corpId,
      secret: config.app.secret,
      agentId: config.app.agentId,
      logger,
      now,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    expressApp.use(
      createAppCallbackRouter({
        corpId: config.app.corpId,
        token: config.app.token,
        aesKey: decodeAesKey(config.app.encodingAesKey, 'WECOM_ENCODING_AES_KEY'),
        maxSkewSeconds: config.maxSkewSeconds,
        dedupeTtlMs: dedupeTtlMs(config.maxSkewSeconds),
        engine,
        client,
        dedupe,
        tasks,
        logger,
        now,
        scopes,
        subscriptions: options.subscriptions ?? null,
      }),
    );
    mounted.push(`app ${APP_CALLBACK_PATH}`);
  }

  if (config.aibot) {
    expressApp.use(
      createAibotCallbackRouter({
        token: config.aibot.token,
        aesKey: decodeAesKey(config.aibot.encodingAesKey, 'WECOM_AIBOT_ENCODING_AES_KEY'),
        maxSkewSeconds: config.maxSkewSeconds,
        dedupeTtlMs: dedupeTtlMs(config.maxSkewSeconds),
        engine,
        streams: options.streams ?? new MemoryAibotStreams({ now }),
        dedupe,
        tasks,
        logger,
        now,
        scopes,
        subscriptions: options.subscriptions ?? null,
      }),
    );
    mounted.push(`ai-bot ${AIBOT_CALLBACK_PATH}`);
  }

  const name = `wecom (${mounted.join(', ')})`;
  return {
    name,
    // Routes are mounted above so they precede the server's fallback handlers; nothing to open here.
    start: async () => {
      logger.info({ name }, 'wecom front end ready');
    },
    /** Waits (bounded) for answers still being sent. */
    stop: async () => {
      await tasks.drain();
    },
  };
}
