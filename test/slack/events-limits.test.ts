import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Question } from '../../src/types.js';
import { mention, message, messageText, nextTs, startHarness, testEngine } from './helpers/harness.js';

const FIVE_G = '2021年新建了多少个5G基站？';

describe('slack events: rate limit, allowlist, errors, config', () => {
  it('replies politely (once, privately) past the per-user rate limit', async () => {
    const h = await startHarness({ config: { rateLimitPerMinute: 1 } });
    try {
      const first = mention(FIVE_G);
      await h.sendEvent(first);
      await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.body.thread_ts === first.ts);
      const second = mention(FIVE_G);
      const third = mention(FIVE_G);
      await h.sendEvent(second);
      const [notice] = await h.fake.waitForMethod('chat.postEphemeral');
      assert.equal(notice?.body.user, 'U1');
      assert.equal(notice?.body.thread_ts, second.ts);
      assert.match(String(notice?.body.text), /1 questions a minute.*try again in \d+s/);
      await h.sendEvent(third);
      await h.front.idle();
      assert.equal(h.fake.callsTo('chat.postEphemeral').length, 1, 'one notice per window');
      assert.equal(h.fake.callsTo('chat.postMessage').length, 1, 'only the first question was answered');
      // Another user is not affected.
      const other = mention(FIVE_G, { user: 'U2' });
      await h.sendEvent(other);
      await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.body.thread_ts === other.ts);
    } finally {
      await h.close();
    }
  });

  it('outside the channel allowlist: a private note for mentions, silence for follow-ups; DMs always work', async () => {
    const asked: Question[] = [];
    const base = await testEngine();
    const engine = {
      ...base,
      answer: async (q: Question) => {
        asked.push(q);
        return base.answer(q);
      },
    };
    const h = await startHarness({ engine, config: { channelAllowlist: ['CALLOWED'] } });
    try {
      const outside = mention(FIVE_G, { channel: 'COTHER' });
      await h.sendEvent(outside);
      const [note] = await h.fake.waitForMethod('chat.postEphemeral');
      assert.equal(note?.body.channel, 'COTHER');
      assert.match(String(note?.body.text), /not enabled in this channel/);
      const root = nextTs();
      h.fake.threads.set(`COTHER:${root}`, [
        { type: 'message', user: 'UBOT', bot_id: 'BBOT', text: 'x', ts: root },
      ]);
      await h.sendEvent(message(FIVE_G, { channel: 'COTHER', thread_ts: root }));
      const inside = mention(FIVE_G, { channel: 'CALLOWED' });
      await h.sendEvent(inside);
      await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.body.channel === 'CALLOWED');
      await h.sendEvent(message(FIVE_G, { channel: 'D9', channel_type: 'im' }));
      await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.body.channel === 'D9');
      await h.front.idle();
      assert.equal(h.fake.callsTo('chat.postMessage').filter((c) => c.body.channel === 'COTHER').length, 0);
      assert.equal(h.fake.callsTo('chat.postEphemeral').length, 1);
      assert.equal(asked.length, 2, 'only the allowed channel and the DM reached the engine');
    } finally {
      await h.close();
    }
  });

  it('does not answer un-mentioned thread replies when SLACK_THREAD_FOLLOWUPS is off', async () => {
    const h = await startHarness({ config: { threadFollowups: false } });
    try {
      const first = mention(FIVE_G);
      await h.sendEvent(first);
      await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.body.thread_ts === first.ts);
      await h.sendEvent(message('那2022年呢？', { thread_ts: first.ts }));
      await h.front.idle();
      assert.equal(h.fake.callsTo('chat.postMessage').length, 1);
      assert.equal(h.fake.callsTo('conversations.replies').length, 0);
    } finally {
      await h.close();
    }
  });

  it('on failure: a short message with the request id in the thread, details only in the logs', async () => {
    const base = await testEngine();
    const engine = {
      ...base,
      answer: async () => {
        throw new Error('vector index exploded at /srv/policybot/embeddings/index.bin');
      },
    };
    const h = await startHarness({ engine });
    try {
      const event = mention(FIVE_G);
      await h.sendEvent(event);
      const [post] = await h.fake.waitFor(
        (c) => c.method === 'chat.postMessage' && c.body.thread_ts === event.ts,
      );
      const text = messageText(post?.body ?? {});
      const id = /(?:request|请求编号) (req_[0-9a-f]{12})/.exec(text)?.[1];
      assert.ok(id, `request id in ${text}`);
      assert.doesNotMatch(text, /exploded|\/srv|at .*\.ts|Error/);
      assert.match(text, /抱歉/, 'in the language of the question');
      await h.front.idle();
      assert.ok(
        h.fake.callsTo('reactions.remove').some((c) => c.body.timestamp === event.ts),
        '👀 removed',
      );
      const logged = h.logs.find((l) => l.includes(id) && l.includes('slack request failed'));
      assert.ok(logged, 'the failure is logged with the same request id');
      assert.match(logged, /exploded/);
      assert.match(logged, /"stack"/);
    } finally {
      await h.close();
    }
  });

  it('a user error (unknown issuer) is explained to the user with the request id', async () => {
    const h = await startHarness();
    try {
      await h.sendCommand('summary 不存在的部门');
      const [reply] = await h.fake.waitForMethod('response_url');
      assert.equal(reply?.body.response_type, 'ephemeral');
      assert.match(String(reply?.body.text), /Unknown issuer "不存在的部门".*\(request req_[0-9a-f]{12}\)/);
    } finally {
      await h.close();
    }
  });
});
