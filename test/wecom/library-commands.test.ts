/** WeCom text commands (总结 …, 帮助) over a library of documents. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseCommand } from '../../src/commands/parse-command.js';
import type { Engine } from '../../src/engine/createEngine.js';
import { runCommand } from '../../src/wecom/commands.js';
import { createLibraryEngine } from '../helpers/engine.js';

describe('WeCom commands over a library', () => {
  let engine: Engine;
  before(async () => {
    engine = await createLibraryEngine('wecom-commands');
  });
  after(() => engine?.close());

  const run = (text: string) => {
    const command = parseCommand(text);
    assert.notEqual(command.kind, 'question', text);
    if (command.kind === 'question') throw new Error('not a command');
    return runCommand(engine, command, 'req_lib');
  };

  it('总结 + 文号 or title: the document, with its sections and sources', async () => {
    const patent = engine.documents().find((d) => d.meta.docNumber === '国令第706号');
    assert.ok(patent);
    for (const text of ['总结 国令第706号', `/summary ${patent.meta.title}`]) {
      const markdown = await run(text);
      assert.ok(markdown.includes(`**《${patent.meta.title}》**`), markdown.slice(0, 120));
      assert.match(markdown, /第一章/u);
      assert.match(markdown, /\*\*来源\*\*/u);
    }
  });

  it('总结 + issuer: its documents; an unknown name says how to name documents', async () => {
    const markdown = await run('总结 国务院办公厅');
    const own = engine.documents().filter((d) => d.meta.issuers.some((i) => i.full === '国务院办公厅'));
    for (const doc of own) assert.ok(markdown.includes(doc.meta.title), doc.meta.title);
    const unknown = await run('总结 火星事务管理局');
    assert.match(unknown, /没有找到发文机关或文件“火星事务管理局”/u);
    assert.match(unknown, /国务院办公厅/u);
  });

  it('帮助 lists example questions made from the library', async () => {
    const help = await run('帮助');
    const [example] = engine.exampleQuestions('zh');
    assert.ok(example && help.includes(example), help);
    assert.doesNotMatch(help, /5G|科技司/u);
  });
});
