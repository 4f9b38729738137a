import assert from 'node:assert/strict';
import { test } from 'node:test';
import { groupBy } from '../../src/internal/group-by.js';

test('groupBy: groups in item order, keys in order of first appearance', () => {
  const groups = groupBy(['a1', 'b1', 'a2', 'c1', 'b2'], (s) => s[0]);
  assert.deepEqual([...groups.keys()], ['a', 'b', 'c']);
  assert.deepEqual(groups.get('a'), ['a1', 'a2']);
  assert.deepEqual(groups.get('b'), ['b1', 'b2']);
  assert.equal(groupBy([], (x: number) => x).size, 0);
});
