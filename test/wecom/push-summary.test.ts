import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { PolicyEngine } from '../../src/engine/PolicyEngine.js';
import { createSilentLogger } from '../../src/logging/logger.js';
import type { Summary } from '../../src/types.js';
import { pushSummary } from '../../src/wecom/index.js';
import { createTestEngine } from '../helpers/engine.js';
import { FakeWecomApi, fakeClock, utf8Bytes } from './helpers.js';

const logger = createSilentLogger();

let engine: PolicyEngine;
let api: FakeWecomApi;
let webhookUrl: string;
before(async () => {
  engine = await createTestEngine();
  api = await new FakeWecomApi().start();
  webhookUrl = `${api.base}/cgi-bin/webhook/send?key=secret-robot-key`;
});
after(() => engine.close());
after(() => api.close());

function webhookContents(from: number): string[] {
  return api
    .webhooks()
    .slice(from)
    .map((r) => (r.body as { markdown: { content: string } }).markdown.content);
}

describe('pushSummary', () => {
  it('posts one issuer summary as markdown', async () => {
    const before = api.webhooks().length;
    const result = await pushSummary({ webhookUrl, engine, issuer: '科技司', logger });
    assert.equal(result.messages, 1);
    const [content] = webhookContents(before);
    assert.match(content ?? '', /\*\*工业和信息化部科技司\*\*/);
    assert.equal((api.webhooks().at(-1)?.body as { msgtype?: string } | undefined)?.msgtype, 'markdown');
  });

  it('splits a long all-issuers summary into messages of at most 4,096 bytes', async () => {
    const long: PolicyEngine = {
      ...engine,
      summary: async (name) => {
        const base = await engine.summary(name);
        return {
          ...base,
          issuers: base.issuers.map((d) => ({
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
      issuer: null,
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
