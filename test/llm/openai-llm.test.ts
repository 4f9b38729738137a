import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ErrorCode, UpstreamError } from '../../src/errors/index.js';
import type { LlmClient } from '../../src/llm/LlmClient.js';
import { createOpenAiLlm, type LlmConfig } from '../../src/llm/openai-llm.js';
import { backoffMs, retryAfterMs } from '../../src/llm/retry-policy.js';
import { createSilentLogger } from '../../src/logging/logger.js';
import { type OpenAiTestServer, startOpenAiServer } from '../helpers/openai-server.js';

const request = { template: 'test', messages: [{ role: 'user' as const, content: 'hi' }] };

function client(server: OpenAiTestServer, overrides: Partial<LlmConfig> = {}): LlmClient {
  return createOpenAiLlm({
    config: {
      apiKey: 'sk-test',
      baseURL: server.baseURL,
      model: 'test-model',
      timeoutMs: 400,
      budgetMs: 5000,
      maxRetries: 3,
      ...overrides,
    },
    logger: createSilentLogger(),
    baseDelayMs: 20,
    maxDelayMs: 100,
  });
}

async function collect(it: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const d of it) out.push(d);
  return out;
}

describe('retry policy', () => {
  it('parses retry-after-ms, Retry-After seconds and HTTP dates', () => {
    assert.equal(retryAfterMs(new Headers({ 'retry-after-ms': '250' })), 250);
    assert.equal(retryAfterMs(new Headers({ 'retry-after': '2' })), 2000);
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(retryAfterMs(new Headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:03 GMT' }), now), 3000);
    assert.equal(retryAfterMs(new Headers({})), null);
  });
  it('backs off exponentially with jitter and a cap', () => {
    assert.equal(
      backoffMs(0, 100, 1000, () => 1),
      100,
    );
    assert.equal(
      backoffMs(3, 100, 1000, () => 1),
      800,
    );
    assert.equal(
      backoffMs(6, 100, 1000, () => 1),
      1000,
    );
    assert.equal(
      backoffMs(2, 100, 1000, () => 0),
      200,
    );
  });
});

describe('createOpenAiLlm over real HTTP', () => {
  let server: OpenAiTestServer;
  before(async () => {
    server = await startOpenAiServer();
  });
  after(async () => {
    await server.close();
  });

  it('completes and sends model, messages and the bearer key', async () => {
    server.requests.length = 0;
    server.enqueue({ kind: 'json', content: '你好' });
    assert.equal(await client(server).complete(request), '你好');
    assert.equal(server.requests[0]?.body.model, 'test-model');
    assert.equal(server.requests[0]?.headers.authorization, 'Bearer sk-test');
  });

  it('honours Retry-After on 429 and then succeeds (2 requests)', async () => {
    server.requests.length = 0;
    server.enqueue(
      { kind: 'status', status: 429, headers: { 'retry-after': '1' } },
      { kind: 'json', content: 'after wait' },
    );
    assert.equal(await client(server).complete(request), 'after wait');
    assert.equal(server.requests.length, 2);
    const gap = (server.requests[1]?.at ?? 0) - (server.requests[0]?.at ?? 0);
    assert.ok(gap >= 950, `waited ${gap} ms`);
  });

  it('gives up after maxRetries 500s with a coded LlmUnavailable error', async () => {
    server.requests.length = 0;
    for (let i = 0; i < 4; i++) server.enqueue({ kind: 'status', status: 500 });
    await assert.rejects(client(server).complete(request), (e: unknown) => {
      assert.ok(e instanceof UpstreamError);
      assert.equal(e.code, ErrorCode.LlmUnavailable);
      assert.equal(e.status, 500);
      return true;
    });
    assert.equal(server.requests.length, 4);
  });

  it('does not retry a 401', async () => {
    server.requests.length = 0;
    server.enqueue({ kind: 'status', status: 401 });
    await assert.rejects(client(server).complete(request), UpstreamError);
    assert.equal(server.requests.length, 1);
  });

  it('times out a hang and stops within the total budget', async () => {
    server.requests.length = 0;
    server.setFallback({ kind: 'hang' });
    const started = Date.now();
    await assert.rejects(
      client(server, { timeoutMs: 200, budgetMs: 700, maxRetries: 10 }).complete(request),
      (e: unknown) => {
        assert.ok(e instanceof UpstreamError);
        assert.equal(e.code, ErrorCode.LlmTimeout);
        return true;
      },
    );
    const took = Date.now() - started;
    // 10 unbounded retries of 200 ms would take over 2 s; the 700 ms budget (+ scheduling slack) must stop it.
    assert.ok(took < 1500, `took ${took} ms`);
    assert.ok(server.requests.length >= 2, 'retried the timeout');
    server.setFallback({ kind: 'json', content: 'OK' });
  });

  it('retries connection errors, then fails with LlmUnavailable', async () => {
    const closed = await startOpenAiServer();
    const baseURL = closed.baseURL;
    await closed.close();
    const started = Date.now();
    await assert.rejects(
      client({ ...server, baseURL } as OpenAiTestServer, { maxRetries: 2 }).complete(request),
      (e: unknown) => {
        assert.ok(e instanceof UpstreamError);
        assert.equal(e.code, ErrorCode.LlmUnavailable);
        return true;
      },
    );
    // Two backoffs of 20–40 ms and 40–80 ms happened between the three attempts.
    assert.ok(Date.now() - started >= 30);
  });

  it('streams SSE deltas in order', async () => {
    server.enqueue({ kind: 'sse', deltas: ['根据', '科技司', '的安排[1]。'], delayMs: 5 });
    assert.deepEqual(await collect(client(server).stream(request)), ['根据', '科技司', '的安排[1]。']);
  });

  it('retries a stream that fails before its first delta', async () => {
    server.requests.length = 0;
    server.enqueue({ kind: 'status', status: 503 }, { kind: 'sse', deltas: ['a', 'b'] });
    assert.deepEqual(await collect(client(server).stream(request)), ['a', 'b']);
    assert.equal(server.requests.length, 2);
  });

  it('throws (no retry) when a stream stalls after text was yielded', async () => {
    server.requests.length = 0;
    server.enqueue({ kind: 'sse', deltas: ['a', 'b', 'c'], stallAfter: 1 });
    const got: string[] = [];
    await assert.rejects(
      (async () => {
        for await (const d of client(server, { timeoutMs: 200 }).stream(request)) got.push(d);
      })(),
      UpstreamError,
    );
    assert.deepEqual(got, ['a']);
    assert.equal(server.requests.length, 1);
  });
});
