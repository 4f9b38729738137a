/**
 * Test fixture for list answers: the invented documents of test/fixtures/lists through the real loader,
 * structure and chunker, a document lookup over them, and a small BM25 retriever (keyword-only).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { composeAnswer } from '../../../src/answer/compose.js';
import { createDocumentLookup, type DocumentLookup } from '../../../src/answer/lists/index.js';
import { textLoader } from '../../../src/ingest/loaders/text-loader.js';
import { structureDocument } from '../../../src/ingest/structure-document.js';
import { analyzeQuery } from '../../../src/keyword/translate.js';
import { createSilentLogger } from '../../../src/logging/logger.js';
import { chunkDocument } from '../../../src/node-parser/chunker.js';
import type { Answer, Chunk, RetrievalResult, StructuredDocument } from '../../../src/types.js';
import { loadWith } from '../../ingest/seed.js';

const DIR = fileURLToPath(new URL('../../fixtures/lists/', import.meta.url));

/** Invented documents for the structure rules: a semicolon enumeration, deadlines in subsections, a notice's own text. */
export const STRUCTURE_DIR = fileURLToPath(new URL('../../fixtures/lists-structure/', import.meta.url));

/** Invented documents: two years' versions of one plan. */
export const YEARS_DIR = fileURLToPath(new URL('../../fixtures/lists-years/', import.meta.url));

/** Invented documents of a notice and the attachment it names, held as two documents. */
export const ATTACHMENT_DIR = fileURLToPath(new URL('../../fixtures/lists-attachment/', import.meta.url));

interface ListCorpus {
  docs: StructuredDocument[];
  chunks: Chunk[];
  lookup: DocumentLookup;
}
const cache = new Map<string, ListCorpus>();

export async function listCorpus(dir = DIR): Promise<ListCorpus> {
  const cached = cache.get(dir);
  if (cached) return cached;
  const docs: StructuredDocument[] = [];
  const chunks: Chunk[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort()) {
    const doc = structureDocument(await loadWith(textLoader, join(dir, file)));
    docs.push(doc);
    for (const c of chunkDocument(doc, { size: 300, overlap: 60 }))
      chunks.push({ ...c, ordinal: chunks.length });
  }
  const corpus = { docs, chunks, lookup: createDocumentLookup(docs, chunks) };
  cache.set(dir, corpus);
  return corpus;
}

/** Chunks ranked by the weighted query terms they hold (a stand-in for BM25, enough for these documents). */
export async function listRetrieve(text: string, k = 8, dir = DIR): Promise<RetrievalResult> {
  const { chunks } = await listCorpus(dir);
  const analysis = analyzeQuery(text);
  const scored = chunks
    .map((c) => {
      const matched = analysis.terms.filter((t) => c.text.includes(t.term));
      return { c, matched, s: matched.reduce((a, t) => a + t.weight * t.term.length, 0) };
    })
    .filter((x) => x.s > 0)
    .sort((a, b) => b.s - a.s)
    .slice(0, k);
  return {
    query: text,
    language: analysis.language,
    terms: analysis.terms.map((t) => t.term),
    passages: scored.map((x, i) => ({
      chunk: x.c,
      score: x.s,
      dense: null,
      keyword: x.s,
      denseRank: null,
      keywordRank: i + 1,
      matchedTerms: x.matched.map((t) => t.term),
    })),
    coverage: 1,
    mode: 'keyword-only',
    timings: { totalMs: 1, denseMs: 0, keywordMs: 1 },
  };
}

/** The extractive answer to a question over the fixture documents, through `composeAnswer` (for renderer tests). */
export async function listAnswer(question: string): Promise<Answer> {
  const { lookup } = await listCorpus();
  return composeAnswer({ text: question, requestId: 'req_list' }, question, await listRetrieve(question), {
    llm: null,
    logger: createSilentLogger(),
    maxChars: 300,
    documents: lookup,
  });
}
