/**
 * An LLM that hangs or keeps failing, through the real openai client against a local OpenAI-compatible server:
 * cancellation reaches the server (it sees the connection close), a request's deadline bounds every call and
 * wait, and the circuit breaker stops calling a model that keeps failing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ErrorCode, UpstreamError } from '../../src/errors/index.js';
import { CircuitBreaker, withCircuitBreaker } from '../../src/llm/circuit-breaker.js';
import type { LlmClient } from '../../src/llm/LlmClient.js';
import { createOpenAiLlm } from '../../src/llm/openai-llm.js';
import { startRequestBudget } from '../../src/llm/request-budget.js';
import { createSilentLogger } from '../../src/logging/logger.js';
import { type OpenAiTestServer, startOpenAiServer } from '../helpers/openai-server.js';

const request = { template: 'test', messages: [{ role: 'user' as const, content: 'hi' }] };

function client(server: OpenAiTestServer, budgetMs = 10_000): LlmClient {
  return createOpenAiLlm({
    config: {
      apiKey: 'sk-test',
      baseURL: server.baseURL,
      model: 'test-model',
      timeoutMs: 5000,
      budgetMs,
      maxRetries: 3,
    },
    logger: createSilentLogger(),
    baseDelayMs: 20,
    maxDelayMs: 100,
  });
}

async function until(check: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    assert.ok(error instanceof UpstreamError, String(error));
    return error.code;
  }
}

describe('LLM faults', () => {
  let server: OpenAiTestServer;
  before(async () => {
    server = await startOpenAiServer();
  });
  after(() => server.close());

  it('aborting the signal cancels a hanging call at once, and the server sees the connection close', async () => {
    server.enqueue({ kind: 'hang' });
    const controller = new AbortController();
    const started = Date.now();
    const call = client(server).complete({ ...request, signal: controller.signal });
    await until(() => server.requests.length === 1);
    controller.abort();
    assert.equal(await codeOf(call), ErrorCode.LlmUnavailable);
    assert.ok(Date.now() - started < 1000);
    await until(() => server.requests[0]?.closedEarlyAt !== undefined);
    assert.equal(server.requests.length, 1, 'a cancelled call is not retried');
  });

  it('a stream is cancelled the same way, mid-answer', async () => {
    server.requests.length = 0;
    server.enqueue({ kind: 'sse', deltas: ['一', '二', '三', '四'], delayMs: 300 });
    const controller = new AbortController();
    const deltas: string[] = [];
    const run = (async () => {
      for await (const d of client(server).stream({ ...request, signal: controller.signal })) {
        deltas.push(d);
        if (deltas.length === 1) controller.abort();
      }
    })();
    assert.equal(await codeOf(run), ErrorCode.LlmUnavailable);
    assert.deepEqual(deltas, ['一']);
    await until(() => server.requests[0]?.closedEarlyAt !== undefined);
  });

  it("a request's deadline bounds the call and its retries, and is a timeout", async () => {
    server.requests.length = 0;
    server.setFallback({ kind: 'hang' });
    try {
      const started = Date.now();
      const code = await codeOf(client(server).complete({ ...request, deadline: Date.now() + 600 }));
      const ms = Date.now() - started;
      assert.equal(code, ErrorCode.LlmTimeout);
      assert.ok(ms >= 550 && ms < 1200, `took ${ms} ms`);
      // A backoff wait that would outlast the deadline is not waited: 429 asking for 5 s ends the call now.
      server.enqueue({ kind: 'status', status: 429, headers: { 'retry-after': '5' } });
      const t = Date.now();
      assert.equal(
        await codeOf(client(server).complete({ ...request, deadline: Date.now() + 2000 })),
        ErrorCode.LlmUnavailable,
      );
      assert.ok(Date.now() - t < 500);
    } finally {
      server.setFallback({ kind: 'json', content: 'OK' });
    }
  });

  it('one request budget across calls: the second call gets what the first left', async () => {
    server.setFallback({ kind: 'hang' });
    try {
      const budget = startRequestBudget(800);
      const llm = client(server);
      const started = Date.now();
      const rewrite = await codeOf(
        llm.complete({ ...request, signal: budget.signal, deadline: budget.deadline }),
      );
      const answer = await codeOf(
        llm.complete({ ...request, signal: budget.signal, deadline: budget.deadline }),
      );
      budget.end();
      assert.deepEqual([rewrite, answer], [ErrorCode.LlmTimeout, ErrorCode.LlmTimeout]);
      const ms = Date.now() - started;
      assert.ok(ms < 1300, `both calls together took ${ms} ms, not twice the budget`);
    } finally {
      server.setFallback({ kind: 'json', content: 'OK' });
    }
  });

  it('the circuit opens after N consecutive failures, fails fast, then lets one trial through', async () => {
    let now = 1_000_000;
    const breaker = new CircuitBreaker({
      failures: 2,
      cooldownMs: 10_000,
      logger: createSilentLogger(),
      now: () => now,
    });
    const llm = withCircuitBreaker(client(server), breaker, () => now);
    server.requests.length = 0;
    server.enqueue({ kind: 'status', status: 400 }, { kind: 'status', status: 400 });
    assert.equal(await codeOf(llm.complete(request)), ErrorCode.LlmUnavailable);
    assert.equal(breaker.status().state, 'closed');
    assert.equal(await codeOf(llm.complete(request)), ErrorCode.LlmUnavailable);
    assert.equal(breaker.status().state, 'open');
    assert.ok(breaker.status().openUntil);
    const started = Date.now();
    assert.equal(await codeOf(llm.complete(request)), ErrorCode.LlmUnavailable);
    assert.ok(Date.now() - started < 20, 'open: no call goes out');
    assert.equal(server.requests.length, 2);

    now += 10_001;
    assert.equal(breaker.status().state, 'half-open');
    server.enqueue({ kind: 'status', status: 400 });
    assert.equal(await codeOf(llm.complete(request)), ErrorCode.LlmUnavailable, 'the trial fails');
    assert.equal(breaker.status().state, 'open', 'and opens the circuit again');
    now += 10_001;
    assert.equal(await llm.complete(request), 'OK', 'a successful trial');
    assert.deepEqual(breaker.status(), { state: 'closed', consecutiveFailures: 0, openUntil: null });
  });

  it('a call the caller cancelled counts neither way', async () => {
    const breaker = new CircuitBreaker({ failures: 1, cooldownMs: 10_000, logger: createSilentLogger() });
    const llm = withCircuitBreaker(client(server), breaker);
    server.enqueue({ kind: 'hang' });
    const controller = new AbortController();
    const call = llm.complete({ ...request, signal: controller.signal });
    await new Promise((r) => setTimeout(r, 50));
    controller.abort();
    await codeOf(call);
    assert.equal(breaker.status().state, 'closed');
  });
});
