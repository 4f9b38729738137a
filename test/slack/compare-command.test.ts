/** `/policy compare …` through the real Slack front end (signed slash command in, response_url out). */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Harness, messageText, startHarness } from './helpers/harness.js';

describe('slack /policy compare', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => h.close());

  async function command(text: string, id: string) {
    const res = await h.sendCommand(text, { response_url: h.fake.responseUrl(id) });
    assert.equal(res.status, 200);
    const [reply] = await h.fake.waitFor((c) => c.method === 'response_url' && c.path === `/response/${id}`);
    assert.ok(reply);
    assert.equal(reply.body.response_type, 'ephemeral');
    return reply.body;
  }

  it('compare 中小企业局 2021 2022: the comparison, each side cited, with its sources', async () => {
    const body = await command('compare 中小企业局 2021 2022', 'cmp-1');
    const text = messageText(body);
    assert.match(String(body.text), /^比较：中小企业局/);
    assert.match(text, /2930家 → 3000家左右/);
    assert.match(text, /Sources|来源/);
    const blocks = body.blocks as unknown[];
    assert.ok(blocks.length <= 50);
  });

  it('a side that names nothing gets a short message, not an error dump', async () => {
    const body = await command('compare 火星局', 'cmp-2');
    assert.match(String(body.text), /Nothing in the library matches “火星局”/);
    assert.doesNotMatch(String(body.text), /at resolveTarget|\.ts:/);
  });
});
