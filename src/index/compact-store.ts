import { sectionPath } from '../ingest/structure-document.js';
import type { Chunk, StructuredDocument } from '../types.js';

/**
 * Compact on-disk form of the index's documents and chunks, so that opening a 100,000-chunk index parses a few
 * megabytes of JSON instead of ~170 MB, and holds each text once.
 *
 * - `documents.utf16`: every document's cleaned text, concatenated, in UTF-16LE (V8's own string layout, so
 *   reading it is a copy rather than a UTF-8 decode: 65 MB of Chinese UTF-8 took ~500 ms to decode).
 * - `documents.json`: the documents without `cleanedText`, plus each text's length.
 * - `chunks.json`: the chunks as columns of pointers (document, section, paragraph, offsets); what a chunk says
 *   about its document is derived from the document on load, and the text is not stored, because a chunk is by
 *   definition `cleanedText.slice(start, end)` of its document (a chunk for which that does not hold keeps its
 *   own text, so the format never loses data).
 *
 * On load, document texts and chunk texts are slices of the one text string: V8 shares the characters instead
 * of copying them, so 100k chunks add object headers, not another copy of the corpus.
 */
export const COMPACT_FORMAT = 'policybot-compact-v2';

export interface EncodedDocuments {
  format: typeof COMPACT_FORMAT;
  /** Length (UTF-16 code units) of each document's text in `documents.utf16`, in order. */
  textLengths: number[];
  documents: Omit<StructuredDocument, 'cleanedText'>[];
}

export interface EncodedChunks {
  format: typeof COMPACT_FORMAT;
  count: number;
  id: string[];
  /** Index of the chunk's document in `documents`. */
  doc: number[];
  /** Index of the chunk's section in its document's `sections`, -1 before the first heading. */
  section: number[];
  paragraphIndex: number[];
  start: number[];
  end: number[];
  /** Texts of chunks that are not a verbatim slice of their document, by ordinal (normally empty). */
  ownText: Record<string, string>;
}

/** Splits documents into one text (for `documents.utf16`) and the JSON-able rest. */
export function encodeDocuments(documents: readonly StructuredDocument[]): {
  text: string;
  json: EncodedDocuments;
} {
  const texts: string[] = [];
  const rest: Omit<StructuredDocument, 'cleanedText'>[] = [];
  for (const { cleanedText, ...meta } of documents) {
    texts.push(cleanedText);
    rest.push(meta);
  }
  return {
    text: texts.join(''),
    json: { format: COMPACT_FORMAT, textLengths: texts.map((t) => t.length), documents: rest },
  };
}

/** Inverse of `encodeDocuments`; throws a plain Error when the parts disagree (the caller maps it to IndexCorrupt). */
export function decodeDocuments(text: string, json: EncodedDocuments): StructuredDocument[] {
  if (json?.format !== COMPACT_FORMAT || !Array.isArray(json.documents) || !Array.isArray(json.textLengths)) {
    throw new Error('documents.json is not in the compact format');
  }
  if (json.textLengths.length !== json.documents.length)
    throw new Error('documents.json: text lengths do not match');
  let offset = 0;
  const out = json.documents.map((meta, i) => {
    const length = json.textLengths[i] as number;
    const cleanedText = text.slice(offset, offset + length);
    offset += length;
    return { ...meta, cleanedText } as StructuredDocument;
  });
  if (offset !== text.length) throw new Error('documents.utf16 does not match documents.json');
  return out;
}

/**
 * Chunks as columns. Everything a chunk says about its document (title, issuer, 文号, date, region, section
 * path) is the document's, so only the pointers are stored and `decodeChunks` derives the rest.
 */
export function encodeChunks(
  chunks: readonly Chunk[],
  documents: readonly StructuredDocument[],
): EncodedChunks {
  const docIndex = new Map(documents.map((d, i) => [d.id, i]));
  const out: EncodedChunks = {
    format: COMPACT_FORMAT,
    count: chunks.length,
    id: [],
    doc: [],
    section: [],
    paragraphIndex: [],
    start: [],
    end: [],
    ownText: {},
  };
  chunks.forEach((chunk, ordinal) => {
    if (chunk.ordinal !== ordinal)
      throw new Error(`chunk ${chunk.id} has ordinal ${chunk.ordinal}, expected ${ordinal}`);
    const d = docIndex.get(chunk.docId);
    if (d === undefined) throw new Error(`chunk ${chunk.id} names unknown document ${chunk.docId}`);
    const doc = documents[d] as StructuredDocument;
    out.id.push(chunk.id);
    out.doc.push(d);
    out.section.push(doc.paragraphs[chunk.paragraphIndex]?.section ?? -1);
    out.paragraphIndex.push(chunk.paragraphIndex);
    out.start.push(chunk.start);
    out.end.push(chunk.end);
    if (doc.cleanedText.slice(chunk.start, chunk.end) !== chunk.text) out.ownText[ordinal] = chunk.text;
  });
  return out;
}

/** Inverse of `encodeChunks`; throws a plain Error on malformed input. */
export function decodeChunks(json: EncodedChunks, documents: readonly StructuredDocument[]): Chunk[] {
  if (json?.format !== COMPACT_FORMAT || !Array.isArray(json.id)) {
    throw new Error('chunks.json is not in the compact format');
  }
  const { count } = json;
  const columns = [json.doc, json.section, json.paragraphIndex, json.start, json.end];
  if (json.id.length !== count || columns.some((c) => !Array.isArray(c) || c.length !== count)) {
    throw new Error('chunks.json: columns have different lengths');
  }
  const views = documents.map((doc) => chunkView(doc));
  const chunks: Chunk[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const d = json.doc[i] as number;
    const doc = documents[d];
    const view = views[d];
    if (!doc || !view) throw new Error(`chunks.json: chunk ${i} names a missing document`);
    const start = json.start[i] as number;
    const end = json.end[i] as number;
    const paragraphIndex = json.paragraphIndex[i] as number;
    const section = json.section[i] as number;
    const paragraph = doc.paragraphs[paragraphIndex];
    const part = view.parts[paragraph?.part ?? 0] ?? view.parts[0];
    // An editor's note speaks for the column, not for one article's issuer.
    const isNote = paragraph?.kind === 'editors-note';
    const path = view.paths(section < 0 ? null : section);
    // Same property order as chunkDocument, so every chunk shares one hidden class.
    chunks[i] = {
      id: json.id[i] as string,
      ordinal: i,
      docId: doc.id,
      docTitle: doc.meta.title,
      partTitle: part?.title ?? doc.meta.title,
      issuer: isNote ? null : (part?.issuer ?? null),
      issuerFull: isNote ? null : (part?.issuerFull ?? null),
      docNumber: doc.meta.docNumber,
      date: doc.meta.date,
      region: doc.meta.region?.name ?? null,
      sectionPath: path,
      section: path[path.length - 1] ?? null,
      paragraphIndex,
      start,
      end,
      text: json.ownText[i] ?? doc.cleanedText.slice(start, end),
    };
  }
  return chunks;
}

/** What chunks of one document share: per part its title and issuer; section paths computed once each. */
function chunkView(doc: StructuredDocument) {
  const issuers = doc.meta.issuers;
  const docIssuer = issuers.length > 0 ? issuers.map((x) => x.short).join('、') : null;
  const docIssuerFull = issuers.length > 0 ? issuers.map((x) => x.full).join('、') : null;
  const parts = doc.parts.map((p) => ({
    title: p.index > 0 ? p.title : doc.meta.title,
    issuer: p.issuer?.short ?? docIssuer,
    issuerFull: p.issuer?.full ?? docIssuerFull,
  }));
  const cache = new Map<number | null, readonly string[]>();
  return {
    parts,
    paths(section: number | null): readonly string[] {
      let path = cache.get(section);
      if (!path) {
        path = Object.freeze(sectionPath(doc, section));
        cache.set(section, path);
      }
      return path;
    },
  };
}
