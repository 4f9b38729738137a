/** GET /api/figures over real HTTP on 127.0.0.1 against the seed engine. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Figure } from '../../src/types.js';
import { startTestServer, type TestServer } from './test-server.js';

describe('GET /api/figures', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => server.close());

  const get = (query: string) => fetch(`${server.url}/api/figures${query}`);

  it('lists every figure with its citation; filters combine', async () => {
    const all = (await (await get('')).json()) as { count: number; figures: Figure[] };
    assert.equal(all.count, 12);
    const first = all.figures[0];
    assert.ok(first);
    for (const key of [
      'docId',
      'issuer',
      'sectionPath',
      'kind',
      'status',
      'year',
      'subject',
      'valueText',
      'quote',
      'start',
      'end',
    ])
      assert.ok(key in first, key);
    const some = (await (
      await get(`?issuer=${encodeURIComponent('中小企业')}&year=2021&kind=amount`)
    ).json()) as { figures: Figure[] };
    assert.deepEqual(
      some.figures.map((f) => f.valueText),
      ['1万亿元', '35亿元'],
    );
    const topic = (await (await get(`?target=${encodeURIComponent('5G基站')}`)).json()) as {
      figures: Figure[];
    };
    assert.deepEqual(
      topic.figures.map((f) => f.valueText),
      ['60万个'],
    );
  });

  it('quotes are verbatim: the passage API shows them in their paragraph', async () => {
    const { figures } = (await (await get('?limit=3')).json()) as { figures: Figure[] };
    assert.equal(figures.length, 3);
    for (const f of figures) {
      const chunk = server.engine.retrieve({ text: f.quote, k: 1 });
      const passage = (await chunk).passages[0];
      assert.ok(passage);
      const context = server.engine.passage(passage.chunk.id);
      assert.ok(context?.context.includes(f.quote), f.quote);
    }
  });

  it('serves CSV on ?format=csv', async () => {
    const response = await get('?format=csv&status=target');
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/csv/);
    const rows = (await response.text()).trim().split('\r\n');
    assert.match(rows[0] ?? '', /^doc,issuer,section,kind,status,year/);
    assert.equal(rows.length, 1 + 6);
  });

  it('bad parameters are 400, an unknown issuer is the coded unknown-issuer error', async () => {
    for (const q of ['?year=22', '?kind=money', '?format=xml', '?limit=0']) {
      const response = await get(q);
      assert.equal(response.status, 400, q);
      const body = (await response.json()) as { error: { code: string } };
      assert.equal(body.error.code, 'policybot_input_invalid', q);
    }
    const unknown = await get(`?issuer=${encodeURIComponent('外交部礼宾司')}`);
    const body = (await unknown.json()) as { error: { code: string } };
    assert.equal(body.error.code, 'policybot_unknown_issuer');
  });
});
