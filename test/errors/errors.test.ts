import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  asCodedError,
  ErrorCode,
  InputError,
  isCodedError,
  UpstreamError,
  userFacingMessage,
} from '../../src/errors/index.js';

test('unknown errors are wrapped with the original kept', () => {
  const original = new TypeError('boom at /srv/app.js:12');
  const coded = asCodedError(original);
  assert.equal(coded.code, ErrorCode.Unknown);
  assert.equal(coded.category, 'system');
  assert.equal(coded.cause, original);
  assert.ok(isCodedError(coded));
});

test('users see a short message with the request id, never internals', () => {
  const message = userFacingMessage(new Error('ECONNREFUSED 10.0.0.3:5432 stack…'), 'req_1');
  assert.ok(message.includes('req_1'));
  assert.ok(!message.includes('ECONNREFUSED'));
  assert.ok(!userFacingMessage(new UpstreamError('429 from api'), 'req_2').includes('429'));
  assert.ok(
    userFacingMessage(new InputError('Question is empty.'), 'req_3').startsWith('Question is empty.'),
  );
  assert.match(userFacingMessage(new Error('x'), 'req_4', 'zh'), /请求编号 req_4/);
});
