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

test('convex combination: a flat dense signal barely moves the keyword order', async () => {
  const { convexCombination } = await import('../../src/retriever/fusion.js');
  const keyword = [
    { ordinal: 1, score: 10 },
    { ordinal: 2, score: 8 },
  ];
  const flatDense = [
    { ordinal: 2, score: 0.52 },
    { ordinal: 1, score: 0.5 },
  ];
  const fused = convexCombination(keyword, flatDense, () => 0, 0.5);
  assert.ok((fused.get(1) ?? 0) > (fused.get(2) ?? 0));
  // A decisive dense signal does reorder.
  const sharpDense = [
    { ordinal: 2, score: 0.9 },
    { ordinal: 1, score: 0.2 },
  ];
  const reordered = convexCombination(keyword, sharpDense, () => 0, 0.5);
  assert.ok((reordered.get(2) ?? 0) > (reordered.get(1) ?? 0));
  // Keyword candidates the dense search missed get their cosine from the callback.
  const filled = convexCombination([{ ordinal: 7, score: 3 }], [], (o) => (o === 7 ? 0.4 : 0), 0.5);
  assert.equal(filled.get(7), 0.5 * 1 + 0.5 * 0.4);
  // Keyword-only mode: the normalised BM25 alone.
  assert.equal(convexCombination([{ ordinal: 3, score: 4 }], [], null, 0.5).get(3), 1);
});
