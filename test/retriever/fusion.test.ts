import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RRF_K, reciprocalRankFusion } from '../../src/retriever/fusion.js';

test('RRF rewards agreement between the two rankings', () => {
  const fused = reciprocalRankFusion([
    { ordinals: [1, 2, 3], weight: 1 },
    { ordinals: [3, 2, 9], weight: 1 },
  ]);
  const order = [...fused.entries()].sort((a, b) => b[1] - a[1]).map(([o]) => o);
  assert.deepEqual(order.slice(0, 2).sort(), [2, 3]);
  assert.ok((fused.get(2) ?? 0) > (fused.get(1) ?? 0));
  assert.equal(fused.get(9), 1 / (RRF_K + 3));
});

test('RRF weights scale a list and an empty list changes nothing', () => {
  const fused = reciprocalRankFusion([
    { ordinals: [5], weight: 2 },
    { ordinals: [], weight: 1 },
  ]);
  assert.equal(fused.size, 1);
  assert.equal(fused.get(5), 2 / (RRF_K + 1));
});
