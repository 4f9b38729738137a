import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AibotStreams } from '../../src/wecom/AibotStreams.js';
import { utf8Bytes } from './helpers.js';

describe('AibotStreams', () => {
  it('accumulates deltas and replaces them with the final text', () => {
    const streams = new AibotStreams();
    const s = streams.create('u', 'm1');
    streams.append(s, '2021年');
    streams.append(s, '新建5G基站');
    assert.equal(s.content, '2021年新建5G基站');
    assert.equal(streams.forMessage('m1'), s);
    assert.equal(streams.get(s.id), s);
    streams.finish(s, '2021年新建5G基站超60万个。[1]');
    assert.deepEqual([s.finished, s.content], [true, '2021年新建5G基站超60万个。[1]']);
    streams.append(s, 'late');
    assert.equal(s.content, '2021年新建5G基站超60万个。[1]', 'no appends after finish');
  });

  it('never lets cumulative content exceed 20,480 bytes', () => {
    const streams = new AibotStreams();
    const s = streams.create('u', null);
    for (let i = 0; i < 1000; i++) streams.append(s, '这是一个很长的句子，用来测试字节上限。');
    assert.ok(utf8Bytes(s.content) <= 20_480, `${utf8Bytes(s.content)} bytes`);
    assert.match(s.content, /已截断）$/);
    streams.finish(s, '终。'.repeat(10_000));
    assert.ok(utf8Bytes(s.content) <= 20_480);
  });

  it('counts unfinished streams per user and sweeps old ones', () => {
    let now = 0;
    const streams = new AibotStreams({ now: () => now, ttlMs: 1000 });
    const a = streams.create('u1', 'a');
    streams.create('u1', 'b');
    streams.create('u1', 'c', { content: 'done', finished: true });
    streams.create('u2', 'd');
    assert.equal(streams.inFlight('u1'), 2);
    assert.equal(streams.inFlight('u2'), 1);
    streams.finish(a, 'x');
    assert.equal(streams.inFlight('u1'), 1);
    now = 5000;
    streams.create('u3', 'e'); // creation sweeps expired entries
    assert.equal(streams.get(a.id), undefined);
    assert.equal(streams.forMessage('a'), undefined);
    assert.equal(streams.inFlight('u1'), 0);
  });
});
