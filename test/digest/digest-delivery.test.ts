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
import { MemoryDedupeStore } from '../../src/internal/ttl-store.js';
import { createSilentLogger } from '../../src/logging/logger.js';
import { ChannelScopes, parseScopes } from '../../src/scopes/index.js';
import { createSlackDigestSender } from '../../src/slack/digest-sender.js';
import { createWecomDigestSender, createWecomFrontEnd } from '../../src/wecom/index.js';
import { createScopedTestEngine } from '../helpers/scoped-engine.js';
import { BOT_TOKEN, SIGNING_SECRET, startHarness as startSlack } from '../slack/helpers/harness.js';
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
      parseScopes({ sets: { ndrc: { folders: ['ndrc'] } }, slack: { CNDRC: 'ndrc' } }, 'scopes.json'),
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

      await h.sendCommand('unsubscribe', { channel_id: 'CNDRC', response_url: h.fake.responseUrl('sub3') });
      const [gone] = await h.fake.waitFor((c) => c.path === '/response/sub3');
      assert.match(String(gone?.body.text), /Removed 1 subscription/);
      assert.deepEqual(await subscriptions.list(), []);
    } finally {
      await h.close();
    }
  });

  it('WeCom: 订阅 in an AI-bot group chat; the digest goes to that group robot as markdown', async () => {
    const webhook = `${wecomApi.base}/cgi-bin/webhook/send?key=group-robot-key`;
    const scopes = new ChannelScopes(
      parseScopes({ webhooks: { wrGROUP1: webhook } }, 'scopes.json'),
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
      assert.deepEqual(
        (await subscriptions.list()).map((s) => s.conversation),
        ['chat:wrGROUP1'],
      );

      const sender = createWecomDigestSender({ scopes, app: null, logger });
      await runDigest({
        engine,
        documents,
        subscriptions,
        claims: new MemoryDedupeStore(),
        scopes,
        logger,
        senders: { wecom: sender },
      });
      const hooks = wecomApi.webhooks();
      assert.equal(hooks.length, 1, 'only the document the filter selects');
      assert.equal(hooks[0]?.query.key, 'group-robot-key');
      const body = hooks[0]?.body as { msgtype: string; markdown: { content: string } };
      assert.equal(body.msgtype, 'markdown');
      assert.match(body.markdown.content, /^\*\*新文件：国家发展改革委 2022年重点工作思路\*\*/);
      assert.match(body.markdown.content, /想了解更多，请发送/);
    } finally {
      await front?.stop();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
