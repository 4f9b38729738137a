/** AI-bot streams shared through a real redis-server: what one replica publishes, another reads. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger } from '../../src/logging/logger.js';
import { appendToStream, finishStream } from '../../src/wecom/AibotStreams.js';
import { RedisAibotStreams } from '../../src/wecom/RedisAibotStreams.js';
import { redisSkip, useRedisReplicas } from '../helpers/redis-server.js';

const logger = createLogger({ level: 'silent' });

describe('RedisAibotStreams', { skip: redisSkip() }, () => {
  const replicas = useRedisReplicas('aibot-test:', logger);

  it('a stream created and saved on one replica is found by id and by message on another', async () => {
    const sa = new RedisAibotStreams(replicas.a);
    const sb = new RedisAibotStreams(replicas.b);
    const stream = await sa.create('u1', 'msg-1');
    assert.deepEqual(await sb.get(stream.id), stream);
    assert.equal((await sb.forMessage('msg-1'))?.id, stream.id);
    assert.equal(await sb.inFlight('u1'), 1);

    appendToStream(stream, '2021年');
    await sa.save(stream);
    assert.equal((await sb.get(stream.id))?.content, '2021年');

    finishStream(stream, '2021年新建5G基站超60万个。');
    await sa.save(stream);
    const seen = await sb.get(stream.id);
    assert.deepEqual([seen?.content, seen?.finished], ['2021年新建5G基站超60万个。', true]);
    assert.equal(await sb.inFlight('u1'), 0, 'a finished stream no longer counts');
  });

  it('counts unfinished streams per user and forgets those older than the TTL', async () => {
    let now = 1_000_000;
    const sa = new RedisAibotStreams(replicas.a, { now: () => now, ttlMs: 60_000 });
    const sb = new RedisAibotStreams(replicas.b, { now: () => now, ttlMs: 60_000 });
    await sa.create('u2', null);
    await sb.create('u2', 'msg-2');
    await sa.create('u2', null, { content: 'done', finished: true });
    assert.equal(await sb.inFlight('u2'), 2);
    assert.equal(await sa.inFlight('someone-else'), 0);
    now += 61_000;
    assert.equal(await sb.inFlight('u2'), 0);
  });

  it('while Redis is down streams live in the replica that made them', async () => {
    const conn = await replicas.open();
    const streams = new RedisAibotStreams(conn);
    try {
      await replicas.server.stop();
      const stream = await streams.create('u3', 'msg-3');
      assert.equal((await streams.forMessage('msg-3'))?.id, stream.id);
      assert.equal(await streams.inFlight('u3'), 1);
      assert.equal(conn.health().status, 'degraded');
    } finally {
      await replicas.server.start();
      await conn.close();
    }
  });
});
