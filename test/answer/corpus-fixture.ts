/**
 * Test fixture: the seed corpus through the real ingest + chunker, and a small keyword retriever
 * (BM25 over analyzeQuery terms) that produces `RetrievalResult`s without the engine or any model.
 */
import { fileURLToPath } from 'node:url';
import { textLoader } from '../../src/ingest/loaders/text-loader.js';
import { structureDocument } from '../../src/ingest/structure-document.js';
import { analyzeQuery } from '../../src/keyword/translate.js';
import { chunkDocument } from '../../src/node-parser/chunker.js';
import type { Chunk, RetrievalResult, ScoredPassage, StructuredDocument } from '../../src/types.js';
import { loadWith } from '../ingest/seed.js';

export const CORPUS_PATH = fileURLToPath(new URL('../../corpus/miit-2022-work-plans.txt', import.meta.url));

let cached: { doc: StructuredDocument; chunks: Chunk[] } | null = null;

export async function seedCorpus(): Promise<{ doc: StructuredDocument; chunks: Chunk[] }> {
  if (cached) return cached;
  const source = await loadWith(textLoader, CORPUS_PATH);
  const doc = structureDocument(source);
  const chunks = chunkDocument(doc, { size: 300, overlap: 60 });
  cached = { doc, chunks };
  return cached;
}

/** BM25 keyword retrieval over the seed chunks; dense signals are null (keyword-only mode). */
export async function keywordRetrieve(
  text: string,
  options: { k?: number; issuer?: string } = {},
): Promise<RetrievalResult> {
  const { chunks } = await seedCorpus();
  const pool = options.issuer ? chunks.filter((c) => c.issuer === options.issuer) : chunks;
  const analysis = analyzeQuery(text);
  const terms = analysis.terms;
  const n = pool.length;
  const avg = pool.reduce((a, c) => a + c.text.length, 0) / Math.max(1, n);
  const count = (hay: string, needle: string) => hay.toLowerCase().split(needle.toLowerCase()).length - 1;
  const df = new Map(terms.map((t) => [t.term, pool.filter((c) => count(c.text, t.term) > 0).length]));
  const scored = pool.map((c) => {
    let s = 0;
    const matched: string[] = [];
    for (const t of terms) {
      const tf = count(c.text, t.term);
      if (tf === 0) continue;
      matched.push(t.term);
      const d = df.get(t.term) ?? 0;
      const idf = Math.log(1 + (n - d + 0.5) / (d + 0.5));
      s += t.weight * idf * ((tf * 2.2) / (tf + 1.2 * (0.25 + (0.75 * c.text.length) / avg)));
    }
    return { c, s, matched };
  });
  const hits = scored
    .filter((x) => x.s > 0)
    .sort((a, b) => b.s - a.s)
    .slice(0, options.k ?? 8);
  const passages: ScoredPassage[] = hits.map((h, i) => ({
    chunk: h.c,
    score: 1 / (60 + i + 1),
    dense: null,
    keyword: h.s,
    denseRank: null,
    keywordRank: i + 1,
    matchedTerms: h.matched,
  }));
  const totalWeight = terms.reduce((a, t) => a + t.weight, 0);
  const top = hits[0];
  const coverage =
    top && totalWeight > 0
      ? terms.filter((t) => top.matched.includes(t.term)).reduce((a, t) => a + t.weight, 0) / totalWeight
      : 0;
  return {
    query: text,
    language: analysis.language,
    terms: terms.map((t) => t.term),
    passages,
    coverage,
    mode: 'keyword-only',
    timings: { totalMs: 1, denseMs: 0, keywordMs: 1 },
  };
}
