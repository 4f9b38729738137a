import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { composeAnswer, streamAnswer } from '../../src/answer/compose.js';
import { NOTICE_LLM_UNAVAILABLE } from '../../src/answer/messages.js';
import { createOpenAiLlm, type LlmConfig } from '../../src/llm/openai-llm.js';
import { createSilentLogger } from '../../src/logging/logger.js';
import { REFUSAL_MARKER } from '../../src/prompts/templates.js';
import type { AnswerEvent, Question } from '../../src/types.js';
import { type OpenAiTestServer, startOpenAiServer } from '../helpers/openai-server.js';
import { keywordRetrieve } from './corpus-fixture.js';

const Q = '2021年新建了多少个5G基站？';
const question: Question = { text: Q, requestId: 'req_llm' };

function deps(server: OpenAiTestServer, overrides: Partial<LlmConfig> = {}) {
  const llm = createOpenAiLlm({
    config: {
      apiKey: 'sk-test',
      baseURL: server.baseURL,
      model: 'test-model',
      timeoutMs: 300,
      budgetMs: 3000,
      maxRetries: 3,
      ...overrides,
    },
    logger: createSilentLogger(),
    baseDelayMs: 10,
    maxDelayMs: 50,
  });
  return { llm, logger: createSilentLogger(), maxChars: 300 };
}

describe('composeAnswer with an OpenAI-compatible server', () => {
  let server: OpenAiTestServer;
  before(async () => {
    server = await startOpenAiServer();
  });
  after(async () => {
    await server.close();
  });

  it('sends the numbered passages with the answer-with-citations prompt', async () => {
    server.requests.length = 0;
    server.enqueue({ kind: 'sse', deltas: ['2021年新建5G基站超60万个[1]。'] });
    // The suite's first request: a loaded machine must not turn it into a timeout (tested on its own below).
    const a = await composeAnswer(question, Q, await keywordRetrieve(Q), deps(server, { timeoutMs: 2000 }));
    const sent = server.requests[0]?.body;
    assert.equal(sent?.stream, true);
    const user = sent?.messages?.find((m) => m.role === 'user')?.content ?? '';
    assert.match(user, /\[1\]/);
    assert.match(user, /新建5G基站超60万个/);
    assert.match(sent?.messages?.[0]?.content ?? '', new RegExp(REFUSAL_MARKER));
    assert.equal(a.mode, 'llm');
    assert.equal(a.text, '2021年新建5G基站超60万个[1]。');
    assert.ok(a.citations[0]?.quote.includes('新建5G基站超60万个'));
    assert.ok(a.citations[0]?.passage.includes(a.citations[0].quote));
  });

  it('removes a sentence with a phantom [9] from the final answer and the deltas', async () => {
    const r = await keywordRetrieve(Q);
    server.enqueue({
      kind: 'sse',
      deltas: ['2021年新建5G基站超60万个', '[1]。', '千兆光网覆盖全国所有家庭', '[9]。'],
    });
    const events: AnswerEvent[] = [];
    for await (const e of streamAnswer(question, Q, r, deps(server))) events.push(e);
    const streamed = events.flatMap((e) => (e.type === 'delta' ? [e.text] : [])).join('');
    assert.doesNotMatch(streamed, /\[9\]/);
    const final = events.at(-1);
    assert.ok(final?.type === 'final');
    assert.equal(final.answer.text, '2021年新建5G基站超60万个[1]。');
    assert.equal(final.answer.citations.length, 1);
  });

  it('retries a 429 honouring Retry-After: 1, then answers (2 requests)', async () => {
    server.requests.length = 0;
    server.enqueue(
      { kind: 'status', status: 429, headers: { 'retry-after': '1' } },
      { kind: 'sse', deltas: ['新建5G基站超60万个[1]。'] },
    );
    const a = await composeAnswer(question, Q, await keywordRetrieve(Q), deps(server));
    assert.equal(a.mode, 'llm');
    assert.equal(server.requests.length, 2);
    const gap = (server.requests[1]?.at ?? 0) - (server.requests[0]?.at ?? 0);
    assert.ok(gap >= 950, `waited ${gap} ms`);
  });

  it('falls back to the extractive answer with a notice after repeated 500s', async () => {
    server.requests.length = 0;
    for (let i = 0; i < 4; i++) server.enqueue({ kind: 'status', status: 500 });
    const a = await composeAnswer(question, Q, await keywordRetrieve(Q), deps(server));
    assert.equal(server.requests.length, 4);
    assert.equal(a.mode, 'extractive');
    assert.equal(a.notice, NOTICE_LLM_UNAVAILABLE.zh);
    assert.match(a.text, /新建5G基站超60万个\[1\]/);
  });

  it('falls back within the budget when the server hangs', async () => {
    server.setFallback({ kind: 'hang' });
    const started = Date.now();
    const a = await composeAnswer(
      question,
      Q,
      await keywordRetrieve(Q),
      deps(server, { timeoutMs: 200, budgetMs: 600, maxRetries: 10 }),
    );
    const took = Date.now() - started;
    server.setFallback({ kind: 'json', content: 'OK' });
    assert.equal(a.mode, 'extractive');
    assert.ok(a.notice);
    // 11 unbounded attempts of 200 ms would take over 2 s; the 600 ms budget (+ slack) must stop them.
    assert.ok(took < 1500, `took ${took} ms`);
  });

  it('streams deltas in order, then one verified final that replaces them', async () => {
    const deltas = [
      '根据信息通信发展司的工作安排：',
      '2021年',
      '新建5G基站',
      '超60万个[',
      '1]。',
      '这是没有引用的额外说法。',
    ];
    server.enqueue({ kind: 'sse', deltas, delayMs: 5 });
    const events: AnswerEvent[] = [];
    for await (const e of streamAnswer(question, Q, await keywordRetrieve(Q), deps(server))) events.push(e);
    const streamed = events.flatMap((e) => (e.type === 'delta' ? [e.text] : [])).join('');
    assert.equal(streamed, deltas.join(''));
    assert.equal(events.filter((e) => e.type === 'final').length, 1);
    const final = events.at(-1);
    assert.ok(final?.type === 'final');
    assert.equal(final.answer.text, '根据信息通信发展司的工作安排：2021年新建5G基站超60万个[1]。');
  });

  it('falls back when the stream breaks midway; the final answer replaces the partial text', async () => {
    server.enqueue({ kind: 'sse', deltas: ['新建5G', '基站', '超60万个[1]。'], breakAfter: 1 });
    const events: AnswerEvent[] = [];
    for await (const e of streamAnswer(question, Q, await keywordRetrieve(Q), deps(server))) events.push(e);
    const final = events.at(-1);
    assert.ok(final?.type === 'final');
    assert.equal(final.answer.mode, 'extractive');
    assert.ok(final.answer.notice);
  });

  it('turns the refusal marker into a refused answer', async () => {
    const s = await startOpenAiServer([{ kind: 'sse', deltas: ['NOT_', 'COVE', 'RED'] }]);
    try {
      const events: AnswerEvent[] = [];
      for await (const e of streamAnswer(question, Q, await keywordRetrieve(Q), deps(s))) events.push(e);
      assert.equal(events.filter((e) => e.type === 'delta').length, 0, 'the marker is never streamed');
      const final = events.at(-1);
      assert.ok(final?.type === 'final');
      const a = final.answer;
      assert.equal(a.refused, true);
      assert.match(a.text, /没有涉及/);
      assert.equal(a.mode, 'llm');
      assert.equal(a.citations.length, 0);
    } finally {
      await s.close();
    }
  });

  it('does not call the model for a question the documents do not cover', async () => {
    const s = await startOpenAiServer();
    try {
      const text = '明天北京的天气怎么样？';
      const a = await composeAnswer({ text, requestId: 'r' }, text, await keywordRetrieve(text), deps(s));
      assert.equal(a.refused, true);
      assert.equal(s.requests.length, 0);
    } finally {
      await s.close();
    }
  });
});
