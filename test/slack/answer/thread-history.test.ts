import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stripBotMention } from '../../../src/slack/answer/thread-history.js';

describe('stripBotMention', () => {
  it('removes the bot mention wherever it is, and keeps other mentions', () => {
    assert.equal(stripBotMention('<@UBOT> 5G基站？', 'UBOT'), '5G基站？');
    assert.equal(stripBotMention('hey <@UBOT|policybot>, ask <@U2> too', 'UBOT'), 'hey , ask <@U2> too');
    assert.equal(
      stripBotMention('<@UX> leading mention without a known bot id', undefined),
      'leading mention without a known bot id',
    );
  });
});
