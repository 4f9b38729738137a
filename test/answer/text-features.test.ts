import assert from 'node:assert/strict';
import { test } from 'node:test';
import { includesRole } from '../../src/answer/text-features.js';

test('an occurrence inside its deputy title does not count for the role asked about', () => {
  const q = '总指挥由哪个部门的负责人担任？';
  assert.equal(includesRole('副总指挥：国家粮食局主要负责人', '总指挥', q), false);
  assert.equal(includesRole('总指挥：国家发展改革委主要负责人', '总指挥', q), true);
  // Both in one unit: the plain one counts.
  assert.equal(includesRole('副总指挥协助总指挥工作', '总指挥', q), true);
  // A question about the deputy itself, and other terms, are plain containment.
  assert.equal(includesRole('副总指挥：国家粮食局主要负责人', '总指挥', '副总指挥由谁担任？'), true);
  assert.equal(includesRole('负责人担任', '负责人', q), true);
});
