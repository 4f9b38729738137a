import type { Chunk, StructuredDocument } from '../types.js';

/**
 * Compact on-disk form of the index's documents and chunks, so that opening a 100,000-chunk index parses a few
 * megabytes of JSON instead of ~170 MB, and holds each text once.
 *
 * - `documents.utf16`: every document's cleaned text, concatenated, in UTF-16LE (V8's own string layout, so
 *   reading it is a copy rather than a UTF-8 decode: 65 MB of Chinese UTF-8 took ~500 ms to decode).
 * - `documents.json`: the documents without `cleanedText`, plus each text's length.
 * - `chunks.json`: the chunks as columns; repeated strings (titles, departments, sections) interned once; the
 *   text is not stored, because a chunk is by definition `cleanedText.slice(start, end)` of its document (a
 *   chunk for which that does not hold keeps its own text, so the format never loses data).
 *
 * On load, document texts and chunk texts are slices of the one text string: V8 shares the characters instead
 * of copying them, so 100k chunks add object headers, not another copy of the corpus.
 */
export const COMPACT_FORMAT = 'policybot-compact-v1';

export interface EncodedDocuments {
  format: typeof COMPACT_FORMAT;
  /** Length (UTF-16 code units) of each document's text in `documents.utf16`, in order. */
  textLengths: number[];
  documents: Omit<StructuredDocument, 'cleanedText'>[];
}

export interface EncodedChunks {
  format: typeof COMPACT_FORMAT;
  count: number;
  /** Interned strings; columns hold indexes into it, -1 for null. */
  strings: string[];
  id: string[];
  /** Index of the chunk's document in `documents`. */
  doc: number[];
  docTitle: number[];
  articleTitle: number[];
  department: number[];
  departmentFull: number[];
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

export function encodeChunks(
  chunks: readonly Chunk[],
  documents: readonly StructuredDocument[],
): EncodedChunks {
  const docIndex = new Map(documents.map((d, i) => [d.id, i]));
  const strings: string[] = [];
  const interned = new Map<string, number>();
  const intern = (value: string | null): number => {
    if (value === null) return -1;
    let i = interned.get(value);
    if (i === undefined) {
      i = strings.length;
      strings.push(value);
      interned.set(value, i);
    }
    return i;
  };
  const out: EncodedChunks = {
    format: COMPACT_FORMAT,
    count: chunks.length,
    strings,
    id: [],
    doc: [],
    docTitle: [],
    articleTitle: [],
    department: [],
    departmentFull: [],
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
    out.id.push(chunk.id);
    out.doc.push(d);
    out.docTitle.push(intern(chunk.docTitle));
    out.articleTitle.push(intern(chunk.articleTitle));
    out.department.push(intern(chunk.department));
    out.departmentFull.push(intern(chunk.departmentFull));
    out.section.push(intern(chunk.section));
    out.paragraphIndex.push(chunk.paragraphIndex);
    out.start.push(chunk.start);
    out.end.push(chunk.end);
    if ((documents[d] as StructuredDocument).cleanedText.slice(chunk.start, chunk.end) !== chunk.text) {
      out.ownText[ordinal] = chunk.text;
    }
  });
  return out;
}

/** Inverse of `encodeChunks`; throws a plain Error on malformed input. */
export function decodeChunks(json: EncodedChunks, documents: readonly StructuredDocument[]): Chunk[] {
  if (json?.format !== COMPACT_FORMAT || !Array.isArray(json.id) || !Array.isArray(json.strings)) {
    throw new Error('chunks.json is not in the compact format');
  }
  const { count, strings } = json;
  const columns = [
    json.doc,
    json.docTitle,
    json.articleTitle,
    json.department,
    json.departmentFull,
    json.section,
    json.paragraphIndex,
    json.start,
    json.end,
  ];
  if (json.id.length !== count || columns.some((c) => !Array.isArray(c) || c.length !== count)) {
    throw new Error('chunks.json: columns have different lengths');
  }
  const str = (i: number): string | null => (i < 0 ? null : (strings[i] ?? null));
  const chunks: Chunk[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const doc = documents[json.doc[i] as number];
    if (!doc) throw new Error(`chunks.json: chunk ${i} names a missing document`);
    const start = json.start[i] as number;
    const end = json.end[i] as number;
    // Same property order as everywhere else, so every chunk shares one hidden class.
    chunks[i] = {
      id: json.id[i] as string,
      ordinal: i,
      docId: doc.id,
      docTitle: str(json.docTitle[i] as number) ?? '',
      articleTitle: str(json.articleTitle[i] as number) ?? '',
      department: str(json.department[i] as number),
      departmentFull: str(json.departmentFull[i] as number),
      section: str(json.section[i] as number),
      paragraphIndex: json.paragraphIndex[i] as number,
      start,
      end,
      text: json.ownText[i] ?? doc.cleanedText.slice(start, end),
    };
  }
  return chunks;
}
