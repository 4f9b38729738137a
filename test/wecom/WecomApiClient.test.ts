import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { UpstreamError } from '../../src/errors/index.js';
import { createSilentLogger } from '../../src/logging/logger.js';
import { isTokenError, WecomApiClient, WecomApiError } from '../../src/wecom/WecomApiClient.js';
import { FakeWecomApi } from './helpers.js';

const logger = createSilentLogger();
let api: FakeWecomApi;
before(async () => {
  api = await new FakeWecomApi().start();
});
after(() => api.close());

function client(now: () => number = Date.now, apiBase = api.base) {
  return new WecomApiClient({ apiBase, corpId: 'wxcorp', secret: 's3cret', agentId: 7, logger, now });
}

describe('WecomApiClient', () => {
  it('caches the token until shortly before expires_in, then fetches a new one', async () => {
    let now = 0;
    const c = client(() => now);
    const before = api.tokenRequests().length;
    const first = await c.accessToken();
    now = 7200_000 - 5 * 60_000 - 1; // just inside the cached lifetime
    assert.equal(await c.accessToken(), first);
    assert.equal(api.tokenRequests().length - before, 1);
    now = 7200_000 - 5 * 60_000 + 1; // within 5 minutes of expiry: refresh early
    assert.notEqual(await c.accessToken(), first);
    assert.equal(api.tokenRequests().length - before, 2);
  });

  it('shares one gettoken between concurrent callers', async () => {
    const c = client();
    const before = api.tokenRequests().length;
    const tokens = await Promise.all([c.accessToken(), c.accessToken(), c.accessToken()]);
    assert.equal(new Set(tokens).size, 1);
    assert.equal(api.tokenRequests().length - before, 1);
  });

  it('sends agentid, touser and the message, and raises WecomApiError on other errcodes', async () => {
    const c = client();
    const before = api.sends().length;
    await c.sendMessage('zhangsan', { msgtype: 'text', text: { content: 'hi' } });
    assert.deepEqual(api.sends()[before]?.body, {
      touser: 'zhangsan',
      agentid: 7,
      msgtype: 'text',
      text: { content: 'hi' },
      safe: 0,
    });
    api.sendErrcodes.push(60020);
    await assert.rejects(
      c.sendMessage('zhangsan', { msgtype: 'text', text: { content: 'hi' } }),
      (e: unknown) => {
        assert.ok(e instanceof WecomApiError && e.errcode === 60020 && !isTokenError(e));
        return true;
      },
    );
    api.sendErrcodes.push(40014, 40014);
    await assert.rejects(
      c.sendMessage('zhangsan', { msgtype: 'text', text: { content: 'hi' } }),
      (e: unknown) => isTokenError(e),
    );
  });

  it('turns an unreachable API into an UpstreamError without the secret in the message', async () => {
    const c = client(Date.now, 'http://127.0.0.1:9');
    await assert.rejects(c.accessToken(), (e: unknown) => {
      assert.ok(e instanceof UpstreamError);
      assert.ok(!e.message.includes('s3cret'));
      return true;
    });
  });
});
