import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ErrorCode } from '../../src/errors/index.js';
import { markdownLoader } from '../../src/ingest/loaders/markdown-loader.js';
import { structureDocument } from '../../src/ingest/structure-document.js';
import type { SourceDocument } from '../../src/ingest/types.js';
import { chunkDocument, packUnits } from '../../src/node-parser/chunker.js';
import { splitSentences } from '../../src/node-parser/sentence-splitter.js';
import type { Chunk, StructuredDocument } from '../../src/types.js';
import { FIXTURES_DIR, loadSeed, loadWith } from '../ingest/seed.js';

const CHUNKED = new Set(['body', 'table', 'editors-note', 'attachment']);

/** Invariants every chunking must satisfy, whatever the settings. */
function assertInvariants(doc: StructuredDocument, chunks: Chunk[], size: number): void {
  const text = doc.cleanedText;
  for (const [i, c] of chunks.entries()) {
    assert.equal(c.ordinal, i);
    assert.equal(c.id, `${doc.id}#${i}`);
    assert.equal(c.docId, doc.id);
    assert.equal(c.docTitle, doc.meta.title);
    assert.equal(c.text, text.slice(c.start, c.end), 'verbatim');
    assert.equal(c.text, c.text.trim());
    assert.ok(c.text.length > 0);
    // The paragraphs a chunk covers: all chunked, of one part and one section.
    const covered = doc.paragraphs.filter((p) => p.end > c.start && p.start < c.end);
    assert.ok(covered.length > 0);
    for (const p of covered) {
      assert.ok(CHUNKED.has(p.kind), `only body text, tables and the note are chunked: ${p.kind}`);
      assert.equal(p.part, covered[0]?.part, 'inside one part');
      assert.equal(p.section, covered[0]?.section, 'inside one section');
    }
    const p = doc.paragraphs[c.paragraphIndex];
    assert.ok(p && p.start <= c.start && c.start < p.end, 'paragraphIndex is the first paragraph');
    const part = doc.parts[p.part];
    assert.equal(c.partTitle, part && part.index > 0 ? part.title : doc.meta.title);
    if (p.kind !== 'editors-note' && part?.issuer) {
      assert.equal(c.issuer, part.issuer.short);
      assert.equal(c.issuerFull, part.issuer.full);
    }
    assert.equal(c.section, c.sectionPath[c.sectionPath.length - 1] ?? null);
    if (c.text.length > size) {
      // Only a single sentence may exceed the size, and never by more than 2×.
      assert.equal(
        splitSentences(c.text).length,
        1,
        `oversized chunk is one sentence: ${c.text.slice(0, 20)}`,
      );
      assert.ok(c.text.length <= 2 * size);
    }
    const prev = chunks[i - 1];
    if (prev) assert.ok(c.end > prev.end, 'every chunk adds new text');
  }
  // Every sentence of every chunked paragraph is covered.
  for (const p of doc.paragraphs.filter((x) => CHUNKED.has(x.kind))) {
    const mine = chunks.filter((c) => c.end > p.start && c.start < p.end);
    assert.ok((mine[0]?.start ?? Number.POSITIVE_INFINITY) <= p.start, `paragraph ${p.index} start covered`);
    assert.ok((mine[mine.length - 1]?.end ?? -1) >= p.end, `paragraph ${p.index} end covered`);
  }
}

describe('chunkDocument on the seed page', () => {
  const doc = structureDocument(loadSeed());

  for (const [size, overlap] of [
    [300, 60],
    [120, 30],
    [80, 0],
    [1000, 200],
  ] as const) {
    it(`keeps every invariant at size ${size} / overlap ${overlap}`, () => {
      assertInvariants(doc, chunkDocument(doc, { size, overlap }), size);
    });
  }

  it('carries document, article, issuer and section metadata', () => {
    const chunks = chunkDocument(doc, { size: 300, overlap: 60 });
    const note = chunks[0];
    assert.ok(note?.text.startsWith('开栏的话'));
    assert.deepEqual([note?.partTitle, note?.issuer, note?.section], [doc.meta.title, null, null]);
    const wen = chunks.find((c) => c.text.startsWith('“稳”字当头'));
    assert.deepEqual(
      [wen?.issuer, wen?.issuerFull, wen?.section],
      ['中小企业局', '工业和信息化部中小企业局', '“稳”字当头，确保中小企业平稳健康发展'],
    );
    const yiShi = chunks.find((c) => c.text.includes('一是着力减轻企业负担'));
    assert.equal(yiShi?.section, '“稳”字当头，确保中小企业平稳健康发展');
    assert.ok(
      !chunks.some((c) => c.text === '工业和信息化部科技司' || c.text.startsWith('以更加精准务实举措')),
    );
    assert.equal(new Set(chunks.map((c) => c.issuer)).size, 5);
  });

  it('overlaps by whole sentences of at most `overlap` characters', () => {
    const chunks = chunkDocument(doc, { size: 120, overlap: 40 });
    let overlaps = 0;
    for (let i = 1; i < chunks.length; i++) {
      const a = chunks[i - 1] as Chunk;
      const b = chunks[i] as Chunk;
      if (a.paragraphIndex !== b.paragraphIndex || b.start >= a.end) continue;
      overlaps++;
      const shared = doc.cleanedText.slice(b.start, a.end);
      assert.ok(shared.length <= 40, shared);
      assert.match(shared, /[。！？；]$/);
    }
    assert.ok(overlaps > 0);
  });

  it('rejects invalid options with a usage error', () => {
    assert.throws(() => chunkDocument(doc, { size: 100, overlap: 100 }), { code: ErrorCode.UsageError });
    assert.throws(() => chunkDocument(doc, { size: 0, overlap: 0 }), { code: ErrorCode.UsageError });
  });
});

describe('chunkDocument on other text', () => {
  const docOf = (text: string): StructuredDocument =>
    structureDocument({ id: 'x', path: 'x.txt', format: 'txt', text, contentHash: 'h' } as SourceDocument);

  it('gives a long sentence its own chunk, split at commas only beyond 2×size', () => {
    const clause = '推动重点产业链稳定发展'; // 11 chars
    const medium = `${Array(6).fill(clause).join('，')}。`; // 71 chars, between size and 2×size
    const long = `${Array(12).fill(clause).join('，')}。`; // 143 chars, > 2×size
    const doc = docOf(`标题\n\n短句一，开头。${medium}短句二。${long}`);
    const chunks = chunkDocument(doc, { size: 50, overlap: 10 });
    assertInvariants(doc, chunks, 50);
    assert.ok(chunks.some((c) => c.text === medium));
    const longStart = doc.cleanedText.indexOf(long);
    const pieces = chunks.filter((c) => c.start >= longStart);
    assert.ok(pieces.length >= 3);
    assert.ok(pieces.every((c) => c.text.length <= 50));
  });

  it('cuts an unpunctuated run hard at size', () => {
    const doc = docOf(`标题\n\n${'字'.repeat(250)}`);
    const chunks = chunkDocument(doc, { size: 100, overlap: 20 });
    assert.deepEqual(
      chunks.map((c) => c.text.length),
      [100, 100, 50],
    );
  });

  it('chunks the markdown fixture with null issuers outside articles', async () => {
    const path = join(FIXTURES_DIR, 'ndrc-2022-work-plans.md');
    const md = structureDocument(await loadWith(markdownLoader, path));
    const chunks = chunkDocument(md, { size: 60, overlap: 15 });
    assertInvariants(md, chunks, 60);
    assert.equal(chunks[0]?.issuer, null);
    assert.ok(chunks.some((c) => c.issuer === '地区振兴司'));
  });

  it('is linear: ~2M characters chunk quickly', (t) => {
    const para =
      '坚持以人民为中心，推动信息通信服务为民惠民。一是组织新一轮电信普遍服务，支持农村偏远地区持续提升网络覆盖水平。';
    const body = Array.from({ length: 800 }, () => para.repeat(40)).join('\n\n');
    const doc = docOf(`标题\n\n${body}`);
    const t0 = performance.now();
    const chunks = chunkDocument(doc, { size: 300, overlap: 60 });
    const ms = performance.now() - t0;
    assert.ok(chunks.length > 5000, String(chunks.length));
    t.diagnostic(`chunked ${body.length} chars into ${chunks.length} chunks in ${ms.toFixed(0)} ms`);
    assert.ok(ms < 3000, `took ${ms} ms`);
  });
});

describe('packUnits', () => {
  it('never repeats a chunk when an oversized unit follows', () => {
    const units = [
      { start: 0, end: 10 },
      { start: 10, end: 20 },
      { start: 20, end: 60 },
      { start: 60, end: 65 },
    ];
    assert.deepEqual(packUnits(units, 25, 10), [
      { start: 0, end: 20 },
      { start: 20, end: 60 },
      { start: 60, end: 65 },
    ]);
  });
});
