import assert from 'node:assert/strict';
import { it } from 'node:test';
import { attachmentAnswer } from '../../src/answer/attachment-answer.js';
import type { Chunk } from '../../src/types.js';
import { makeChunk, rankedRetrieval } from '../helpers/passages.js';

const title = '关于转发《发电企业与电网企业电费结算办法》的通知';
const chunk = (docId: string, ordinal: number, text: string) =>
  makeChunk(ordinal, text, { docId, docTitle: title, partTitle: title, start: ordinal * 100 });
const retrieval = (query: string, chunks: Chunk[]) => rankedRetrieval(query, chunks);

const cover = chunk(
  'notice',
  0,
  '相关附件：\n1.关于转发《电费结算办法》的通知.pdf\n2.附件：电费结算办法.tif',
);
const other = chunk('other', 1, '附件：另一份方案.pdf');
const q = '那份讲电费结算的文件，原件得去哪儿下？';

it('asked for the original, quotes the attachment lines of the best passage’s document, each verbatim', () => {
  const answer = attachmentAnswer(q, 'zh', retrieval(q, [cover, other]));
  assert.ok(answer);
  assert.match(answer.text, /关于转发《电费结算办法》的通知\.pdf/);
  assert.match(answer.text, /电费结算办法\.tif/);
  // Not another document's attachment, and not the bare "相关附件：" label.
  assert.doesNotMatch(answer.text, /另一份方案|相关附件/);
  for (const c of answer.citations) assert.ok(cover.text.includes(c.quote), c.quote);
});

it('answers nothing for other questions, or when the best passages name no attachment', () => {
  assert.equal(
    attachmentAnswer('电费按什么周期结算？', 'zh', retrieval('电费按什么周期结算？', [cover])),
    null,
  );
  const body = chunk('notice', 2, '电费按月结算，发电企业与电网企业应当按时结清。');
  assert.equal(attachmentAnswer(q, 'zh', retrieval(q, [body])), null);
});
