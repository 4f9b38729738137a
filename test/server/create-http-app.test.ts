/** The HTTP app over real HTTP on 127.0.0.1: routes, API hygiene, error shape and headers. */
import assert from 'node:assert/strict';
import { basename } from 'node:path';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import { citationSource } from '../../src/answer/citation-source.js';
import type { PolicyEngine } from '../../src/engine/PolicyEngine.js';
import { ErrorCode, PolicybotError, UpstreamError } from '../../src/errors/index.js';
import { CONTENT_SECURITY_POLICY } from '../../src/server/index.js';
import type { Answer, IssuerInfo, Summary } from '../../src/types.js';
import { createTestEngine } from '../helpers/engine.js';
import { overrideEngine, parseSse, postJson, startTestServer, type TestServer } from './test-server.js';

const FIVE_G = '2021年新建了多少个5G基站？';

interface ErrorJson {
  error: { code: string; message: string; requestId: string; known?: string[] };
}

/** Every error: the one shape, the request id matching the header, no stack or internals. */
async function assertError(response: Response, status: number, code: string): Promise<ErrorJson> {
  assert.equal(response.status, status);
  assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
  const body = (await response.json()) as ErrorJson;
  assert.deepEqual(Object.keys(body), ['error']);
  assert.equal(body.error.code, code);
  assert.equal(typeof body.error.message, 'string');
  assert.ok(body.error.message.length > 0);
  assert.match(body.error.requestId, /^req_[0-9a-f]{12}$/);
  assert.equal(body.error.requestId, response.headers.get('x-request-id'));
  assert.doesNotMatch(JSON.stringify(body), /at .+\.ts:\d+|node_modules/);
  return body;
}

function cannedAnswer(requestId: string, question: string): Answer {
  return {
    id: 'a1',
    requestId,
    question,
    query: question,
    language: 'zh',
    text: '文档中没有找到相关内容。',
    citations: [],
    mode: 'extractive',
    refused: true,
    notice: null,
    suggestions: [],
    timings: { retrieveMs: 0, composeMs: 0, totalMs: 0 },
  };
}

function assertSecurityHeaders(response: Response): void {
  assert.equal(response.headers.get('content-security-policy'), CONTENT_SECURITY_POLICY);
  assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
  assert.equal(response.headers.get('x-frame-options'), 'DENY');
  assert.match(response.headers.get('x-request-id') ?? '', /^req_[0-9a-f]{12}$/);
  assert.equal(response.headers.get('x-powered-by'), null);
}

describe('createHttpApp over HTTP', () => {
  let engine: PolicyEngine;
  let server: TestServer;
  let standIn = false;

  before(async () => {
    engine = await createTestEngine();
    standIn = engine.status().corpusFingerprint === 'stand-in';
    server = await startTestServer({
      engine,
      env: { POLICYBOT_WEB_RATE_LIMIT_PER_MINUTE: '1000', POLICYBOT_MAX_QUESTION_CHARS: '200' },
      frontEnds: ['web', 'slack (http /slack/events)'],
    });
  });

  after(async () => {
    await server?.close();
    await engine?.close();
  });

  describe('the chat page', () => {
    it('serves the page with a strict CSP and no inline script or handlers', async () => {
      const response = await fetch(`${server.url}/`);
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
      assertSecurityHeaders(response);
      assert.match(CONTENT_SECURITY_POLICY, /script-src 'self';/);
      assert.match(CONTENT_SECURITY_POLICY, /frame-ancestors 'none'/);
      assert.doesNotMatch(CONTENT_SECURITY_POLICY, /unsafe-inline|unsafe-eval/);
      const html = await response.text();
      assert.match(html, /<script src="\/app\.js" defer><\/script>/);
      assert.equal(html.match(/<script/g)?.length, 1, 'exactly one, external, script');
      assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline event handlers');
      assert.doesNotMatch(html, /\sstyle=/i, 'no inline styles');
      assert.doesNotMatch(html, /https?:\/\//, 'no external assets');
      assert.match(html, /<main\b/);
      assert.match(html, /<label for="question"/);
    });

    it('serves the script and stylesheet with the right types and no external references', async () => {
      for (const [path, type] of [
        ['/app.js', /javascript/],
        ['/styles.css', /text\/css/],
        ['/favicon.svg', /image\/svg\+xml/],
      ] as const) {
        const response = await fetch(`${server.url}${path}`);
        assert.equal(response.status, 200, path);
        assert.match(response.headers.get('content-type') ?? '', type);
        assertSecurityHeaders(response);
        const text = await response.text();
        assert.doesNotMatch(
          text,
          /https?:\/\/(?!www\.w3\.org\/2000\/svg)/,
          `${path} references nothing external`,
        );
        if (path === '/app.js') assert.doesNotMatch(text, /innerHTML|insertAdjacentHTML|document\.write/);
      }
    });
  });

  describe('POST /api/ask', () => {
    it('answers with a cited Answer', async () => {
      const response = await postJson(server.url, '/api/ask', { question: FIVE_G });
      assert.equal(response.status, 200);
      assertSecurityHeaders(response);
      assert.equal(response.headers.get('cache-control'), 'no-store');
      const answer = (await response.json()) as Answer;
      assert.equal(answer.requestId, response.headers.get('x-request-id'));
      assert.equal(answer.refused, false);
      assert.equal(answer.language, 'zh');
      if (!standIn) assert.match(answer.text, /60万/);
      const cited = answer.citations.find((c) => c.issuer === '信息通信发展司');
      assert.ok(
        cited,
        `a citation from 信息通信发展司 in ${JSON.stringify(answer.citations.map((c) => c.issuer))}`,
      );
      assert.match(cited.passage, /60万/);
      assert.match(answer.text, new RegExp(`\\[${cited.n}\\]`));
      // Each citation carries the one-line source the page shows: 《title》（文号） › section path.
      for (const c of answer.citations as (Answer['citations'][number] & { source: string })[]) {
        assert.equal(c.source, citationSource(c));
        assert.ok(c.source.startsWith(`《${c.docTitle}》`), c.source);
      }
    });

    it('passes issuer, language and history through to the engine', async () => {
      let seen: unknown;
      const spy = await startTestServer({
        engine: overrideEngine(engine, {
          // Canned answer: this test is about what reaches the engine, not what it makes of it.
          answer: async (question) => {
            seen = question;
            return cannedAnswer(question.requestId, question.text);
          },
        }),
      });
      try {
        const history = [
          { role: 'user', text: FIVE_G },
          { role: 'assistant', text: '超60万个。[1]' },
        ];
        const response = await postJson(spy.url, '/api/ask', {
          question: '  那千兆光网呢？ ',
          issuer: '信息通信发展司',
          language: 'zh',
          history,
        });
        assert.equal(response.status, 200);
        const { signal, ...asked } = seen as { signal?: unknown };
        assert.ok(signal instanceof AbortSignal, 'the engine can tell when the client leaves');
        assert.deepEqual(asked, {
          text: '那千兆光网呢？',
          requestId: response.headers.get('x-request-id'),
          issuer: '信息通信发展司',
          language: 'zh',
          history,
        });
        await postJson(spy.url, '/api/ask', { question: FIVE_G, issuer: 'all', history: [] });
        assert.deepEqual(Object.keys(seen as object).sort(), ['requestId', 'signal', 'text']);
      } finally {
        await spy.close();
      }
    });

    it('requires a JSON content type (415)', async () => {
      const form = await fetch(`${server.url}/api/ask`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: `question=${encodeURIComponent(FIVE_G)}`,
      });
      const body = await assertError(form, 415, ErrorCode.InputInvalid);
      assert.match(body.error.message, /application\/json/);
      assertSecurityHeaders(form);
      await assertError(
        await fetch(`${server.url}/api/ask`, { method: 'POST', body: JSON.stringify({ question: FIVE_G }) }),
        415,
        ErrorCode.InputInvalid,
      );
    });

    it('rejects malformed bodies with 400 and a message that says what is wrong', async () => {
      const cases: Array<[unknown, RegExp]> = [
        ['{"question": ', /not valid JSON/],
        [{}, /"question" is required/],
        [{ question: 42 }, /"question" is required/],
        [{ question: '   ' }, /must not be empty/],
        [[FIVE_G], /JSON object/],
        [{ question: FIVE_G, history: 'no' }, /"history" must be an array/],
        [{ question: FIVE_G, history: [{ role: 'system', text: 'x' }] }, /history\[0\]/],
        [{ question: FIVE_G, language: 'fr' }, /"language" must be "zh" or "en"/],
        [{ question: FIVE_G, issuer: 7 }, /"issuer" must be a string/],
      ];
      for (const [body, message] of cases) {
        const error = await assertError(
          await postJson(server.url, '/api/ask', body),
          400,
          ErrorCode.InputInvalid,
        );
        assert.match(error.error.message, message, JSON.stringify(body));
      }
    });

    it('caps the question length with a clear 413', async () => {
      const ok = await postJson(server.url, '/api/ask', { question: `${'问'.repeat(199)}？` });
      assert.equal(ok.status, 200, 'exactly the maximum is accepted');
      const response = await postJson(server.url, '/api/ask', { question: '问'.repeat(201) });
      const body = await assertError(response, 413, ErrorCode.InputTooLong);
      assert.match(body.error.message, /too long: 201 characters \(the maximum is 200\)/);
      // Characters are code points: 200 emoji (400 UTF-16 units) still fit.
      const emoji = await postJson(server.url, '/api/ask', { question: '😀'.repeat(200) });
      assert.equal(emoji.status, 200);
    });

    it('limits the body size (413)', async () => {
      const huge = JSON.stringify({
        question: FIVE_G,
        history: [{ role: 'user', text: 'x'.repeat(2_000_000) }],
      });
      const body = await assertError(
        await postJson(server.url, '/api/ask', huge),
        413,
        ErrorCode.InputTooLong,
      );
      assert.match(body.error.message, /body is too large/);
    });

    it('answers other methods with 405 and Allow', async () => {
      const response = await fetch(`${server.url}/api/ask`);
      await assertError(response, 405, ErrorCode.InputInvalid);
      assert.equal(response.headers.get('allow'), 'POST');
    });
  });

  describe('POST /api/ask/stream', () => {
    it('streams deltas, then exactly one final Answer', async () => {
      const response = await postJson(server.url, '/api/ask/stream', { question: FIVE_G });
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
      assert.match(response.headers.get('cache-control') ?? '', /no-store/);
      assertSecurityHeaders(response);
      const events = parseSse(await response.text());
      const finals = events.filter((e) => e.event === 'final');
      assert.equal(finals.length, 1);
      assert.equal(events.at(-1)?.event, 'final', 'final comes last');
      const deltas = events.slice(0, -1);
      assert.ok(deltas.length >= 1);
      assert.ok(
        deltas.every((e) => e.event === 'delta' && typeof (e.data as { text: string }).text === 'string'),
      );
      const answer = finals[0]?.data as Answer;
      assert.equal(answer.requestId, response.headers.get('x-request-id'));
      assert.ok(answer.citations.some((c) => c.issuer === '信息通信发展司'));
      assert.ok(
        answer.citations.every((c) => (c as unknown as { source: string }).source === citationSource(c)),
      );
      if (!standIn) assert.match(answer.text, /60万/);
    });

    it('reports bad input as an ordinary JSON error before streaming', async () => {
      await assertError(
        await postJson(server.url, '/api/ask/stream', { nope: 1 }),
        400,
        ErrorCode.InputInvalid,
      );
      await assertError(
        await postJson(server.url, '/api/ask/stream', { question: 'x'.repeat(500) }),
        413,
        ErrorCode.InputTooLong,
      );
    });

    it('ends with an error event (no internals) when the engine fails mid-stream', async () => {
      const failing = await startTestServer({
        engine: overrideEngine(engine, {
          answerStream: async function* () {
            yield { type: 'delta' as const, text: '部分' };
            throw new Error('ECONNRESET secret-host.internal:5432');
          },
        }),
      });
      try {
        const response = await postJson(failing.url, '/api/ask/stream', { question: FIVE_G });
        assert.equal(response.status, 200);
        const events = parseSse(await response.text());
        assert.deepEqual(
          events.map((e) => e.event),
          ['delta', 'error'],
        );
        const error = events[1]?.data as ErrorJson;
        assert.equal(error.error.code, ErrorCode.Unknown);
        assert.equal(error.error.requestId, response.headers.get('x-request-id'));
        assert.doesNotMatch(error.error.message, /secret-host|ECONNRESET/);
        const logged = failing.logs.find((l) => l.msg === 'answer stream failed');
        assert.ok(logged, 'the failure is logged with its details');
        assert.match(JSON.stringify(logged), /secret-host/);
      } finally {
        await failing.close();
      }
    });

    it('sends an error event if the engine ends without a final answer', async () => {
      const truncated = await startTestServer({
        engine: overrideEngine(engine, {
          answerStream: async function* () {
            yield { type: 'delta' as const, text: '半句' };
          },
        }),
      });
      try {
        const events = parseSse(
          await (await postJson(truncated.url, '/api/ask/stream', { question: FIVE_G })).text(),
        );
        assert.deepEqual(
          events.map((e) => e.event),
          ['delta', 'error'],
        );
      } finally {
        await truncated.close();
      }
    });

    it('keeps a slow stream alive with comment lines', async () => {
      const slow = await startTestServer({
        sseHeartbeatMs: 20,
        engine: overrideEngine(engine, {
          answerStream: async function* (question) {
            await new Promise((r) => setTimeout(r, 120));
            yield { type: 'final' as const, answer: cannedAnswer(question.requestId, question.text) };
          },
        }),
      });
      try {
        const body = await (await postJson(slow.url, '/api/ask/stream', { question: FIVE_G })).text();
        assert.match(body, /^: keep-alive\n\n/m);
        assert.deepEqual(
          parseSse(body).map((e) => e.event),
          ['final'],
        );
      } finally {
        await slow.close();
      }
    });

    it('stops the engine when the client goes away', async () => {
      let returned!: () => void;
      const stopped = new Promise<void>((resolve) => {
        returned = resolve;
      });
      const slow = await startTestServer({
        engine: overrideEngine(engine, {
          answerStream: async function* () {
            try {
              for (let i = 0; ; i++) {
                yield { type: 'delta' as const, text: `${i} ` };
                await new Promise((r) => setTimeout(r, 10));
              }
            } finally {
              returned();
            }
          },
        }),
      });
      try {
        const response = await postJson(slow.url, '/api/ask/stream', { question: FIVE_G });
        const reader = response.body?.getReader();
        assert.ok(reader);
        await reader.read();
        await reader.cancel();
        await stopped;
        assert.equal(
          slow.logs.find((l) => l.msg === 'answer stream failed'),
          undefined,
        );
      } finally {
        await slow.close();
      }
    });
  });

  describe('summaries, issuers, passages', () => {
    it('GET /api/issuers lists the issuers', async () => {
      const response = await fetch(`${server.url}/api/issuers`);
      assert.equal(response.status, 200);
      assertSecurityHeaders(response);
      const { issuers } = (await response.json()) as { issuers: IssuerInfo[] };
      const shorts = issuers.map((d) => d.short);
      for (const name of ['科技司', '电子信息司', '信息通信发展司', '中小企业局'])
        assert.ok(shorts.includes(name), name);
    });

    it('GET /api/summary/:issuer returns a Summary', async () => {
      const response = await fetch(`${server.url}/api/summary/${encodeURIComponent('信息通信发展司')}`);
      assert.equal(response.status, 200);
      const summary = (await response.json()) as Summary;
      assert.equal(summary.issuer?.short, '信息通信发展司');
      assert.ok(summary.issuers.length >= 1);
      assert.equal(typeof summary.text, 'string');
    });

    it('GET /api/summary/all summarises every issuer', async () => {
      const summary = (await (await fetch(`${server.url}/api/summary/all`)).json()) as Summary;
      assert.equal(summary.issuer, null);
      assert.ok(summary.issuers.length >= 4);
    });

    it('passes ?language through and rejects an unknown one', async () => {
      let options: unknown;
      const spy = await startTestServer({
        engine: overrideEngine(engine, {
          summary: (issuer, o) => {
            options = o;
            return engine.summary(issuer, o);
          },
        }),
      });
      try {
        const ok = await fetch(`${spy.url}/api/summary/all?language=en`);
        assert.equal(ok.status, 200);
        const { signal, ...rest } = options as { signal?: unknown };
        assert.ok(signal instanceof AbortSignal);
        assert.deepEqual(rest, { language: 'en', requestId: ok.headers.get('x-request-id') });
        await assertError(await fetch(`${spy.url}/api/summary/all?language=de`), 400, ErrorCode.InputInvalid);
      } finally {
        await spy.close();
      }
    });

    it('answers an unknown issuer with 404 and the known ones', async () => {
      const response = await fetch(`${server.url}/api/summary/${encodeURIComponent('外交部')}`);
      const body = await assertError(response, 404, ErrorCode.UnknownIssuer);
      assert.ok(body.error.known?.includes('中小企业局'));
    });

    it('GET /api/passages/:id returns the passage in its paragraph', async () => {
      const answer = (await (await postJson(server.url, '/api/ask', { question: FIVE_G })).json()) as Answer;
      const citation = answer.citations[0];
      assert.ok(citation);
      const response = await fetch(`${server.url}/api/passages/${encodeURIComponent(citation.passageId)}`);
      assert.equal(response.status, 200);
      const passage = (await response.json()) as { chunk: { id: string; text: string }; context: string };
      assert.equal(passage.chunk.id, citation.passageId);
      assert.ok(passage.context.includes(passage.chunk.text));
      assert.ok(passage.context.includes(citation.quote.replace(/。$/, '')));
      await assertError(await fetch(`${server.url}/api/passages/nope%23999`), 404, ErrorCode.NotFound);
    });
  });

  describe('GET /healthz', () => {
    it('reports index, embedder, LLM and front ends', async () => {
      const response = await fetch(`${server.url}/healthz`);
      assert.equal(response.status, 200);
      assertSecurityHeaders(response);
      const health = (await response.json()) as Record<string, unknown>;
      const status = engine.status();
      assert.deepEqual(health, {
        status: status.embedder.mode === 'dense' ? 'ok' : 'degraded',
        degraded: status.embedder.mode === 'dense' ? [] : ['keyword-only retrieval (no embedding model)'],
        index: {
          loaded: true,
          chunks: status.chunkCount,
          documents: status.documentCount,
          fingerprint: status.corpusFingerprint,
          snapshot: null,
          problem: null,
        },
        embedder: {
          mode: status.embedder.mode,
          // The test model is a local directory: only its name is shown.
          model: status.embedder.model === null ? null : basename(status.embedder.model),
          reason: status.embedder.reason,
        },
        llm: status.llm,
        corpus: { problems: [] },
        sharedState: { backend: 'memory', status: 'ok', since: null, reason: null },
        frontEnds: ['web', 'slack (http /slack/events)'],
      });
    });

    it('names no absolute path of this machine, even in warnings that do', async () => {
      const pathy = await startTestServer({
        engine: overrideEngine(engine, {
          status: () => ({
            ...engine.status(),
            embedder: {
              mode: 'keyword-only',
              model: '/srv/models/bge-small-zh',
              reason:
                'Embedding model /srv/models/bge-small-zh is missing (looked in /home/ops/policybot/embeddings/models/). Run policybot models pull.',
            },
            corpusProblems: [{ path: '/srv/corpus', message: 'Cannot read corpus directory /srv/corpus' }],
          }),
        }),
      });
      try {
        const text = await (await fetch(`${pathy.url}/healthz`)).text();
        assert.doesNotMatch(text, /\/srv\/|\/home\/|\/work\//);
        const health = JSON.parse(text) as { embedder: { model: string; reason: string } };
        assert.equal(health.embedder.model, 'bge-small-zh');
        assert.match(health.embedder.reason, /…\/bge-small-zh is missing \(looked in …\/models\)/);
      } finally {
        await pathy.close();
      }
    });

    it('is 503 while the index is not loaded', async () => {
      const down = await startTestServer({
        engine: overrideEngine(engine, { status: () => ({ ...engine.status(), indexLoaded: false }) }),
      });
      try {
        const response = await fetch(`${down.url}/healthz`);
        assert.equal(response.status, 503);
        assert.equal(((await response.json()) as { status: string }).status, 'unavailable');
      } finally {
        await down.close();
      }
    });
  });

  describe('errors', () => {
    it('maps system errors to 500 and upstream errors to 502 without leaking details', async () => {
      const broken = await startTestServer({
        engine: overrideEngine(engine, {
          answer: async (q) => {
            if (q.text.startsWith('upstream')) {
              throw new UpstreamError('LLM said 503 at https://llm.internal/v1', { status: 503 });
            }
            throw new PolicybotError(ErrorCode.IndexCorrupt, 'system', 'bad page in /var/lib/index.bin');
          },
        }),
      });
      try {
        const system = await assertError(
          await postJson(broken.url, '/api/ask', { question: 'system?' }),
          500,
          ErrorCode.IndexCorrupt,
        );
        assert.doesNotMatch(system.error.message, /index\.bin/);
        const upstream = await assertError(
          await postJson(broken.url, '/api/ask', { question: 'upstream?' }),
          502,
          ErrorCode.UpstreamError,
        );
        assert.doesNotMatch(upstream.error.message, /llm\.internal/);
        const logged = broken.logs.filter((l) => l.level === 50);
        assert.equal(logged.length, 2, 'both logged at error level');
        assert.match(JSON.stringify(logged), /index\.bin/);
      } finally {
        await broken.close();
      }
    });

    it('answers unknown routes with a JSON 404 carrying the headers', async () => {
      for (const path of ['/nope', '/api/nope', '/api/summary']) {
        const response = await fetch(`${server.url}${path}`);
        await assertError(response, 404, ErrorCode.NotFound);
        assertSecurityHeaders(response);
      }
    });

    it('answers bad percent-encoding with 400 and path traversal with 404', async () => {
      await assertError(await fetch(`${server.url}/api/passages/%E0%A4%A`), 400, ErrorCode.InputInvalid);
      await assertError(await fetch(`${server.url}/api/summary/%FF`), 400, ErrorCode.InputInvalid);
      await assertError(await fetch(`${server.url}/..%2f..%2fpackage.json`), 404, ErrorCode.NotFound);
      await assertError(await fetch(`${server.url}/%2e%2e/package.json`), 404, ErrorCode.NotFound);
    });

    it('gives every response its own request id', async () => {
      const ids = new Set<string | null>();
      for (let i = 0; i < 5; i++) ids.add((await fetch(`${server.url}/healthz`)).headers.get('x-request-id'));
      assert.equal(ids.size, 5);
    });
  });

  describe('per-IP rate limit', () => {
    it('answers 429 with Retry-After once the limit is used up', async () => {
      const limited = await startTestServer({ engine, env: { POLICYBOT_WEB_RATE_LIMIT_PER_MINUTE: '2' } });
      try {
        assert.equal((await postJson(limited.url, '/api/ask', { question: FIVE_G })).status, 200);
        assert.equal((await postJson(limited.url, '/api/ask/stream', { question: FIVE_G })).status, 200);
        const response = await postJson(limited.url, '/api/ask', { question: FIVE_G });
        const body = await assertError(response, 429, ErrorCode.RateLimited);
        assert.match(body.error.message, /try again/);
        const retryAfter = Number(response.headers.get('retry-after'));
        assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
        assertSecurityHeaders(response);
        await assertError(await fetch(`${limited.url}/api/summary/all`), 429, ErrorCode.RateLimited);
        // Cheap reads are not limited, so the page still loads.
        assert.equal((await fetch(`${limited.url}/api/issuers`)).status, 200);
        assert.equal((await fetch(`${limited.url}/healthz`)).status, 200);
      } finally {
        await limited.close();
      }
    });
  });

  describe('behind a reverse proxy', () => {
    it('limits per forwarded client only when POLICYBOT_TRUST_PROXY is set', async () => {
      const env = { POLICYBOT_WEB_RATE_LIMIT_PER_MINUTE: '1' };
      const from = (ip: string) => ({ 'X-Forwarded-For': ip });
      const trusting = await startTestServer({ engine, env: { ...env, POLICYBOT_TRUST_PROXY: 'loopback' } });
      try {
        assert.equal(
          (await postJson(trusting.url, '/api/ask', { question: FIVE_G }, from('203.0.113.1'))).status,
          200,
        );
        assert.equal(
          (await postJson(trusting.url, '/api/ask', { question: FIVE_G }, from('203.0.113.2'))).status,
          200,
        );
        assert.equal(
          (await postJson(trusting.url, '/api/ask', { question: FIVE_G }, from('203.0.113.1'))).status,
          429,
        );
      } finally {
        await trusting.close();
      }
      const direct = await startTestServer({ engine, env });
      try {
        assert.equal(
          (await postJson(direct.url, '/api/ask', { question: FIVE_G }, from('203.0.113.1'))).status,
          200,
        );
        // Without trust, a forged header does not buy a fresh bucket.
        assert.equal(
          (await postJson(direct.url, '/api/ask', { question: FIVE_G }, from('203.0.113.2'))).status,
          429,
        );
      } finally {
        await direct.close();
      }
    });
  });

  describe('routes mounted later (Slack, WeCom)', () => {
    it('get raw bodies, the headers, and the JSON error sink', async () => {
      const mounted = await startTestServer({
        engine,
        mount: (app) => {
          app.post('/slack/events', express.raw({ type: '*/*' }), (req, res) => {
            res.json({ raw: Buffer.isBuffer(req.body) ? req.body.toString('utf8') : null });
          });
          app.post('/wecom/callback', (req, res) => {
            // No body parser ran before us: the stream is still unread.
            res.json({ readable: req.readable, body: req.body ?? null });
          });
          app.get('/wecom/broken', () => {
            throw new Error('wecom exploded');
          });
        },
      });
      try {
        const raw = '{"type":"url_verification","challenge":"abc"}';
        const slack = await postJson(mounted.url, '/slack/events', raw);
        assert.equal(slack.status, 200);
        assertSecurityHeaders(slack);
        assert.deepEqual(await slack.json(), { raw });
        const wecom = await postJson(mounted.url, '/wecom/callback', '<xml/>', {
          'Content-Type': 'text/xml',
        });
        assert.deepEqual(await wecom.json(), { readable: true, body: null });
        await assertError(await fetch(`${mounted.url}/wecom/broken`), 500, ErrorCode.Unknown);
      } finally {
        await mounted.close();
      }
    });
  });
});
