import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { PolicyEngine } from '../../src/engine/PolicyEngine.js';
import type { AnswerEvent, Question } from '../../src/types.js';
import { computeSignature, decodeAesKey, encryptMessage } from '../../src/wecom/wecom-crypto.js';
import { createTestEngine } from '../helpers/engine.js';
import {
  AIBOT,
  callAibot,
  type Harness,
  type Reply,
  refresh,
  type StreamReply,
  startHarness,
  textMessage,
  utf8Bytes,
} from './helpers.js';

const key = decodeAesKey(AIBOT.encodingAesKey);
const corpus = readFileSync(new URL('../../corpus/miit-2022-work-plans.txt', import.meta.url), 'utf8');
const RIGHT_PASSAGE = corpus.split(/\n\s*\n/).find((p) => p.includes('新建5G基站超60万个')) ?? '';

function asStream(reply: Reply | null): StreamReply {
  assert.ok(reply && reply.msgtype === 'stream', `expected a stream reply, got ${JSON.stringify(reply)}`);
  return reply;
}

/** An engine whose answer streams wait for `release()`, to hold streams in flight. */
function gatedEngine(engine: PolicyEngine) {
  let release!: () => void;
  const gate = new Promise<void>((r) => {
    release = r;
  });
  const gated: PolicyEngine = {
    ...engine,
    answerStream: async function* (q: Question): AsyncIterable<AnswerEvent> {
      yield { type: 'delta', text: '正在' };
      await gate;
      yield* engine.answerStream(q);
    },
  };
  return { engine: gated, release: () => release() };
}

let engine: PolicyEngine;
before(async () => {
  engine = await createTestEngine();
});
after(() => engine.close());

describe('WeCom AI bot: streaming', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness(engine);
  });
  after(() => h.close());

  it('verifies its callback URL with an empty receive id', async () => {
    const echostr = encryptMessage(key, '8827366159', '');
    const qs = new URLSearchParams({
      msg_signature: computeSignature(AIBOT.token, '1700000000', '42', echostr),
      timestamp: '1700000000',
      nonce: '42',
      echostr,
    });
    const res = await fetch(`${h.base}/wecom/aibot?${qs}`);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), '8827366159');
  });

  it('streams a cited answer: stream reply, cumulative refreshes, then finish with sources', async () => {
    const first = asStream(
      (await callAibot(h.base, textMessage('2021年新建了多少个5G基站？', 'msg-1'))).reply,
    );
    assert.equal(first.stream.finish, false);
    const id = first.stream.id;
    const seen = [first.stream.content];
    let final: StreamReply | null = null;
    const deadline = Date.now() + 5000;
    while (!final) {
      assert.ok(Date.now() < deadline, 'stream never finished');
      const r = asStream((await callAibot(h.base, refresh(id))).reply);
      assert.equal(r.stream.id, id);
      seen.push(r.stream.content);
      if (r.stream.finish) final = r;
      else await new Promise((res) => setTimeout(res, 5));
    }
    // Cumulative: every reply carries everything sent before it.
    for (let i = 1; i < seen.length; i++) {
      assert.ok((seen[i] ?? '').startsWith(seen[i - 1] ?? ''), `reply ${i} is cumulative`);
    }
    const content = final.stream.content;
    assert.ok(utf8Bytes(content) <= 20_480);
    assert.match(content, /\*\*来源\*\*/);
    assert.match(content, /信息通信发展司/);
    const quotes = [...content.matchAll(/“([^”]+?)…?”/g)].map((m) => m[1] ?? '');
    assert.match(content, /60万/);
    assert.ok(
      quotes.some((q) => q.length >= 6 && RIGHT_PASSAGE.includes(q)),
      content,
    );
    // Refreshing a finished stream repeats the final content.
    const again = asStream((await callAibot(h.base, refresh(id))).reply);
    assert.deepEqual(again.stream, final.stream);
  });

  it('answers a retried msgid with the same stream, not a new one', async () => {
    const a = asStream((await callAibot(h.base, textMessage('2021年新建了多少个5G基站？', 'msg-dup'))).reply);
    const b = asStream((await callAibot(h.base, textMessage('2021年新建了多少个5G基站？', 'msg-dup'))).reply);
    assert.equal(b.stream.id, a.stream.id);
  });

  it('answers help at once with a finished stream and welcomes enter_chat', async () => {
    const help = asStream((await callAibot(h.base, textMessage('@PolicyBot 帮助', 'msg-help'))).reply);
    assert.equal(help.stream.finish, true);
    assert.match(help.stream.content, /总结 发文机关或文件/);
    const welcome = (
      await callAibot(h.base, {
        msgid: 'e1',
        msgtype: 'event',
        from: { userid: 'u' },
        event: { eventtype: 'enter_chat' },
      })
    ).reply;
    assert.equal(welcome?.msgtype, 'text');
    const other = await callAibot(h.base, {
      msgid: 'e2',
      msgtype: 'event',
      event: { eventtype: 'feedback_event' },
    });
    assert.deepEqual(other, { status: 200, reply: null });
  });

  it('answers transcribed voice and the text of mixed messages like text', async () => {
    const voice = asStream(
      (
        await callAibot(h.base, {
          msgid: 'v1',
          msgtype: 'voice',
          from: { userid: 'u' },
          voice: { content: '帮助' },
        })
      ).reply,
    );
    assert.equal(voice.stream.finish, true);
    assert.match(voice.stream.content, /总结 发文机关或文件/);
    const mixed = asStream(
      (
        await callAibot(h.base, {
          msgid: 'x1',
          msgtype: 'mixed',
          from: { userid: 'u' },
          mixed: {
            msg_item: [
              { msgtype: 'image', image: { url: 'u' } },
              { msgtype: 'text', text: { content: '部门' } },
            ],
          },
        })
      ).reply,
    );
    assert.match(mixed.stream.content, /可查询的部门/);
  });

  it('closes an unknown stream id and declines images politely', async () => {
    const unknown = asStream((await callAibot(h.base, refresh('stream_doesnotexist'))).reply);
    assert.equal(unknown.stream.finish, true);
    const image = asStream(
      (
        await callAibot(h.base, {
          msgid: 'img',
          msgtype: 'image',
          from: { userid: 'u' },
          image: { url: 'x' },
        })
      ).reply,
    );
    assert.equal(image.stream.finish, true);
    assert.match(image.stream.content, /文字/);
  });
});

describe('WeCom AI bot: limits and hostile input', () => {
  it('refuses a 4th concurrent stream for the same user, then finishes the three', async () => {
    const gated = gatedEngine(engine);
    const h = await startHarness(gated.engine);
    try {
      const ids: string[] = [];
      for (let i = 1; i <= 3; i++) {
        const r = asStream(
          (await callAibot(h.base, textMessage('2021年新建了多少个5G基站？', `c-${i}`, 'zhaoliu'))).reply,
        );
        assert.equal(r.stream.finish, false);
        ids.push(r.stream.id);
      }
      const fourth = asStream(
        (await callAibot(h.base, textMessage('还有一个问题？', 'c-4', 'zhaoliu'))).reply,
      );
      assert.equal(fourth.stream.finish, true);
      assert.match(fourth.stream.content, /请稍候/);
      // Another user is not affected.
      const other = asStream(
        (await callAibot(h.base, textMessage('2021年新建了多少个5G基站？', 'c-5', 'sunqi'))).reply,
      );
      assert.equal(other.stream.finish, false);
      // While gated, a refresh shows the partial content (once the answer has started: answers wait until
      // the burst of callbacks has been acknowledged).
      let partial = asStream((await callAibot(h.base, refresh(ids[0] ?? '', 'zhaoliu'))).reply);
      for (let i = 0; i < 40 && partial.stream.content === ''; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        partial = asStream((await callAibot(h.base, refresh(ids[0] ?? '', 'zhaoliu'))).reply);
      }
      assert.deepEqual([partial.stream.finish, partial.stream.content], [false, '正在']);
      gated.release();
      await h.frontEnd.stop();
      for (const id of ids) {
        const done = asStream((await callAibot(h.base, refresh(id, 'zhaoliu'))).reply);
        assert.equal(done.stream.finish, true);
      }
      const fifth = asStream(
        (await callAibot(h.base, textMessage('2021年新建了多少个5G基站？', 'c-6', 'zhaoliu'))).reply,
      );
      assert.equal(fifth.stream.finish, false, 'slots are free again');
    } finally {
      gated.release();
      await h.close();
    }
  });

  it('rejects bad signatures, wrong receive ids, junk JSON and bad payloads with 4xx', async () => {
    const h = await startHarness(engine);
    try {
      const payload = JSON.stringify(textMessage('你好', 'bad-1'));
      const post = async (encrypt: string, sign = true, rawBody?: string) => {
        const qs = new URLSearchParams({
          msg_signature: sign ? computeSignature(AIBOT.token, '1', '2', encrypt) : '0'.repeat(40),
          timestamp: '1',
          nonce: '2',
        });
        return fetch(`${h.base}/wecom/aibot?${qs}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: rawBody ?? JSON.stringify({ encrypt }),
        });
      };
      assert.equal((await post(encryptMessage(key, payload, ''), false)).status, 401);
      assert.equal((await post(encryptMessage(key, payload, 'wx5823bf96d3bd56c7'))).status, 400);
      assert.equal((await post(encryptMessage(key, 'not json', ''))).status, 400);
      assert.equal((await post(encryptMessage(key, '{"no":"msgtype"}', ''))).status, 400);
      assert.equal((await post('', true, '{"encrypt":')).status, 400);
      assert.equal((await post('', true, '{"other":1}')).status, 400);
      assert.equal((await post('', true, '[]')).status, 400);
      await h.frontEnd.stop();
      assert.equal(h.api.requests.length, 0);
    } finally {
      await h.close();
    }
  });
});
