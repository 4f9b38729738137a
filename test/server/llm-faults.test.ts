/**
 * A language model that accepts connections and never answers, behind the real HTTP app and engine: one budget
 * per request (rewrite + answer), the circuit breaker in /healthz, and clients that go away cancelling the
 * model call — observed by the OpenAI-compatible test server as a closed connection.
 */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Engine } from '../../src/engine/createEngine.js';
import { warmUpQueryAnalysis } from '../../src/keyword/index.js';
import type { HealthReport } from '../../src/server/index.js';
import type { Answer } from '../../src/types.js';
import { createTestEngine } from '../helpers/engine.js';
import { type OpenAiTestServer, startOpenAiServer } from '../helpers/openai-server.js';
import { postJson, startTestServer, type TestServer } from './test-server.js';

const FIVE_G = '2021年新建了多少个5G基站？';
const BUDGET_MS = 1500;

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The HTTP app and engine over an OpenAI-compatible server that never answers, with `env` settings. */
function hangingStack(env: Record<string, string>) {
  const stack: { llm?: OpenAiTestServer; engine?: Engine; server?: TestServer } = {};
  before(async () => {
    stack.llm = await startOpenAiServer();
    stack.llm.setFallback({ kind: 'hang' });
    stack.engine = await createTestEngine({
      env: { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: stack.llm.baseURL, ...env },
    });
    // As `serve` does: the dictionaries load before the first question, not inside its budget.
    warmUpQueryAnalysis();
    stack.server = await startTestServer({
      engine: stack.engine,
      env: { POLICYBOT_WEB_RATE_LIMIT_PER_MINUTE: '10000' },
    });
  });
  after(async () => {
    await stack.server?.close();
    await stack.engine?.close();
    await stack.llm?.close();
  });
  return stack as { llm: OpenAiTestServer; engine: Engine; server: TestServer };
}

describe('a hanging language model', () => {
  const stack = hangingStack({
    OPENAI_TIMEOUT_MS: '1000',
    POLICYBOT_LLM_BUDGET_MS: String(BUDGET_MS),
    POLICYBOT_LLM_BREAKER_FAILURES: '1000',
  });

  it('a client that disconnects from /api/ask/stream aborts its model call (the server sees it close)', async () => {
    stack.llm.requests.length = 0;
    const clients = Array.from({ length: 20 }, () => new AbortController());
    await Promise.all(
      clients.map(async (controller) => {
        const res = await fetch(`${stack.server.url}/api/ask/stream`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ question: FIVE_G }),
          signal: controller.signal,
        });
        assert.equal(res.status, 200);
      }),
    );
    await until(() => stack.llm.requests.length === 20);
    const aborted = Date.now();
    for (const c of clients) c.abort();
    await until(() => stack.llm.requests.every((r) => r.closedEarlyAt !== undefined), 2000);
    const slowest = Math.max(...stack.llm.requests.map((r) => (r.closedEarlyAt ?? 0) - aborted));
    assert.ok(slowest < 1000, `the last model connection closed ${slowest} ms after its client left`);
  });

  it('an ask, and a follow-up (rewrite + answer), take at most the request budget', async () => {
    for (const body of [
      { question: FIVE_G },
      {
        question: '那千兆光网呢？',
        history: [
          { role: 'user', text: FIVE_G },
          { role: 'assistant', text: '超60万个[1]' },
        ],
      },
    ]) {
      const started = Date.now();
      const res = await postJson(stack.server.url, '/api/ask', body);
      const ms = Date.now() - started;
      const answer = (await res.json()) as Answer;
      assert.equal(res.status, 200);
      assert.equal(answer.mode, 'extractive');
      assert.ok(answer.notice, 'the fallback says why');
      assert.ok(ms < BUDGET_MS + 400, `${body.question}: ${ms} ms`);
    }
  });

  it('/api/summary/all takes at most the request budget', async () => {
    const started = Date.now();
    const res = await fetch(`${stack.server.url}/api/summary/all`);
    assert.equal(res.status, 200);
    const ms = Date.now() - started;
    assert.ok(ms < BUDGET_MS + 500, `${ms} ms`);
  });
});

describe('the circuit breaker, end to end', () => {
  const stack = hangingStack({
    OPENAI_TIMEOUT_MS: '300',
    POLICYBOT_LLM_BUDGET_MS: '400',
    POLICYBOT_LLM_BREAKER_FAILURES: '2',
    POLICYBOT_LLM_BREAKER_COOLDOWN_MS: '60000',
  });

  it('opens after consecutive timeouts: answers go extractive at once and /healthz says so once', async () => {
    const health = async () => (await (await fetch(`${stack.server.url}/healthz`)).json()) as HealthReport;
    assert.equal((await health()).llm.circuit?.state, 'closed');
    for (let i = 0; i < 2; i++) await postJson(stack.server.url, '/api/ask', { question: FIVE_G });
    const report = await health();
    assert.equal(report.llm.circuit?.state, 'open');
    assert.ok(report.llm.circuit?.openUntil);
    assert.equal(report.status, 'degraded');
    assert.equal(report.degraded.filter((d) => /circuit/.test(d)).length, 1);
    const calls = stack.llm.requests.length;
    const started = Date.now();
    const answer = (await (
      await postJson(stack.server.url, '/api/ask', { question: FIVE_G })
    ).json()) as Answer;
    assert.ok(Date.now() - started < 200, 'no wait for the model');
    assert.equal(answer.mode, 'extractive');
    assert.equal(stack.llm.requests.length, calls, 'no call went out');
  });
});
