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

  it('compare: two sides split at a separator, two years of one name, two names, or one target', () => {
    assert.deepEqual(parseCommand('compare 中小企业局'), {
      kind: 'compare',
      before: '中小企业局',
      after: null,
    });
    assert.deepEqual(parseCommand('比较 中小企业局 2021 2022'), {
      kind: 'compare',
      before: '中小企业局 2021',
      after: '中小企业局 2022',
    });
    assert.deepEqual(parseCommand('/compare 2021 2022'), { kind: 'compare', before: '2021', after: '2022' });
    assert.deepEqual(parseCommand('对比 国办发〔2019〕3号 vs 国办发〔2020〕1号'), {
      kind: 'compare',
      before: '国办发〔2019〕3号',
      after: '国办发〔2020〕1号',
    });
    assert.deepEqual(parseCommand('compare 临江市工信局 2021 | 临江市工信局 2022'), {
      kind: 'compare',
      before: '临江市工信局 2021',
      after: '临江市工信局 2022',
    });
    assert.deepEqual(parseCommand('compare doc-a doc-b'), {
      kind: 'compare',
      before: 'doc-a',
      after: 'doc-b',
    });
    assert.deepEqual(parseCommand('compare 科技司 2022'), {
      kind: 'compare',
      before: '科技司 2022',
      after: null,
    });
    assert.deepEqual(parseCommand('compare'), { kind: 'help' });
    assert.deepEqual(parseCommand('比较一下两年的变化'), { kind: 'question', text: '比较一下两年的变化' });
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
