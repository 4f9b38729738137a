import type { Chunk, Citation } from '../types.js';

/**
 * A citation `[n]` for a quote taken from `chunk`.
 * `quoteStart`/`quoteEnd` are offsets inside `chunk.text`; the citation's `start`/`end` are the quote's
 * offsets in the document's cleaned text, so `cleanedText.slice(start, end) === quote`
 * (the whole passage is in `passage`, at `chunk.start`).
 */
export function buildCitation(n: number, chunk: Chunk, quoteStart: number, quoteEnd: number): Citation {
  return {
    n,
    passageId: chunk.id,
    doc: chunk.docId,
    docTitle: chunk.docTitle,
    partTitle: chunk.partTitle,
    issuer: chunk.issuer,
    issuerFull: chunk.issuerFull,
    docNumber: chunk.docNumber,
    date: chunk.date,
    region: chunk.region,
    sectionPath: chunk.sectionPath,
    section: chunk.section,
    quote: chunk.text.slice(quoteStart, quoteEnd),
    passage: chunk.text,
    start: chunk.start + quoteStart,
    end: chunk.start + quoteEnd,
  };
}
