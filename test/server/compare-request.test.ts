/** POST /api/compare over real HTTP (fetch against the app on 127.0.0.1). */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Comparison } from '../../src/types.js';
import { startTestServer, type TestServer } from './test-server.js';

describe('POST /api/compare', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => server.close());

  const post = (body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    fetch(`${server.url}/api/compare`, { method: 'POST', headers, body: JSON.stringify(body) });

  it('compares one target’s results with its targets, or two targets, as JSON', async () => {
    const res = await post({ before: '中小企业局' });
    assert.equal(res.status, 200);
    const c = (await res.json()) as Comparison;
    assert.equal(c.before.role, 'results');
    assert.equal(c.after.role, 'targets');
    const moved = c.items.find((i) => i.kind === 'changed');
    assert.match(moved?.before?.quote ?? '', /2930家/);
    assert.match(moved?.after?.quote ?? '', /3000家左右/);
    assert.ok(c.requestId, 'carries the request id');
    const two = (await (
      await post({ before: '科技司 2021', after: '科技司 2022', language: 'en' })
    ).json()) as Comparison;
    assert.match(two.text, /^Comparing 科技司/);
  });

  it('400 for a bad body, 415 without JSON, 405 for GET; unknown targets are 400 with a message', async () => {
    assert.equal((await post({})).status, 400);
    assert.equal((await post({ before: 3 })).status, 400);
    assert.equal((await post({ before: '中小企业局', language: 'fr' })).status, 400);
    assert.equal((await post({ before: '中小企业局' }, { 'content-type': 'text/plain' })).status, 415);
    assert.equal((await fetch(`${server.url}/api/compare`)).status, 405);
    const unknown = await post({ before: '火星局' });
    assert.equal(unknown.status, 400);
    const body = (await unknown.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'policybot_input_invalid');
    assert.match(body.error.message, /火星局/);
  });
});
