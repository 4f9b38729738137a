import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createSilentLogger } from '../../src/logging/logger.js';
import { maskWebhookUrl, WebhookClient } from '../../src/wecom/WebhookClient.js';
import { WecomApiError } from '../../src/wecom/WecomApiClient.js';
import { FakeWecomApi, fakeClock } from './helpers.js';

const logger = createSilentLogger();

let api: FakeWecomApi;
let webhookUrl: string;
before(async () => {
  api = await new FakeWecomApi().start();
  webhookUrl = `${api.base}/cgi-bin/webhook/send?key=secret-robot-key`;
});
after(() => api.close());

function webhookContents(from: number): string[] {
  return api
    .webhooks()
    .slice(from)
    .map((r) => (r.body as { markdown: { content: string } }).markdown.content);
}

describe('WebhookClient rate limit', () => {
  it('sends 20 messages at once, and the 21st waits for the window instead of being dropped', async () => {
    const clock = fakeClock();
    const client = new WebhookClient(webhookUrl, logger, {
      rateLimit: { now: clock.now, sleep: clock.sleep },
    });
    const before = api.webhooks().length;
    const sentAt: number[] = [];
    for (let i = 1; i <= 21; i++) {
      await client.sendMarkdown(`message ${i}`);
      sentAt.push(clock.now());
      clock.advance(100); // 100 ms between messages
    }
    assert.equal(api.webhooks().length - before, 21, 'nothing dropped');
    assert.deepEqual(webhookContents(before).at(-1), 'message 21');
    assert.equal(clock.waits.length, 1, 'only the 21st waited');
    // The first message went out at t0, the 21st may go at t0 + 60 s.
    assert.equal(sentAt[20], (sentAt[0] ?? 0) + 60_000);
  });

  it('honours a custom limit and window', async () => {
    const clock = fakeClock();
    const client = new WebhookClient(webhookUrl, logger, {
      rateLimit: { limit: 2, windowMs: 1000, now: clock.now, sleep: clock.sleep },
    });
    for (let i = 0; i < 5; i++) await client.sendMarkdown(`m${i}`);
    assert.deepEqual(clock.waits, [1000, 1000]);
  });

  it('backs off on 45009 and retries; other errcodes throw without leaking the key', async () => {
    const clock = fakeClock();
    const client = new WebhookClient(webhookUrl, logger, {
      rateLimit: { now: clock.now, sleep: clock.sleep },
    });
    const before = api.webhooks().length;
    api.webhookErrcodes.push(45009);
    await client.sendMarkdown('after throttle');
    assert.equal(api.webhooks().length - before, 2);
    assert.ok(clock.waits.includes(60_000));
    api.webhookErrcodes.push(93000);
    await assert.rejects(client.sendMarkdown('bad key'), (error: unknown) => {
      assert.ok(error instanceof WecomApiError);
      assert.equal(error.errcode, 93000);
      assert.ok(!error.message.includes('secret-robot-key'));
      return true;
    });
    assert.equal(maskWebhookUrl(webhookUrl), `${api.base}/cgi-bin/webhook/send?key=***`);
  });
});
