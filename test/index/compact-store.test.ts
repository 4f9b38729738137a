import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  decodeChunks,
  decodeDocuments,
  encodeChunks,
  encodeDocuments,
} from '../../src/index/compact-store.js';
import { structureDocument } from '../../src/ingest/structure-document.js';
import { chunkDocument } from '../../src/node-parser/chunker.js';
import type { StructuredDocument } from '../../src/types.js';

function doc(id: string, text: string): StructuredDocument {
  return structureDocument({ id, path: `corpus/${id}.txt`, format: 'txt', text, contentHash: `hash-${id}` });
}

/** A column with bylined articles, a notice with numbered sections and a 文号, and Latin text with an emoji. */
const SOURCES = {
  column:
    '栏目标题\n\n推动创新发展\n\n工业和信息化部科技司\n\n推动制造业创新中心建设，培育建设一批国家制造业创新中心。完善体系。\n\n继续推进工作，加大投入力度，并且做好各项保障工作。',
  notice:
    '国务院办公厅关于开展工作的通知\n\n国办发〔2019〕3号\n\n一、总体要求\n\n各地要高度重视，认真组织实施，确保各项任务落实到位。\n\n国务院办公厅\n\n2019年1月9日',
  latin: 'IPv6 规模部署 🚀 与 5G 应用，推动形成新的发展格局和产业生态。',
};

test('documents and chunks survive the compact form unchanged, texts included', () => {
  const documents = Object.entries(SOURCES).map(([id, text]) => doc(id, text));
  const chunks = documents
    .flatMap((d) => chunkDocument(d, { size: 40, overlap: 10 }))
    .map((c, ordinal) => ({ ...c, ordinal }));
  assert.ok(chunks.some((c) => c.issuer === '科技司'));
  assert.ok(chunks.some((c) => c.docNumber === '国办发〔2019〕3号' && c.sectionPath[0] === '一、总体要求'));

  const encodedDocs = encodeDocuments(documents);
  const encodedChunks = JSON.parse(JSON.stringify(encodeChunks(chunks, documents)));
  assert.deepEqual(encodedChunks.ownText, {}, 'verbatim slices are not stored twice');
  assert.ok(!JSON.stringify(encodedChunks).includes('培育建设'), 'chunk texts are not in chunks.json');

  const decodedDocs = decodeDocuments(
    encodedDocs.text,
    JSON.parse(JSON.stringify(encodedDocs.json)),
    encodedDocs.structure,
  );
  // Chunks first: decoding them reads the structure rows without making paragraph or section objects.
  assert.deepEqual(decodeChunks(encodedChunks, decodedDocs), chunks);
  assert.ok(Object.getOwnPropertyDescriptor(decodedDocs[0], 'paragraphs')?.get, 'paragraphs not made yet');
  assert.deepEqual(decodedDocs, documents);
  assert.ok(!Object.getOwnPropertyDescriptor(decodedDocs[0], 'paragraphs')?.get, 'kept once made');
  assert.deepEqual(decodeChunks(encodedChunks, decodedDocs), chunks);
});

test('a chunk whose text is not a slice of its document keeps its own text', () => {
  const a = doc('a', '原文内容在这里，还有一些其他的文字内容。');
  const first = chunkDocument(a, { size: 300, overlap: 60 })[0];
  assert.ok(first);
  const odd = { ...first, text: '改写过的文本' };
  const encoded = encodeChunks([odd], [a]);
  assert.deepEqual(encoded.ownText, { 0: '改写过的文本' });
  assert.equal(decodeChunks(encoded, [a])[0]?.text, '改写过的文本');
});

test('malformed or mismatched parts are rejected', () => {
  const a = doc('a', '这是一段足够长的正文，用来检查损坏的索引。');
  const { text, json, structure } = encodeDocuments([a]);
  assert.throws(() => decodeDocuments(`${text}多`, json, structure), /does not match/);
  assert.throws(() => decodeDocuments(text, { ...json, format: 'old' } as never), /compact format/);
  assert.throws(() => decodeDocuments(text, json), /documents.structure is missing/);
  assert.throws(
    () => decodeDocuments(text, json, structure.subarray(0, structure.length - 4)),
    /does not match/,
  );
  assert.throws(
    () => decodeDocuments(text, json, structure.subarray(0, structure.length - 2)),
    /whole number/,
  );
  const chunks = encodeChunks(chunkDocument(a, { size: 300, overlap: 60 }), [a]);
  assert.throws(() => decodeChunks({ ...chunks, start: [] }, [a]), /different lengths/);
  assert.throws(() => decodeChunks(chunks, []), /missing document/);
  const [first] = chunkDocument(doc('b', '一句完整的正文内容，足够长。'), { size: 300, overlap: 60 });
  assert.ok(first);
  assert.throws(() => encodeChunks([{ ...first, docId: 'a', ordinal: 3 }], [a]), /ordinal/);
});

test('paragraphs and sections are stored as rows, with what is not a slice of the text kept; v4 and v3 still read', () => {
  const notice = doc('notice', SOURCES.notice);
  assert.ok(
    notice.paragraphs.some((p) => p.numbering !== null),
    'the notice has a numbered paragraph',
  );
  assert.ok(notice.sections.length > 0, 'the notice has a section');
  const odd: StructuredDocument = {
    ...notice,
    paragraphs: notice.paragraphs.map((p, i) => ({
      ...p,
      page: i === 1 ? 3 : p.page,
      index: i === 2 ? 7 : p.index,
      numbering: p.numbering
        ? {
            ...p.numbering,
            label: '第1项',
            ...(i === notice.paragraphs.findIndex((x) => x.numbering) ? { value: 2 ** 40 } : {}),
          }
        : null,
    })),
    sections: notice.sections.map((s) => ({ ...s, heading: `改写的${s.heading}`, label: '甲' })),
  };
  for (const original of [notice, odd]) {
    const encoded = encodeDocuments([original]);
    const json = JSON.parse(JSON.stringify(encoded.json));
    assert.equal(json.documents[0].paragraphs, undefined, 'no paragraphs in documents.json');
    assert.equal(json.documents[0].sections, undefined, 'no sections in documents.json');
    assert.equal(
      json.documents[0].structure.own === undefined,
      original === notice,
      'own strings only when needed',
    );
    assert.deepEqual(decodeDocuments(encoded.text, json, encoded.structure), [original]);
  }

  // The formats before the structure rows: v4 (paragraphs as columns) and v3 (as objects), sections as objects.
  const { cleanedText, paragraphs, ...rest } = odd;
  const v3 = {
    format: 'policybot-compact-v3',
    textLengths: [cleanedText.length],
    documents: [{ ...rest, paragraphs }],
  };
  assert.deepEqual(decodeDocuments(cleanedText, JSON.parse(JSON.stringify(v3))), [odd]);
  const kinds = [...new Set(paragraphs.map((p) => p.kind))];
  const columns = {
    kinds,
    kind: paragraphs.map((p) => kinds.indexOf(p.kind)),
    start: paragraphs.map((p) => p.start),
    end: paragraphs.map((p) => p.end),
    part: paragraphs.map((p) => p.part),
    section: paragraphs.map((p) => p.section ?? -1),
    numbering: Object.fromEntries(paragraphs.flatMap((p, i) => (p.numbering ? [[i, p.numbering]] : []))),
    page: Object.fromEntries(paragraphs.flatMap((p, i) => (p.page !== null ? [[i, p.page]] : []))),
    index: Object.fromEntries(paragraphs.flatMap((p, i) => (p.index !== i ? [[i, p.index]] : []))),
  };
  const v4 = { ...v3, format: 'policybot-compact-v4', documents: [{ ...rest, paragraphs: columns }] };
  assert.deepEqual(decodeDocuments(cleanedText, JSON.parse(JSON.stringify(v4))), [odd]);
});
