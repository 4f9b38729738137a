import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { findIssuerMention, isFollowup, resolveFollowup } from '../../src/answer/followup.js';
import { createOpenAiLlm } from '../../src/llm/openai-llm.js';
import { createSilentLogger } from '../../src/logging/logger.js';
import type { Issuer, Question } from '../../src/types.js';
import { type OpenAiTestServer, startOpenAiServer } from '../helpers/openai-server.js';

const DEPTS: Issuer[] = [
  { short: '科技司', full: '工业和信息化部科技司' },
  { short: '电子信息司', full: '工业和信息化部电子信息司' },
  { short: '信息通信发展司', full: '工业和信息化部信息通信发展司' },
  { short: '中小企业局', full: '工业和信息化部中小企业局' },
];
/** Deliberately loose, like the engine's fuzzy resolver: any shared pair of characters or an English alias. */
function resolveIssuer(name: string): Issuer | null {
  if (/\bsme\b|small/i.test(name)) return DEPTS[3] ?? null;
  return DEPTS.find((d) => [...new Set(name)].filter((c) => d.short.includes(c)).length >= 2) ?? null;
}
const logger = createSilentLogger();
const ask = (text: string, previous: string, extra: Partial<Question> = {}): Question => ({
  text,
  requestId: 'req_f',
  history: [
    { role: 'user', text: previous },
    { role: 'assistant', text: '……[1]' },
  ],
  ...extra,
});

describe('follow-up detection', () => {
  it('recognises short or anaphoric questions only', () => {
    assert.equal(isFollowup('那中小企业局呢？'), true);
    assert.equal(isFollowup('what about 2021?'), true);
    assert.equal(
      isFollowup('How will the issuer promote 5G plus connected vehicles in the coming year?'),
      false,
    );
    assert.equal(isFollowup('电化学储能电站安全风险隐患专项整治工作由哪个部门牵头开展？'), false);
  });
  it('finds issuer mentions without fuzzy false positives', () => {
    assert.equal(findIssuerMention('那中小企业局呢？', resolveIssuer)?.issuer.short, '中小企业局');
    assert.equal(findIssuerMention('what about SME?', resolveIssuer)?.issuer.short, '中小企业局');
    assert.equal(findIssuerMention('信息通信方面呢？', resolveIssuer), null);
    assert.equal(findIssuerMention('what about 2021?', resolveIssuer), null);
  });
});

describe('resolveFollowup (extractive)', () => {
  const deps = { llm: null, resolveIssuer, logger };

  it('carries the previous topic to a newly named issuer', async () => {
    const r = await resolveFollowup(ask('那中小企业局呢？', '科技司2022年在标准体系方面有什么安排？'), deps);
    assert.equal(r.issuer, '中小企业局');
    assert.match(r.query, /中小企业局/);
    assert.match(r.query, /2022年在标准体系方面有什么安排/);
    assert.doesNotMatch(r.query, /科技司/);
  });

  it('swaps the year and keeps the previous issuer', async () => {
    const r = await resolveFollowup(
      ask('what about 2021?', 'What did 科技司 plan for standards in 2022?'),
      deps,
    );
    assert.equal(r.query, 'What did 科技司 plan for standards in 2021?');
    assert.equal(r.issuer, '科技司');
  });

  it('adds a year when the previous question had none', async () => {
    const r = await resolveFollowup(ask('那2021年呢？', '中小企业局培育了多少小巨人企业？'), deps);
    assert.match(r.query, /^2021 中小企业局培育了多少小巨人企业/);
  });

  it('leaves standalone questions and first questions alone', async () => {
    const standalone = '电子信息司的智能光伏方面要开展什么工作？';
    assert.deepEqual(await resolveFollowup(ask(standalone, '小微企业融资担保有什么政策？'), deps), {
      query: standalone,
      issuer: undefined,
    });
    assert.deepEqual(
      await resolveFollowup({ text: '那中小企业局呢？', requestId: 'r', issuer: '科技司' }, deps),
      {
        query: '那中小企业局呢？',
        issuer: '科技司',
      },
    );
  });
});

describe('resolveFollowup (LLM)', () => {
  let server: OpenAiTestServer;
  before(async () => {
    server = await startOpenAiServer();
  });
  after(async () => {
    await server.close();
  });
  const llmDeps = () => ({
    llm: createOpenAiLlm({
      config: {
        apiKey: 'k',
        baseURL: server.baseURL,
        model: 'm',
        timeoutMs: 300,
        budgetMs: 1000,
        maxRetries: 1,
      },
      logger,
      baseDelayMs: 5,
    }),
    resolveIssuer,
    logger,
  });

  it('uses the rewrite-followup template and the model reply', async () => {
    server.requests.length = 0;
    server.enqueue({ kind: 'json', content: '中小企业局2022年在标准体系方面有什么安排？\n' });
    const r = await resolveFollowup(
      ask('那中小企业局呢？', '科技司2022年在标准体系方面有什么安排？'),
      llmDeps(),
    );
    assert.equal(r.query, '中小企业局2022年在标准体系方面有什么安排？');
    assert.equal(r.issuer, '中小企业局');
    const prompt = server.requests[0]?.body.messages?.at(-1)?.content ?? '';
    assert.match(prompt, /User: 科技司2022年在标准体系方面有什么安排？/);
    assert.match(prompt, /User: 那中小企业局呢？/);
  });

  it('falls back to the heuristic when the model fails', async () => {
    server.enqueue({ kind: 'status', status: 500 }, { kind: 'status', status: 500 });
    const r = await resolveFollowup(
      ask('what about 2021?', 'What did 科技司 plan for standards in 2022?'),
      llmDeps(),
    );
    assert.equal(r.query, 'What did 科技司 plan for standards in 2021?');
  });
});
