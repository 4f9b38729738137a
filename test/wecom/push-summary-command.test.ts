import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { PolicyEngine } from '../../src/engine/PolicyEngine.js';
import { createSilentLogger } from '../../src/logging/logger.js';
import { runPushSummary } from '../../src/wecom/index.js';
import { createTestEngine } from '../helpers/engine.js';
import { FakeWecomApi } from './helpers.js';

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

  it('exits 1 for an unknown issuer or a webhook error, without printing the key', async () => {
    const c = capture();
    const before = api.webhooks().length;
    assert.equal(await runPushSummary({ dept: '不存在', webhook: webhookUrl }, c.deps), 1);
    assert.match(c.err[0] ?? '', /unknown issuer "不存在"/);
    assert.equal(api.webhooks().length, before, 'nothing posted');
    api.webhookErrcodes.push(93000);
    assert.equal(await runPushSummary({ dept: '科技司', webhook: webhookUrl }, c.deps), 1);
    assert.match(c.err[1] ?? '', /93000/);
    assert.ok(!c.err.join('\n').includes('secret-robot-key'));
  });
});
