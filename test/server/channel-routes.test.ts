/**
 * GET /api/scopes, /api/subscriptions, /api/digest (dry run) and /api/figures?scope= over real HTTP, on the
 * two-folder library (miit/ = the seed, ndrc/ = the NDRC fixture) with a scopes file and two subscriptions.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MemorySubscriptionStore } from '../../src/digest/index.js';
import type { Engine } from '../../src/engine/createEngine.js';
import { documentsIndexedSince } from '../../src/index/document-changes.js';
import { ChannelScopes, parseScopes } from '../../src/scopes/index.js';
import type { Figure } from '../../src/types.js';
import { createScopedTestEngine } from '../helpers/scoped-engine.js';
import { startTestServer, type TestServer } from './test-server.js';

describe('document sets, subscriptions and digests over HTTP', () => {
  let engine: Engine;
  let server: TestServer;
  before(async () => {
    ({ engine } = await createScopedTestEngine());
    const scopes = new ChannelScopes(
      parseScopes(
        {
          sets: { miit: { folders: ['miit'], label: 'MIIT plans' }, ndrc: { folders: ['ndrc'] } },
          slack: { CMIIT: 'miit', CNDRC: 'ndrc', CZJ: { regions: ['浙江'] } },
          wecom: { wrNDRC: 'ndrc' },
          dm: 'all',
        },
        'scopes.json',
      ),
      engine.documents(),
    );
    const subscriptions = new MemorySubscriptionStore();
    await subscriptions.add({ platform: 'slack', conversation: 'CMIIT', filter: null });
    await subscriptions.add({ platform: 'wecom', conversation: 'chat:wrNDRC', filter: '高技术司' });
    server = await startTestServer({
      engine,
      channels: {
        scopes,
        subscriptions,
        documentsSince: (since) => documentsIndexedSince(engine.index.manifest, since),
        slashCommand: '/policy',
      },
    });
  });
  after(async () => {
    await server.close();
    await engine.close();
  });

  const get = async (path: string) => {
    const res = await fetch(`${server.url}/api${path}`);
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('GET /api/scopes: every set, the documents it holds and the conversations mapped to it', async () => {
    const { status, body } = await get('/scopes');
    assert.equal(status, 200);
    const sets = body.sets as {
      name: string;
      label: string | null;
      documents: { id: string; title: string }[];
      slack: string[];
      wecom: string[];
      dm: boolean;
      wholeLibrary: boolean;
      description: string | null;
    }[];
    assert.deepEqual(
      sets.map((s) => s.name),
      ['all', 'miit', 'ndrc', 'slack.CZJ'],
    );
    const miit = sets.find((s) => s.name === 'miit');
    assert.equal(miit?.label, 'MIIT plans');
    assert.deepEqual(miit?.slack, ['CMIIT']);
    assert.equal(miit?.description, '文件夹 miit');
    assert.deepEqual(
      miit?.documents.map((d) => d.id),
      ['miit/miit-2022-work-plans'],
    );
    const ndrc = sets.find((s) => s.name === 'ndrc');
    assert.deepEqual(ndrc?.wecom, ['wrNDRC']);
    assert.match(String(ndrc?.documents[0]?.title), /国家发展改革委 2022年重点工作思路/);
    const all = sets.find((s) => s.name === 'all');
    assert.equal(all?.dm, true);
    assert.equal(all?.wholeLibrary, true);
    assert.equal(all?.documents.length, 2);
    assert.deepEqual(sets.find((s) => s.name === 'slack.CZJ')?.documents, [], 'no 浙江 document');
  });

  it('GET /api/subscriptions lists them with the set each conversation sees; writes are not offered', async () => {
    const { body } = await get('/subscriptions');
    assert.equal(body.enabled, true);
    const subs = body.subscriptions as { conversation: string; filter: string | null; scope: string }[];
    assert.deepEqual(
      subs.map((s) => [s.conversation, s.filter, s.scope]),
      [
        ['CMIIT', null, 'miit'],
        ['chat:wrNDRC', '高技术司', 'ndrc'],
      ],
    );
    const post = await fetch(`${server.url}/api/subscriptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get('allow'), 'GET');
  });

  it('GET /api/digest?since= is a dry run: one message per subscriber and document of its set, rendered', async () => {
    const { status, body } = await get('/digest?since=2000-01-01');
    assert.equal(status, 200);
    assert.equal((body.documents as string[]).length, 2);
    const deliveries = body.deliveries as {
      subscription: { conversation: string };
      status: string;
      item: { docId: string; figures: Figure[] };
      message: { slack?: { blocks: unknown[] }; wecomMarkdown?: string };
    }[];
    assert.deepEqual(
      deliveries.map((d) => [d.subscription.conversation, d.item.docId, d.status]),
      [
        ['CMIIT', 'miit/miit-2022-work-plans', 'planned'],
        ['chat:wrNDRC', 'ndrc/ndrc-2022-work-plans', 'planned'],
      ],
    );
    const slack = deliveries[0];
    assert.equal(slack?.item.figures.length, 5, 'key figures in the item');
    assert.match(JSON.stringify(slack?.message.slack?.blocks), /Key figures/);
    assert.match(String(deliveries[1]?.message.wecomMarkdown), /^\*\*新文件：国家发展改革委/);
    const later = await get(`/digest?since=${new Date(Date.now() + 60_000).toISOString()}`);
    assert.deepEqual(later.body.deliveries, [], 'nothing indexed after now');
    const bad = await get('/digest?since=yesterday');
    assert.equal(bad.status, 400);
    assert.match(JSON.stringify(bad.body), /must be a date/);
  });

  it('GET /api/digest is rate-limited per IP like the ask routes', async () => {
    const tight = await startTestServer({
      engine,
      env: { POLICYBOT_WEB_RATE_LIMIT_PER_MINUTE: '1' },
      channels: {
        scopes: ChannelScopes.unscoped(),
        subscriptions: new MemorySubscriptionStore(),
        documentsSince: () => [],
        slashCommand: '/policy',
      },
    });
    try {
      assert.equal((await fetch(`${tight.url}/api/digest?since=2000-01-01`)).status, 200);
      assert.equal((await fetch(`${tight.url}/api/digest?since=2000-01-01`)).status, 429);
      assert.equal((await fetch(`${tight.url}/api/scopes`)).status, 200, 'listing is not limited');
    } finally {
      await tight.close();
    }
  });

  it('GET /api/figures?scope= keeps to a set or to what a conversation sees', async () => {
    const count = async (q: string) => ((await get(`/figures${q}`)).body as { count: number }).count;
    const all = await count('');
    assert.ok(all > 0);
    assert.equal(await count('?scope=miit'), all, 'every figure is in the seed');
    assert.equal(await count('?scope=ndrc'), 0, 'the NDRC fixture states no figures');
    assert.equal(await count('?scope=slack:CNDRC'), 0);
    assert.equal(await count('?scope=slack:D123'), all, 'a DM sees the whole library');
    assert.equal(await count('?scope=wecom:wrNDRC'), 0);
    const bad = await get('/figures?scope=energy');
    assert.equal((await get('/scopes')).body.configured, true);
    assert.equal(bad.status, 400);
    assert.match(JSON.stringify(bad.body), /names no document set/);
  });
});
