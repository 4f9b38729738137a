import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { heldAttachments, namedAttachments, titleMatches } from '../../../src/answer/lists/attachments.js';
import { composeList, createDocumentLookup } from '../../../src/answer/lists/index.js';
import { questionShape } from '../../../src/answer/question-shape.js';
import type { RetrievalResult, StructuredDocument } from '../../../src/types.js';
import { ATTACHMENT_DIR, listCorpus, listRetrieve } from './fixture.js';

const Q = '江南省科技评估机构信用评价工作方案的通知，信用评价包括哪些内容？';

/** The retrieval with the passages of one document only (the attachment not retrieved). */
function only(retrieval: RetrievalResult, docId: string): RetrievalResult {
  return { ...retrieval, passages: retrieval.passages.filter((p) => p.chunk.docId === docId) };
}

function withText(doc: StructuredDocument, cleanedText: string): StructuredDocument {
  return { ...doc, cleanedText };
}

describe('namedAttachments', () => {
  it('reads 附件：《…》, 附件1：… and the numbered lines after a bare 附件：', async () => {
    const { docs } = await listCorpus(ATTACHMENT_DIR);
    const cover = docs.find((d) => d.id === 'tongzhi');
    assert.ok(cover);
    assert.deepEqual(namedAttachments(cover), ['江南省科技评估机构信用评价工作方案']);
    const text =
      '正文。\n附件：\n1．《某省数据资源登记管理办法》\n2．某省数据资源目录编制指南\n\n某省数据局\n';
    assert.deepEqual(namedAttachments(withText(cover, text)), [
      '某省数据资源登记管理办法',
      '某省数据资源目录编制指南',
    ]);
    assert.deepEqual(namedAttachments(withText(cover, '附件2：某省公共数据授权运营实施细则\n')), [
      '某省公共数据授权运营实施细则',
    ]);
    // A mention inside a sentence ("（见附件）") names nothing.
    assert.deepEqual(namedAttachments(withText(cover, '在典型负荷曲线（见附件）的基础上提供曲线。\n')), []);
  });

  it('matches a title equal to the name, or the name with an issuer before it, not a different document', () => {
    assert.equal(
      titleMatches('江南省科技评估机构信用评价工作方案', '《江南省科技评估机构信用评价工作方案》'),
      true,
    );
    assert.equal(titleMatches('江南省科技评估机构信用评价工作方案', '江南省科技评估机构管理办法'), false);
    assert.equal(titleMatches('方案', '方案'), false);
  });
});

describe('list answers from a held attachment', () => {
  it('answers from the attachment the cover notice names, and says so, when only the notice was retrieved', async () => {
    const { lookup } = await listCorpus(ATTACHMENT_DIR);
    const retrieval = only(await listRetrieve(Q, 8, ATTACHMENT_DIR), 'tongzhi');
    assert.ok(retrieval.passages.length > 0);
    const answer = composeList(Q, 'zh', retrieval, questionShape(Q), { lookup });
    assert.ok(answer);
    assert.match(
      answer.text,
      /^根据《江南省科技评估机构信用评价工作方案》 › 二、评价内容（见《江南省科学技术厅关于印发《江南省科技评估机构信用评价工作方案》的通知》附件）：\n/u,
    );
    const lines = answer.text.split('\n').filter((l) => l.startsWith('- '));
    assert.equal(lines.length, 5);
    assert.match(lines[0] ?? '', /^- 机构遵守科技评估有关法律法规的情况\[1\]；$/u);
    assert.ok(answer.citations.every((c) => c.doc === 'fangan'));
  });

  it('does not claim an attachment the library does not hold', async () => {
    const { docs, chunks } = await listCorpus(ATTACHMENT_DIR);
    const lookup = createDocumentLookup(
      docs.filter((d) => d.id === 'tongzhi'),
      chunks.filter((c) => c.docId === 'tongzhi'),
    );
    const cover = docs.find((d) => d.id === 'tongzhi');
    assert.ok(cover);
    assert.deepEqual(heldAttachments(cover, lookup), []);
    const retrieval = only(await listRetrieve(Q, 8, ATTACHMENT_DIR), 'tongzhi');
    const answer = composeList(Q, 'zh', retrieval, questionShape(Q), { lookup });
    assert.doesNotMatch(answer?.text ?? '', /附件）/u);
  });
});
