import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/config/index.js';
import type { PolicyEngine } from '../../src/engine/PolicyEngine.js';
import type { Answer } from '../../src/types.js';
import { dedupeTtlMs } from '../../src/wecom/index.js';
import { computeSignature } from '../../src/wecom/wecom-crypto.js';
import { createTestEngine } from '../helpers/engine.js';
import {
  EXAMPLE,
  encryptedAppPost,
  type Harness,
  postApp,
  startHarness,
  textMessageXml,
  utf8Bytes,
  waitFor,
} from './helpers.js';

const QUESTION = '2021年新建了多少个5G基站？';
const corpus = readFileSync(new URL('../../corpus/miit-2022-work-plans.txt', import.meta.url), 'utf8');
const RIGHT_PASSAGE = corpus.split(/\n\s*\n/).find((p) => p.includes('新建5G基站超60万个')) ?? '';

/**
 * The reply states 60万, names 信息通信发展司 and quotes the passage that says "新建5G基站超60万个"
 * (asserted on content, not exact wording, so engine improvements do not break it).
 */
function assertCitesRightPassage(content: string): void {
  assert.ok(RIGHT_PASSAGE, 'corpus has the 5G passage');
  assert.match(content, /信息通信发展司/);
  const quotes = [...content.matchAll(/“([^”]+?)…?”/g)].map((m) => m[1] ?? '');
  const quotesRightPassage = quotes.some((q) => q.length >= 6 && RIGHT_PASSAGE.includes(q));
  assert.match(content, /60万/);
  assert.ok(quotesRightPassage, `does not quote the 5G passage:\n${content}`);
}

interface SendBody {
  touser: string;
  agentid: number;
  msgtype: 'text' | 'markdown';
  text?: { content: string };
  markdown?: { content: string };
}
const contentOf = (body: unknown) => {
  const b = body as SendBody;
  return (b.msgtype === 'markdown' ? b.markdown?.content : b.text?.content) ?? '';
};

let engine: PolicyEngine;
before(async () => {
  engine = await createTestEngine();
});
after(() => engine.close());

describe('WeCom app callback: URL verification (GET)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness(engine);
  });
  after(() => h.close());

  it('answers the official example with the decrypted echostr', async () => {
    const qs = new URLSearchParams({
      msg_signature: '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3',
      timestamp: '1409659589',
      nonce: '263014780',
      echostr: 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==',
    });
    const res = await fetch(`${h.base}/wecom/callback?${qs}`);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), '1616140317555161061');
  });

  it('rejects a wrong signature with 401 and missing parameters with 400', async () => {
    const qs = new URLSearchParams({
      msg_signature: '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd4',
      timestamp: '1409659589',
      nonce: '263014780',
      echostr: 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==',
    });
    const res = await fetch(`${h.base}/wecom/callback?${qs}`);
    assert.equal(res.status, 401);
    assert.ok(!(await res.text()).includes('1616140317555161061'));
    const missing = await fetch(`${h.base}/wecom/callback?timestamp=1&nonce=2`);
    assert.equal(missing.status, 400);
  });
});

describe('WeCom app callback: messages (POST)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness(engine);
  });
  after(() => h.close());

  it('answers a Chinese question through message/send with a cited answer', async () => {
    const before = h.api.sends().length;
    const res = await postApp(h.base, encryptedAppPost(textMessageXml(QUESTION, '7000000000000000001')));
    assert.equal(res.status, 200);
    assert.equal(await res.text(), '');
    const sends = await waitFor(() => (h.api.sends().length > before ? h.api.sends().slice(before) : null));
    const first = sends[0];
    assert.ok(first);
    const body = first.body as SendBody;
    assert.equal(body.touser, 'zhangsan');
    assert.equal(body.agentid, 1000002);
    assert.equal(body.msgtype, 'markdown');
    assertCitesRightPassage(contentOf(body));
    assert.match(contentOf(body), /来源/);
    assert.equal(first.query.access_token, 'token-1');
    const tokenCall = h.api.tokenRequests()[0];
    assert.deepEqual(tokenCall?.query, { corpid: EXAMPLE.corpId, corpsecret: 'app-secret-value' });
  });

  it('reuses the cached access token for the next message', async () => {
    const before = h.api.sends().length;
    await postApp(h.base, encryptedAppPost(textMessageXml('帮助', '7000000000000000002')));
    const sends = await waitFor(() => (h.api.sends().length > before ? h.api.sends().slice(before) : null));
    assert.equal(h.api.tokenRequests().length, 1);
    assert.equal(sends[0]?.query.access_token, 'token-1');
    assert.match(contentOf(sends[0]?.body), /帮助/);
  });

  it('answers a MsgId retried three times exactly once', async () => {
    await h.frontEnd.stop();
    const before = h.api.sends().length;
    const post = encryptedAppPost(textMessageXml(QUESTION, '7000000000000000003'));
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await postApp(h.base, post)).status);
    assert.deepEqual(statuses, [200, 200, 200]);
    await waitFor(() => h.api.sends().length > before);
    await h.frontEnd.stop(); // drain background work before counting
    assert.equal(h.api.sends().length - before, 1);
  });

  it('refreshes an expired token once (42001) and resends once', async () => {
    await h.frontEnd.stop();
    const sendsBefore = h.api.sends().length;
    const tokensBefore = h.api.tokenRequests().length;
    h.api.sendErrcodes.push(42001);
    await postApp(h.base, encryptedAppPost(textMessageXml('部门', '7000000000000000004')));
    await waitFor(() => h.api.sends().length >= sendsBefore + 2);
    await h.frontEnd.stop();
    const sends = h.api.sends().slice(sendsBefore);
    assert.equal(sends.length, 2, 'one failed send + one resend');
    assert.equal(h.api.tokenRequests().length - tokensBefore, 1, 'exactly one refresh');
    assert.notEqual(sends[0]?.query.access_token, sends[1]?.query.access_token);
    assert.deepEqual(sends[0]?.body, sends[1]?.body);
    assert.match(contentOf(sends[1]?.body), /科技司/);
  });

  it('refreshes at most once: a second 42001 gives up and tells the user', async () => {
    await h.frontEnd.stop();
    const sendsBefore = h.api.sends().length;
    const tokensBefore = h.api.tokenRequests().length;
    h.api.sendErrcodes.push(42001, 42001);
    await postApp(h.base, encryptedAppPost(textMessageXml('部门', '7000000000000000014')));
    await waitFor(() => h.api.sends().length >= sendsBefore + 3);
    await h.frontEnd.stop();
    assert.equal(h.api.tokenRequests().length - tokensBefore, 1, 'one refresh only');
    const sends = h.api.sends().slice(sendsBefore);
    assert.equal(sends.length, 3, 'send, resend, then the error notice');
    assert.match(contentOf(sends[2]?.body), /请求编号 req_/);
  });

  it('falls back to text when markdown is refused', async () => {
    await h.frontEnd.stop();
    const before = h.api.sends().length;
    h.api.markdownErrcode = 40008;
    try {
      await postApp(h.base, encryptedAppPost(textMessageXml(QUESTION, '7000000000000000005')));
      await waitFor(() => h.api.sends().length >= before + 2);
      await h.frontEnd.stop();
    } finally {
      h.api.markdownErrcode = null;
    }
    const sends = h.api.sends().slice(before);
    assert.deepEqual(
      sends.map((s) => (s.body as SendBody).msgtype),
      ['markdown', 'text'],
    );
    const text = contentOf(sends[1]?.body);
    assert.ok(!text.includes('**'));
    assertCitesRightPassage(text);
    assert.ok(utf8Bytes(text) <= 2048);
  });

  it('welcomes enter_agent events and politely declines images', async () => {
    await h.frontEnd.stop();
    const before = h.api.sends().length;
    const event = `<xml><ToUserName><![CDATA[${EXAMPLE.corpId}]]></ToUserName><FromUserName><![CDATA[lisi]]></FromUserName><CreateTime>1409659813</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[enter_agent]]></Event><EventKey><![CDATA[]]></EventKey><AgentID>1000002</AgentID></xml>`;
    const image = `<xml><ToUserName><![CDATA[${EXAMPLE.corpId}]]></ToUserName><FromUserName><![CDATA[lisi]]></FromUserName><CreateTime>1409659814</CreateTime><MsgType><![CDATA[image]]></MsgType><PicUrl><![CDATA[http://example/x.jpg]]></PicUrl><MediaId><![CDATA[m]]></MediaId><MsgId>7000000000000000006</MsgId><AgentID>1000002</AgentID></xml>`;
    assert.equal((await postApp(h.base, encryptedAppPost(event))).status, 200);
    await waitFor(() => h.api.sends().length >= before + 1);
    assert.equal((await postApp(h.base, encryptedAppPost(image))).status, 200);
    await waitFor(() => h.api.sends().length >= before + 2);
    const [welcome, polite] = h.api
      .sends()
      .slice(before)
      .map((s) => s.body as SendBody);
    assert.equal(welcome?.msgtype, 'text');
    // Example questions come from the loaded library.
    const [example] = engine.exampleQuestions('zh');
    assert.ok(example && (welcome?.text?.content ?? '').includes(example));
    assert.match(polite?.text?.content ?? '', /文字/);
  });

  it('summarises a issuer for "总结 科技司" and "/summary 科技司"', async () => {
    await h.frontEnd.stop();
    const before = h.api.sends().length;
    await postApp(h.base, encryptedAppPost(textMessageXml('总结 科技司', '7000000000000000007')));
    await postApp(h.base, encryptedAppPost(textMessageXml('/summary 电子信息', '7000000000000000008')));
    await postApp(h.base, encryptedAppPost(textMessageXml('总结 不存在的部门', '7000000000000000009')));
    await waitFor(() => h.api.sends().length >= before + 3);
    const contents = h.api
      .sends()
      .slice(before)
      .map((s) => contentOf(s.body));
    assert.ok(contents.some((c) => c.includes('工业和信息化部科技司')));
    assert.ok(contents.some((c) => c.includes('电子信息司')));
    assert.ok(contents.some((c) => c.includes('没有找到发文机关或文件“不存在的部门”')));
  });

  it('lists key figures for "数据 中小企业局" and "/figures 虚拟专网", each with its quote', async () => {
    await h.frontEnd.stop();
    const before = h.api.sends().length;
    await postApp(h.base, encryptedAppPost(textMessageXml('数据 中小企业局', '7000000000000000010')));
    await postApp(h.base, encryptedAppPost(textMessageXml('/figures 虚拟专网', '7000000000000000011')));
    await waitFor(() => h.api.sends().length >= before + 2);
    const contents = h.api
      .sends()
      .slice(before)
      .map((s) => contentOf(s.body));
    const sme = contents.find((c) => c.includes('“中小企业局”的关键数据（6条）'));
    assert.ok(sme, contents.join('\n---\n'));
    assert.match(sme, /2021 完成 新培育专精特新“小巨人”企业：2930家 —「新培育专精特新“小巨人”企业2930家」/);
    assert.ok(!sme.includes('60万个'));
    assert.ok(contents.some((c) => c.includes('1000个') && c.includes('新建1000个行业虚拟专网')));
  });
});

describe('WeCom app callback: hostile input', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness(engine);
  });
  after(() => h.close());

  async function assertRejected(res: Response, status: number | null = null): Promise<void> {
    assert.ok(res.status >= 400 && res.status < 500, `status ${res.status}`);
    if (status !== null) assert.equal(res.status, status);
    await h.frontEnd.stop();
    assert.equal(h.api.requests.length, 0, 'nothing was sent to WeCom');
  }

  it('rejects a tampered signature with 401', async () => {
    const post = encryptedAppPost(textMessageXml(QUESTION, '8000000000000000001'));
    const bad = post.signature.replace(/.$/, (c) => (c === '0' ? '1' : '0'));
    await assertRejected(await postApp(h.base, { ...post, signature: bad }), 401);
  });

  it('rejects tampered ciphertext (re-signed, so only decryption can catch it) with 400', async () => {
    const post = encryptedAppPost(textMessageXml(QUESTION, '8000000000000000002'));
    const bytes = Buffer.from(post.encrypt, 'base64');
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0xff; // destroys the padding
    const encrypt = bytes.toString('base64');
    const body = post.body.replace(post.encrypt, encrypt);
    const signature = computeSignature(EXAMPLE.token, post.timestamp, post.nonce, encrypt);
    await assertRejected(await postApp(h.base, { ...post, body, signature }), 400);
  });

  it('rejects truncated ciphertext with 400', async () => {
    const post = encryptedAppPost(textMessageXml(QUESTION, '8000000000000000003'));
    const encrypt = Buffer.from(post.encrypt, 'base64').subarray(0, 32).toString('base64');
    const body = post.body.replace(post.encrypt, encrypt);
    const signature = computeSignature(EXAMPLE.token, post.timestamp, post.nonce, encrypt);
    await assertRejected(await postApp(h.base, { ...post, body, signature }), 400);
  });

  it('rejects a message encrypted for another corp id with 400', async () => {
    const post = encryptedAppPost(textMessageXml(QUESTION, '8000000000000000004'), {
      receiveId: 'wxevil0000000000',
    });
    await assertRejected(await postApp(h.base, post), 400);
  });

  it('rejects DOCTYPE/ENTITY payloads, outside or inside the encryption, with 400', async () => {
    const post = encryptedAppPost(textMessageXml(QUESTION, '8000000000000000005'));
    const outer = `<!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${post.body}`;
    await assertRejected(await postApp(h.base, { ...post, body: outer }), 400);
    const inner = encryptedAppPost(
      `<!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><xml><FromUserName>u</FromUserName><MsgType>text</MsgType><Content>&b;</Content><MsgId>8000000000000000006</MsgId></xml>`,
    );
    await assertRejected(await postApp(h.base, inner), 400);
  });

  it('answers malformed XML, a missing Encrypt, junk and oversized bodies with 4xx, never 500', async () => {
    const post = encryptedAppPost(textMessageXml(QUESTION, '8000000000000000007'));
    for (const body of [
      '<xml><Encrypt>',
      '<xml><ToUserName>x</ToUserName></xml>',
      'not xml at all',
      '',
      'x'.repeat(70_000),
    ]) {
      const res = await postApp(h.base, { ...post, body });
      assert.ok(res.status >= 400 && res.status < 500, `status ${res.status} for ${body.slice(0, 20)}`);
    }
    const noQuery = await fetch(`${h.base}/wecom/callback`, { method: 'POST', body: post.body });
    await assertRejected(noQuery, 400);
  });
});

describe('WeCom app callback: timestamp window and failures', () => {
  it('rejects a stale timestamp when WECOM_MAX_SKEW_SECONDS is set', async () => {
    const now = 1_700_000_000_000;
    const h = await startHarness(engine, { maxSkewSeconds: 300 }, { now: () => now });
    try {
      const stale = encryptedAppPost(textMessageXml(QUESTION, '9000000000000000001'), {
        timestamp: String(now / 1000 - 301),
      });
      assert.equal((await postApp(h.base, stale)).status, 401);
      const fresh = encryptedAppPost(textMessageXml('帮助', '9000000000000000002'), {
        timestamp: String(now / 1000 - 10),
      });
      assert.equal((await postApp(h.base, fresh)).status, 200);
      await waitFor(() => h.api.sends().length === 1);
    } finally {
      await h.close();
    }
  });

  it('by default a captured callback replayed after the dedupe window or a restart is rejected', async () => {
    const defaults = loadConfig({}).wecom.maxSkewSeconds;
    assert.ok(defaults > 0, 'the timestamp window is on by default');
    assert.ok(
      dedupeTtlMs(defaults) >= 2 * defaults * 1000,
      'MsgIds outlive every timestamp the window accepts',
    );
    const start = 1_700_000_000_000;
    let now = start;
    const captured = encryptedAppPost(textMessageXml('帮助', '9000000000000000010'), {
      timestamp: String(start / 1000),
    });
    const first = await startHarness(engine, { maxSkewSeconds: defaults }, { now: () => now });
    try {
      assert.equal((await postApp(first.base, captured)).status, 200);
      await waitFor(() => first.api.sends().length === 1);
      now = start + dedupeTtlMs(defaults) + 1000;
      assert.equal((await postApp(first.base, captured)).status, 401, 'replayed after the dedupe window');
    } finally {
      await first.close();
    }
    // A restart forgets every MsgId; the timestamp window still refuses the replay.
    now = start + (defaults + 1) * 1000;
    const restarted = await startHarness(engine, { maxSkewSeconds: defaults }, { now: () => now });
    try {
      assert.equal((await postApp(restarted.base, captured)).status, 401, 'replayed after a restart');
      assert.equal(restarted.api.sends().length, 0);
    } finally {
      await restarted.close();
    }
  });

  it('shows the user only a short message with the request id when the engine fails', async () => {
    const failing: PolicyEngine = {
      ...engine,
      answer: async () => {
        throw new Error('index exploded at /secret/path');
      },
    };
    const h = await startHarness(failing);
    try {
      await postApp(h.base, encryptedAppPost(textMessageXml(QUESTION, '9000000000000000003')));
      const [send] = await waitFor(() => (h.api.sends().length ? h.api.sends() : null));
      const text = contentOf(send?.body);
      assert.match(text, /请求编号 req_[0-9a-f]{12}/);
      assert.ok(!text.includes('exploded') && !text.includes('/secret/path'));
    } finally {
      await h.close();
    }
  });

  it('splits a long answer into markdown messages of at most 4,096 bytes', async () => {
    const long: PolicyEngine = {
      ...engine,
      answer: async (q) => {
        const base = await engine.answer(q);
        return {
          ...base,
          text: '2021年全国新建5G基站超60万个，千兆光网覆盖能力超2.6亿户家庭。'.repeat(120),
        } satisfies Answer;
      },
    };
    const h = await startHarness(long);
    try {
      await postApp(h.base, encryptedAppPost(textMessageXml(QUESTION, '9000000000000000004')));
      await waitFor(() => h.api.sends().length >= 2);
      await h.frontEnd.stop();
      const contents = h.api.sends().map((s) => contentOf(s.body));
      assert.ok(contents.length >= 2);
      for (const c of contents) assert.ok(utf8Bytes(c) <= 4096, `${utf8Bytes(c)} bytes`);
      assert.match(contents.at(-1) ?? '', /来源/);
    } finally {
      await h.close();
    }
  });
});
