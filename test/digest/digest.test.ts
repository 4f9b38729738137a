import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  type DigestItem,
  type DigestSender,
  FileSubscriptionStore,
  MemorySubscriptionStore,
  RedisSubscriptionStore,
  runDigest,
} from '../../src/digest/index.js';
import type { Engine } from '../../src/engine/createEngine.js';
import { RedisDedupeStore } from '../../src/internal/redis/redis-stores.js';
import { MemoryDedupeStore } from '../../src/internal/ttl-store.js';
import { createSilentLogger } from '../../src/logging/logger.js';
import { ChannelScopes, parseScopes } from '../../src/scopes/index.js';
import { redisSkip, useRedisReplicas } from '../helpers/redis-server.js';
import { createScopedTestEngine } from '../helpers/scoped-engine.js';
import { tempDir } from '../helpers/temp-dir.js';

const logger = createSilentLogger();

/** A sender that records what it was asked to send (optionally slowly, so that runs overlap). */
function recorder(platform: 'slack' | 'wecom', delayMs = 0) {
  const sent: { conversation: string; item: DigestItem }[] = [];
  const sender: DigestSender = {
    platform,
    rate: { limit: 100, windowMs: 1000 },
    unreachable: () => null,
    async send(conversation, item) {
      if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
      sent.push({ conversation, item });
    },
  };
  return { sender, sent };
}

let engine: Engine;
let documents: { id: string; contentHash: string }[];
let scopes: ChannelScopes;
before(async () => {
  ({ engine } = await createScopedTestEngine());
  documents = engine.index.manifest.documents.map((d) => ({ id: d.id, contentHash: d.contentHash }));
  scopes = new ChannelScopes(
    parseScopes({ sets: { ndrc: { folders: ['ndrc'] } }, slack: { CNDRC: 'ndrc' } }, 'scopes.json'),
    engine.documents(),
  );
});
after(() => engine.close());

describe('runDigest', () => {
  it('one message per document a conversation sees and its filter selects; again: nothing', async () => {
    const subscriptions = new MemorySubscriptionStore();
    await subscriptions.add({ platform: 'slack', conversation: 'CNDRC', filter: null });
    await subscriptions.add({ platform: 'slack', conversation: 'CALL', filter: '科技司' });
    await subscriptions.add({ platform: 'wecom', conversation: 'user:zhangsan', filter: '区域协调' });
    await subscriptions.add({ platform: 'wecom', conversation: 'user:lisi', filter: '浙江' });
    const slack = recorder('slack');
    const wecom = recorder('wecom');
    const claims = new MemoryDedupeStore();
    const options = {
      engine,
      documents,
      subscriptions,
      claims,
      scopes,
      logger,
      senders: { slack: slack.sender, wecom: wecom.sender },
    };
    const deliveries = await runDigest(options);
    const sent = (r: ReturnType<typeof recorder>) =>
      r.sent.map((s) => `${s.conversation} ${s.item.docId}`).sort();
    // CNDRC sees only its set; CALL's issuer filter picks the MIIT document; a keyword in a heading (区域协调) the NDRC one;
    // no document is of 浙江.
    assert.deepEqual(sent(slack), ['CALL miit/miit-2022-work-plans', 'CNDRC ndrc/ndrc-2022-work-plans']);
    assert.deepEqual(sent(wecom), ['user:zhangsan ndrc/ndrc-2022-work-plans']);
    assert.equal(deliveries.filter((d) => d.status === 'sent').length, 3);
    const item = slack.sent.find((s) => s.conversation === 'CNDRC')?.item;
    assert.equal(item?.title, '国家发展改革委 2022年重点工作思路');
    assert.deepEqual(item?.issuers, ['国家发展改革委高技术司', '国家发展改革委地区振兴司']);
    assert.ok(item && item.summary.length === 3, 'three summary lines');
    assert.match(item?.ask ?? '', /《国家发展改革委 2022年重点工作思路》/);

    const again = await runDigest(options);
    assert.equal(slack.sent.length + wecom.sent.length, 3, 'nothing sent twice');
    assert.ok(again.every((d) => d.status === 'duplicate'));
    // A changed document is a new version: sent again.
    await runDigest({
      ...options,
      documents: [{ id: 'ndrc/ndrc-2022-work-plans', contentHash: 'v2', changed: true }],
    });
    assert.equal(slack.sent.at(-1)?.item.changed, true);
  });

  it('--dry-run plans without claiming or sending; unconfigured platforms are reported', async () => {
    const subscriptions = new MemorySubscriptionStore();
    await subscriptions.add({ platform: 'slack', conversation: 'CNDRC', filter: null });
    const claims = new MemoryDedupeStore();
    const dry = await runDigest({
      engine,
      documents,
      subscriptions,
      claims,
      scopes,
      logger,
      senders: {},
      dryRun: true,
    });
    assert.deepEqual(
      dry.map((d) => [d.item.docId, d.status]),
      [['ndrc/ndrc-2022-work-plans', 'planned']],
    );
    assert.equal(claims.size, 0);
    const real = await runDigest({ engine, documents, subscriptions, claims, scopes, logger, senders: {} });
    assert.equal(real[0]?.status, 'unreachable');
  });

  it('waits for the rate limiter instead of dropping', async () => {
    const subscriptions = new MemorySubscriptionStore();
    await subscriptions.add({ platform: 'slack', conversation: 'CALL', filter: null });
    const slack = recorder('slack');
    const waits: number[] = [];
    let calls = 0;
    await runDigest({
      engine,
      documents,
      subscriptions,
      claims: new MemoryDedupeStore(),
      scopes,
      logger,
      senders: { slack: slack.sender },
      // The first take of each message is refused for 2 s.
      limiter: () => ({ take: async () => (++calls % 2 === 1 ? 2 : 0) }),
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    assert.equal(slack.sent.length, 2);
    assert.deepEqual(waits, [2000, 2000]);
  });

  it('subscriptions in a file survive a new store; duplicates and removal', async () => {
    const file = join(await tempDir(), 'state', 'subscriptions.json');
    const a = new FileSubscriptionStore(file);
    assert.equal(await a.add({ platform: 'slack', conversation: 'C1', filter: null }), true);
    assert.equal(await a.add({ platform: 'slack', conversation: 'C1', filter: null }), false);
    assert.equal(await a.add({ platform: 'slack', conversation: 'C1', filter: '浙江' }), true);
    const b = new FileSubscriptionStore(file);
    assert.deepEqual((await b.list()).map((s) => s.id).sort(), ['slack:C1:*', 'slack:C1:浙江']);
    assert.equal(await b.remove('slack', 'C1', '浙江'), 1);
    assert.equal(await b.remove('slack', 'C1', null), 1);
    assert.deepEqual(await a.list(), []);
  });
});

describe('runDigest with two replicas on one redis-server', { skip: redisSkip() }, () => {
  const replicas = useRedisReplicas('digest-test:', logger);

  it('exactly once per document and subscriber when both replicas run the same digest at once', async () => {
    const storeA = new RedisSubscriptionStore(replicas.a);
    const storeB = new RedisSubscriptionStore(replicas.b);
    await storeA.add({ platform: 'slack', conversation: 'CALL', filter: null });
    await storeA.add({ platform: 'slack', conversation: 'CNDRC', filter: null });
    await storeB.add({ platform: 'wecom', conversation: 'chat:wrG1', filter: null });
    assert.equal(
      await storeB.add({ platform: 'slack', conversation: 'CALL', filter: null }),
      false,
      'shared list',
    );
    assert.equal((await storeB.list()).length, 3);

    const slackA = recorder('slack', 20);
    const slackB = recorder('slack', 20);
    const wecomA = recorder('wecom', 20);
    const wecomB = recorder('wecom', 20);
    const run = (store: RedisSubscriptionStore, claims: RedisDedupeStore, s: DigestSender, w: DigestSender) =>
      runDigest({
        engine,
        documents,
        subscriptions: store,
        claims,
        scopes,
        logger,
        senders: { slack: s, wecom: w },
      });
    await Promise.all([
      run(storeA, new RedisDedupeStore(replicas.a), slackA.sender, wecomA.sender),
      run(storeB, new RedisDedupeStore(replicas.b), slackB.sender, wecomB.sender),
    ]);
    const all = [...slackA.sent, ...slackB.sent, ...wecomA.sent, ...wecomB.sent].map(
      (s) => `${s.conversation} ${s.item.docId}`,
    );
    assert.deepEqual(all.sort(), [
      'CALL miit/miit-2022-work-plans',
      'CALL ndrc/ndrc-2022-work-plans',
      'CNDRC ndrc/ndrc-2022-work-plans',
      'chat:wrG1 miit/miit-2022-work-plans',
      'chat:wrG1 ndrc/ndrc-2022-work-plans',
    ]);
    assert.ok(slackA.sent.length + wecomA.sent.length > 0 || slackB.sent.length + wecomB.sent.length > 0);
    assert.equal(await storeB.remove('wecom', 'chat:wrG1', null), 1);
    assert.equal((await storeA.list()).length, 2);
  });
});
