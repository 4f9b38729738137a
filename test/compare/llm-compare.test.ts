/** The model-written comparison through the real openai client against the local OpenAI-compatible server. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTestEngine } from '../helpers/engine.js';
import { startOpenAiServer } from '../helpers/openai-server.js';

const LLM_ENV = (baseURL: string) => ({
  OPENAI_API_KEY: 'sk-test',
  OPENAI_BASE_URL: baseURL,
  OPENAI_MODEL: 'test-model',
  POLICYBOT_LLM_MAX_RETRIES: '0',
});

test('with an LLM the text is model-written and verified: uncited, phantom, unsupported and invented-number bullets are dropped', async () => {
  const server = await startOpenAiServer([
    {
      kind: 'json',
      content: [
        '## 数字变化',
        '- 新培育“小巨人”企业由2930家提高到3000家左右[1][2]',
        '- 新培育“小巨人”企业9999家[2]',
        '- 中央财政支持“小巨人”企业[7]',
        '## 新增',
        '- 这一条没有引用',
        '- 火星探测取得重大突破[1]',
      ].join('\n'),
    },
  ]);
  const engine = await createTestEngine({ env: LLM_ENV(server.baseURL) });
  try {
    const c = await engine.compare({ before: '中小企业局', requestId: 'req_llm_cmp' });
    assert.equal(c.mode, 'llm');
    assert.equal(c.notice, null);
    assert.match(c.text, /2930家提高到3000家左右\[1\]\[2\]/);
    assert.doesNotMatch(c.text, /9999|\[7\]|没有引用|火星/);
    assert.equal(c.citations.length, 2);
    const [first, second] = c.citations;
    assert.match(first?.quote ?? '', /2930家/, 'each citation quotes the best-matching sentence, verbatim');
    assert.match(second?.quote ?? '', /3000家左右/);
    for (const cite of c.citations) assert.ok(cite.passage.includes(cite.quote));
    // The items stay the extractive alignment.
    assert.ok(c.items.some((i) => i.kind === 'changed'));
    const prompt = server.requests[0]?.body.messages?.map((m) => m.content).join('\n') ?? '';
    assert.match(prompt, /2930家 → 3000家左右/, 'the model is given the aligned findings');
  } finally {
    await engine.close();
    await server.close();
  }
});

test('when the model fails or writes nothing verifiable, the extractive comparison is returned with a notice', async () => {
  const server = await startOpenAiServer([
    { kind: 'status', status: 500 },
    { kind: 'json', content: '- 完全无关的内容[1]' },
  ]);
  const engine = await createTestEngine({ env: LLM_ENV(server.baseURL) });
  try {
    for (const requestId of ['req_llm_500', 'req_llm_junk']) {
      const c = await engine.compare({ before: '中小企业局', requestId });
      assert.equal(c.mode, 'extractive');
      assert.match(c.notice ?? '', /摘录式比较/);
      assert.match(c.text, /2930家 → 3000家左右/);
    }
  } finally {
    await engine.close();
    await server.close();
  }
});
