import type { Config } from '../config/config.js';
import type { SubscriptionStore } from '../digest/subscriptions.js';
import type { PolicyEngine } from '../engine/PolicyEngine.js';
import type { AckGate } from '../internal/AckGate.js';
import type { JsonCache } from '../internal/kv-store.js';
import type { RateLimiter } from '../internal/rate-limiter.js';
import type { DedupeStore } from '../internal/ttl-store.js';
import type { Logger } from '../logging/logger.js';
import type { ChannelScopes } from '../scopes/index.js';
import type { Answer } from '../types.js';
import type { FeedbackLog } from './feedback-log.js';

export type SlackConfig = NonNullable<Config['slack']>;

/** Everything a listener needs, injected once at registration (no module-level state, no process.env). */
export interface SlackDeps {
  config: SlackConfig;
  engine: PolicyEngine;
  logger: Logger;
  /** Event-id and channel+ts claims; shared (e.g. Redis) when several replicas run. */
  dedupe: DedupeStore;
  dedupeTtlMs: number;
  /** Questions per user per minute (shared between replicas with Redis). */
  limiter: RateLimiter;
  feedback: FeedbackLog;
  /** Recent answers by id, for the Share button (shared between replicas with Redis). */
  answers: JsonCache<Answer>;
  /** `channel:thread_ts` of threads the bot answered in (fast path for follow-ups). */
  answeredThreads: JsonCache<true>;
  /** Flips to false the first time the workspace rejects chat.startStream; then placeholder + chat.update. */
  streaming: { nativeAvailable: boolean };
  /** Minimum gap between progressive message updates while streaming. */
  streamUpdateIntervalMs: number;
  /** Answering waits here until pending acks have gone out (HTTP mode). */
  ackGate: AckGate;
  /** Which documents each channel and DM sees (POLICYBOT_SCOPES_FILE). */
  scopes: ChannelScopes;
  /** New-document digest subscriptions; null when digests are off. */
  subscriptions: SubscriptionStore | null;
}

/** A slash command's or message's conversation is a DM. */
export function isDirectMessageChannel(channel: string, channelName?: string): boolean {
  return channel.startsWith('D') || channelName === 'directmessage';
}

/** DMs are always allowed; channels only when the allowlist is unset or names them. */
export function isChannelAllowed(config: SlackConfig, channel: string, isDirectMessage: boolean): boolean {
  if (isDirectMessage || !config.channelAllowlist || config.channelAllowlist.length === 0) return true;
  return config.channelAllowlist.includes(channel);
}
