import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { PolicyEngine } from '../../src/engine/PolicyEngine.js';
import { createSilentLogger } from '../../src/logging/logger.js';
import type { Summary } from '../../src/types.js';
import { pushSummary, runPushSummary } from '../../src/wecom/index.js';
import { maskWebhookUrl, WebhookClient } from '../../src/wecom/WebhookClient.js';
import { WecomApiError } from '../../src/wecom/WecomApiClient.js';
import { createTestEngine } from '../helpers/engine.js';
import { FakeWecomApi, utf8Bytes } from './helpers.js';

const logger = createSilentLogger();

/** A fake clock whose sleep advances time instantly and records every wait. */
function fakeClock(start = 1_000_000) {
  let now = start;
  const waits: number[] = [];
  return {
    waits,
    now: () => now,
    sleep: async (ms: number) => {
      waits.push(ms);
      now += ms;
    },
    advance: (ms: number) => {
      now += ms;
    },
  };
}

let engine: PolicyEngine;
let api: FakeWecomApi;
let webhookUrl: string;
before(async () => {
  engine = await createTestEngine();
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

describe('pushSummary', () => {
  it('posts one department summary as markdown', async () => {
    const before = api.webhooks().length;
    const result = await pushSummary({ webhookUrl, engine, department: '科技司', logger });
    assert.equal(result.messages, 1);
    const [content] = webhookContents(before);
    assert.match(content ?? '', /\*\*工业和信息化部科技司\*\*/);
    assert.equal((api.webhooks().at(-1)?.body as { msgtype?: string } | undefined)?.msgtype, 'markdown');
  });

  it('splits a long all-departments summary into messages of at most 4,096 bytes', async () => {
    const long: PolicyEngine = {
      ...engine,
      summary: async (name) => {
        const base = await engine.summary(name);
        return {
          ...base,
          departments: base.departments.map((d) => ({
            ...d,
            sections: [
              {
                heading: '2022年重点任务',
                bullets: Array.from({ length: 40 }, (_, i) => ({
                  text: `第${i + 1}项：加快推进5G网络和千兆光网建设，深化工业互联网应用。`,
                  citations: [1],
                })),
              },
            ],
          })),
        } satisfies Summary;
      },
    };
    const before = api.webhooks().length;
    const clock = fakeClock();
    const result = await pushSummary({
      webhookUrl,
      engine: long,
      department: null,
      logger,
      rateLimit: clock,
    });
    const contents = webhookContents(before);
    assert.equal(result.messages, contents.length);
    assert.ok(contents.length >= 4);
    for (const c of contents) assert.ok(utf8Bytes(c) <= 4096, `${utf8Bytes(c)} bytes`);
    for (const d of ['科技司', '电子信息司', '信息通信发展司', '中小企业局']) {
      assert.ok(
        contents.some((c) => c.includes(`工业和信息化部${d}`)),
        d,
      );
    }
  });
});

describe('runPushSummary (policybot push-summary)', () => {
  function capture() {
    const out: string[] = [];
    const err: string[] = [];
    return {
      out,
      err,
      deps: { engine, logger, out: (l: string) => out.push(l), err: (l: string) => err.push(l) },
    };
  }

  it('posts and exits 0', async () => {
    const c = capture();
    assert.equal(await runPushSummary({ dept: '科技司', webhook: webhookUrl }, c.deps), 0);
    assert.deepEqual(c.out, ['Posted 1 message to the WeCom group robot.']);
    assert.equal(await runPushSummary({ all: true, webhook: webhookUrl }, c.deps), 0);
  });

  it('exits 2 on usage errors', async () => {
    const c = capture();
    assert.equal(await runPushSummary({ webhook: webhookUrl }, c.deps), 2);
    assert.equal(await runPushSummary({ dept: '科技司', all: true, webhook: webhookUrl }, c.deps), 2);
    assert.equal(await runPushSummary({ dept: '科技司' }, c.deps), 2);
    assert.equal(await runPushSummary({ dept: '科技司', webhook: 'ftp://x' }, c.deps), 2);
    assert.equal(c.err.length, 4);
  });

  it('exits 1 for an unknown department or a webhook error, without printing the key', async () => {
    const c = capture();
    const before = api.webhooks().length;
    assert.equal(await runPushSummary({ dept: '不存在', webhook: webhookUrl }, c.deps), 1);
    assert.match(c.err[0] ?? '', /unknown department "不存在"/);
    assert.equal(api.webhooks().length, before, 'nothing posted');
    api.webhookErrcodes.push(93000);
    assert.equal(await runPushSummary({ dept: '科技司', webhook: webhookUrl }, c.deps), 1);
    assert.match(c.err[1] ?? '', /93000/);
    assert.ok(!c.err.join('\n').includes('secret-robot-key'));
  });
});
