import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConcurrencyLimit } from '../../src/internal/ConcurrencyLimit.js';

describe('ConcurrencyLimit', () => {
  it('runs at most `limit` tasks at once, in FIFO order, and frees slots on failure', async () => {
    const limit = new ConcurrencyLimit(2);
    let active = 0;
    let peak = 0;
    const order: number[] = [];
    const releases: Array<() => void> = [];
    const task = (i: number, fail = false) =>
      limit.run(async () => {
        active += 1;
        peak = Math.max(peak, active);
        order.push(i);
        await new Promise<void>((resolve) => releases.push(resolve));
        active -= 1;
        if (fail) throw new Error(`task ${i} failed`);
        return i;
      });
    const results = [task(1, true), task(2), task(3), task(4)].map((p) => p.catch((e: Error) => e.message));
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(order, [1, 2]);
    assert.equal(limit.pending, 2);
    while (releases.length > 0) {
      releases.shift()?.();
      await new Promise((r) => setImmediate(r));
    }
    assert.deepEqual(await Promise.all(results), ['task 1 failed', 2, 3, 4]);
    assert.deepEqual(order, [1, 2, 3, 4]);
    assert.equal(peak, 2);
    assert.equal(limit.pending, 0);
  });

  it('rejects a non-positive limit', () => {
    assert.throws(() => new ConcurrencyLimit(0), RangeError);
  });
});
