import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type DedupeStore, MemoryDedupeStore } from '../../src/internal/ttl-store.js';
import type { Answer, Question } from '../../src/types.js';
import {
  BOT_TOKEN,
  type Harness,
  mention,
  message,
  messageText,
  nextTs,
  SIGNING_SECRET,
  startHarness,
  testEngine,
} from './helpers/harness.js';

const FIVE_G = '2021年新建了多少个5G基站？';

describe('slack events: mentions, DMs, follow-ups', () => {
  let h: Harness;
  const questions: Question[] = [];
  const answers: Answer[] = [];

  before(async () => {
    const base = await testEngine();
    // Wrap the engine to capture the Question each answer was asked with.
    const engine = {
      ...base,
      answer: async (q: Question) => {
        questions.push(q);
        const a = await base.answer(q);
        answers.push(a);
        return a;
      },
    };
    h = await startHarness({ engine });
  });
  after(async () => h.close());

  it('answers a mention in the message thread with sources, with 👀 while working', async () => {
    const event = mention(FIVE_G);
    const res = await h.sendEvent(event);
    assert.equal(res.status, 200);
    const [post] = await h.fake.waitFor(
      (c) => c.method === 'chat.postMessage' && c.body.thread_ts === event.ts,
    );
    assert.ok(post);
    assert.equal(post.body.channel, 'C1');
    const text = messageText(post.body);
    const answer = answers.find((a) => a.question === FIVE_G);
    assert.ok(answer, 'the engine was asked the question without the mention');
    // The stand-in engine quotes a different sentence of the right passage than the real one; both cite it.
    assert.match(`${text}\n${answer.citations.map((c) => c.passage).join('\n')}`, /60万/);
    assert.ok(text.includes(answer.text.slice(0, 40)), 'the reply carries the answer text');
    assert.match(text, /信息通信发展司/);
    assert.match(text, /Sources/);
    assert.match(text, /\[1\] 信息通信发展司 · /);
    await h.front.idle();
    const add = h.fake.callsTo('reactions.add').find((c) => c.body.timestamp === event.ts);
    const remove = h.fake.callsTo('reactions.remove').find((c) => c.body.timestamp === event.ts);
    assert.equal(add?.body.name, 'eyes');
    assert.equal(remove?.body.name, 'eyes');
    assert.ok(
      add && remove && add.at <= post.at && post.at <= remove.at,
      '👀 added before the answer, removed after',
    );
    assert.ok(!String(questions.at(-1)?.text).includes('<@UBOT>'), 'bot mention stripped from the question');
  });
});

describe('slack events: follow-ups, DMs, dedupe, filters', () => {
  let h: Harness;
  const questions: Question[] = [];
  /** Every dedupe claim and whether it was new. */
  const claims: Array<{ key: string; fresh: boolean }> = [];

  before(async () => {
    const base = await testEngine();
    const engine = {
      ...base,
      answer: async (q: Question) => {
        questions.push(q);
        return base.answer(q);
      },
    };
    const store = new MemoryDedupeStore();
    const dedupe: DedupeStore = {
      claim: async (key, ttlMs) => {
        const fresh = await store.claim(key, ttlMs);
        claims.push({ key, fresh });
        return fresh;
      },
    };
    h = await startHarness({ engine, dedupe });
  });
  after(async () => {
    await h.close();
    const all = h.logs.join('\n');
    assert.ok(!all.includes(BOT_TOKEN), 'the bot token never reaches the logs');
    assert.ok(!all.includes(SIGNING_SECRET), 'the signing secret never reaches the logs');
  });

  const postsInThread = (channel: string, threadTs: string | undefined) =>
    h.fake
      .callsTo('chat.postMessage')
      .filter((c) => c.body.channel === channel && c.body.thread_ts === threadTs);

  it('answers a direct message in the DM', async () => {
    const dm = message('中小企业局2022年的重点工作是什么？', { channel: 'D1', channel_type: 'im' });
    assert.equal((await h.sendEvent(dm)).status, 200);
    const [post] = await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.body.channel === 'D1');
    assert.equal(post?.body.thread_ts, undefined, 'a top-level DM is answered at the top level');
    assert.match(messageText(post?.body ?? {}), /Sources|文档中没有/);
    await h.front.idle();
    assert.ok(h.fake.callsTo('reactions.add').some((c) => c.body.timestamp === dm.ts));
  });

  it('answers a follow-up in a thread it answered, with the thread history as prior turns', async () => {
    const root = nextTs();
    const followUp = message('那千兆光网覆盖了多少户家庭？', { thread_ts: root });
    h.fake.threads.set(`C1:${root}`, [
      { type: 'message', user: 'U1', text: `<@UBOT> ${FIVE_G}`, ts: root },
      {
        type: 'message',
        user: 'UBOT',
        bot_id: 'BBOT',
        text: '新建5G基站超60万个。[1]',
        ts: nextTs(),
        thread_ts: root,
      },
      { type: 'message', user: 'U2', bot_id: 'BOTHER', text: 'another bot', ts: nextTs(), thread_ts: root },
      { ...followUp },
    ]);
    await h.sendEvent(followUp);
    const [post] = await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.body.thread_ts === root);
    assert.ok(post);
    const replies = h.fake.callsTo('conversations.replies').filter((c) => c.body.ts === root);
    assert.equal(replies.length, 1, 'history fetched once (and reused for the follow-up check)');
    assert.equal(replies[0]?.body.channel, 'C1');
    const q = questions.find((x) => x.text === '那千兆光网覆盖了多少户家庭？');
    assert.deepEqual(q?.history, [
      { role: 'user', text: FIVE_G },
      { role: 'assistant', text: '新建5G基站超60万个。[1]' },
    ]);
  });

  it('uses the history when mentioned inside an existing thread', async () => {
    const root = nextTs();
    const ask = mention('那2022年呢？', { thread_ts: root });
    h.fake.threads.set(`C1:${root}`, [{ type: 'message', user: 'U2', text: FIVE_G, ts: root }, { ...ask }]);
    await h.sendEvent(ask);
    await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.body.thread_ts === root);
    const q = questions.find((x) => x.text === '那2022年呢？');
    assert.deepEqual(q?.history, [{ role: 'user', text: FIVE_G }]);
  });

  it('ignores replies in threads it has not taken part in', async () => {
    const root = nextTs();
    const reply = message('just chatting', { thread_ts: root });
    h.fake.threads.set(`C1:${root}`, [
      { type: 'message', user: 'U2', text: 'hello', ts: root },
      { ...reply },
    ]);
    await h.sendEvent(reply);
    await h.fake.waitFor((c) => c.method === 'conversations.replies' && c.body.ts === root);
    await h.front.idle();
    assert.equal(postsInThread('C1', root).length, 0);
    assert.ok(!h.fake.callsTo('reactions.add').some((c) => c.body.timestamp === reply.ts));
  });

  it('ignores top-level channel chatter that does not mention it', async () => {
    const before = h.fake.workCalls.length;
    await h.sendEvent(message('lunch anyone?'));
    await h.front.idle();
    assert.equal(h.fake.workCalls.length, before);
  });

  it('ignores bot messages (its own included), edits and deletions', async () => {
    const before = h.fake.workCalls.length;
    const asked = questions.length;
    const ts = nextTs();
    const events = [
      message(`<@UBOT> ${FIVE_G}`, { bot_id: 'BOTHER', user: 'U9' }),
      message(`<@UBOT> ${FIVE_G}`, { subtype: 'bot_message', bot_id: 'BOTHER', user: undefined }),
      message('新建5G基站超60万个。', { user: 'UBOT', bot_id: 'BBOT', channel: 'D1', channel_type: 'im' }),
      mention(FIVE_G, { bot_id: 'BOTHER' }),
      message('', {
        subtype: 'message_changed',
        user: undefined,
        message: { type: 'message', user: 'U1', text: `<@UBOT> ${FIVE_G}`, ts },
        previous_message: { type: 'message', user: 'U1', text: 'x', ts },
      }),
      message('', {
        subtype: 'message_deleted',
        user: undefined,
        deleted_ts: ts,
        channel: 'D1',
        channel_type: 'im',
      }),
      message(`edited <@UBOT> ${FIVE_G}`, { subtype: 'message_changed', channel: 'D1', channel_type: 'im' }),
    ];
    for (const event of events) assert.equal((await h.sendEvent(event)).status, 200);
    await h.front.idle();
    assert.equal(h.fake.workCalls.length, before, 'no Web API calls');
    assert.equal(questions.length, asked, 'the engine was not asked');
  });

  it('answers a retried event (same event_id, X-Slack-Retry-Num: 1) once', async () => {
    const event = mention(FIVE_G);
    const first = await h.sendEvent(event, { eventId: 'EvRETRY1' });
    const retry = await h.sendEvent(event, { eventId: 'EvRETRY1', retryNum: 1 });
    assert.equal(first.status, 200);
    assert.equal(retry.status, 200, 'the retry is acknowledged too');
    await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.body.thread_ts === event.ts);
    await h.front.idle();
    assert.equal(postsInThread('C1', event.ts).length, 1);
    assert.deepEqual(
      claims.filter((c) => c.key === 'slack:event:EvRETRY1').map((c) => c.fresh),
      [true, false],
      'the retry is dropped by its event_id, before any listener runs',
    );
  });

  it('answers the app_mention + message pair for the same message once', async () => {
    const ts = nextTs();
    const text = `<@UBOT> ${FIVE_G}`;
    const asMessage = message(text, { ts });
    const asMention = { type: 'app_mention', user: 'U1', text, ts, channel: 'C1' };
    await Promise.all([h.sendEvent(asMessage), h.sendEvent(asMention)]);
    await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.body.thread_ts === ts);
    await h.front.idle();
    assert.equal(postsInThread('C1', ts).length, 1);
    assert.equal(h.fake.callsTo('reactions.add').filter((c) => c.body.timestamp === ts).length, 1);
  });

  it('retries a Web API call that got HTTP 429 with Retry-After, after waiting', async () => {
    let limited = false;
    h.fake.override((call) => {
      if (call.method === 'chat.postMessage' && call.body.channel === 'C429' && !limited) {
        limited = true;
        return { status: 429, headers: { 'retry-after': '1' }, body: { ok: false, error: 'ratelimited' } };
      }
      return undefined;
    });
    const event = mention(FIVE_G, { channel: 'C429' });
    await h.sendEvent(event);
    const posts = await h.fake.waitFor(
      (c) => c.method === 'chat.postMessage' && c.body.channel === 'C429',
      2,
    );
    const [first, second] = posts;
    assert.ok(first && second);
    assert.ok(second.at - first.at >= 900, `waited Retry-After (${second.at - first.at} ms)`);
    assert.deepEqual(second.body, first.body, 'the same message was retried');
    await h.front.idle();
    assert.equal(h.fake.callsTo('chat.postMessage').filter((c) => c.body.channel === 'C429').length, 2);
  });
});
