import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Engine } from '../../src/engine/createEngine.js';
import { createOpenAiLlm } from '../../src/llm/openai-llm.js';
import { createSilentLogger } from '../../src/logging/logger.js';
import { parseRewrites, retrieveWithRewrites } from '../../src/retriever/llm-retrieval.js';
import type { RetrievalResult } from '../../src/types.js';
import { createTestEngine } from '../helpers/engine.js';
import { type OpenAiTestServer, startOpenAiServer } from '../helpers/openai-server.js';

/** A colloquial question about the seed corpus's "新建5G基站超60万个", in none of its words. */
const COLLOQUIAL = '手机信号塔去年新盖了多少座？';
const EVIDENCE = '新建5G基站超60万个';
const REWRITE = ['Q: 新建5G基站 数量', 'Q: 5G网络建设 基站', 'A: 2021年新建5G基站超60万个。'].join('\n');

const holds = (r: RetrievalResult) => r.passages.some((p) => p.chunk.text.includes(EVIDENCE));

describe('parseRewrites', () => {
  it('takes the Q: and A: lines, tolerating bullets and full-width colons, and drops echoes and blanks', () => {
    const reply = [
      'Sure:',
      '1. Q: 新建5G基站',
      '- Q：5G网络',
      'Q: ',
      `Q: ${COLLOQUIAL}`,
      'A: 新建5G基站超60万个。',
    ].join('\n');
    assert.deepEqual(parseRewrites(reply, COLLOQUIAL), ['新建5G基站', '5G网络', '新建5G基站超60万个。']);
    assert.deepEqual(parseRewrites('I cannot help with that.', COLLOQUIAL), []);
  });
});

describe('LLM-assisted retrieval through the real openai client', () => {
  let server: OpenAiTestServer;
  let engine: Engine;
  let plain: RetrievalResult;
  const llmFor = (timeoutMs: number) =>
    createOpenAiLlm({
      config: {
        apiKey: 'sk-test',
        baseURL: server.baseURL,
        model: 'test-model',
        timeoutMs,
        budgetMs: 5000,
        maxRetries: 1,
      },
      logger: createSilentLogger(),
      baseDelayMs: 10,
      maxDelayMs: 20,
    });

  before(async () => {
    server = await startOpenAiServer();
    engine = await createTestEngine({
      env: {
        OPENAI_API_KEY: 'sk-test',
        OPENAI_BASE_URL: server.baseURL,
        OPENAI_MODEL: 'test-model',
        OPENAI_TIMEOUT_MS: '500',
        POLICYBOT_LLM_BUDGET_MS: '3000',
        POLICYBOT_LLM_RETRIEVAL: 'true',
      },
    });
    plain = await engine.retrieve({ text: COLLOQUIAL, k: 8 });
  });
  after(async () => {
    await engine?.close();
    await server?.close();
  });

  it('plain retrieval misses the passage (the premise of the next test)', () => {
    assert.equal(holds(plain), false);
  });

  it('answers the colloquial question from the right passage with the scripted rewrites', async () => {
    server.requests.length = 0;
    // The rewrite, then the answer call fails (400: not retried) and the extractive answer is used.
    server.enqueue({ kind: 'json', content: REWRITE });
    server.setFallback({ kind: 'status', status: 400 });
    const answer = await engine.answer({ text: COLLOQUIAL, requestId: 'req_rewrite' });
    assert.equal(answer.refused, false);
    assert.match(`${answer.text} ${answer.citations.map((c) => c.quote).join(' ')}`, /新建5G基站超60万个/);
    const cited = engine.passage(answer.citations[0]?.passageId ?? '');
    assert.ok(cited?.chunk.text.includes(EVIDENCE));
    const first = server.requests[0]?.body.messages?.map((m) => m.content).join('\n') ?? '';
    assert.match(first, /Q:/);
    assert.match(first, new RegExp(COLLOQUIAL));
  });

  it('a failing server leaves the plain retrieval as it is', async () => {
    server.setFallback({ kind: 'status', status: 500 });
    const result = await retrieveWithRewrites(
      (q) => engine.retrieve(q),
      { text: COLLOQUIAL, k: 8 },
      {
        llm: llmFor(300),
        logger: createSilentLogger(),
      },
    );
    assert.deepEqual(
      result.passages.map((p) => p.chunk.id),
      plain.passages.map((p) => p.chunk.id),
    );
  });

  it('a hanging server costs at most the rewrite share of the budget, then plain retrieval', async () => {
    server.setFallback({ kind: 'hang' });
    const started = Date.now();
    const result = await retrieveWithRewrites(
      (q) => engine.retrieve(q),
      { text: COLLOQUIAL, k: 8 },
      {
        llm: llmFor(5000),
        logger: createSilentLogger(),
        deadline: Date.now() + 2000,
      },
    );
    const took = Date.now() - started;
    // A quarter of the 2 s left.
    assert.ok(took < 1000, `took ${took} ms`);
    assert.deepEqual(
      result.passages.map((p) => p.chunk.id),
      plain.passages.map((p) => p.chunk.id),
    );
  });

  it('an unusable reply (no Q:/A: line) is plain retrieval too', async () => {
    server.enqueue({ kind: 'json', content: 'I am not sure what you mean.' });
    const result = await retrieveWithRewrites(
      (q) => engine.retrieve(q),
      { text: COLLOQUIAL, k: 8 },
      {
        llm: llmFor(500),
        logger: createSilentLogger(),
      },
    );
    assert.equal(result, result.passages.length >= 0 ? result : plain);
    assert.deepEqual(
      result.passages.map((p) => p.chunk.id),
      plain.passages.map((p) => p.chunk.id),
    );
  });
});
