import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { after, before, describe, it } from 'node:test';
import type { Answer, Question } from '../../src/types.js';
import { eventEnvelope, type Harness, mention, startHarness, testEngine } from './helpers/harness.js';

const FIVE_G = '2021年新建了多少个5G基站？';

describe('slack HTTP transport: signatures, ack first', () => {
  let h: Harness;
  let release: () => void = () => {};
  let gate: Promise<void> = Promise.resolve();
  const engineCalls: number[] = [];
  const ackSent: number[] = [];

  before(async () => {
    const base = await testEngine();
    const engine = {
      ...base,
      answer: async (q: Question): Promise<Answer> => {
        engineCalls.push(performance.now());
        await gate;
        return base.answer(q);
      },
    };
    h = await startHarness({
      engine,
      onApp: (app) =>
        app.use((_req, res, next) => {
          // Record the moment the HTTP response (the ack) is handed to Node, before Bolt answers.
          const end = res.end.bind(res);
          res.end = ((...args: Parameters<typeof end>) => {
            ackSent.push(performance.now());
            return end(...args);
          }) as typeof res.end;
          next();
        }),
    });
  });
  after(async () => {
    release();
    await h.close();
  });

  it('rejects a bad signature with 401 and makes no Web API call', async () => {
    const before = h.fake.workCalls.length;
    const res = await h.sendEvent(mention(FIVE_G), { secret: 'not-the-signing-secret' });
    assert.equal(res.status, 401);
    const forged = await h.sendEvent(mention(FIVE_G), { signature: `v0=${'0'.repeat(64)}` });
    assert.equal(forged.status, 401);
    await h.front.idle();
    assert.equal(h.fake.workCalls.length, before);
    assert.equal(engineCalls.length, 0);
  });

  it('rejects a correctly signed but stale request (older than 5 minutes) with 401', async () => {
    const before = h.fake.workCalls.length;
    const res = await h.sendEvent(mention(FIVE_G), { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    assert.equal(res.status, 401);
    await h.front.idle();
    assert.equal(h.fake.workCalls.length, before);
    assert.equal(engineCalls.length, 0);
  });

  it('rejects a correctly signed request dated more than 5 minutes ahead with 401 (replay window)', async () => {
    const before = h.fake.workCalls.length;
    for (const ahead of [6 * 60, 24 * 60 * 60]) {
      const res = await h.sendEvent(mention(FIVE_G), { timestamp: Math.floor(Date.now() / 1000) + ahead });
      assert.equal(res.status, 401, `${ahead}s ahead`);
    }
    await h.front.idle();
    assert.equal(h.fake.workCalls.length, before);
    assert.equal(engineCalls.length, 0);
  });

  it('rejects correctly signed but malformed bodies with 400, never 500', async () => {
    const cases: Array<[string, string]> = [
      ['null', 'application/json'],
      ['{"event":null}', 'application/json'],
      ['[]', 'application/json'],
      ['"text"', 'application/json'],
      ['{"type":"event_callback"}', 'application/json'],
      ['{"event":{"type":"app_mention","item":5}}', 'application/json'],
      ['not json', 'application/json'],
      ['payload=null', 'application/x-www-form-urlencoded'],
      [
        `payload=${encodeURIComponent('{"type":"block_actions","actions":[]}')}`,
        'application/x-www-form-urlencoded',
      ],
      [
        `payload=${encodeURIComponent('{"type":"block_actions","actions":[],"user":{"id":"U1"},"channel":7}')}`,
        'application/x-www-form-urlencoded',
      ],
      ['command=%2Fpolicy&text=hi', 'application/x-www-form-urlencoded'],
    ];
    for (const [body, contentType] of cases) {
      const res = await h.post(body, contentType);
      assert.equal(res.status, 400, body);
    }
    assert.equal(engineCalls.length, 0);
  });

  it('rejects requests without signature headers', async () => {
    const res = await fetch(h.eventsUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(eventEnvelope(mention(FIVE_G))),
    });
    assert.equal(res.status, 401);
  });

  it('answers the url_verification challenge', async () => {
    const res = await h.post(
      JSON.stringify({ type: 'url_verification', challenge: 'abc123', token: 't' }),
      'application/json',
    );
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { challenge: 'abc123' });
  });

  it('acknowledges an event before retrieval starts, and answers after', async () => {
    gate = new Promise((resolve) => {
      release = resolve;
    });
    ackSent.length = 0;
    engineCalls.length = 0;
    const event = mention(FIVE_G);
    const res = await h.sendEvent(event);
    assert.equal(res.status, 200, 'acknowledged while the engine is still blocked');
    await waitUntil(() => engineCalls.length === 1);
    assert.ok(
      (ackSent[0] ?? Infinity) <= (engineCalls[0] ?? 0),
      'the ack went out before the engine was called',
    );
    assert.equal(h.fake.callsTo('chat.postMessage').length, 0);
    release();
    await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.body.thread_ts === event.ts);
  });

  it('acknowledges a slash command before retrieval starts', async () => {
    gate = new Promise((resolve) => {
      release = resolve;
    });
    ackSent.length = 0;
    engineCalls.length = 0;
    const res = await h.sendCommand(FIVE_G, { response_url: h.fake.responseUrl('slow') });
    assert.equal(res.status, 200);
    await waitUntil(() => engineCalls.length === 1);
    assert.ok((ackSent[0] ?? Infinity) <= (engineCalls[0] ?? 0));
    release();
    await h.fake.waitFor((c) => c.path === '/response/slow');
  });
});

async function waitUntil(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
