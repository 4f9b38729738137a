import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryRateLimiter } from '../../src/internal/rate-limiter.js';

test('allows `limit` hits per window per key, then says how long to wait', async () => {
  let now = 0;
  const limiter = new MemoryRateLimiter(3, 60_000, { now: () => now });
  assert.equal(await limiter.take('u1'), 0);
  assert.equal(await limiter.take('u1'), 0);
  now = 10_000;
  assert.equal(await limiter.take('u1'), 0);
  assert.equal(await limiter.take('u1'), 50, 'the oldest hit (t=0) frees up at t=60 s, 50 s from now');
  assert.equal(await limiter.take('u2'), 0, 'keys are independent');
  now = 60_001;
  // Both t=0 hits have left the window; the t=10 s one is still in it.
  assert.equal(await limiter.take('u1'), 0);
  assert.equal(await limiter.take('u1'), 0);
  assert.equal(await limiter.take('u1'), 10);
});
