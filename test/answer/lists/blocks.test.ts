import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { blocksAround } from '../../../src/answer/lists/index.js';
import type { StructuredDocument } from '../../../src/types.js';
import { listCorpus, STRUCTURE_DIR } from './fixture.js';

async function doc(id: string): Promise<StructuredDocument> {
  const found = (await listCorpus(STRUCTURE_DIR)).docs.find((d) => d.id === id);
  assert.ok(found, id);
  return found;
}

const paragraphWith = (d: StructuredDocument, text: string) =>
  d.paragraphs.findIndex((p) => d.cleanedText.slice(p.start, p.end).includes(text));

const texts = (d: StructuredDocument, items: readonly { start: number; end: number }[]) =>
  items.map((i) => d.cleanedText.slice(i.start, i.end));

describe('blocksAround', () => {
  it('gives a paragraph of semicolon-ended sentences as one enumeration of its parts, without its lead', async () => {
    const d = await doc('fangan');
    const blocks = blocksAround(d, paragraphWith(d, '降低农产品流通成本'));
    const parts = blocks.find((b) => b.kind === 'parts');
    assert.ok(parts);
    assert.equal(parts.heading.trim(), '（一）目标任务。');
    assert.deepEqual(texts(d, parts.items), [
      '选择10个县开展数字乡村建设试点，实现乡村网络覆盖明显提升，缩小城乡数字差距；',
      '降低农产品流通成本，拓宽农民增收渠道；',
      '提高乡村治理效率，方便群众办事；',
      '探索形成可复制推广的数字乡村建设模式。',
    ]);
    // Sentences that do not end in semicolons stay plain sentences.
    const plain = blocksAround(d, paragraphWith(d, '建设村级远程医疗服务点'));
    assert.ok(plain.every((b) => b.kind !== 'parts'));
  });

  it('gives a notice’s own text outside any section as one block, without the signature or what follows it', async () => {
    const d = await doc('tongzhi');
    const blocks = blocksAround(d, paragraphWith(d, '切实负起责任'));
    const run = blocks.find((b) => b.kind === 'notice');
    assert.ok(run);
    assert.ok(run.start < d.cleanedText.indexOf('各地、各部门要切实'));
    const items = texts(d, run.items);
    assert.equal(items.length, 4);
    assert.match(items[0] ?? '', /^省农业农村厅《关于数字乡村建设情况的报告》已经省政府同意/u);
    assert.match(items[3] ?? '', /^各有关部门要加强数字乡村建设的统筹协调/u);
    assert.ok(items.every((t) => !t.includes('办公厅') || t.includes('转发')));
    assert.ok(items.every((t) => !t.includes('服务站1200个')));
  });

  it('gives the last numbered item its body paragraphs when every other item has one', async () => {
    const d = await doc('fangan');
    const blocks = blocksAround(d, paragraphWith(d, '组织高校和科研院所'));
    const numbered = blocks.find((b) => b.kind === 'numbered' && b.path.at(-1) === '四、保障措施');
    assert.ok(numbered);
    const items = texts(d, numbered.items);
    assert.equal(items.length, 3);
    assert.match(items[0] ?? '', /^（一）加强组织领导。\s+各试点县成立工作专班，主要负责同志亲自抓。$/u);
    assert.match(items[2] ?? '', /^（三）加强人才支撑。\s+组织高校和科研院所开展驻村技术服务。$/u);
  });
});
