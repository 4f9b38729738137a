import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Engine } from '../../src/engine/createEngine.js';
import { InputError, UnknownIssuerError } from '../../src/errors/index.js';
import type { Answer } from '../../src/types.js';
import { createTestEngine } from '../helpers/engine.js';

let engine: Engine;
before(async () => {
  engine = await createTestEngine();
});
after(() => engine.close());

test('status reports the index, the (test) embedder and no LLM', () => {
  const status = engine.status();
  assert.equal(status.indexLoaded, true);
  assert.equal(status.documentCount, 1);
  assert.ok(status.chunkCount > 20);
  assert.equal(status.embedder.mode, 'dense');
  assert.match(status.embedder.reason ?? '', /TEST MODEL/);
  assert.deepEqual(status.llm, { configured: false, model: null, circuit: null });
  assert.deepEqual(status.corpusProblems, []);
});

test('answer: the 5G question is answered from 信息通信发展司 with a verbatim quote', async () => {
  const answer = await engine.answer({ text: '2021年新建了多少个5G基站？', requestId: 'req_t1' });
  assert.equal(answer.refused, false);
  assert.equal(answer.mode, 'extractive');
  assert.match(answer.text, /超60万个/);
  assert.match(answer.text, /\[1\]/);
  const [citation] = answer.citations;
  assert.equal(citation?.issuer, '信息通信发展司');
  const doc = engine.index.documents.find((d) => d.id === citation?.doc);
  assert.equal(doc?.cleanedText.slice(citation?.start, citation?.end), citation?.quote);
  assert.ok(citation?.passage.includes(citation.quote));
});

test('answerStream yields deltas then exactly one final answer equal in substance to answer()', async () => {
  const events = [];
  for await (const event of engine.answerStream({
    text: '小微企业融资担保有什么政策？',
    requestId: 'req_t2',
  })) {
    events.push(event);
  }
  const finals = events.filter((e) => e.type === 'final');
  assert.equal(finals.length, 1);
  assert.equal(events.at(-1)?.type, 'final');
  const final = (finals[0] as { answer: Answer }).answer;
  assert.match(final.text, /融资担保降费奖补政策/);
});

test('a issuer filter restricts the citations; an unknown one is a user error', async () => {
  const answer = await engine.answer({
    text: '要举办什么大赛？',
    requestId: 'req_t3',
    issuer: '中小企业',
  });
  for (const c of answer.citations) assert.equal(c.issuer, '中小企业局');
  await assert.rejects(
    engine.answer({ text: '要举办什么大赛？', requestId: 'req_t4', issuer: '财政部' }),
    UnknownIssuerError,
  );
  await assert.rejects(engine.answer({ text: '   ', requestId: 'req_t5' }), InputError);
});

test('follow-ups carry the previous topic to a newly named issuer', async () => {
  const first = '信息通信发展司2022年有哪些重点工作？';
  const answer = await engine.answer({
    text: '那中小企业局呢？',
    requestId: 'req_t6',
    history: [
      { role: 'user', text: first },
      { role: 'assistant', text: '…' },
    ],
  });
  assert.equal(answer.refused, false);
  assert.ok(answer.citations.length > 0);
  for (const c of answer.citations) assert.equal(c.issuer, '中小企业局');
});

test('out-of-corpus questions are refused with suggestions', async () => {
  const answer = await engine.answer({ text: '2021年全国GDP增长率是多少？', requestId: 'req_t7' });
  assert.equal(answer.refused, true);
  assert.equal(answer.citations.length, 0);
  assert.match(answer.text, /没有/);
});

test('issuers, fuzzy resolution, summaries and passages', async () => {
  assert.deepEqual(
    engine.issuers().map((d) => d.short),
    ['科技司', '电子信息司', '信息通信发展司', '中小企业局'],
  );
  assert.equal(engine.issuers()[0]?.sections.length, 5);
  assert.equal(engine.resolveIssuer('SME')?.short, '中小企业局');
  const summary = await engine.summary('Science and Technology');
  assert.equal(summary.issuer?.short, '科技司');
  assert.ok(summary.citations.length >= 5);
  const again = await engine.summary('科技司', { language: 'en' });
  assert.equal(again, summary, 'cached by corpus fingerprint, issuer, language and mode');
  const all = await engine.summary(null);
  assert.equal(all.issuers.length, 4);
  await assert.rejects(engine.summary('weather bureau'), UnknownIssuerError);
  const chunk = engine.index.chunks[5];
  assert.ok(chunk);
  const passage = engine.passage(chunk.id);
  assert.ok(passage?.context.includes(chunk.text));
  assert.equal(engine.passage('nope#1'), null);
});

test('a question about one year prefers passages about that year', async () => {
  const past = await engine.answer({ text: '2021年培育了多少家专精特新小巨人企业？', requestId: 'req_t8' });
  assert.match(past.text, /2930家/);
  const plan = await engine.answer({ text: '2022年要培育多少家小巨人企业？', requestId: 'req_t9' });
  assert.match(plan.text, /3000家/);
});

test('a question about a issuer plan as a whole is answered from its summary, every point cited', async () => {
  const answer = await engine.answer({ text: '科技司2022年的重点工作有哪些？', requestId: 'req_t10' });
  const leads = engine.issuers().find((d) => d.short === '科技司')?.sections ?? [];
  assert.equal(leads.length, 5);
  for (const lead of leads) assert.ok(answer.text.includes(lead.replace(/。$/, '')), lead);
  assert.equal(answer.citations.length, 5);
  for (const c of answer.citations) assert.equal(c.issuer, '科技司');
  const results = await engine.answer({ text: '中小企业局2021年取得了哪些成绩？', requestId: 'req_t11' });
  assert.match(results.text, /2930家/);
  // A topic inside the issuer is still answered from the passages.
  const topical = await engine.answer({
    text: '电子信息司在智能光伏方面要做哪些工作？',
    requestId: 'req_t12',
  });
  assert.match(topical.text, /智能光伏/);
  assert.ok(topical.citations.length <= 2);
});
