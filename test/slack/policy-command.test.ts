import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stripBotMention } from '../../src/slack/answer/thread-history.js';
import { parsePolicyCommand } from '../../src/slack/listeners/commands/policy-command.js';

describe('parsePolicyCommand', () => {
  it('recognises the subcommands; anything else is a question', () => {
    assert.deepEqual(parsePolicyCommand(''), { kind: 'help' });
    assert.deepEqual(parsePolicyCommand('  HELP '), { kind: 'help' });
    assert.deepEqual(parsePolicyCommand('issuers'), { kind: 'issuers' });
    assert.deepEqual(parsePolicyCommand('summary 中小企业局'), { kind: 'summary', issuer: '中小企业局' });
    assert.deepEqual(parsePolicyCommand('summary Science and Technology'), {
      kind: 'summary',
      issuer: 'Science and Technology',
    });
    assert.deepEqual(parsePolicyCommand('summary'), { kind: 'summary', issuer: null });
    assert.deepEqual(parsePolicyCommand('issuers of what?'), {
      kind: 'question',
      text: 'issuers of what?',
    });
    assert.deepEqual(parsePolicyCommand('2021年新建了多少个5G基站？'), {
      kind: 'question',
      text: '2021年新建了多少个5G基站？',
    });
  });
});

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
