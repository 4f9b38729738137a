import { closeSync, openSync, writeSync } from 'node:fs';
import { sectionPath } from '../ingest/structure-document.js';
import type { Chunk, Paragraph, ParagraphKind, ParagraphNumbering, StructuredDocument } from '../types.js';

/**
 * Compact on-disk form of the index's documents and chunks, so that opening a 100,000-chunk index parses a few
 * megabytes of JSON instead of ~170 MB, and holds each text once.
 *
 * - `documents.utf16`: every document's cleaned text, concatenated, in UTF-16LE (V8's own string layout, so
 *   reading it is a copy rather than a UTF-8 decode: 65 MB of Chinese UTF-8 took ~500 ms to decode).
 * - `documents.json`: the documents without `cleanedText`, plus each text's length; each document's paragraphs as
 *   columns of numbers (`ParagraphColumns`: at a million chunks, paragraph objects were three quarters of the file
 *   and most of the time it took to parse).
 * - `chunks.json`: the chunks as columns of numbers (document, section, paragraph, offsets); what a chunk says
 *   about its document (title, issuer, 文号, date, region, section path) is derived from the document on load;
 *   neither the text nor the id is stored, because a chunk is by definition `cleanedText.slice(start, end)` of
 *   its document and its id is `${docId}#${n}` for the document's n-th chunk (a chunk for which that does not
 *   hold keeps its own text or id, so the format never loses data).
 *
 * `CompactFilesWriter` writes the three files a document at a time, so that a million-chunk index is written
 * without holding its texts (or any per-chunk strings) in memory.
 *
 * On load, document texts and chunk texts are slices of the one text string: V8 shares the characters instead
 * of copying them, so 100k chunks add object headers, not another copy of the corpus.
 */
export const COMPACT_FORMAT = 'policybot-compact-v4';
/** The format before paragraph columns (paragraphs as objects); still read. */
const COMPACT_FORMAT_V3 = 'policybot-compact-v3';
const READABLE_FORMATS: readonly string[] = [COMPACT_FORMAT, COMPACT_FORMAT_V3];

/**
 * One document's paragraphs as columns. `kind` indexes `kinds`; `section` is -1 for null; `numbering`, `page` and
 * `index` (when it is not the paragraph's position) are sparse, by position.
 */
export interface ParagraphColumns {
  kinds: ParagraphKind[];
  kind: number[];
  start: number[];
  end: number[];
  part: number[];
  section: number[];
  numbering: Record<string, ParagraphNumbering>;
  page: Record<string, number>;
  index: Record<string, number>;
}

type StoredDocument = Omit<StructuredDocument, 'cleanedText' | 'paragraphs'> & {
  paragraphs: ParagraphColumns | Paragraph[];
};

export interface EncodedDocuments {
  format: typeof COMPACT_FORMAT | typeof COMPACT_FORMAT_V3;
  /** Length (UTF-16 code units) of each document's text in `documents.utf16`, in order. */
  textLengths: number[];
  documents: StoredDocument[];
}

export function encodeParagraphs(paragraphs: readonly Paragraph[]): ParagraphColumns {
  const columns: ParagraphColumns = {
    kinds: [],
    kind: [],
    start: [],
    end: [],
    part: [],
    section: [],
    numbering: {},
    page: {},
    index: {},
  };
  const kindCode = new Map<ParagraphKind, number>();
  paragraphs.forEach((p, i) => {
    let code = kindCode.get(p.kind);
    if (code === undefined) {
      code = columns.kinds.length;
      kindCode.set(p.kind, code);
      columns.kinds.push(p.kind);
    }
    columns.kind.push(code);
    columns.start.push(p.start);
    columns.end.push(p.end);
    columns.part.push(p.part);
    columns.section.push(p.section ?? -1);
    if (p.numbering) columns.numbering[i] = p.numbering;
    if (p.page !== null) columns.page[i] = p.page;
    if (p.index !== i) columns.index[i] = p.index;
  });
  return columns;
}

export function decodeParagraphs(stored: ParagraphColumns | Paragraph[]): Paragraph[] {
  if (Array.isArray(stored)) return stored;
  const { kinds, kind, start, end, part, section, numbering, page, index } = stored;
  const n = kind.length;
  if ([start, end, part, section].some((c) => !Array.isArray(c) || c.length !== n)) {
    throw new Error('documents.json: paragraph columns have different lengths');
  }
  const out: Paragraph[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const s = section[i] as number;
    // Same property order as structureDocument's paragraphs: one hidden class.
    out[i] = {
      index: index[i] ?? i,
      kind: kinds[kind[i] as number] as ParagraphKind,
      start: start[i] as number,
      end: end[i] as number,
      part: part[i] as number,
      section: s < 0 ? null : s,
      numbering: numbering[i] ?? null,
      page: page[i] ?? null,
    };
  }
  return out;
}

/** A document as `documents.json` stores it: without its text, paragraphs as columns. */
function storedDocument({ cleanedText, paragraphs, ...rest }: StructuredDocument): StoredDocument {
  return { ...rest, paragraphs: encodeParagraphs(paragraphs) };
}

export interface EncodedChunks {
  format: typeof COMPACT_FORMAT;
  count: number;
  /** Index of the chunk's document in `documents`. */
  doc: number[];
  /** Index of the chunk's section in its document's `sections`, -1 before the first heading. */
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
  private readonly columns = {
    doc: [] as number[],
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
    c.section.push(document.paragraphs[chunk.paragraphIndex]?.section ?? -1);
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
      ...this.columns,
      ownText: this.ownText,
      ownId: this.ownId,
    };
  }
}

/** Splits documents into one text (for `documents.utf16`) and the JSON-able rest. */
export function encodeDocuments(documents: readonly StructuredDocument[]): {
  text: string;
  json: EncodedDocuments;
} {
  const texts: string[] = [];
  const rest: StoredDocument[] = [];
  for (const document of documents) {
    texts.push(document.cleanedText);
    rest.push(storedDocument(document));
  }
  return {
    text: texts.join(''),
    json: { format: COMPACT_FORMAT, textLengths: texts.map((t) => t.length), documents: rest },
  };
}

/** Inverse of `encodeDocuments`; throws a plain Error when the parts disagree (the caller maps it to IndexCorrupt). */
export function decodeDocuments(text: string, json: EncodedDocuments): StructuredDocument[] {
  if (
    !READABLE_FORMATS.includes(json?.format) ||
    !Array.isArray(json.documents) ||
    !Array.isArray(json.textLengths)
  ) {
    throw new Error('documents.json is not in the compact format');
  }
  if (json.textLengths.length !== json.documents.length)
    throw new Error('documents.json: text lengths do not match');
  let offset = 0;
  const out = json.documents.map((meta, i) => {
    const length = json.textLengths[i] as number;
    const cleanedText = text.slice(offset, offset + length);
    offset += length;
    return { ...meta, paragraphs: decodeParagraphs(meta.paragraphs), cleanedText } as StructuredDocument;
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
  if (!READABLE_FORMATS.includes(json?.format) || !Array.isArray(json.doc)) {
    throw new Error('chunks.json is not in the compact format');
  }
  const { count } = json;
  const columns = [json.doc, json.section, json.paragraphIndex, json.start, json.end];
  if (columns.some((c) => !Array.isArray(c) || c.length !== count)) {
    throw new Error('chunks.json: columns have different lengths');
  }
  const views = documents.map((doc) => chunkView(doc));
  const chunks: Chunk[] = new Array(count);
  const perDocument: number[] = [];
  for (let i = 0; i < count; i++) {
    const d = json.doc[i] as number;
    const doc = documents[d];
    const view = views[d];
    if (!doc || !view) throw new Error(`chunks.json: chunk ${i} names a missing document`);
    const n = perDocument[d] ?? 0;
    perDocument[d] = n + 1;
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
      id: json.ownId[i] ?? defaultChunkId(doc.id, n),
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
    const { cleanedText } = document;
    const index = this.textLengths.length;
    writeAll(this.text, Buffer.from(cleanedText, 'utf16le'));
    writeAll(this.documents, `${index > 0 ? ',' : ''}${JSON.stringify(storedDocument(document))}`);
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
