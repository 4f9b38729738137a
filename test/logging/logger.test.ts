import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { createLogger, maskSecret, newRequestId } from '../../src/logging/logger.js';

test('secrets never reach a log line', () => {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const logger = createLogger({ destination, level: 'debug' });
  logger.info(
    {
      token: 'xoxb-secret-1',
      headers: { authorization: 'Bearer sk-secret-2' },
      config: { slack: { signingSecret: 'sig-3' } },
    },
    'hello',
  );
  const out = lines.join('');
  for (const secret of ['xoxb-secret-1', 'sk-secret-2', 'sig-3'])
    assert.ok(!out.includes(secret), `${secret} leaked: ${out}`);
  assert.match(out, /\*\*\*/);
});

test('request ids are short and unique; secrets mask for display', () => {
  const a = newRequestId();
  assert.match(a, /^req_[0-9a-f]{12}$/);
  assert.notEqual(a, newRequestId());
  assert.equal(maskSecret('xoxb-1234567890-abcd'), 'xoxb-…abcd');
  assert.equal(maskSecret(undefined), '(unset)');
});
