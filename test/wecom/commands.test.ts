import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCommand, runCommand } from '../../src/wecom/commands.js';
import { createTestEngine } from '../helpers/engine.js';

describe('parseCommand', () => {
  it('recognises help, issuers and summary in Chinese and English', () => {
    assert.deepEqual(parseCommand(' 帮助 '), { kind: 'help' });
    assert.deepEqual(parseCommand('HELP'), { kind: 'help' });
    assert.deepEqual(parseCommand('部门'), { kind: 'issuers' });
    assert.deepEqual(parseCommand('issuers'), { kind: 'issuers' });
    assert.deepEqual(parseCommand('总结 科技司'), { kind: 'summary', issuer: '科技司' });
    assert.deepEqual(parseCommand('/summary 科技司'), { kind: 'summary', issuer: '科技司' });
    assert.deepEqual(parseCommand('总结'), { kind: 'summary', issuer: null });
  });

  it('treats everything else as a question', () => {
    assert.deepEqual(parseCommand('2021年新建了多少个5G基站？'), {
      kind: 'question',
      text: '2021年新建了多少个5G基站？',
    });
    assert.deepEqual(parseCommand('总结一下科技司的工作'), {
      kind: 'question',
      text: '总结一下科技司的工作',
    });
    assert.deepEqual(parseCommand('帮助企业的政策有哪些'), {
      kind: 'question',
      text: '帮助企业的政策有哪些',
    });
  });
});

describe('runCommand', () => {
  it('lists issuers and explains unknown issuer names in Chinese', async () => {
    const engine = await createTestEngine();
    assert.match(await runCommand(engine, { kind: 'issuers' }, 'req_x'), /• 科技司（工业和信息化部科技司）/);
    assert.match(await runCommand(engine, { kind: 'help' }, 'req_x'), /总结 科技司/);
    const unknown = await runCommand(engine, { kind: 'summary', issuer: '火星司' }, 'req_x');
    assert.match(unknown, /没有找到部门“火星司”。可查询的部门：/);
    assert.match(unknown, /科技司/);
    await engine.close();
  });
});
