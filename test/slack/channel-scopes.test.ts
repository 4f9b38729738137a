import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Engine } from '../../src/engine/createEngine.js';
import { ChannelScopes, parseScopes } from '../../src/scopes/index.js';
import { createScopedTestEngine } from '../helpers/scoped-engine.js';
import { type Harness, mention, message, messageText, startHarness } from './helpers/harness.js';

const MIIT_ISSUERS = ['科技司', '电子信息司', '信息通信发展司', '中小企业局'];
const NDRC_ISSUERS = ['高技术司', '地区振兴司'];

/** Whether a posted answer names (cites) one of these issuers. */
function cites(body: Record<string, unknown>, issuers: readonly string[]): boolean {
  const text = messageText(body);
  return issuers.some((i) => text.includes(i));
}

describe('slack: document sets per channel (POLICYBOT_SCOPES_FILE)', () => {
  let engine: Engine;
  let h: Harness;
  before(async () => {
    ({ engine } = await createScopedTestEngine());
    const file = parseScopes(
      {
        sets: { miit: { folders: ['miit'], label: 'MIIT plans' } },
        slack: { CMIIT: 'miit', CNDRC: { issuers: ['地区振兴司', '高技术司'] } },
        dm: 'all',
      },
      'scopes.json',
    );
    h = await startHarness({ engine, scopes: new ChannelScopes(file, engine.documents()) });
  });
  after(async () => {
    await h.close();
    await engine.close();
  });

  it('the same question: a mapped channel answers from its set, a DM from the whole library', async () => {
    const question = '2022年推进区域协调发展的重点工作有哪些？';
    await h.sendEvent(mention(question, { channel: 'CMIIT' }));
    const [inChannel] = await h.fake.waitFor(
      (c) => c.method === 'chat.postMessage' && c.body.channel === 'CMIIT',
    );
    await h.sendEvent(message(question, { channel: 'D1', channel_type: 'im' }));
    const [inDm] = await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.body.channel === 'D1');
    assert.ok(inChannel && inDm);
    const channelText = messageText(inChannel.body);
    const dmText = messageText(inDm.body);
    assert.ok(cites(inChannel.body, MIIT_ISSUERS), `channel answer cites MIIT: ${channelText.slice(0, 300)}`);
    assert.ok(!cites(inChannel.body, NDRC_ISSUERS), 'channel answer cites nothing outside its set');
    assert.ok(
      cites(inDm.body, NDRC_ISSUERS),
      `the DM answer comes from the NDRC document: ${dmText.slice(0, 300)}`,
    );
    assert.notEqual(channelText, dmText);
  });

  it('a question only the other set covers is refused in the channel, answered in a DM', async () => {
    const question = '2021年新建了多少个5G基站？';
    await h.sendEvent(mention(question, { channel: 'CNDRC' }));
    const [inChannel] = await h.fake.waitFor(
      (c) => c.method === 'chat.postMessage' && c.body.channel === 'CNDRC',
    );
    await h.sendEvent(message(question, { channel: 'D2', channel_type: 'im' }));
    const [inDm] = await h.fake.waitFor((c) => c.method === 'chat.postMessage' && c.body.channel === 'D2');
    assert.ok(!messageText(inChannel?.body ?? {}).includes('60万'), 'not from the MIIT document');
    assert.match(messageText(inDm?.body ?? {}), /60万/);
  });

  it('/policy scope shows the set; summary and issuers keep to it', async () => {
    let n = 0;
    const scope = async (channel: string, text: string) => {
      const id = `scope-${++n}`;
      await h.sendCommand(text, { channel_id: channel, response_url: h.fake.responseUrl(id) });
      const [reply] = await h.fake.waitFor(
        (c) => c.method === 'response_url' && c.path === `/response/${id}`,
      );
      return messageText(reply?.body ?? {});
    };
    const miit = await scope('CMIIT', 'scope');
    assert.match(miit, /This channel sees the document set MIIT plans/);
    assert.match(miit, /1 of 2 documents/);
    assert.match(miit, /folder miit/);
    const dm = await scope('D9', 'scope');
    assert.match(dm, /whole library/);
    const issuers = await scope('CNDRC', 'issuers');
    assert.match(issuers, /高技术司/);
    assert.ok(!issuers.includes('科技司'), 'MIIT issuers are not listed in the NDRC channel');
    const summary = await scope('CNDRC', 'summary');
    assert.match(summary, /地区振兴司/);
    assert.ok(!summary.includes('信息通信发展司'), 'the all-issuers summary keeps to the set');
    const outside = await scope('CNDRC', 'summary 科技司');
    assert.ok(!outside.includes('工业和信息化部科技司'), 'an issuer outside the set is not summarised');
    // Key figures keep to the set too: the NDRC document states none, the MIIT seed does.
    assert.match(await scope('CNDRC', 'figures'), /No key figures found for the library/);
    assert.match(await scope('CNDRC', 'figures 中小企业局'), /No key figures found/);
    const inMiit = await scope('CMIIT', 'figures 中小企业局');
    assert.match(inMiit, /Key figures of “中小企业局”/);
    assert.match(inMiit, /1万亿元/);
    assert.match(await scope('D9', 'figures 中小企业局'), /1万亿元/, 'a DM sees the whole library');
  });
});
