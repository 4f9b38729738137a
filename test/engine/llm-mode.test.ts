import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTestEngine } from '../helpers/engine.js';
import { startOpenAiServer } from '../helpers/openai-server.js';

test('OPENAI_* settings switch the engine to LLM answers through the real openai client, phantom citations removed', async () => {
  const server = await startOpenAiServer([
    { kind: 'sse', deltas: ['2021年新建5G基站超60万个[1]。', '千兆光网覆盖全国所有家庭[9]。'] },
  ]);
  const engine = await createTestEngine({
    env: { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: server.baseURL, OPENAI_MODEL: 'test-model' },
  });
  try {
    assert.deepEqual(engine.status().llm, {
      configured: true,
      model: 'test-model',
      circuit: { state: 'closed', consecutiveFailures: 0, openUntil: null },
    });
    const answer = await engine.answer({ text: '2021年新建了多少个5G基站？', requestId: 'req_llm_engine' });
    assert.equal(answer.mode, 'llm');
    assert.match(answer.text, /超60万个\[1\]/);
    assert.doesNotMatch(answer.text, /\[9\]|所有家庭/);
    assert.equal(answer.citations[0]?.issuer, '信息通信发展司');
    const sent = server.requests[0]?.body;
    assert.equal(sent?.model, 'test-model');
    assert.equal(server.requests[0]?.headers?.authorization, 'Bearer sk-test');
  } finally {
    await engine.close();
    await server.close();
  }
});
