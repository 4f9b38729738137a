import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LogLevel } from '@slack/bolt';
import { createLogger } from '../../src/logging/logger.js';
import { createBoltLogger, maskSlackTokens } from '../../src/slack/bolt-logger.js';

describe('Bolt logger adapter', () => {
  it('masks Slack tokens in strings', () => {
    assert.equal(maskSlackTokens('token xoxb-123-456-abcDEF used'), 'token xoxb-*** used');
    assert.equal(maskSlackTokens('app xapp-1-A111-222-abc'), 'app xapp-***');
    assert.equal(maskSlackTokens('no secrets here'), 'no secrets here');
  });

  it('writes Bolt lines through pino with component "bolt", masked, at the pino level', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', destination: { write: (l: string) => void lines.push(l) } });
    const bolt = createBoltLogger(logger);
    bolt.setLevel(LogLevel.DEBUG);
    bolt.debug('dropped: below info');
    bolt.info('auth with', 'xoxb-999-888-SECRETVALUE', { n: 1 });
    bolt.error(new Error('failed for xoxp-1-2-USERTOKEN'));
    assert.equal(lines.length, 2, 'debug dropped: setLevel does not override LOG_LEVEL');
    const [info, error] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(info?.component, 'bolt');
    assert.equal(info?.msg, 'auth with xoxb-*** {"n":1}');
    assert.ok(!lines.join('').includes('SECRETVALUE'));
    assert.ok(!lines.join('').includes('USERTOKEN'));
    assert.equal((error?.err as { message?: string } | undefined)?.message, 'failed for xoxp-***');
    assert.equal(bolt.getLevel(), LogLevel.INFO);
  });
});
