/**
 * Subscribing over the real wire protocols (Slack slash command, WeCom AI bot in a group chat) and the digest
 * delivered to the local Slack Web API and WeCom group-robot stand-ins.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import { MemorySubscriptionStore, runDigest } from '../../src/digest/index.js';
import type { Engine } from '../../src/engine/createEngine.js';
import { keyFigures } from '../../src/figures/key-figures.js';
import { MemoryDedupeStore } from '../../src/internal/ttl-store.js';
import { createSilentLogger } from '../../src/logging/logger.js';
import { ChannelScopes, parseScopes } from '../../src/scopes/index.js';
import { ActionId } from '../../src/slack/action-ids.js';
import { createSlackDigestSender } from '../../src/slack/digest-sender.js';
import { createWecomDigestSender, createWecomFrontEnd } from '../../src/wecom/index.js';
import { createScopedTestEngine } from '../helpers/scoped-engine.js';
import {
  BOT_TOKEN,
  messageText,
  SIGNING_SECRET,
  startHarness as startSlack,
} from '../slack/helpers/harness.js';
import { callAibot, FakeWecomApi, textMessage, wecomConfig } from '../wecom/helpers.js';

const logger = createSilentLogger();

describe('digest delivery end to end', () => {
  let engine: Engine;
  let documents: { id: string; contentHash: string }[];
  const wecomApi = new FakeWecomApi();
  before(async () => {
    ({ engine } = await createScopedTestEngine());
    documents = engine.index.manifest.documents.map((d) => ({ id: d.id, contentHash: d.contentHash }));
    await wecomApi.start();
  });
  after(async () => {
    await wecomApi.close();
    await engine.close();
  });

  it('Slack: /policy subscribe in a scoped channel, then one chat.postMessage per new document of its set', async () => {
    const scopes = new ChannelScopes(
      parseScopes(
        { sets: { ndrc: { folders: ['ndrc'] } }, slack: { CNDRC: 'ndrc', CMIIT: { folders: ['miit'] } } },
        'scopes.json',
      ),
      engine.documents(),
    );
    const subscriptions = new MemorySubscriptionStore();
    const h = await startSlack({ engine, scopes, subscriptions });
    try {
      await h.sendCommand('subscribe', { channel_id: 'CNDRC', response_url: h.fake.responseUrl('sub1') });
      const [reply] = await h.fake.waitFor((c) => c.path === '/response/sub1');
      assert.match(String(reply?.body.text), /This channel will get one message for every new document/);
      await h.sendCommand('subscribe', { channel_id: 'CNDRC', response_url: h.fake.responseUrl('sub2') });
      const [again] = await h.fake.waitFor((c) => c.path === '/response/sub2');
      assert.match(String(again?.body.text), /already gets/);

      await h.sendCommand('subscribe', { channel_id: 'CMIIT', response_url: h.fake.responseUrl('sub4') });
      await h.fake.waitFor((c) => c.path === '/response/sub4');

      const sender = createSlackDigestSender({
        config: {
          botToken: BOT_TOKEN,
          signingSecret: SIGNING_SECRET,
          appToken: undefined,
          apiUrl: h.fake.apiUrl,
          channelAllowlist: undefined,
          rateLimitPerMinute: 10,
          slashCommand: '/policy',
          threadFollowups: true,
        },
      });
      const claims = new MemoryDedupeStore();
      const run = () =>
        runDigest({ engine, documents, subscriptions, claims, scopes, logger, senders: { slack: sender } });
      await run();
      await run();
      const posts = h.fake.calls.filter((c) => c.method === 'chat.postMessage' && c.body.channel === 'CNDRC');
      assert.equal(posts.length, 1, 'one document in the set, sent once over two runs');
      const raw = posts[0]?.body.blocks;
      const blocks = (typeof raw === 'string' ? JSON.parse(raw) : raw) as Array<Record<string, unknown>>;
      assert.equal(blocks[0]?.type, 'header');
      assert.match(JSON.stringify(blocks), /New document: 国家发展改革委 2022年重点工作思路/);
      assert.match(JSON.stringify(blocks), /国家发展改革委地区振兴司/);
      assert.match(
        JSON.stringify(blocks),
        /\/policy 《国家发展改革委 2022年重点工作思路》的主要内容是什么？/,
      );

      // The MIIT channel's message: its key figures, targets first, each with its verbatim quote.
      const miitPosts = h.fake.calls.filter(
        (c) => c.method === 'chat.postMessage' && c.body.channel === 'CMIIT',
      );
      assert.equal(miitPosts.length, 1);
      const miitRaw = miitPosts[0]?.body.blocks;
      const miitBlocks = (typeof miitRaw === 'string' ? JSON.parse(miitRaw) : miitRaw) as Array<
        Record<string, unknown>
      >;
      const figuresBlock = miitBlocks.find((b) => JSON.stringify(b).includes('Key figures'));
      const figureLines = String((figuresBlock?.text as { text?: string } | undefined)?.text ?? '')
        .split('\n')
        .slice(1);
      const miit = documents.find((d) => d.id.startsWith('miit/'))?.id ?? '';
      const expected = keyFigures(engine.figures({ doc: miit }));
      assert.equal(expected.length, 5, 'the seed has more key figures than a digest shows');
      assert.equal(figureLines.length, expected.length);
      for (const [i, f] of expected.entries())
        assert.ok(figureLines[i]?.includes(`「${f.quote}」`), `quote of ${f.valueText}: ${figureLines[i]}`);
      assert.equal(expected[0]?.status, 'target', 'a target first');
      assert.ok(
        !miitBlocks.some((b) => JSON.stringify(b).includes('Key figures') && b !== figuresBlock),
        'one figures section',
      );
      assert.ok(
        !blocks.some((b) => JSON.stringify(b).includes('Key figures')),
        'no figures section for a document without figures',
      );

      // "Ask about it": a Block Kit button; pressing it posts the document's summary in the digest's thread.
      const actions = miitBlocks.find((b) => b.type === 'actions') as
        | { elements: { action_id: string; value: string }[] }
        | undefined;
      const button = actions?.elements.find((e) => e.action_id === ActionId.DigestAsk);
      assert.ok(button, 'an Ask about it button');
      const digestTs = String(
        (miitPosts[0]?.response as { ts?: string } | undefined)?.ts ?? '1710000000.000100',
      );
      const res = await h.sendAction({
        type: 'block_actions',
        api_app_id: 'A1',
        trigger_id: '1.2.3',
        team: { id: 'T1', domain: 'test' },
        user: { id: 'U5', username: 'analyst', team_id: 'T1' },
        channel: { id: 'CMIIT', name: 'miit' },
        container: { type: 'message', message_ts: digestTs, channel_id: 'CMIIT', is_ephemeral: false },
        response_url: h.fake.responseUrl('ask'),
        actions: [
          {
            type: 'button',
            action_id: ActionId.DigestAsk,
            block_id: 'b1',
            value: button.value,
            text: { type: 'plain_text', text: 'Ask about it' },
            action_ts: '1',
          },
        ],
      });
      assert.equal(res.status, 200, 'acked');
      const [threaded] = await h.fake.waitFor(
        (c) => c.method === 'chat.postMessage' && c.body.channel === 'CMIIT' && c.body.thread_ts === digestTs,
      );
      const threadText = messageText(threaded?.body ?? {});
      assert.match(threadText, /文件摘要/);
      assert.match(threadText, /落实工作会精神 推动高质量发展/);
      assert.match(threadText, /Reply in this thread with a question/);

      await h.sendCommand('unsubscribe', { channel_id: 'CNDRC', response_url: h.fake.responseUrl('sub3') });
      const [gone] = await h.fake.waitFor((c) => c.path === '/response/sub3');
      assert.match(String(gone?.body.text), /Removed 1 subscription/);
      assert.deepEqual(
        (await subscriptions.list()).map((s) => s.conversation),
        ['CMIIT'],
      );
    } finally {
      await h.close();
    }
  });

  it('WeCom: 订阅 in an AI-bot group chat; the digest goes to that group robot as markdown', async () => {
    const webhook = `${wecomApi.base}/cgi-bin/webhook/send?key=group-robot-key`;
    const scopes = new ChannelScopes(
      parseScopes(
        { webhooks: { wrGROUP1: webhook, wrGROUP2: webhook.replace('group-robot-key', 'miit-robot-key') } },
        'scopes.json',
      ),
      engine.documents(),
    );
    const subscriptions = new MemorySubscriptionStore();
    const app = express();
    const front = createWecomFrontEnd({
      config: wecomConfig(wecomApi.base),
      engine,
      logger,
      app,
      scopes,
      subscriptions,
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const group = (text: string, msgid: string, chatid: string) => ({
        ...textMessage(`@政策助手 ${text}`, msgid),
        chattype: 'group',
        chatid,
      });
      const ok = await callAibot(base, group('订阅 高技术司', 'sub-w1', 'wrGROUP1'));
      assert.match(JSON.stringify(ok.reply), /已订阅与“高技术司”相关的新文件/);
      const none = await callAibot(base, group('订阅', 'sub-w2', 'wrNOHOOK'));
      assert.match(JSON.stringify(none.reply), /还没有配置群机器人地址/);
      await callAibot(base, group('订阅 中小企业局', 'sub-w3', 'wrGROUP2'));
      assert.deepEqual(
        (await subscriptions.list()).map((s) => s.conversation),
        ['chat:wrGROUP1', 'chat:wrGROUP2'],
      );

      const sender = createWecomDigestSender({
        scopes,
        app: null,
        logger,
        publicUrl: 'https://policy.example.org',
      });
      await runDigest({
        engine,
        documents,
        subscriptions,
        claims: new MemoryDedupeStore(),
        scopes,
        logger,
        senders: { wecom: sender },
      });
      const hooks = wecomApi.webhooks().filter((w) => w.query.key === 'group-robot-key');
      assert.equal(hooks.length, 1, 'only the document the filter selects');
      assert.equal(hooks[0]?.query.key, 'group-robot-key');
      const body = hooks[0]?.body as { msgtype: string; markdown: { content: string } };
      assert.equal(body.msgtype, 'markdown');
      assert.match(body.markdown.content, /^\*\*新文件：国家发展改革委 2022年重点工作思路\*\*/);
      assert.match(body.markdown.content, /想了解更多，请在群里@我并发送/);
      // "Ask about it" as a link: the web page opens asking the document's question.
      const ask = encodeURIComponent('《国家发展改革委 2022年重点工作思路》的主要内容是什么？');
      assert.ok(
        body.markdown.content.includes(`[在网页上提问](https://policy.example.org/?q=${ask})`),
        body.markdown.content,
      );
      assert.ok(!body.markdown.content.includes('关键数据'), 'no figures for a document without any');
      const [miitHook] = wecomApi.webhooks().filter((w) => w.query.key === 'miit-robot-key');
      const miitBody =
        (miitHook?.body as { markdown?: { content: string } } | undefined)?.markdown?.content ?? '';
      assert.match(miitBody, /\*\*关键数据\*\*/);
      const miit = documents.find((d) => d.id.startsWith('miit/'))?.id ?? '';
      for (const f of keyFigures(engine.figures({ doc: miit })))
        assert.ok(miitBody.includes(`「${f.quote}」`), `quote of ${f.valueText}`);
      assert.ok(Buffer.byteLength(miitBody) <= 4096, 'within the markdown limit');
    } finally {
      await front?.stop();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
