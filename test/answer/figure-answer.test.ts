/**
 * How-much answers from stored key figures, through the real engine over a plan (test/fixtures/figure-answers)
 * whose task sections repeat the topic's words next to other numbers ("3项专项活动") while its target sits in a
 * long list of indicators: retrieval alone quotes the task clause; the figure whose subject the question names
 * is the answer, cited verbatim. With a language model, that figure's passage is handed to it first.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { composeAnswer } from '../../src/answer/compose.js';
import { subjectMatch } from '../../src/answer/figure-answer.js';
import type { Engine } from '../../src/engine/createEngine.js';
import { createOpenAiLlm } from '../../src/llm/openai-llm.js';
import { createSilentLogger } from '../../src/logging/logger.js';
import { createTestEngine } from '../helpers/engine.js';
import { startOpenAiServer } from '../helpers/openai-server.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/figure-answers', import.meta.url));
const INDEX = fileURLToPath(new URL('../.tmp/figure-answers-index', import.meta.url));

describe('how-much answers use the stored figures', () => {
  let engine: Engine;
  before(async () => {
    engine = await createTestEngine({ env: { POLICYBOT_CORPUS_DIR: FIXTURES, POLICYBOT_INDEX_DIR: INDEX } });
  });
  after(async () => engine.close());

  const docText = () => engine.index.documents[0]?.cleanedText ?? '';

  it('retrieval quotes a task clause with another number; the answer is the figure of the subject asked', async () => {
    for (const text of ['城镇新增就业的目标是多少人？', '2024年城镇新增就业目标是多少？']) {
      const retrieval = await engine.retrieve({ text, k: 8 });
      // Without figures (the answer layer alone), the clause that repeats the topic's words wins.
      const plain = await composeAnswer({ text, requestId: 'r' }, text, retrieval, {
        llm: null,
        logger: createSilentLogger(),
        maxChars: 300,
      });
      assert.doesNotMatch(plain.text, /80万人/, `retrieval alone: ${plain.text}`);
      const answer = await engine.answer({ text, requestId: 'r' });
      assert.equal(answer.refused, false);
      assert.match(answer.text, /城镇新增就业80万人以上\[1\]/);
      const [c] = answer.citations;
      assert.equal(c?.quote, '城镇新增就业80万人以上');
      assert.equal(docText().slice(c?.start, c?.end), c?.quote, 'verbatim, with offsets');
      assert.ok(c?.passage.includes(c.quote));
    }
  });

  it('leaves answers alone that already quote a figure of the subject, and other kinds of question', async () => {
    const price = await engine.answer({ text: '粮食产量要保持在多少？', requestId: 'r' });
    assert.match(price.text, /1300亿斤以上/);
    const list = await engine.answer({ text: '做好重点群体就业有哪些措施？', requestId: 'r' });
    assert.doesNotMatch(list.text, /80万人/, 'a list question is not a how-much question');
    // A question stating numbers of its own is about the clause holding them (retrieval finds it by them).
    const own = await engine.answer({ text: '开展3项专项活动的城镇新增就业目标是多少？', requestId: 'r' });
    assert.doesNotMatch(own.text, /80万人/);
  });

  it('a subject matches when the question names most of it', () => {
    assert.deepEqual(subjectMatch('城镇新增就业', ['城镇', '新增', '就业']), { chars: 6, share: 1 });
    assert.ok(subjectMatch('开展就业援助月等专项活动', ['城镇', '新增', '就业']).share < 0.5);
    assert.equal(subjectMatch('粮食产量', ['就业']).chars, 0);
  });

  it('with a language model, the passage of that figure comes first among the passages it gets', async () => {
    const server = await startOpenAiServer();
    try {
      server.enqueue({ kind: 'sse', deltas: ['城镇新增就业80万人以上[1]。'] });
      const llm = createOpenAiLlm({
        config: {
          apiKey: 'sk-test',
          baseURL: server.baseURL,
          model: 'test-model',
          timeoutMs: 2000,
          budgetMs: 5000,
          maxRetries: 0,
        },
        logger: createSilentLogger(),
      });
      const text = '城镇新增就业的目标是多少人？';
      const retrieval = await engine.retrieve({ text, k: 8 });
      const figures = {
        figuresOf: (ids: readonly string[]) => engine.figures().filter((f) => ids.includes(f.docId)),
        chunk: (id: string) => engine.index.chunks.find((c) => c.id === id),
      };
      const answer = await composeAnswer({ text, requestId: 'r' }, text, retrieval, {
        llm,
        logger: createSilentLogger(),
        maxChars: 300,
        figures,
      });
      const user = server.requests[0]?.body.messages?.find((m) => m.role === 'user')?.content ?? '';
      const first = /\[1\][^[]*/u.exec(user)?.[0] ?? '';
      assert.match(first, /城镇新增就业80万人以上/, 'passage [1] holds the figure');
      assert.equal(answer.mode, 'llm');
      assert.match(answer.citations[0]?.quote ?? '', /80万人以上/);
    } finally {
      await server.close();
    }
  });
});
