import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PolicyEngine } from '../../src/engine/PolicyEngine.js';
import type { AnswerEvent, Question } from '../../src/types.js';
import { mention, message, messageText, startHarness, testEngine } from './helpers/harness.js';

const FIVE_G = '2021年新建了多少个5G基站？';

/**
 * The test engine with the LLM "on": answerStream yields the answer text in 10-character deltas (as a model
 * would), then the verified answer — independent of whether the engine itself streams in extractive mode.
 */
async function llmEngine(): Promise<{ engine: PolicyEngine; deltas: string[] }> {
  const base = await testEngine();
  const deltas: string[] = [];
  const engine: PolicyEngine = {
    ...base,
    status: () => ({ ...base.status(), llm: { configured: true, model: 'fake-llm', circuit: null } }),
    answerStream: async function* (q: Question): AsyncIterable<AnswerEvent> {
      const answer = await base.answer(q);
      for (const part of answer.text.match(/[\s\S]{1,10}/gu) ?? []) {
        deltas.push(part);
        yield { type: 'delta', text: part };
      }
      yield { type: 'final', answer };
    },
  };
  return { engine, deltas };
}

describe('slack streaming (LLM mode)', () => {
  it('streams with chat.startStream/appendStream/stopStream, then shows the verified answer with sources', async () => {
    const { engine, deltas } = await llmEngine();
    const h = await startHarness({ engine, streamUpdateIntervalMs: 0 });
    try {
      const event = mention(FIVE_G);
      await h.sendEvent(event);
      const [update] = await h.fake.waitForMethod('chat.update');
      await h.front.idle();
      const [start] = h.fake.callsTo('chat.startStream');
      assert.ok(start, 'stream started');
      assert.equal(start.body.thread_ts, event.ts);
      assert.equal(start.body.recipient_user_id, 'U1');
      assert.equal(start.body.recipient_team_id, 'T1');
      const appends = h.fake.callsTo('chat.appendStream');
      const [stop] = h.fake.callsTo('chat.stopStream');
      assert.ok(stop);
      assert.ok(deltas.length > 2);
      const streamed = [start, ...appends, stop].map((c) => String(c.body.markdown_text ?? '')).join('');
      assert.equal(streamed, deltas.join(''), 'every delta reached Slack, in order');
      assert.equal(appends.length, deltas.length - 1, 'interval 0: one append per later delta');
      assert.ok(start.at <= stop.at && stop.at <= (update?.at ?? 0));
      assert.equal(
        update?.body.ts,
        (start.response as { ts?: string }).ts,
        'the streamed message is the one updated',
      );
      assert.match(messageText(update?.body ?? {}), /Sources/);
      assert.match(messageText(update?.body ?? {}), /信息通信发展司/);
      assert.equal(h.fake.callsTo('chat.postMessage').length, 0, 'one message, edited in place');
    } finally {
      await h.close();
    }
  });

  it('updates at most once per interval (fast deltas: start, then stop — no appends)', async () => {
    const { engine } = await llmEngine();
    const h = await startHarness({ engine, streamUpdateIntervalMs: 1000 });
    try {
      await h.sendEvent(mention(FIVE_G));
      await h.fake.waitForMethod('chat.update');
      await h.front.idle();
      assert.equal(h.fake.callsTo('chat.startStream').length, 1);
      assert.equal(h.fake.callsTo('chat.appendStream').length, 0);
      assert.equal(h.fake.callsTo('chat.stopStream').length, 1);
      assert.equal(h.fake.callsTo('chat.update').length, 1);
    } finally {
      await h.close();
    }
  });

  it('falls back to a placeholder + chat.update when Slack rejects chat.startStream, and remembers', async () => {
    const { engine } = await llmEngine();
    const h = await startHarness({ engine, streamUpdateIntervalMs: 0 });
    h.fake.override((call) =>
      call.method === 'chat.startStream' ? { body: { ok: false, error: 'unknown_method' } } : undefined,
    );
    try {
      const first = mention(FIVE_G);
      await h.sendEvent(first);
      await h.fake.waitFor((c) => c.method === 'chat.update' && /Sources/.test(messageText(c.body)));
      await h.front.idle();
      const [placeholder] = h.fake.callsTo('chat.postMessage');
      assert.equal(placeholder?.body.thread_ts, first.ts);
      const updates = h.fake.callsTo('chat.update');
      assert.ok(updates.length >= 2, 'progressive updates, then the final one');
      const placeholderTs = (placeholder?.response as { ts?: string } | undefined)?.ts;
      assert.ok(
        placeholderTs && updates.every((u) => u.body.ts === placeholderTs),
        'the placeholder is edited in place',
      );
      const final = updates.at(-1);
      assert.match(messageText(final?.body ?? {}), /信息通信发展司/);
      assert.match(messageText(final?.body ?? {}), /Sources/);

      await h.sendEvent(mention(FIVE_G));
      await h.fake.waitForMethod('chat.postMessage', 2);
      await h.front.idle();
      assert.equal(h.fake.callsTo('chat.startStream').length, 1, 'not attempted again');
    } finally {
      await h.close();
    }
  });

  it('streams a top-level DM answer with a placeholder (native streams need a thread)', async () => {
    const { engine } = await llmEngine();
    const h = await startHarness({ engine, streamUpdateIntervalMs: 1000 });
    try {
      await h.sendEvent(message(FIVE_G, { channel: 'D1', channel_type: 'im' }));
      await h.fake.waitForMethod('chat.update');
      await h.front.idle();
      assert.equal(h.fake.callsTo('chat.startStream').length, 0);
      const [placeholder] = h.fake.callsTo('chat.postMessage');
      assert.equal(placeholder?.body.channel, 'D1');
      assert.equal(placeholder?.body.thread_ts, undefined);
      const updates = h.fake.callsTo('chat.update');
      assert.equal(updates.length, 1, 'fast deltas: only the final update');
      assert.match(messageText(updates[0]?.body ?? {}), /Sources/);
    } finally {
      await h.close();
    }
  });
});
