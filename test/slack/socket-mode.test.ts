import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createSilentLogger } from '../../src/logging/logger.js';
import { createSlackFrontEnd, type SlackConfig } from '../../src/slack/index.js';
import { startFakeSlackApi } from './helpers/fake-slack-api.js';
import { FakeSocketMode } from './helpers/fake-socket-mode.js';
import { eventEnvelope, mention, messageText, testEngine } from './helpers/harness.js';

const APP_TOKEN = 'xapp-1-A1-123-appleveltoken';

describe('slack Socket Mode (SLACK_APP_TOKEN set)', () => {
  it('connects via apps.connections.open, acks envelopes, answers in the thread', async () => {
    const engine = await testEngine();
    const fake = await startFakeSlackApi();
    const socket = new FakeSocketMode();
    await socket.start();
    fake.override((call) =>
      call.method === 'apps.connections.open' ? { body: { ok: true, url: socket.url } } : undefined,
    );
    const feedbackDir = await mkdtemp(join('test/.tmp', 'slack-sm-'));
    const config: SlackConfig = {
      botToken: 'xoxb-1-2-bot',
      signingSecret: 'unused-in-socket-mode',
      appToken: APP_TOKEN,
      apiUrl: fake.apiUrl,
      channelAllowlist: undefined,
      rateLimitPerMinute: 10,
      slashCommand: '/policy',
      threadFollowups: true,
    };
    const front = await createSlackFrontEnd({
      config,
      engine,
      logger: createSilentLogger(),
      feedbackDir,
    });
    try {
      assert.equal(front.mode, 'socket');
      assert.equal(front.name, 'slack (socket mode)');
      await front.start();
      await socket.connected;
      const [open] = fake.callsTo('apps.connections.open');
      assert.equal(
        open?.headers.authorization,
        `Bearer ${APP_TOKEN}`,
        'the app-level token opens the socket',
      );

      const event = mention('2021年新建了多少个5G基站？');
      socket.send({
        envelope_id: 'env-1',
        type: 'events_api',
        accepts_response_payload: false,
        retry_attempt: 0,
        retry_reason: '',
        payload: eventEnvelope(event, 'EvSM1'),
      });
      await socket.waitForAck('env-1');
      const [post] = await fake.waitFor(
        (c) => c.method === 'chat.postMessage' && c.body.thread_ts === event.ts,
      );
      assert.match(messageText(post?.body ?? {}), /信息通信发展司/);

      // A redelivery after a reconnect (same event_id) is acked but not answered again.
      socket.send({
        envelope_id: 'env-2',
        type: 'events_api',
        accepts_response_payload: false,
        retry_attempt: 1,
        retry_reason: 'timeout',
        payload: eventEnvelope(event, 'EvSM1'),
      });
      await socket.waitForAck('env-2');
      await front.idle();
      assert.equal(fake.callsTo('chat.postMessage').length, 1, 'answered once');
    } finally {
      await front.stop();
      await socket.close();
      await fake.close();
      await rm(feedbackDir, { recursive: true, force: true });
    }
  });

  it('fails start() when Slack refuses the app token', async () => {
    const engine = await testEngine();
    const fake = await startFakeSlackApi();
    const front = await createSlackFrontEnd({
      config: {
        botToken: 'xoxb-1-2-bot',
        signingSecret: 's',
        appToken: APP_TOKEN,
        apiUrl: fake.apiUrl,
        channelAllowlist: undefined,
        rateLimitPerMinute: 10,
        slashCommand: '/policy',
        threadFollowups: true,
      },
      engine,
      logger: createSilentLogger(),
      feedbackDir: 'test/.tmp/unused',
    });
    try {
      await assert.rejects(front.start(), /invalid_auth/);
    } finally {
      await front.stop().catch(() => {});
      await fake.close();
    }
  });
});
