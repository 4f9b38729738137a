/** `/policy summary` for issuers and documents of a real library, and help with the library's examples. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Engine } from '../../src/engine/createEngine.js';
import { createLibraryEngine } from '../helpers/engine.js';
import { type Harness, messageText, startHarness } from './helpers/harness.js';

describe('slack /policy over a library of documents', () => {
  let engine: Engine;
  let h: Harness;
  before(async () => {
    engine = await createLibraryEngine('slack-commands');
    h = await startHarness({ engine });
  });
  after(async () => {
    await h?.close();
    await engine?.close();
  });

  let commands = 0;
  async function command(text: string): Promise<string> {
    const id = `lib-${++commands}`;
    const res = await h.sendCommand(text, { response_url: h.fake.responseUrl(id) });
    assert.equal(res.status, 200);
    const [reply] = await h.fake.waitFor((c) => c.method === 'response_url' && c.path === `/response/${id}`);
    assert.ok(reply);
    return messageText(reply.body);
  }

  it('summary 国办发〔2019〕3号: that document, its sections cited', async () => {
    const doc = engine.documents().find((d) => d.meta.docNumber === '国办发〔2019〕3号');
    assert.ok(doc);
    const text = await command('summary 国办发〔2019〕3号');
    assert.ok(text.includes(doc.meta.title), text.slice(0, 200));
    for (const heading of doc.sections) assert.ok(text.includes(heading), heading);
    assert.match(text, /\[1\]/u);
  });

  it("summary 国务院: the issuer's documents, one line each", async () => {
    const own = engine.documents().filter((d) => d.meta.issuers.some((i) => i.full === '国务院'));
    const text = await command('summary 国务院');
    for (const doc of own) assert.ok(text.includes(doc.meta.title), doc.meta.title);
  });

  it('help shows an example question from the library, never one of another corpus', async () => {
    const text = await command('help');
    // In the language the command was typed in ("help" reads as English).
    const examples = [...engine.exampleQuestions('zh'), ...engine.exampleQuestions('en')];
    assert.ok(
      examples.some((e) => text.includes(e)),
      text,
    );
    assert.doesNotMatch(text, /5G/u);
  });
});
