import { UsageError } from '../errors/index.js';
import { sectionPath } from '../ingest/structure-document.js';
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

/**
 * Paragraph kinds whose text is embedded and cited (attachment lines too: "where is the text?" is answered by
 * them). Titles, headings, bylines, 文号 lines, signatures and notes
 * live in chunk metadata (title, section path, issuer) instead.
 */
const CHUNKED_KINDS = new Set<Paragraph['kind']>(['body', 'table', 'history', 'editors-note', 'attachment']);

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
 * Sentence-aware chunks of a structured document. A chunk holds whole sentences of consecutive body paragraphs
 * of one section (so short items — "（一）…；（二）…；" — and table rows share a chunk instead of making chunks of
 * a few characters each); it never crosses a section, part or document, and its text is verbatim
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
  const { meta } = doc;
  const docIssuer = meta.issuers.length > 0 ? meta.issuers.map((i) => i.short).join('、') : null;
  const docIssuerFull = meta.issuers.length > 0 ? meta.issuers.map((i) => i.full).join('、') : null;
  const paths = new Map<number | null, readonly string[]>();
  const pathOf = (section: number | null): readonly string[] => {
    let path = paths.get(section);
    if (!path) {
      path = Object.freeze(sectionPath(doc, section));
      paths.set(section, path);
    }
    return path;
  };
  const chunks: Chunk[] = [];
  const emit = (run: Paragraph[]) => {
    const first = run[0];
    if (!first) return;
    const part = doc.parts[first.part];
    const isNote = first.kind === 'editors-note';
    const issuer = isNote ? null : (part?.issuer?.short ?? docIssuer);
    const issuerFull = isNote ? null : (part?.issuer?.full ?? docIssuerFull);
    const path = pathOf(first.section);
    const spans = packUnits(
      run.flatMap((p) => units(text, p, size)),
      size,
      overlap,
    );
    for (const span of spans) {
      const ordinal = chunks.length;
      const paragraph = run.find((p) => p.end >= span.start) ?? first;
      chunks.push({
        id: `${doc.id}#${ordinal}`,
        ordinal,
        docId: doc.id,
        docTitle: meta.title,
        partTitle: part && part.index > 0 ? part.title : meta.title,
        issuer,
        issuerFull,
        docNumber: meta.docNumber,
        date: meta.date,
        region: meta.region?.name ?? null,
        sectionPath: path,
        section: path[path.length - 1] ?? null,
        paragraphIndex: paragraph.index,
        start: span.start,
        end: span.end,
        text: text.slice(span.start, span.end),
      });
    }
  };
  let run: Paragraph[] = [];
  for (const p of doc.paragraphs) {
    const last = run[run.length - 1];
    const chunkable = CHUNKED_KINDS.has(p.kind);
    const sameRun =
      last !== undefined &&
      chunkable &&
      last.part === p.part &&
      last.section === p.section &&
      (last.kind === 'editors-note') === (p.kind === 'editors-note') &&
      last.index === p.index - 1;
    if (!sameRun) {
      emit(run);
      run = [];
    }
    if (chunkable) run.push(p);
  }
  emit(run);
  return chunks;
}
