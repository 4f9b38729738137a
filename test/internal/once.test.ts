import assert from 'node:assert/strict';
import { test } from 'node:test';
import { once } from '../../src/internal/once.js';

test('once: computed on first use only, falsy values included', () => {
  let calls = 0;
  const value = once(() => {
    calls++;
    return calls > 1 ? 'again' : null;
  });
  assert.equal(calls, 0);
  assert.equal(value(), null);
  assert.equal(value(), null);
  assert.equal(calls, 1);
});
