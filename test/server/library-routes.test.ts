/** The document-level API over the dev library, through real fetch: filters, summaries, documents, examples. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Engine } from '../../src/engine/createEngine.js';
import { ErrorCode } from '../../src/errors/index.js';
import type { Answer, Summary } from '../../src/types.js';
import { createLibraryEngine } from '../helpers/engine.js';
import { startTestServer, type TestServer } from './test-server.js';

let engine: Engine;
let server: TestServer;
before(async () => {
  engine = await createLibraryEngine('library-routes');
  server = await startTestServer({ engine });
});
after(async () => {
  await server?.close();
  await engine?.close();
});

const ask = (body: unknown) =>
  fetch(`${server.url}/api/ask`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('POST /api/ask filters', () => {
  it('"doc" narrows the passages to that document', async () => {
    const doc = engine.documents().find((d) => d.meta.docNumber === '国办发〔2019〕4号');
    assert.ok(doc);
    const response = await ask({ question: '工作要求有哪些？', doc: '国办发〔2019〕4号' });
    assert.equal(response.status, 200);
    const answer = (await response.json()) as Answer;
    assert.ok(answer.citations.length > 0);
    assert.ok(answer.citations.every((c) => c.doc === doc.id));
  });

  it('"year" keeps documents of that year; a year no document is about is refused with the years covered', async () => {
    const of2019 = new Set(
      engine
        .documents()
        .filter((d) => d.meta.date?.startsWith('2019'))
        .map((d) => d.id),
    );
    const kept = (await (await ask({ question: '工作任务有哪些？', year: 2019 })).json()) as Answer;
    assert.ok(kept.citations.length > 0);
    for (const c of kept.citations) assert.ok(of2019.has(c.doc) || c.docNumber?.includes('2019'), c.doc);
    const none = (await (await ask({ question: '工作任务有哪些？', year: '1990' })).json()) as Answer;
    assert.equal(none.refused, true);
    assert.equal(none.citations.length, 0);
    assert.match(none.text, /1990/u);
  });

  it('rejects a bad year and an unknown document', async () => {
    const bad = await ask({ question: '工作任务有哪些？', year: 'next year' });
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { error: { code: string } }).error.code, ErrorCode.InputInvalid);
    const unknown = await ask({ question: '工作任务有哪些？', doc: '没有这份文件' });
    assert.equal(unknown.status, 404);
    const body = (await unknown.json()) as { error: { code: string; known?: string[] } };
    assert.equal(body.error.code, ErrorCode.UnknownDocument);
    assert.ok(body.error.known?.includes('国办发〔2019〕4号'));
  });
});

describe('summaries, documents and examples', () => {
  it('GET /api/summary/:target takes an issuer or a 文号; ?doc= takes a document id', async () => {
    const issuer = (await (
      await fetch(`${server.url}/api/summary/${encodeURIComponent('国务院')}`)
    ).json()) as Summary;
    assert.equal(issuer.issuer?.full, '国务院');
    const byNumber = (await (
      await fetch(`${server.url}/api/summary/${encodeURIComponent('国办发〔2019〕3号')}`)
    ).json()) as Summary;
    assert.equal(byNumber.document?.docNumber, '国办发〔2019〕3号');
    const id = byNumber.document?.id ?? '';
    const byId = (await (
      await fetch(`${server.url}/api/summary?doc=${encodeURIComponent(id)}`)
    ).json()) as Summary;
    assert.equal(byId.document?.id, id);
    assert.deepEqual(byId.citations, byNumber.citations);
    const missing = await fetch(`${server.url}/api/summary?doc=${encodeURIComponent('没有这份文件')}`);
    assert.equal(missing.status, 404);
  });

  it('GET /api/documents lists the library; GET /api/examples questions it answers', async () => {
    const { documents } = (await (await fetch(`${server.url}/api/documents`)).json()) as {
      documents: { id: string; title: string; docNumber: string | null }[];
    };
    assert.equal(documents.length, engine.documents().length);
    assert.ok(documents.some((d) => d.docNumber === '国令第706号'));
    for (const language of ['zh', 'en'] as const) {
      const { examples } = (await (
        await fetch(`${server.url}/api/examples?language=${language}`)
      ).json()) as {
        examples: string[];
      };
      assert.ok(examples.length >= 2, language);
      for (const text of examples) {
        const answer = (await (await ask({ question: text, language })).json()) as Answer;
        assert.equal(answer.refused, false, `${text}: ${answer.text}`);
        assert.ok(answer.citations.length > 0, text);
      }
    }
  });
});
