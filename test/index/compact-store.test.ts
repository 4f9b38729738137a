import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  decodeChunks,
  decodeDocuments,
  encodeChunks,
  encodeDocuments,
} from '../../src/index/compact-store.js';
import type { Chunk, StructuredDocument } from '../../src/types.js';

function doc(id: string, cleanedText: string): StructuredDocument {
  return {
    id,
    sourcePath: `corpus/${id}.txt`,
    title: `标题 ${id}`,
    editorsNote: null,
    cleanedText,
    contentHash: `hash-${id}`,
    paragraphs: [
      { index: 0, kind: 'body', start: 0, end: cleanedText.length, articleIndex: null, section: null },
    ],
    articles: [],
  };
}

function chunk(d: StructuredDocument, ordinal: number, local: number, start: number, end: number): Chunk {
  return {
    id: `${d.id}#${local}`,
    ordinal,
    docId: d.id,
    docTitle: d.title,
    articleTitle: '科技司：2022年工作思路',
    department: local % 2 === 0 ? '科技司' : null,
    departmentFull: local % 2 === 0 ? '工业和信息化部科技司' : null,
    section: local === 1 ? '一、加强创新' : null,
    paragraphIndex: 0,
    start,
    end,
    text: d.cleanedText.slice(start, end),
  };
}

test('documents and chunks survive the compact form unchanged, texts included', () => {
  const a = doc('a', '推动制造业创新中心建设。培育建设一批国家制造业创新中心和地方共建中心。');
  const b = doc('b', 'IPv6 规模部署 🚀 与 5G 应用。');
  const documents = [a, b];
  const chunks = [
    chunk(a, 0, 0, 0, 12),
    chunk(a, 1, 1, 8, a.cleanedText.length),
    chunk(b, 2, 0, 0, b.cleanedText.length),
  ];

  const encodedDocs = encodeDocuments(documents);
  const encodedChunks = JSON.parse(JSON.stringify(encodeChunks(chunks, documents)));
  assert.deepEqual(encodedChunks.ownText, {}, 'verbatim slices are not stored twice');
  assert.ok(!JSON.stringify(encodedChunks).includes('培育建设'), 'chunk texts are not in chunks.json');

  const decodedDocs = decodeDocuments(encodedDocs.text, JSON.parse(JSON.stringify(encodedDocs.json)));
  assert.deepEqual(decodedDocs, documents);
  assert.deepEqual(decodeChunks(encodedChunks, decodedDocs), chunks);
});

test('a chunk whose text is not a slice of its document keeps its own text', () => {
  const a = doc('a', '原文内容在这里。');
  const odd = { ...chunk(a, 0, 0, 0, 4), text: '改写过的文本' };
  const encoded = encodeChunks([odd], [a]);
  assert.deepEqual(encoded.ownText, { 0: '改写过的文本' });
  assert.equal(decodeChunks(encoded, [a])[0]?.text, '改写过的文本');
});

test('malformed or mismatched parts are rejected', () => {
  const a = doc('a', '文本');
  const { text, json } = encodeDocuments([a]);
  assert.throws(() => decodeDocuments(`${text}多`, json), /does not match/);
  assert.throws(() => decodeDocuments(text, { ...json, format: 'old' } as never), /compact format/);
  const chunks = encodeChunks([chunk(a, 0, 0, 0, 2)], [a]);
  assert.throws(() => decodeChunks({ ...chunks, start: [] }, [a]), /different lengths/);
  assert.throws(() => decodeChunks(chunks, []), /missing document/);
  assert.throws(() => encodeChunks([{ ...chunk(a, 0, 0, 0, 2), ordinal: 3 }], [a]), /ordinal/);
});
