import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Engine } from '../../src/engine/createEngine.js';
import { ChannelScopes, parseScopes } from '../../src/scopes/index.js';
import { createScopedTestEngine } from '../helpers/scoped-engine.js';
import {
  callAibot,
  encryptedAppPost,
  type Harness,
  postApp,
  type Reply,
  refresh,
  startHarness,
  textMessage,
  textMessageXml,
  waitFor,
} from './helpers.js';

const MIIT_ISSUERS = ['科技司', '电子信息司', '信息通信发展司', '中小企业局'];
const NDRC_ISSUERS = ['高技术司', '地区振兴司'];
const names = (text: string, issuers: readonly string[]) => issuers.some((i) => text.includes(i));

function streamOf(reply: Reply | null) {
  assert.ok(reply && reply.msgtype === 'stream', `expected a stream reply, got ${JSON.stringify(reply)}`);
  return reply.stream;
}

/** Sends an AI-bot message and polls its stream until it finishes; returns the final content. */
async function askAibot(h: Harness, message: ReturnType<typeof textMessage>): Promise<string> {
  let stream = streamOf((await callAibot(h.base, message)).reply);
  const deadline = Date.now() + 10_000;
  while (!stream.finish) {
    assert.ok(Date.now() < deadline, 'stream never finished');
    await new Promise((r) => setTimeout(r, 10));
    stream = streamOf((await callAibot(h.base, refresh(stream.id, message.from.userid))).reply);
  }
  return stream.content;
}

const inGroup = (content: string, msgid: string, chatid: string) => ({
  ...textMessage(`@政策助手 ${content}`, msgid),
  chattype: 'group',
  chatid,
});

describe('WeCom: document sets per group chat (POLICYBOT_SCOPES_FILE)', () => {
  let engine: Engine;
  let h: Harness;
  before(async () => {
    ({ engine } = await createScopedTestEngine());
    const file = parseScopes(
      {
        sets: { ndrc: { folders: ['ndrc'], label: '发改委文件' } },
        wecom: { wrGROUPNDRC: 'ndrc' },
        dm: { folders: ['miit'], label: '工信部文件' },
      },
      'scopes.json',
    );
    h = await startHarness(engine, {}, { scopes: new ChannelScopes(file, engine.documents()) });
  });
  after(async () => {
    await h.close();
    await engine.close();
  });

  it('AI bot: the same question in a mapped group and in a single chat is answered from different sets', async () => {
    const question = '2022年重点工作有哪些？';
    const group = await askAibot(h, inGroup(question, 'scope-g1', 'wrGROUPNDRC'));
    const single = await askAibot(h, textMessage(question, 'scope-s1'));
    assert.ok(names(group, NDRC_ISSUERS), `group answer from the NDRC set: ${group.slice(0, 200)}`);
    assert.ok(!names(group, MIIT_ISSUERS), 'nothing from outside the group set');
    assert.ok(names(single, MIIT_ISSUERS), `single chat uses the DM default set: ${single.slice(0, 200)}`);
    assert.ok(!names(single, NDRC_ISSUERS));
  });

  it('AI bot: 范围 shows the set; an unmapped group gets the DM default', async () => {
    const group = await askAibot(h, inGroup('范围', 'scope-g2', 'wrGROUPNDRC'));
    assert.match(group, /本群的文件范围：发改委文件/);
    assert.match(group, /文件夹 ndrc/);
    assert.match(group, /1\/2 份/);
    const other = await askAibot(h, inGroup('scope', 'scope-g3', 'wrOTHER'));
    assert.match(other, /工信部文件/);
  });

  it('AI bot: 数据 (key figures) in a group keeps to its set; a single chat sees the DM default', async () => {
    const group = await askAibot(h, inGroup('数据', 'scope-f1', 'wrGROUPNDRC'));
    assert.match(group, /没有找到全部文件的关键数据/, 'the NDRC set states no figures');
    const single = await askAibot(h, textMessage('数据 中小企业局', 'scope-f2'));
    assert.match(single, /“中小企业局”的关键数据（\d+条）/);
    assert.match(single, /1万亿元/);
    const outside = await askAibot(h, inGroup('数据 中小企业局', 'scope-f3', 'wrGROUPNDRC'));
    assert.ok(!outside.includes('1万亿元'), 'an issuer outside the group set shows none of its figures');
  });

  it('app messages (one-to-one) see the DM default set', async () => {
    const post = encryptedAppPost(textMessageXml('2022年重点工作有哪些？', '7300000000000000001', 'lisi'));
    assert.equal((await postApp(h.base, post)).status, 200);
    const sent = await waitFor(() => h.api.sends()[0], 10_000, 'message/send');
    const content = JSON.stringify(sent.body);
    assert.ok(names(content, MIIT_ISSUERS), content.slice(0, 300));
    assert.ok(!names(content, NDRC_ISSUERS));
  });
});
