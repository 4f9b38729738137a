/** The WeCom compare command (比较/对比/compare) through the app callback and the AI bot, as WeCom sends them. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { PolicyEngine } from '../../src/engine/PolicyEngine.js';
import { runCommand } from '../../src/wecom/commands.js';
import { createTestEngine } from '../helpers/engine.js';
import {
  callAibot,
  encryptedAppPost,
  type Harness,
  postApp,
  refresh,
  type StreamReply,
  startHarness,
  textMessage,
  textMessageXml,
  waitFor,
} from './helpers.js';

const contentOf = (body: unknown) => {
  const b = body as { msgtype: string; markdown?: { content: string }; text?: { content: string } };
  return (b.msgtype === 'markdown' ? b.markdown?.content : b.text?.content) ?? '';
};

let engine: PolicyEngine;
before(async () => {
  engine = await createTestEngine();
});
after(() => engine.close());

describe('WeCom compare command', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness(engine);
  });
  after(() => h.close());

  it('比较 中小企业局 through the app callback: results vs targets as markdown with sources', async () => {
    const res = await postApp(
      h.base,
      encryptedAppPost(textMessageXml('比较 中小企业局', '7100000000000000001')),
    );
    assert.equal(res.status, 200);
    const sends = await waitFor(() => (h.api.sends().length > 0 ? h.api.sends() : null));
    const all = sends.map((s) => contentOf(s.body)).join('\n');
    assert.match(all, /^比较：中小企业局《着力推动中小企业 平稳健康发展》2021年成绩 → /);
    assert.match(all, /2930家 → 3000家左右/);
    assert.match(all, /\*\*来源\*\*/);
    assert.match(all, /> \[1\] 中小企业局/);
  });

  it('对比 中小企业局 2021 2022 through the AI bot: the stream finishes with the comparison and its sources', async () => {
    const first = (await callAibot(h.base, textMessage('对比 中小企业局 2021 2022', 'cmp-aibot-1')))
      .reply as StreamReply;
    assert.equal(first.msgtype, 'stream');
    let content = first.stream.content;
    const deadline = Date.now() + 10_000;
    for (let finished = first.stream.finish; !finished; ) {
      assert.ok(Date.now() < deadline, 'stream never finished');
      const r = (await callAibot(h.base, refresh(first.stream.id))).reply as StreamReply;
      content = r.stream.content;
      finished = r.stream.finish;
      if (!finished) await new Promise((res) => setTimeout(res, 10));
    }
    assert.match(content, /^比较：中小企业局/);
    assert.match(content, /2930家 → 3000家左右/);
    assert.match(content, /\*\*来源\*\*/);
  });

  it('explains a side that names nothing in Chinese', async () => {
    const reply = await runCommand(engine, { kind: 'compare', before: '火星局', after: null }, 'req_x');
    assert.match(reply, /^无法比较：Nothing in the library matches “火星局”/);
  });
});
