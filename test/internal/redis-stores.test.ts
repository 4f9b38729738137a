/** The Redis implementations of the shared-state stores against a real redis-server, including outages. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  RedisDedupeStore,
  RedisKeyValueStore,
  RedisRateLimiter,
} from '../../src/internal/redis/redis-stores.js';
import { createSharedState } from '../../src/internal/shared-state.js';
import { createLogger } from '../../src/logging/logger.js';
import { redisSkip, useRedisReplicas } from '../helpers/redis-server.js';

const logs: Array<Record<string, unknown>> = [];
const logger = createLogger({
  level: 'debug',
  destination: { write: (line: string) => void logs.push(JSON.parse(line)) },
});

async function until(check: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('Redis-backed shared state', { skip: redisSkip() }, () => {
  const replicas = useRedisReplicas('test:', logger);

  it('dedupe: exactly one replica wins a key; it is free again after the TTL', async () => {
    const da = new RedisDedupeStore(replicas.a);
    const db = new RedisDedupeStore(replicas.b);
    const results = await Promise.all([
      da.claim('evt-1', 300),
      db.claim('evt-1', 300),
      da.claim('evt-1', 300),
    ]);
    assert.deepEqual(results.filter(Boolean).length, 1);
    await new Promise((r) => setTimeout(r, 350));
    assert.equal(await db.claim('evt-1', 300), true);
  });

  it('rate limit: the window is shared, and the wait is the oldest hit leaving it', async () => {
    const la = new RedisRateLimiter(replicas.a, 'test', 3, 2000);
    const lb = new RedisRateLimiter(replicas.b, 'test', 3, 2000);
    assert.equal(await la.take('u1'), 0);
    assert.equal(await lb.take('u1'), 0);
    assert.equal(await la.take('u1'), 0);
    const wait = await lb.take('u1');
    assert.ok(wait >= 1 && wait <= 2, `wait ${wait}`);
    assert.equal(await lb.take('u2'), 0, 'keys are independent');
    assert.equal(
      await new RedisRateLimiter(replicas.a, 'other', 3, 2000).take('u1'),
      0,
      'scopes are independent',
    );
  });

  it('cache: a value one replica sets, the other reads until it expires; prefixes keep deployments apart', async () => {
    const ka = new RedisKeyValueStore(replicas.a);
    const kb = new RedisKeyValueStore(replicas.b);
    await ka.set('answer:1', '{"x":1}', 300);
    assert.equal(await kb.get('answer:1'), '{"x":1}');
    const other = await replicas.open('another-deployment:');
    try {
      assert.equal(await new RedisKeyValueStore(other).get('answer:1'), null);
    } finally {
      await other.close();
    }
    await new Promise((r) => setTimeout(r, 350));
    assert.equal(await kb.get('answer:1'), null);
  });

  it('degraded mode: with redis-server stopped answers go on locally, health says so, and it recovers', async () => {
    const state = await createSharedState({
      redis: { url: replicas.server.url, commandTimeoutMs: 300, connectTimeoutMs: 1000, keyPrefix: 'deg:' },
      logger,
    });
    try {
      assert.equal(state.health().status, 'ok');
      assert.equal(await state.dedupe.claim('before', 60_000), true);

      await replicas.server.stop();
      const started = Date.now();
      // Falls back to this process: still exactly-once for retries reaching this replica.
      assert.equal(await state.dedupe.claim('during', 60_000), true);
      assert.equal(await state.dedupe.claim('during', 60_000), false);
      assert.equal(await state.rateLimiter('web', 1).take('ip'), 0);
      await state.cache.set('k', 'v', 60_000);
      assert.equal(await state.cache.get('k'), 'v');
      assert.ok(Date.now() - started < 2000, 'no waiting on the dead Redis');
      const health = state.health();
      assert.equal(health.status, 'degraded');
      assert.ok(health.since && health.reason);
      assert.ok(
        logs.some((l) => String(l.msg).startsWith('redis unreachable')),
        'the outage is logged',
      );

      await replicas.server.start();
      await until(async () => {
        await state.dedupe.claim(`probe-${Date.now()}`, 1000);
        return state.health().status === 'ok';
      });
      assert.equal(await state.dedupe.claim('before', 60_000), true, 'a new Redis remembers nothing');
      assert.equal(await state.dedupe.claim('before', 60_000), false);
      assert.equal(await state.cache.get('k'), 'v', 'what was cached during the outage is still found here');
    } finally {
      await state.close();
    }
  });

  it('a hung Redis (no replies) costs each command at most its timeout, then the local store', async () => {
    const conn = await replicas.open('hung:');
    const dedupe = new RedisDedupeStore(conn);
    try {
      assert.equal(await dedupe.claim('x', 60_000), true);
      replicas.server.pause();
      const started = Date.now();
      assert.equal(await dedupe.claim('y', 60_000), true);
      const ms = Date.now() - started;
      assert.ok(ms < 1500, `took ${ms} ms`);
      assert.equal(conn.health().status, 'degraded');
      // The hung connection is dropped: later commands use the local store without waiting out a timeout.
      await until(() => conn.client.status !== 'ready');
      const next = Date.now();
      assert.equal(await dedupe.claim('z', 60_000), true);
      assert.equal(await dedupe.claim('z', 60_000), false, 'the local store still dedupes');
      assert.ok(Date.now() - next < 100, `took ${Date.now() - next} ms`);

      replicas.server.resume();
      await until(() => conn.health().status === 'ok');
      assert.equal(await dedupe.claim('x', 60_000), false, 'the claim made before the hang is in Redis');
    } finally {
      replicas.server.resume();
      await conn.close();
    }
  });

  it('a Redis that comes up after start-up is used once it answers', async () => {
    await replicas.server.stop();
    const state = await createSharedState({
      redis: { url: replicas.server.url, commandTimeoutMs: 300, connectTimeoutMs: 1000, keyPrefix: 'late:' },
      logger,
    });
    try {
      assert.equal(state.health().status, 'degraded');
      await replicas.server.start();
      await until(() => state.health().status === 'ok');
      const other = await replicas.open('late:');
      try {
        assert.equal(await state.dedupe.claim('k', 60_000), true);
        assert.equal(await new RedisDedupeStore(other).claim('k', 60_000), false, 'the claim is in Redis');
      } finally {
        await other.close();
      }
    } finally {
      await state.close();
    }
  });

  it('starts degraded (not failing) when Redis is unreachable at start-up', async () => {
    const started = Date.now();
    const state = await createSharedState({
      redis: { url: 'redis://127.0.0.1:1', commandTimeoutMs: 200, connectTimeoutMs: 500, keyPrefix: 'x:' },
      logger,
    });
    try {
      assert.ok(Date.now() - started < 2000);
      assert.equal(state.health().status, 'degraded');
      assert.equal(await state.dedupe.claim('k', 1000), true);
      assert.equal(await state.dedupe.claim('k', 1000), false);
    } finally {
      await state.close();
    }
  });
});
