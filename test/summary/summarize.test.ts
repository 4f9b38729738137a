import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MemoryKeyValueStore } from '../../src/internal/kv-store.js';
import { createOpenAiLlm } from '../../src/llm/openai-llm.js';
import { createSilentLogger } from '../../src/logging/logger.js';
import { issuerSummaryInputs } from '../../src/summary/inputs.js';
import { batchPassages, parseSummaryText } from '../../src/summary/llm-summary.js';
import { SummaryCache } from '../../src/summary/SummaryCache.js';
import { summarize, summarizeAll, summarizeIssuer } from '../../src/summary/summarize.js';
import type { IssuerSummaryInput } from '../../src/summary/types.js';
import type { Summary } from '../../src/types.js';
import { seedCorpus } from '../answer/corpus-fixture.js';
import { type OpenAiTestServer, startOpenAiServer } from '../helpers/openai-server.js';

async function inputs(): Promise<IssuerSummaryInput[]> {
  const { doc, chunks } = await seedCorpus();
  return issuerSummaryInputs([doc], chunks);
}

const logger = createSilentLogger();

function assertCitationsVerbatim(s: Summary): void {
  s.citations.forEach((c, i) => {
    assert.equal(c.n, i + 1);
    assert.ok(c.passage.includes(c.quote), `[${c.n}] quote is verbatim`);
  });
  for (const d of s.issuers)
    for (const sec of d.sections)
      for (const b of sec.bullets) {
        assert.ok(b.citations.length > 0, `bullet cited: ${b.text}`);
        for (const n of b.citations) assert.ok(n >= 1 && n <= s.citations.length);
      }
}

describe('extractive summaries', () => {
  it('cover every section lead of all four issuers, each bullet cited verbatim', async () => {
    const all = await inputs();
    assert.equal(all.length, 4);
    const s = await summarizeAll(all, { llm: null, logger, language: 'zh' });
    assert.equal(s.issuer, null);
    assert.equal(s.mode, 'extractive');
    assert.equal(s.issuers.length, 4);
    for (const input of all) {
      const part = s.issuers.find((d) => d.issuer.short === input.issuer.short);
      assert.ok(part, input.issuer.short);
      const bullets = part.sections.flatMap((sec) => sec.bullets.map((b) => b.text));
      for (const section of input.sections) {
        const lead = section.heading.replace(/[。；]$/u, '');
        assert.ok(bullets.includes(lead), `${input.issuer.short}: ${lead}`);
        assert.ok(s.text.includes(lead));
      }
    }
    assertCitationsVerbatim(s);
    for (const d of s.issuers)
      assert.deepEqual(
        d.sections.map((x) => x.heading),
        ['2021年主要成绩', '2022年工作重点'],
      );
  });

  it('lists 2021 key figures as achievements', async () => {
    const all = await inputs();
    const s = await summarizeAll(all, { llm: null, logger, language: 'zh' });
    for (const figure of ['新建5G基站超60万个', '2930家', '35亿元'])
      assert.ok(s.text.includes(figure), figure);
    const ict = s.issuers.find((d) => d.issuer.short === '信息通信发展司');
    assert.ok(ict?.sections[0]?.bullets.some((b) => b.text === '新建5G基站超60万个'));
  });

  it('renders English headings with the Chinese quotes for one issuer', async () => {
    const all = await inputs();
    const sme = all.find((i) => i.issuer.short === '中小企业局');
    assert.ok(sme);
    const s = await summarize(sme.issuer, all, { llm: null, logger, language: 'en' });
    assert.equal(s.issuer?.short, '中小企业局');
    assert.equal(s.issuers.length, 1);
    assert.match(s.text, /^中小企业局 \(工业和信息化部中小企业局\)/);
    assert.match(s.text, /2021 achievements:\n- /);
    assert.match(s.text, /2022 priorities:\n- “稳”字当头，确保中小企业平稳健康发展 \[\d+\]/);
    assertCitationsVerbatim(s);
  });
});

describe('LLM summaries', () => {
  let server: OpenAiTestServer;
  before(async () => {
    server = await startOpenAiServer();
  });
  after(async () => {
    await server.close();
  });
  const llmDeps = (contextChars?: number) => ({
    llm: createOpenAiLlm({
      config: {
        apiKey: 'k',
        baseURL: server.baseURL,
        model: 'm',
        timeoutMs: 500,
        budgetMs: 2000,
        maxRetries: 1,
      },
      logger,
      baseDelayMs: 5,
    }),
    logger,
    language: 'zh' as const,
    ...(contextChars ? { contextChars } : {}),
  });

  it('keeps verified bullets, drops phantom and uncited ones, quotes verbatim', async () => {
    const all = await inputs();
    const ict = all.find((i) => i.issuer.short === '信息通信发展司');
    assert.ok(ict);
    server.requests.length = 0;
    server.enqueue({
      kind: 'json',
      content:
        '## 2021\n- 新建5G基站超60万个[1]\n- 虚构的成绩[99]\n- 没有引用的说法\n## 2022\n- 持续开展6G愿景研究和技术验证[5]',
    });
    const part = await summarizeIssuer(ict, llmDeps());
    assert.equal(server.requests.length, 1);
    assert.equal(part.mode, 'llm');
    const bullets = part.sections.flatMap((s) => s.bullets.map((b) => b.text));
    assert.deepEqual(bullets, ['新建5G基站超60万个', '持续开展6G愿景研究和技术验证']);
    assert.deepEqual(
      part.sections.map((s) => s.heading),
      ['2021年主要成绩', '2022年工作重点'],
    );
    for (const c of part.citations) assert.ok(c.passage.includes(c.quote));
  });

  it('map-reduces when the chunks exceed the context budget', async () => {
    const all = await inputs();
    const sme = all.find((i) => i.issuer.short === '中小企业局');
    assert.ok(sme);
    const batches = batchPassages(
      sme.chunks.map((c, i) => ({ n: i + 1, issuer: null, section: null, text: c.text })),
      600,
    ).length;
    assert.ok(batches > 1);
    server.requests.length = 0;
    for (let i = 0; i < batches; i++) server.enqueue({ kind: 'json', content: `## 2022\n- 部分${i}[1]` });
    server.enqueue({ kind: 'json', content: '## 2021\n- 新培育专精特新“小巨人”企业2930家[2]' });
    const part = await summarizeIssuer(sme, llmDeps(600));
    assert.equal(server.requests.length, batches + 1);
    const reduce = server.requests.at(-1)?.body.messages?.[1]?.content ?? '';
    assert.match(reduce, /部分0/);
    assert.equal(part.mode, 'llm');
  });

  it('falls back to the extractive summary when the model fails', async () => {
    const all = await inputs();
    const sme = all.find((i) => i.issuer.short === '中小企业局');
    assert.ok(sme);
    server.enqueue({ kind: 'status', status: 500 }, { kind: 'status', status: 500 });
    const part = await summarizeIssuer(sme, llmDeps());
    assert.equal(part.mode, 'extractive');
    assert.ok(part.sections.length === 2);
  });

  it('parses headings and bullets', () => {
    assert.deepEqual(parseSummaryText('## 2021\n- a[1]\n* b[2]\n2022年：\n1. c[3]'), [
      { heading: '2021', bullets: ['a[1]', 'b[2]'] },
      { heading: '2022年', bullets: ['c[3]'] },
    ]);
  });
});

describe('SummaryCache', () => {
  it('caches by fingerprint, issuer, language and mode; shares in-flight work', async () => {
    const cache = new SummaryCache({ maxEntries: 2 });
    let calls = 0;
    const make = async () => {
      calls++;
      return {
        issuer: null,
        language: 'zh',
        mode: 'extractive',
        issuers: [],
        citations: [],
        text: `${calls}`,
      } as Summary;
    };
    const key = { fingerprint: 'f1', issuer: null, language: 'zh' as const, mode: 'extractive' as const };
    const [a, b] = await Promise.all([cache.getOrCreate(key, make), cache.getOrCreate(key, make)]);
    assert.equal(a, b);
    assert.equal(calls, 1);
    await cache.getOrCreate({ ...key, fingerprint: 'f2' }, make);
    await cache.getOrCreate({ ...key, language: 'en' }, make);
    assert.equal(calls, 3);
    assert.equal(cache.size, 2);
    const llmKey = { ...key, mode: 'llm' as const };
    await assert.rejects(cache.getOrCreate(llmKey, () => Promise.reject(new Error('x'))));
    await new Promise((r) => setImmediate(r));
    await cache.getOrCreate(llmKey, make);
    assert.equal(calls, 4, 'a failure is not cached');
  });

  it('keeps summaries in a store (shared by replicas) and reads them back in a new cache', async () => {
    const store = new MemoryKeyValueStore();
    const key = {
      fingerprint: 'fp',
      issuer: '科技司',
      language: 'en' as const,
      mode: 'extractive' as const,
    };
    const summary = {
      issuer: null,
      language: 'en',
      mode: 'extractive',
      issuers: [],
      citations: [],
      text: 'stored',
    } as Summary;
    await new SummaryCache({ store }).getOrCreate(key, async () => summary);
    const again = await new SummaryCache({ store }).getOrCreate(key, () =>
      Promise.reject(new Error('not called')),
    );
    assert.equal(again.text, 'stored');
    await assert.rejects(
      new SummaryCache({ store }).getOrCreate({ ...key, fingerprint: 'other' }, () =>
        Promise.reject(new Error('miss')),
      ),
    );
  });

  it('serves but does not keep an LLM summary that fell back to extractive', async () => {
    const store = new MemoryKeyValueStore();
    const cache = new SummaryCache({ store });
    const key = { fingerprint: 'fp', issuer: null, language: 'zh' as const, mode: 'llm' as const };
    let calls = 0;
    const degraded = async () => {
      calls++;
      return {
        issuer: null,
        language: 'zh',
        mode: 'extractive',
        issuers: [],
        citations: [],
        text: 'x',
      } as Summary;
    };
    assert.equal((await cache.getOrCreate(key, degraded)).mode, 'extractive');
    await new Promise((r) => setImmediate(r));
    await cache.getOrCreate(key, degraded);
    assert.equal(calls, 2, 'the next request tries the model again');
    assert.equal(await store.get(`summary:${SummaryCache.keyOf(key)}`), null);
  });
});
