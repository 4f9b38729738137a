/**
 * Starts the real Bolt app (HTTP mode, mounted on an Express app like the shared server does) on 127.0.0.1,
 * with the Web API pointed at a {@link FakeSlackApi}, and sends requests signed exactly as Slack signs them.
 */
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import type { SubscriptionStore } from '../../../src/digest/subscriptions.js';
import type { PolicyEngine } from '../../../src/engine/PolicyEngine.js';
import type { DedupeStore } from '../../../src/internal/ttl-store.js';
import { createLogger } from '../../../src/logging/logger.js';
import type { ChannelScopes } from '../../../src/scopes/index.js';
import { createSlackFrontEnd, type SlackConfig, type SlackFrontEnd } from '../../../src/slack/index.js';
import { computeSlackSignature } from '../../../src/slack/verify-signature.js';
import { createTestEngine } from '../../helpers/engine.js';
import { type FakeSlackApi, startFakeSlackApi } from './fake-slack-api.js';

export const SIGNING_SECRET = 'test-signing-secret-0123456789abcdef';
export const BOT_TOKEN = 'xoxb-111-222-TOPSECRETBOTTOKEN';

export interface HarnessOptions {
  engine?: PolicyEngine;
  config?: Partial<SlackConfig>;
  streamUpdateIntervalMs?: number;
  dedupe?: DedupeStore;
  /** Called with the Express app before Bolt's receiver is mounted (e.g. to observe responses). */
  onApp?: (app: express.Express) => void;
  /** Document sets per channel (default: the whole library everywhere). */
  scopes?: ChannelScopes;
  /** Digest subscriptions (default: digests off). */
  subscriptions?: SubscriptionStore;
}

export interface SendOptions {
  retryNum?: number;
  timestamp?: number;
  signature?: string;
  secret?: string;
}

export interface Harness {
  fake: FakeSlackApi;
  front: SlackFrontEnd;
  eventsUrl: string;
  feedbackDir: string;
  /** Every log line the app wrote (JSON strings). */
  logs: string[];
  sendEvent(event: Record<string, unknown>, options?: SendOptions & { eventId?: string }): Promise<Response>;
  sendCommand(text: string, extra?: Record<string, string>, options?: SendOptions): Promise<Response>;
  sendAction(payload: Record<string, unknown>, options?: SendOptions): Promise<Response>;
  post(body: string, contentType: string, options?: SendOptions): Promise<Response>;
  close(): Promise<void>;
}

/**
 * A fresh index directory per test process, removed at exit: the shared test index is rebuilt by other suites
 * running at the same time and can be stale while the index format changes, which must not fail these tests.
 * Building the seed corpus's index with the tiny test model takes about a second.
 */
const SLACK_TEST_INDEX_DIR = fileURLToPath(
  new URL(`../../.tmp/slack-engine-${process.pid}-${randomUUID().slice(0, 8)}`, import.meta.url),
);

let sharedEngine: Promise<PolicyEngine> | null = null;
/** One real engine (seed corpus, tiny test model) per test process. */
export function testEngine(): Promise<PolicyEngine> {
  if (!sharedEngine) {
    process.once('exit', () => rmSync(SLACK_TEST_INDEX_DIR, { recursive: true, force: true }));
    sharedEngine = createTestEngine({ env: { POLICYBOT_INDEX_DIR: SLACK_TEST_INDEX_DIR } });
  }
  return sharedEngine;
}

let tsCounter = 0;
/** A unique Slack-style message ts. */
export function nextTs(): string {
  tsCounter += 1;
  return `1710000000.${String(tsCounter).padStart(6, '0')}`;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  // The engine first: if it fails, no server is left running to keep the test process alive.
  const engine = options.engine ?? (await testEngine());
  const fake = await startFakeSlackApi();
  await mkdir('test/.tmp', { recursive: true });
  const feedbackDir = await mkdtemp(join('test/.tmp', 'slack-feedback-'));
  const logs: string[] = [];
  const logger = createLogger({
    level: 'debug',
    destination: { write: (line: string) => void logs.push(line) },
  });
  const app = express();
  options.onApp?.(app);
  const config: SlackConfig = {
    botToken: BOT_TOKEN,
    signingSecret: SIGNING_SECRET,
    appToken: undefined,
    apiUrl: fake.apiUrl,
    channelAllowlist: undefined,
    rateLimitPerMinute: 100,
    slashCommand: '/policy',
    threadFollowups: true,
    ...options.config,
  };
  const front = await createSlackFrontEnd({
    config,
    engine,
    logger,
    app,
    feedbackDir,
    // Fast retries so the 429 test is quick, but still real WebClient retries.
    retryConfig: { retries: 2, factor: 1, minTimeout: 10, maxTimeout: 20 },
    ...(options.dedupe ? { dedupe: options.dedupe } : {}),
    ...(options.scopes ? { scopes: options.scopes } : {}),
    ...(options.subscriptions ? { subscriptions: options.subscriptions } : {}),
    ...(options.streamUpdateIntervalMs !== undefined
      ? { streamUpdateIntervalMs: options.streamUpdateIntervalMs }
      : {}),
  });
  await front.start();
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const eventsUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;

  const post = async (body: string, contentType: string, o: SendOptions = {}): Promise<Response> => {
    const timestamp = o.timestamp ?? Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = {
      'content-type': contentType,
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': o.signature ?? computeSlackSignature(o.secret ?? SIGNING_SECRET, timestamp, body),
    };
    if (o.retryNum !== undefined) {
      headers['x-slack-retry-num'] = String(o.retryNum);
      headers['x-slack-retry-reason'] = 'http_timeout';
    }
    return fetch(eventsUrl, { method: 'POST', headers, body });
  };

  return {
    fake,
    front,
    eventsUrl,
    feedbackDir,
    logs,
    post,
    sendEvent: (event, o = {}) =>
      post(JSON.stringify(eventEnvelope(event, o.eventId)), 'application/json', o),
    sendCommand: (text, extra = {}, o = {}) =>
      post(
        new URLSearchParams({
          token: 'legacy-verification-token',
          team_id: 'T1',
          team_domain: 'test',
          channel_id: 'C1',
          channel_name: 'general',
          user_id: 'U1',
          user_name: 'alice',
          command: '/policy',
          text,
          api_app_id: 'A1',
          response_url: fake.responseUrl(`cmd-${randomUUID()}`),
          trigger_id: '1.2.3',
          ...extra,
        }).toString(),
        'application/x-www-form-urlencoded',
        o,
      ),
    sendAction: (payload, o = {}) =>
      post(
        new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
        'application/x-www-form-urlencoded',
        o,
      ),
    async close() {
      await front.stop();
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      await fake.close();
      await rm(feedbackDir, { recursive: true, force: true });
    },
  };
}

/** The Events API envelope Slack wraps every event in. */
export function eventEnvelope(event: Record<string, unknown>, eventId = `Ev${randomUUID().slice(0, 8)}`) {
  return {
    token: 'legacy-verification-token',
    team_id: 'T1',
    api_app_id: 'A1',
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: 'T1', user_id: 'UBOT', is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
    event: { event_ts: event.ts, ...event },
  };
}

/** An app_mention event in channel C1. */
export function mention(text: string, extra: Record<string, unknown> = {}) {
  return { type: 'app_mention', user: 'U1', text: `<@UBOT> ${text}`, ts: nextTs(), channel: 'C1', ...extra };
}

/** A message event (channel or DM). */
export function message(text: string, extra: Record<string, unknown> = {}) {
  return {
    type: 'message',
    user: 'U1',
    text,
    ts: nextTs(),
    channel: 'C1',
    channel_type: 'channel',
    ...extra,
  };
}

/** Flattens a message's blocks (and fallback text) into one searchable string. */
export function messageText(body: Record<string, unknown>): string {
  return `${String(body.text ?? '')}\n${JSON.stringify(body.blocks ?? [])}`;
}
