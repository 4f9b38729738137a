import { UsageError } from '../errors/index.js';
import type { Chunk, Paragraph, StructuredDocument } from '../types.js';
import { splitSentences } from './sentence-splitter.js';

export interface ChunkOptions {
  /** Target chunk length in characters (UTF-16 code units); chunks stay at or under it unless one sentence is longer. */
  size: number;
  /** Characters of whole trailing sentences repeated at the start of the next chunk of the same paragraph. */
  overlap: number;
}

interface Span {
  start: number;
  end: number;
}

/** Paragraph kinds whose text is embedded and cited. Titles and bylines live in chunk metadata instead. */
const CHUNKED_KINDS = new Set<Paragraph['kind']>(['body', 'editors-note']);

/** Break points inside an over-long sentence: after a comma-like mark. */
const CLAUSE_BREAK = /[，,、：:]/gu;

/**
 * Splits a sentence longer than 2×size after commas, packing clauses up to `size`; a clause still longer than
 * `size` is cut hard (there is no better boundary left).
 */
function splitLongSentence(text: string, s: Span, size: number): Span[] {
  const cuts: number[] = [];
  const local = text.slice(s.start, s.end);
  for (const m of local.matchAll(CLAUSE_BREAK)) cuts.push(s.start + (m.index ?? 0) + 1);
  cuts.push(s.end);
  const out: Span[] = [];
  let pieceStart = s.start;
  let last = s.start;
  for (const cut of cuts) {
    if (cut - pieceStart > size && last > pieceStart) {
      out.push({ start: pieceStart, end: last });
      pieceStart = last;
    }
    while (cut - pieceStart > size) {
      out.push({ start: pieceStart, end: pieceStart + size });
      pieceStart += size;
    }
    last = cut;
  }
  if (s.end > pieceStart) out.push({ start: pieceStart, end: s.end });
  return out;
}

/** Sentence units of one paragraph, with over-long sentences broken up. */
function units(text: string, p: Paragraph, size: number): Span[] {
  const out: Span[] = [];
  for (const s of splitSentences(text.slice(p.start, p.end), p.start)) {
    if (s.end - s.start > 2 * size) out.push(...splitLongSentence(text, s, size));
    else out.push({ start: s.start, end: s.end });
  }
  return out;
}

/**
 * Greedy packing of consecutive units into chunks of at most `size` characters (a single longer unit is a
 * chunk by itself). Each next chunk starts with the trailing units of the previous one that fit in `overlap`,
 * but always adds at least one new unit, so no chunk is contained in another. Linear in the number of units.
 */
export function packUnits(list: Span[], size: number, overlap: number): Span[] {
  const out: Span[] = [];
  let i = 0;
  while (i < list.length) {
    const first = list[i] as Span;
    let j = i + 1;
    while (j < list.length && (list[j] as Span).end - first.start <= size) j++;
    const lastEnd = (list[j - 1] as Span).end;
    out.push({ start: first.start, end: lastEnd });
    if (j >= list.length) break;
    let k = j;
    while (k - 1 > i && lastEnd - (list[k - 1] as Span).start <= overlap) k--;
    // The overlap must leave room for the next unit, or the next chunk would add nothing new.
    const nextEnd = (list[j] as Span).end;
    while (k < j && nextEnd - (list[k] as Span).start > size) k++;
    i = k;
  }
  return out;
}

/**
 * Sentence-aware chunks of a structured document's body paragraphs and editor's note. A chunk never crosses
 * a paragraph, so never a section, article or department boundary; its text is verbatim
 * `doc.cleanedText.slice(start, end)`. `ordinal` is the position within this document (the indexer renumbers).
 * @throws UsageError when size < 1 or overlap is negative or not smaller than size.
 */
export function chunkDocument(doc: StructuredDocument, options: ChunkOptions): Chunk[] {
  const { size, overlap } = options;
  if (!Number.isInteger(size) || size < 1)
    throw new UsageError(`chunk size must be a positive integer, got ${size}`);
  if (!Number.isInteger(overlap) || overlap < 0 || overlap >= size) {
    throw new UsageError(`chunk overlap must be an integer in [0, size), got ${overlap} for size ${size}`);
  }
  const text = doc.cleanedText;
  const chunks: Chunk[] = [];
  for (const p of doc.paragraphs) {
    if (!CHUNKED_KINDS.has(p.kind)) continue;
    const article = p.articleIndex === null ? null : (doc.articles[p.articleIndex] ?? null);
    const isNote = p.kind === 'editors-note';
    for (const span of packUnits(units(text, p, size), size, overlap)) {
      const ordinal = chunks.length;
      chunks.push({
        id: `${doc.id}#${ordinal}`,
        ordinal,
        docId: doc.id,
        docTitle: doc.title,
        articleTitle: isNote || !article ? doc.title : article.title,
        department: isNote ? null : (article?.department?.short ?? null),
        departmentFull: isNote ? null : (article?.department?.full ?? null),
        section: p.section,
        paragraphIndex: p.index,
        start: span.start,
        end: span.end,
        text: text.slice(span.start, span.end),
      });
    }
  }
  return chunks;
}
