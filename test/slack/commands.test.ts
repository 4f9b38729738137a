import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ActionId, decodeAnswerRef } from '../../src/slack/index.js';
import type { RecordedCall } from './helpers/fake-slack-api.js';
import { type Harness, messageText, startHarness } from './helpers/harness.js';

interface ButtonLike {
  action_id?: string;
  value?: string;
}

function buttons(body: Record<string, unknown>): ButtonLike[] {
  const blocks = (body.blocks ?? []) as Array<{ type: string; elements?: ButtonLike[] }>;
  return blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements ?? []);
}

describe('slack slash command /policy and buttons', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => h.close());

  /** Sends the command and returns what the bot posted to its response_url. */
  let commands = 0;
  async function command(text: string): Promise<RecordedCall> {
    const id = `cmd-${++commands}`;
    const res = await h.sendCommand(text, { response_url: h.fake.responseUrl(id) });
    assert.equal(res.status, 200);
    assert.equal(
      await res.text(),
      '',
      'acknowledged with an empty body; the answer follows via response_url',
    );
    const [reply] = await h.fake.waitFor((c) => c.method === 'response_url' && c.path === `/response/${id}`);
    assert.ok(reply);
    assert.equal(reply.body.response_type, 'ephemeral');
    return reply;
  }

  it('help: usage, and that slash commands cannot be used in threads', async () => {
    const text = messageText((await command('help')).body);
    assert.match(text, /\/policy summary/);
    assert.match(text, /\/policy issuers/);
    assert.match(text, /\/policy figures/);
    assert.match(text, /slash commands inside threads/);
    const empty = messageText((await command('')).body);
    assert.match(empty, /\/policy help/, 'an empty command shows help');
  });

  it('issuers: lists the issuers', async () => {
    const text = messageText((await command('issuers')).body);
    for (const d of ['科技司', '电子信息司', '信息通信发展司', '中小企业局']) assert.ok(text.includes(d), d);
  });

  it('summary 中小企业局: that issuer only', async () => {
    const text = messageText((await command('summary 中小企业局')).body);
    assert.match(text, /工业和信息化部中小企业局/);
    assert.ok(!text.includes('工业和信息化部科技司'));
  });

  it('figures 中小企业局: that issuer’s key figures with their quotes; a topic word narrows them', async () => {
    const text = messageText((await command('figures 中小企业局')).body);
    assert.match(text, /Key figures of “中小企业局”\* \(6\)/);
    assert.match(text, /2021 完成 新培育专精特新“小巨人”企业：2930家 —「新培育专精特新“小巨人”企业2930家」/);
    assert.match(text, /2022 目标 .*3000家左右/);
    assert.ok(!text.includes('60万个'), 'not another issuer’s figure');
    const topic = messageText((await command('figures 虚拟专网')).body);
    assert.match(topic, /1000个/);
    const none = messageText((await command('figures 火星')).body);
    assert.match(none, /No key figures found for “火星”/);
  });

  it('a question: a private answer with sources and a Share button; Share posts it publicly', async () => {
    const reply = await command('2021年新建了多少个5G基站？');
    const text = messageText(reply.body);
    assert.match(text, /信息通信发展司/);
    assert.match(text, /Sources/);
    const share = buttons(reply.body).find((b) => b.action_id === ActionId.ShareAnswer);
    assert.ok(share?.value, 'share button present');
    const ref = decodeAnswerRef(share.value);
    assert.equal(ref?.question, '2021年新建了多少个5G基站？');

    const res = await h.sendAction(
      blockAction(ActionId.ShareAnswer, share.value, {
        ephemeral: true,
        responseUrl: h.fake.responseUrl('share'),
      }),
    );
    assert.equal(res.status, 200);
    const [post] = await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.body.channel === 'C1');
    const shared = messageText(post?.body ?? {});
    assert.match(shared, /<@U1> shared an answer/);
    assert.match(shared, /信息通信发展司/);
    assert.ok(
      !buttons(post?.body ?? {}).some((b) => b.action_id === ActionId.ShareAnswer),
      'no share button on the public copy',
    );
    const [cleanup] = await h.fake.waitFor((c) => c.path === '/response/share');
    assert.equal(cleanup?.body.delete_original, true, 'the private copy is removed');
  });

  it('Share still works when the answer is no longer cached (asked again)', async () => {
    const value = JSON.stringify({ a: 'gone-answer-id', q: '2021年新建了多少个5G基站？' });
    await h.sendAction(
      blockAction(ActionId.ShareAnswer, value, {
        ephemeral: true,
        channel: 'C7',
        responseUrl: h.fake.responseUrl('share2'),
      }),
    );
    const [post] = await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.body.channel === 'C7');
    assert.match(messageText(post?.body ?? {}), /信息通信发展司/);
  });

  it('Share in a channel the bot cannot post to: asks to be invited, keeps the private answer', async () => {
    h.fake.override((call) =>
      call.method === 'chat.postMessage' && call.body.channel === 'GPRIVATE'
        ? { body: { ok: false, error: 'not_in_channel' } }
        : undefined,
    );
    const value = JSON.stringify({ a: 'gone-answer-id-2', q: '2021年新建了多少个5G基站？' });
    await h.sendAction(
      blockAction(ActionId.ShareAnswer, value, {
        ephemeral: true,
        channel: 'GPRIVATE',
        responseUrl: h.fake.responseUrl('share-private'),
      }),
    );
    const [note] = await h.fake.waitFor((c) => c.path === '/response/share-private');
    assert.match(String(note?.body.text), /Invite me first/);
    assert.equal(note?.body.replace_original, false);
    await h.front.idle();
    assert.equal(h.fake.calls.filter((c) => c.path === '/response/share-private').length, 1, 'not deleted');
  });

  it('👍/👎 append to feedback.jsonl and thank the user privately', async () => {
    const value = JSON.stringify({ a: 'answer-1', q: '2021年新建了多少个5G基站？' });
    await h.sendAction(
      blockAction(ActionId.FeedbackUp, value, { ephemeral: false, threadTs: '1710000000.000001' }),
    );
    const [thanks] = await h.fake.waitForMethod('chat.postEphemeral');
    assert.equal(thanks?.body.user, 'U1');
    assert.equal(thanks?.body.channel, 'C1');
    assert.equal(thanks?.body.thread_ts, '1710000000.000001');
    assert.match(String(thanks?.body.text), /Thanks/);

    await h.sendAction(
      blockAction(ActionId.FeedbackDown, value, {
        ephemeral: true,
        user: 'U2',
        responseUrl: h.fake.responseUrl('fb'),
      }),
    );
    const [ephemeralThanks] = await h.fake.waitFor((c) => c.path === '/response/fb');
    assert.equal(ephemeralThanks?.body.response_type, 'ephemeral');
    assert.equal(ephemeralThanks?.body.replace_original, false, 'the answer stays');

    const lines = (await readFile(join(h.feedbackDir, 'feedback.jsonl'), 'utf8')).trim().split('\n');
    const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(records.length, 2);
    assert.deepEqual(
      records.map((r) => [r.question, r.answerId, r.user, r.vote]),
      [
        ['2021年新建了多少个5G基站？', 'answer-1', 'U1', 'up'],
        ['2021年新建了多少个5G基站？', 'answer-1', 'U2', 'down'],
      ],
    );
    for (const r of records) assert.ok(!Number.isNaN(Date.parse(String(r.ts))), 'ISO timestamp');
  });
});

function blockAction(
  actionId: string,
  value: string,
  o: { ephemeral: boolean; channel?: string; user?: string; threadTs?: string; responseUrl?: string },
) {
  const channel = o.channel ?? 'C1';
  return {
    type: 'block_actions',
    token: 'legacy-verification-token',
    api_app_id: 'A1',
    trigger_id: '1.2.3',
    team: { id: 'T1', domain: 'test' },
    user: { id: o.user ?? 'U1', username: 'alice', team_id: 'T1' },
    channel: { id: channel, name: 'general' },
    container: {
      type: 'message',
      message_ts: '1710000000.999999',
      channel_id: channel,
      is_ephemeral: o.ephemeral,
      ...(o.threadTs ? { thread_ts: o.threadTs } : {}),
    },
    response_url: o.responseUrl ?? 'http://127.0.0.1:9/unused',
    actions: [
      {
        type: 'button',
        action_id: actionId,
        block_id: 'b1',
        value,
        text: { type: 'plain_text', text: 'x' },
        action_ts: '1',
      },
    ],
  };
}
