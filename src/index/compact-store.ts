import { closeSync, openSync, writeSync } from 'node:fs';
import type { Chunk, StructuredDocument } from '../types.js';

/**
 * Compact on-disk form of the index's documents and chunks, so that opening a 100,000-chunk index parses a few
 * megabytes of JSON instead of ~170 MB, and holds each text once.
 *
 * - `documents.utf16`: every document's cleaned text, concatenated, in UTF-16LE (V8's own string layout, so
 *   reading it is a copy rather than a UTF-8 decode: 65 MB of Chinese UTF-8 took ~500 ms to decode).
 * - `documents.json`: the documents without `cleanedText`, plus each text's length.
 * - `chunks.json`: the chunks as columns of numbers; repeated strings (titles, departments, sections) interned
 *   once; neither the text nor the id is stored, because a chunk is by definition `cleanedText.slice(start,
 *   end)` of its document and its id is `${docId}#${n}` for the document's n-th chunk (a chunk for which that
 *   does not hold keeps its own text or id, so the format never loses data).
 *
 * `CompactFilesWriter` writes the three files a document at a time, so that a million-chunk index is written
 * without holding its texts (or any per-chunk strings) in memory.
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
  /** Interned strings; columns hold indexes into it, -1 for null. */
  strings: string[];
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
  /** Ids of chunks whose id is not `${docId}#${n}`, by ordinal (normally empty). */
  ownId: Record<string, string>;
}

/** The id a chunk gets when it is its document's n-th chunk (counting from 0). */
function defaultChunkId(docId: string, n: number): string {
  return `${docId}#${n}`;
}

/** Chunks encoded one at a time, in ordinal order; `encoded()` gives the `chunks.json` object. */
export class ChunkColumns {
  private readonly strings: string[] = [];
  private readonly interned = new Map<string, number>();
  private readonly columns = {
    doc: [] as number[],
    docTitle: [] as number[],
    articleTitle: [] as number[],
    department: [] as number[],
    departmentFull: [] as number[],
    section: [] as number[],
    paragraphIndex: [] as number[],
    start: [] as number[],
    end: [] as number[],
  };
  private readonly ownText: Record<string, string> = {};
  private readonly ownId: Record<string, string> = {};
  /** Chunks seen so far per document index. */
  private readonly perDocument: number[] = [];
  private count = 0;

  /** Adds the next chunk (its ordinal must be the number of chunks added before it) of `documents[docIndex]`. */
  add(chunk: Chunk, docIndex: number, document: StructuredDocument): void {
    const ordinal = this.count;
    if (chunk.ordinal !== ordinal)
      throw new Error(`chunk ${chunk.id} has ordinal ${chunk.ordinal}, expected ${ordinal}`);
    if (chunk.docId !== document.id)
      throw new Error(`chunk ${chunk.id} names unknown document ${chunk.docId}`);
    const c = this.columns;
    c.doc.push(docIndex);
    c.docTitle.push(this.intern(chunk.docTitle));
    c.articleTitle.push(this.intern(chunk.articleTitle));
    c.department.push(this.intern(chunk.department));
    c.departmentFull.push(this.intern(chunk.departmentFull));
    c.section.push(this.intern(chunk.section));
    c.paragraphIndex.push(chunk.paragraphIndex);
    c.start.push(chunk.start);
    c.end.push(chunk.end);
    const n = this.perDocument[docIndex] ?? 0;
    this.perDocument[docIndex] = n + 1;
    if (chunk.id !== defaultChunkId(document.id, n)) this.ownId[ordinal] = chunk.id;
    if (document.cleanedText.slice(chunk.start, chunk.end) !== chunk.text) this.ownText[ordinal] = chunk.text;
    this.count++;
  }

  encoded(): EncodedChunks {
    return {
      format: COMPACT_FORMAT,
      count: this.count,
      strings: this.strings,
      ...this.columns,
      ownText: this.ownText,
      ownId: this.ownId,
    };
  }

  private intern(value: string | null): number {
    if (value === null) return -1;
    let i = this.interned.get(value);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(value);
      this.interned.set(value, i);
    }
    return i;
  }
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
  const columns = new ChunkColumns();
  for (const chunk of chunks) {
    const d = docIndex.get(chunk.docId);
    if (d === undefined) throw new Error(`chunk ${chunk.id} names unknown document ${chunk.docId}`);
    columns.add(chunk, d, documents[d] as StructuredDocument);
  }
  return columns.encoded();
}

/** Inverse of `encodeChunks`; throws a plain Error on malformed input. */
export function decodeChunks(json: EncodedChunks, documents: readonly StructuredDocument[]): Chunk[] {
  if (json?.format !== COMPACT_FORMAT || !Array.isArray(json.strings)) {
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
  if (columns.some((c) => !Array.isArray(c) || c.length !== count)) {
    throw new Error('chunks.json: columns have different lengths');
  }
  const str = (i: number): string | null => (i < 0 ? null : (strings[i] ?? null));
  const chunks: Chunk[] = new Array(count);
  const perDocument: number[] = [];
  for (let i = 0; i < count; i++) {
    const d = json.doc[i] as number;
    const doc = documents[d];
    if (!doc) throw new Error(`chunks.json: chunk ${i} names a missing document`);
    const n = perDocument[d] ?? 0;
    perDocument[d] = n + 1;
    const start = json.start[i] as number;
    const end = json.end[i] as number;
    // Same property order as everywhere else, so every chunk shares one hidden class.
    chunks[i] = {
      id: json.ownId[i] ?? defaultChunkId(doc.id, n),
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

/**
 * Writes `documents.utf16`, `documents.json` and `chunks.json` a document at a time: texts and document metadata
 * go straight to their files, chunks become columns of numbers; nothing per chunk is kept as a string.
 */
export class CompactFilesWriter {
  private readonly text: number;
  private readonly documents: number;
  private readonly textLengths: number[] = [];
  private readonly columns = new ChunkColumns();
  private closed = false;

  constructor(private readonly paths: { text: string; documents: string; chunks: string }) {
    this.text = openSync(paths.text, 'w');
    this.documents = openSync(paths.documents, 'w');
    writeAll(this.documents, `{"format":${JSON.stringify(COMPACT_FORMAT)},"documents":[`);
  }

  /** Adds a document and its chunks (in ordinal order, continuing from the previous document's). */
  add(document: StructuredDocument, chunks: readonly Chunk[]): void {
    const { cleanedText, ...meta } = document;
    const index = this.textLengths.length;
    writeAll(this.text, Buffer.from(cleanedText, 'utf16le'));
    writeAll(this.documents, `${index > 0 ? ',' : ''}${JSON.stringify(meta)}`);
    this.textLengths.push(cleanedText.length);
    for (const chunk of chunks) this.columns.add(chunk, index, document);
  }

  finish(): void {
    writeAll(this.documents, `],"textLengths":${JSON.stringify(this.textLengths)}}`);
    this.close();
    const chunks = openSync(this.paths.chunks, 'w');
    try {
      writeAll(chunks, JSON.stringify(this.columns.encoded()));
    } finally {
      closeSync(chunks);
    }
  }

  /** Closes the files (after an error; the caller removes the directory). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.text);
    closeSync(this.documents);
  }
}

function writeAll(fd: number, data: string | Uint8Array): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let done = 0;
  while (done < bytes.byteLength) done += writeSync(fd, bytes, done, bytes.byteLength - done);
}
