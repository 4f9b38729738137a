import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCommand } from '../../src/commands/parse-command.js';

describe('parseCommand', () => {
  it('recognises help, issuers and summary in Chinese and English, with or without a slash', () => {
    assert.deepEqual(parseCommand(''), { kind: 'help' });
    assert.deepEqual(parseCommand(' 帮助 '), { kind: 'help' });
    assert.deepEqual(parseCommand('  HELP '), { kind: 'help' });
    assert.deepEqual(parseCommand('？'), { kind: 'help' });
    assert.deepEqual(parseCommand('部门'), { kind: 'issuers' });
    assert.deepEqual(parseCommand('/issuers'), { kind: 'issuers' });
    assert.deepEqual(parseCommand('总结 科技司'), { kind: 'summary', target: '科技司' });
    assert.deepEqual(parseCommand('/summary 科技司'), { kind: 'summary', target: '科技司' });
    assert.deepEqual(parseCommand('summary Science and Technology'), {
      kind: 'summary',
      target: 'Science and Technology',
    });
    assert.deepEqual(parseCommand('摘要 国办发〔2019〕3号'), {
      kind: 'summary',
      target: '国办发〔2019〕3号',
    });
    assert.deepEqual(parseCommand('总结'), { kind: 'summary', target: null });
  });

  it('recognises scope, subscribe and unsubscribe', () => {
    assert.deepEqual(parseCommand('scope'), { kind: 'scope' });
    assert.deepEqual(parseCommand('范围'), { kind: 'scope' });
    assert.deepEqual(parseCommand('scope of the plan?'), { kind: 'question', text: 'scope of the plan?' });
    assert.deepEqual(parseCommand('订阅 国家能源局'), { kind: 'subscribe', filter: '国家能源局' });
    assert.deepEqual(parseCommand('/subscribe'), { kind: 'subscribe', filter: null });
    assert.deepEqual(parseCommand('取消订阅'), { kind: 'unsubscribe', filter: null });
    assert.deepEqual(parseCommand('unsubscribe 浙江'), { kind: 'unsubscribe', filter: '浙江' });
  });

  it('treats everything else as a question, including command words that do not stand alone', () => {
    for (const text of [
      '2021年新建了多少个5G基站？',
      '总结一下科技司的工作',
      '帮助企业的政策有哪些',
      'issuers of what?',
      'help me find the 2019 holiday schedule',
    ]) {
      assert.deepEqual(parseCommand(text), { kind: 'question', text });
    }
  });
});
