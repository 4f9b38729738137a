import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryDedupeStore } from '../../src/internal/ttl-store.js';

test('a key is claimed once within its TTL, again after it expires', async () => {
  let now = 1_000;
  const store = new MemoryDedupeStore({ now: () => now });
  assert.equal(await store.claim('evt-1', 100), true);
  assert.equal(await store.claim('evt-1', 100), false);
  assert.equal(await store.claim('evt-2', 100), true);
  now += 101;
  assert.equal(await store.claim('evt-1', 100), true);
});

test('the store stays bounded under a flood of distinct keys', async () => {
  const store = new MemoryDedupeStore({ maxEntries: 100 });
  for (let i = 0; i < 1_000; i++) await store.claim(`k${i}`, 60_000);
  assert.ok(store.size <= 100, `size ${store.size}`);
  // The newest keys are still remembered.
  assert.equal(await store.claim('k999', 60_000), false);
});
