/**
 * Two real `policybot serve` processes on one redis-server, behind no load balancer: the test delivers each
 * request to the replica it chooses, the way a round-robin balancer would. Slack is signed as Slack signs,
 * WeCom's AI-bot callbacks are encrypted as WeCom encrypts, and both replicas talk to local stand-ins for the
 * Slack Web API and an OpenAI-compatible model (slow, so that a stream is still running when it is refreshed).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { computeSlackSignature } from '../../src/slack/verify-signature.js';
import { ensureTinyModel } from '../helpers/engine.js';
import { type OpenAiTestServer, startOpenAiServer } from '../helpers/openai-server.js';
import { type RedisServer, redisSkip, startRedisServer } from '../helpers/redis-server.js';
import { type Replica, startServe as startReplica } from '../helpers/serve.js';
import { tempDir } from '../helpers/temp-dir.js';
import { type FakeSlackApi, startFakeSlackApi } from '../slack/helpers/fake-slack-api.js';
import { eventEnvelope, mention } from '../slack/helpers/harness.js';
import { AIBOT, callAibot, refresh, type StreamReply, textMessage } from '../wecom/helpers.js';

const SIGNING_SECRET = 'replica-test-signing-secret';
const FIVE_G = '2021年新建了多少个5G基站？';

function slackPost(base: string, body: string, retryNum?: number): Promise<Response> {
  const timestamp = Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': computeSlackSignature(SIGNING_SECRET, timestamp, body),
  };
  if (retryNum !== undefined) {
    headers['x-slack-retry-num'] = String(retryNum);
    headers['x-slack-retry-reason'] = 'http_timeout';
  }
  return fetch(`${base}/slack/events`, { method: 'POST', headers, body });
}

describe('two replicas on one Redis', { skip: redisSkip() }, () => {
  let redis: RedisServer;
  let slack: FakeSlackApi;
  let llm: OpenAiTestServer;
  let a: Replica;
  let b: Replica;

  before(async () => {
    // Fails with REDIS_MISSING (naming the fix) when redis-server is absent under CI=true.
    redis = await startRedisServer();
    slack = await startFakeSlackApi();
    llm = await startOpenAiServer();
    // A slow but well-behaved model: each answer streams for about 1.5 s, citing the passage it was given.
    llm.setFallback({
      kind: 'sse',
      deltas: ['2021年', '新建5G基站', '超60万个', '。[1]'],
      delayMs: 400,
    });
    const root = await tempDir();
    const env = {
      POLICYBOT_INDEX_DIR: join(root, 'embeddings'),
      POLICYBOT_EMBEDDING_MODEL: ensureTinyModel(),
      POLICYBOT_ALLOW_REMOTE_MODELS: 'false',
      POLICYBOT_WEB_RATE_LIMIT_PER_MINUTE: '4',
      REDIS_URL: redis.url,
      SLACK_BOT_TOKEN: 'xoxb-replica-test',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      WECOM_AIBOT_TOKEN: AIBOT.token,
      WECOM_AIBOT_ENCODING_AES_KEY: AIBOT.encodingAesKey,
      OPENAI_API_KEY: 'test-key',
      OPENAI_BASE_URL: llm.baseURL,
      OPENAI_MODEL: 'test-model',
    };
    // The first replica builds the shared index folder; the second finds it up to date.
    a = await startReplica(env);
    b = await startReplica(env);
  });

  after(async () => {
    const codes = await Promise.all([a?.stop(), b?.stop()]);
    await llm?.close();
    await slack?.close();
    await redis?.stop();
    assert.deepEqual(codes, [0, 0], 'both replicas shut down cleanly');
  });

  it('both say they share state through Redis', async () => {
    for (const replica of [a, b]) {
      assert.match(replica.stdout(), /shared state: Redis redis:\/\/127\.0\.0\.1/);
      const health = (await (await fetch(`${replica.url}/healthz`)).json()) as {
        sharedState: { backend: string; status: string };
      };
      assert.deepEqual([health.sharedState.backend, health.sharedState.status], ['redis', 'ok']);
    }
  });

  it('a Slack event and its retry delivered to different replicas are answered once', async () => {
    const event = mention(FIVE_G);
    const body = JSON.stringify(eventEnvelope(event, 'EvReplica1'));
    assert.equal((await slackPost(a.url, body)).status, 200);
    assert.equal((await slackPost(b.url, body, 1)).status, 200);
    const inThread = (c: { method: string; body: Record<string, unknown> }) =>
      (c.method === 'chat.postMessage' || c.method === 'chat.startStream') && c.body.thread_ts === event.ts;
    await slack.waitFor(inThread, 1, 20_000);
    // Long enough for the second replica to have answered too, had it not seen the claim.
    await new Promise((r) => setTimeout(r, 3000));
    assert.equal(slack.calls.filter(inThread).length, 1, 'exactly one answer in the thread');
  });

  it('a WeCom AI-bot stream started on one replica and refreshed on the other continues', async () => {
    const started = await callAibot(a.url, textMessage(FIVE_G, 'msg-replica-1', 'lisi'));
    const first = started.reply as StreamReply;
    assert.equal(first.msgtype, 'stream');
    assert.equal(first.stream.finish, false);
    const seen: StreamReply['stream'][] = [];
    const deadline = Date.now() + 30_000;
    for (let i = 0; ; i++) {
      // Alternate replicas, as a balancer without sticky routing would.
      const { reply } = await callAibot(i % 2 === 0 ? b.url : a.url, refresh(first.stream.id, 'lisi'));
      const stream = (reply as StreamReply).stream;
      seen.push(stream);
      assert.doesNotMatch(stream.content, /已失效/, 'the other replica knows the stream');
      if (stream.finish) break;
      assert.ok(Date.now() < deadline, 'the stream finished');
      await new Promise((r) => setTimeout(r, 150));
    }
    const last = seen.at(-1);
    assert.match(last?.content ?? '', /60万/);
    assert.ok(
      seen.some((s) => !s.finish && s.content.length > 0),
      'partial text was visible from the other replica before the end',
    );
    // WeCom's retry of the message itself, on the other replica: the same stream, not a second answer.
    const retried = await callAibot(b.url, textMessage(FIVE_G, 'msg-replica-1', 'lisi'));
    assert.equal((retried.reply as StreamReply).stream.id, first.stream.id);
  });

  it('the web rate limit is shared: the fifth request in a minute is refused on whichever replica', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      // Refused as 415 after the limiter counted it; cheap, and it never reaches the model.
      const res = await fetch(`${(i % 2 === 0 ? a : b).url}/api/ask`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: 'x',
      });
      statuses.push(res.status);
    }
    assert.deepEqual(statuses, [415, 415, 415, 415, 429, 429]);
  });
});
