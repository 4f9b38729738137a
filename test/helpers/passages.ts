import type { Chunk, RetrievalResult } from '../../src/types.js';

/** A chunk of document `docId` (default 'doc') at `start` (default ordinal × 1000); other fields as given. */
export function makeChunk(ordinal: number, text: string, fields: Partial<Chunk> = {}): Chunk {
  const start = fields.start ?? ordinal * 1000;
  const docId = fields.docId ?? 'doc';
  return {
    id: `${docId}#${ordinal}`,
    ordinal,
    docId,
    docTitle: '标题',
    partTitle: '文章',
    issuer: null,
    issuerFull: null,
    docNumber: null,
    date: null,
    region: null,
    sectionPath: [],
    section: null,
    paragraphIndex: ordinal,
    end: start + text.length,
    text,
    ...fields,
    start,
  };
}

/** A keyword-only retrieval result ranking `chunks` in the order given (scores 1, 0.9, …). */
export function rankedRetrieval(
  query: string,
  chunks: readonly Chunk[],
  terms: string[] = [],
  language: 'zh' | 'en' = 'zh',
): RetrievalResult {
  return {
    query,
    language,
    terms,
    passages: chunks.map((c, i) => ({
      chunk: c,
      score: 1 - i * 0.1,
      dense: null,
      keyword: 10 - i,
      denseRank: null,
      keywordRank: i + 1,
      matchedTerms: terms.filter((t) => c.text.includes(t)),
    })),
    coverage: 1,
    mode: 'keyword-only',
    timings: { totalMs: 1, denseMs: 0, keywordMs: 1 },
  };
}
