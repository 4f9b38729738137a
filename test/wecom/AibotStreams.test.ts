import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appendToStream, finishStream, MemoryAibotStreams } from '../../src/wecom/AibotStreams.js';
import { utf8Bytes } from './helpers.js';

describe('MemoryAibotStreams', () => {
  it('accumulates deltas and replaces them with the final text', async () => {
    const streams = new MemoryAibotStreams();
    const s = await streams.create('u', 'm1');
    appendToStream(s, '2021年');
    appendToStream(s, '新建5G基站');
    await streams.save(s);
    assert.equal(s.content, '2021年新建5G基站');
    assert.equal(await streams.forMessage('m1'), s);
    assert.equal((await streams.get(s.id))?.content, '2021年新建5G基站');
    finishStream(s, '2021年新建5G基站超60万个。[1]');
    assert.deepEqual([s.finished, s.content], [true, '2021年新建5G基站超60万个。[1]']);
    appendToStream(s, 'late');
    assert.equal(s.content, '2021年新建5G基站超60万个。[1]', 'no appends after finish');
  });

  it('never lets cumulative content exceed 20,480 bytes', async () => {
    const streams = new MemoryAibotStreams();
    const s = await streams.create('u', null);
    for (let i = 0; i < 1000; i++) appendToStream(s, '这是一个很长的句子，用来测试字节上限。');
    assert.ok(utf8Bytes(s.content) <= 20_480, `${utf8Bytes(s.content)} bytes`);
    assert.match(s.content, /已截断）$/);
    finishStream(s, '终。'.repeat(10_000));
    assert.ok(utf8Bytes(s.content) <= 20_480);
  });

  it('counts unfinished streams per user and forgets old ones', async () => {
    let now = 0;
    const streams = new MemoryAibotStreams({ now: () => now, ttlMs: 1000 });
    const a = await streams.create('u1', 'a');
    await streams.create('u1', 'b');
    await streams.create('u1', 'c', { content: 'done', finished: true });
    await streams.create('u2', 'd');
    assert.equal(await streams.inFlight('u1'), 2);
    assert.equal(await streams.inFlight('u2'), 1);
    finishStream(a, 'x');
    await streams.save(a);
    assert.equal(await streams.inFlight('u1'), 1);
    now = 5000;
    assert.equal(await streams.get(a.id), undefined);
    assert.equal(await streams.forMessage('a'), undefined);
    assert.equal(await streams.inFlight('u1'), 0);
  });
});
