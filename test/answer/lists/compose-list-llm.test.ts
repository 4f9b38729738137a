import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { composeAnswer } from '../../../src/answer/compose.js';
import { NOTICE_LLM_UNVERIFIED } from '../../../src/answer/messages.js';
import { createOpenAiLlm } from '../../../src/llm/openai-llm.js';
import { createSilentLogger } from '../../../src/logging/logger.js';
import { type OpenAiTestServer, startOpenAiServer } from '../../helpers/openai-server.js';
import { listCorpus, listRetrieve } from './fixture.js';

const Q = '科技评估机构从事评估业务需要具备哪些条件？';

describe('list answers with an OpenAI-compatible server', () => {
  let server: OpenAiTestServer;
  before(async () => {
    server = await startOpenAiServer();
  });
  after(async () => {
    await server.close();
  });

  const deps = async () => ({
    llm: createOpenAiLlm({
      config: {
        apiKey: 'sk-test',
        baseURL: server.baseURL,
        model: 'test-model',
        timeoutMs: 1000,
        budgetMs: 3000,
        maxRetries: 0,
      },
      logger: createSilentLogger(),
      baseDelayMs: 10,
      maxDelayMs: 50,
    }),
    logger: createSilentLogger(),
    maxChars: 300,
    documents: (await listCorpus()).lookup,
  });

  it('gives the model the items as its passages, with the instruction to keep and cite every one', async () => {
    server.requests.length = 0;
    server.enqueue({
      kind: 'sse',
      deltas: [
        '第三条规定的条件：\n- 有独立的法人资格[1]；\n- 有固定的办公场所和必要的设备[2]；\n',
        '- 有五名以上取得评估师资格的专职人员[3]；\n- 有健全的内部质量管理制度[4]。',
      ],
    });
    const answer = await composeAnswer({ text: Q, requestId: 'r1' }, Q, await listRetrieve(Q), await deps());
    const sent = server.requests[0]?.body.messages ?? [];
    const system = sent.find((m) => m.role === 'system')?.content ?? '';
    const user = sent.find((m) => m.role === 'user')?.content ?? '';
    assert.match(system, /Keep EVERY item 1\.\.4/u);
    assert.match(user, /\[1\][^\n]*\n（一）有独立的法人资格；/u);
    assert.match(user, /\[4\][^\n]*\n（四）有健全的内部质量管理制度。/u);
    assert.doesNotMatch(user, /\[5\]/u);
    assert.equal(answer.mode, 'llm');
    assert.equal(answer.text.split('\n').filter((l) => l.startsWith('- ')).length, 4);
    assert.deepEqual(
      answer.citations.map((c) => c.quote),
      [
        '（一）有独立的法人资格；',
        '（二）有固定的办公场所和必要的设备；',
        '（三）有五名以上取得评估师资格的专职人员；',
        '（四）有健全的内部质量管理制度。',
      ],
    );
  });

  it('falls back to the extractive list when the model drops items', async () => {
    server.enqueue({ kind: 'sse', deltas: ['- 有独立的法人资格[1]。'] });
    const answer = await composeAnswer({ text: Q, requestId: 'r2' }, Q, await listRetrieve(Q), await deps());
    assert.equal(answer.mode, 'extractive');
    assert.equal(answer.notice, NOTICE_LLM_UNVERIFIED.zh);
    assert.equal(answer.text.split('\n').filter((l) => l.startsWith('- ')).length, 4);
  });

  it('removes an item line the cited passage does not support', async () => {
    server.enqueue({
      kind: 'sse',
      deltas: [
        '- 有独立的法人资格[1]；\n- 有固定的办公场所和必要的设备[2]；\n- 有五名以上取得评估师资格的专职人员[3]；\n',
        '- 有健全的内部质量管理制度[4]；\n- 注册资本不少于一千万元人民币[1]。',
      ],
    });
    const answer = await composeAnswer({ text: Q, requestId: 'r3' }, Q, await listRetrieve(Q), await deps());
    assert.equal(answer.mode, 'llm');
    assert.doesNotMatch(answer.text, /注册资本/u);
    assert.equal(answer.citations.length, 4);
  });
});
