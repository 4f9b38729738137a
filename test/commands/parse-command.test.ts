import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCommand } from '../../src/commands/parse-command.js';

describe('parseCommand', () => {
  it('recognises figures with an issuer, document or topic, or none', () => {
    assert.deepEqual(parseCommand('figures 中小企业局'), { kind: 'figures', target: '中小企业局' });
    assert.deepEqual(parseCommand('/figures 国办发〔2019〕3号'), {
      kind: 'figures',
      target: '国办发〔2019〕3号',
    });
    assert.deepEqual(parseCommand('数据 就业'), { kind: 'figures', target: '就业' });
    assert.deepEqual(parseCommand('指标'), { kind: 'figures', target: null });
    assert.deepEqual(parseCommand('数据安全的政策有哪些？'), {
      kind: 'question',
      text: '数据安全的政策有哪些？',
    });
  });

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
