import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config/index.js';
import { createSilentLogger } from '../../src/logging/logger.js';
import { createHttpApp, startHttpServer } from '../../src/server/index.js';
import { createSlackFrontEnd } from '../../src/slack/index.js';
import { computeSlackSignature } from '../../src/slack/verify-signature.js';
import { startFakeSlackApi } from './helpers/fake-slack-api.js';
import { eventEnvelope, mention, testEngine } from './helpers/harness.js';

describe('slack on the shared HTTP server (the npm start path)', () => {
  it('mounts /slack/events on createHttpApp from SLACK_* settings, next to /healthz', async () => {
    const engine = await testEngine();
    const fake = await startFakeSlackApi();
    const feedbackDir = await mkdtemp(join('test/.tmp', 'slack-shared-'));
    const config = loadConfig(
      {},
      {
        SLACK_BOT_TOKEN: ' xoxb-shared-token ',
        SLACK_SIGNING_SECRET: 'shared-secret',
        SLACK_API_URL: fake.apiUrl.replace(/\/$/, ''),
        SLACK_RATE_LIMIT_PER_MINUTE: '5',
      },
    );
    assert.ok(config.slack);
    const logger = createSilentLogger();
    const app = createHttpApp({ config, engine, logger, frontEnds: () => ['web', front.name] });
    const front = await createSlackFrontEnd({ config: config.slack, engine, logger, app, feedbackDir });
    await front.start();
    const server = await startHttpServer(app, { port: 0, host: '127.0.0.1' }, logger);
    try {
      assert.equal(front.name, 'slack (http /slack/events)');
      const event = mention('2021年新建了多少个5G基站？');
      const body = JSON.stringify(eventEnvelope(event));
      const ts = Math.floor(Date.now() / 1000);
      const res = await fetch(`${server.url}/slack/events`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-slack-request-timestamp': String(ts),
          'x-slack-signature': computeSlackSignature('shared-secret', ts, body),
        },
        body,
      });
      assert.equal(res.status, 200);
      const [post] = await fake.waitFor(
        (c) => c.method === 'chat.postMessage' && c.body.thread_ts === event.ts,
      );
      assert.equal(post?.headers.authorization, 'Bearer xoxb-shared-token', 'trimmed bot token used');
      const health = await fetch(`${server.url}/healthz`);
      assert.equal(health.status, 200);
      const unsigned = await fetch(`${server.url}/slack/events`, { method: 'POST', body: '{}' });
      assert.equal(unsigned.status, 401);
    } finally {
      await front.stop();
      await server.close();
      await fake.close();
      await rm(feedbackDir, { recursive: true, force: true });
    }
  });
});
