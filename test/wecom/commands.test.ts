import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCommand } from '../../src/wecom/commands.js';
import { createTestEngine } from '../helpers/engine.js';

describe('runCommand', () => {
  it('lists issuers and explains unknown issuer names in Chinese', async () => {
    const engine = await createTestEngine();
    assert.match(await runCommand(engine, { kind: 'issuers' }, 'req_x'), /• 科技司（工业和信息化部科技司）/);
    assert.match(await runCommand(engine, { kind: 'help' }, 'req_x'), /总结 发文机关或文件/);
    const unknown = await runCommand(engine, { kind: 'summary', target: '火星司' }, 'req_x');
    assert.match(unknown, /没有找到发文机关或文件“火星司”。可查询的发文机关：/);
    assert.match(unknown, /科技司/);
    await engine.close();
  });
});
