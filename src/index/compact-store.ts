import { closeSync, openSync, writeSync } from 'node:fs';
import { headingPath } from '../ingest/structure-document.js';
import type {
  Chunk,
  Paragraph,
  ParagraphKind,
  ParagraphNumbering,
  Section,
  StructuredDocument,
} from '../types.js';
import {
  bytesOfRows,
  encodeStructure,
  type OwnStructureStrings,
  PARAGRAPH_FIELDS,
  rowsOfFile,
  SECTION_FIELDS,
  StructureCodes,
  StructureRows,
} from './structure-columns.js';

/**
 * Compact on-disk form of the index's documents and chunks, so that opening a million-chunk index reads a few
 * files instead of parsing hundreds of megabytes of JSON, and holds each text once.
 *
 * - `documents.utf16`: every document's cleaned text, concatenated, in UTF-16LE (V8's own string layout, so
 *   reading it is a copy rather than a UTF-8 decode: 65 MB of Chinese UTF-8 took ~500 ms to decode).
 * - `documents.structure`: every document's paragraphs and sections as rows of integers (structure-columns.ts);
 *   a document's `paragraphs` and `sections` are made from them on first use.
 * - `documents.json`: the documents without `cleanedText`, paragraphs and sections (metadata, parts, how many
 *   rows each has), plus each text's length.
 * - `chunks.json`: the chunks as columns of numbers (document, section, paragraph, offsets); what a chunk says
 *   about its document (title, issuer, 文号, date, region, section path) is derived from the document on load;
 *   neither the text nor the id is stored, because a chunk is by definition `cleanedText.slice(start, end)` of
 *   its document and its id is `${docId}#${n}` for the document's n-th chunk (a chunk for which that does not
 *   hold keeps its own text or id, so the format never loses data).
 *
 * `CompactFilesWriter` writes the files a document at a time, so that a million-chunk index is written without
 * holding its texts (or any per-chunk strings) in memory.
 *
 * On load, document texts and chunk texts are slices of the one text string: V8 shares the characters instead
 * of copying them, so 100k chunks add object headers, not another copy of the corpus.
 */
export const COMPACT_FORMAT = 'policybot-compact-v5';
/** Paragraphs as JSON columns and sections as objects inside documents.json; still read (no rebuild needed). */
const COMPACT_FORMAT_V4 = 'policybot-compact-v4';
/** Paragraphs as objects; still read. */
const COMPACT_FORMAT_V3 = 'policybot-compact-v3';
const READABLE_FORMATS: readonly string[] = [COMPACT_FORMAT, COMPACT_FORMAT_V4, COMPACT_FORMAT_V3];

/**
 * One document's paragraphs as columns (format v4). `kind` indexes `kinds`; `section` is -1 for null;
 * `numbering`, `page` and `index` (when it is not the paragraph's position) are sparse, by position.
 */
interface ParagraphColumns {
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

/** How many structure rows a document has, and its strings that are not slices of its text. */
interface StoredStructure {
  paragraphs: number;
  sections: number;
  own?: OwnStructureStrings;
}

type StoredDocument = Omit<StructuredDocument, 'cleanedText' | 'paragraphs' | 'sections'> & {
  structure: StoredStructure;
};

/** A document of the v3/v4 formats: paragraphs and sections inside documents.json. */
type OlderStoredDocument = Omit<StructuredDocument, 'cleanedText' | 'paragraphs'> & {
  paragraphs: ParagraphColumns | Paragraph[];
};

export interface EncodedDocuments {
  format: typeof COMPACT_FORMAT;
  /** Length (UTF-16 code units) of each document's text in `documents.utf16`, in order. */
  textLengths: number[];
  /** Paragraph kinds and numbering styles, by the codes in `documents.structure`. */
  kinds: ParagraphKind[];
  styles: string[];
  documents: StoredDocument[];
}

interface OlderEncodedDocuments {
  format: typeof COMPACT_FORMAT_V4 | typeof COMPACT_FORMAT_V3;
  textLengths: number[];
  documents: OlderStoredDocument[];
}

/** Paragraphs of a v3/v4 documents.json. */
function decodeParagraphs(stored: ParagraphColumns | Paragraph[]): Paragraph[] {
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

/** Splits documents into one text (`documents.utf16`), their structure rows and the JSON-able rest. */
export function encodeDocuments(documents: readonly StructuredDocument[]): {
  text: string;
  structure: Buffer;
  json: EncodedDocuments;
} {
  const writer = new DocumentsEncoder();
  const texts: string[] = [];
  const rows: Buffer[] = [];
  const rest: StoredDocument[] = [];
  for (const document of documents) {
    const encoded = writer.encode(document);
    texts.push(document.cleanedText);
    rows.push(encoded.rows);
    rest.push(encoded.stored);
  }
  return {
    text: texts.join(''),
    structure: Buffer.concat(rows),
    json: {
      format: COMPACT_FORMAT,
      textLengths: texts.map((t) => t.length),
      ...writer.codeLists(),
      documents: rest,
    },
  };
}

/** A document as the compact files store it: its structure rows, and the rest for documents.json. */
class DocumentsEncoder {
  private readonly codes = new StructureCodes();

  encode(document: StructuredDocument): { rows: Buffer; stored: StoredDocument } {
    const { cleanedText, paragraphs, sections, ...rest } = document;
    const { rows, own } = encodeStructure(cleanedText, paragraphs, sections, this.codes);
    const structure: StoredStructure = { paragraphs: paragraphs.length, sections: sections.length };
    if (own) structure.own = own;
    return { rows: bytesOfRows(rows), stored: { ...rest, structure } };
  }

  codeLists(): { kinds: ParagraphKind[]; styles: string[] } {
    return { kinds: this.codes.kinds, styles: this.codes.styles };
  }
}

/** The structure rows of documents decoded from the current format, for `decodeChunks` (no objects made). */
const storedRows = new WeakMap<StructuredDocument, StructureRows>();

/**
 * Inverse of `encodeDocuments`; throws a plain Error when the parts disagree (the caller maps it to
 * IndexCorrupt). `structure` is the `documents.structure` file (absent for the older formats, which keep
 * paragraphs and sections in documents.json). Each document's `paragraphs` and `sections` are made from its
 * rows on first use.
 */
export function decodeDocuments(
  text: string,
  json: EncodedDocuments | OlderEncodedDocuments,
  structure: Buffer | null = null,
): StructuredDocument[] {
  if (
    !READABLE_FORMATS.includes(json?.format) ||
    !Array.isArray(json.documents) ||
    !Array.isArray(json.textLengths)
  ) {
    throw new Error('documents.json is not in the compact format');
  }
  if (json.textLengths.length !== json.documents.length)
    throw new Error('documents.json: text lengths do not match');
  const texts: string[] = [];
  let offset = 0;
  for (const length of json.textLengths) {
    texts.push(text.slice(offset, offset + length));
    offset += length;
  }
  if (offset !== text.length) throw new Error('documents.utf16 does not match documents.json');
  if (json.format !== COMPACT_FORMAT) {
    return (json as OlderEncodedDocuments).documents.map(
      (meta, i) =>
        ({
          ...meta,
          paragraphs: decodeParagraphs(meta.paragraphs),
          cleanedText: texts[i],
        }) as StructuredDocument,
    );
  }
  if (!structure) throw new Error('documents.structure is missing');
  const all = rowsOfFile(structure);
  const codes = new StructureCodes(json.kinds, json.styles);
  let at = 0;
  const out = json.documents.map((meta, i) => {
    const { structure: counts, ...rest } = meta;
    const cleanedText = texts[i] as string;
    const length = counts.paragraphs * PARAGRAPH_FIELDS + counts.sections * SECTION_FIELDS;
    const rows = new StructureRows(
      all.subarray(at, at + length),
      counts.paragraphs,
      counts.sections,
      cleanedText,
      codes,
      counts.own ?? {},
    );
    at += length;
    const document = { ...rest, cleanedText } as StructuredDocument;
    lazyProperty(document, 'paragraphs', () => rows.decodeParagraphs());
    lazyProperty(document, 'sections', () => rows.decodeSections());
    storedRows.set(document, rows);
    return document;
  });
  if (at !== all.length) throw new Error('documents.structure does not match documents.json');
  return out;
}

/**
 * An enumerable property computed on first read and then kept as a plain value (spreads, JSON and
 * assignment see an ordinary property).
 */
function lazyProperty<K extends 'paragraphs' | 'sections'>(
  document: StructuredDocument,
  key: K,
  make: () => StructuredDocument[K],
): void {
  const settle = (value: StructuredDocument[K]) => {
    Object.defineProperty(document, key, { value, writable: true, enumerable: true, configurable: true });
    return value;
  };
  Object.defineProperty(document, key, {
    get: () => settle(make()),
    set: settle,
    enumerable: true,
    configurable: true,
  });
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
    const part = view.parts[view.structure.paragraphPart(paragraphIndex) ?? 0] ?? view.parts[0];
    // An editor's note speaks for the column, not for one article's issuer.
    const isNote = view.structure.paragraphKind(paragraphIndex) === 'editors-note';
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

/** What loading a chunk reads of its document's structure: from the stored rows, or the decoded arrays. */
interface ChunkStructure {
  paragraphPart(i: number): number | undefined;
  paragraphKind(i: number): ParagraphKind | undefined;
  section(i: number): Pick<Section, 'heading' | 'parent'> | undefined;
}

function structureOf(doc: StructuredDocument): ChunkStructure {
  return (
    storedRows.get(doc) ?? {
      paragraphPart: (i) => doc.paragraphs[i]?.part,
      paragraphKind: (i) => doc.paragraphs[i]?.kind,
      section: (i) => doc.sections[i],
    }
  );
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
  const structure = structureOf(doc);
  const cache = new Map<number | null, readonly string[]>();
  return {
    parts,
    structure,
    paths(section: number | null): readonly string[] {
      let path = cache.get(section);
      if (!path) {
        path = Object.freeze(headingPath(section, (i) => structure.section(i)));
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
  private readonly structure: number;
  private readonly documents: number;
  private readonly encoder = new DocumentsEncoder();
  private readonly textLengths: number[] = [];
  private readonly columns = new ChunkColumns();
  private closed = false;

  constructor(private readonly paths: CompactPaths) {
    this.text = openSync(paths.text, 'w');
    this.structure = openSync(paths.structure, 'w');
    this.documents = openSync(paths.documents, 'w');
    writeAll(this.documents, `{"format":${JSON.stringify(COMPACT_FORMAT)},"documents":[`);
  }

  /** Adds a document and its chunks (in ordinal order, continuing from the previous document's). */
  add(document: StructuredDocument, chunks: readonly Chunk[]): void {
    const { cleanedText } = document;
    const index = this.textLengths.length;
    const { rows, stored } = this.encoder.encode(document);
    writeAll(this.text, Buffer.from(cleanedText, 'utf16le'));
    writeAll(this.structure, rows);
    writeAll(this.documents, `${index > 0 ? ',' : ''}${JSON.stringify(stored)}`);
    this.textLengths.push(cleanedText.length);
    for (const chunk of chunks) this.columns.add(chunk, index, document);
  }

  finish(): void {
    const { kinds, styles } = this.encoder.codeLists();
    writeAll(
      this.documents,
      `],"textLengths":${JSON.stringify(this.textLengths)},"kinds":${JSON.stringify(kinds)},"styles":${JSON.stringify(styles)}}`,
    );
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
    closeSync(this.structure);
    closeSync(this.documents);
  }
}

/** The files `CompactFilesWriter` writes. */
export interface CompactPaths {
  text: string;
  structure: string;
  documents: string;
  chunks: string;
}

function writeAll(fd: number, data: string | Uint8Array): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let done = 0;
  while (done < bytes.byteLength) done += writeSync(fd, bytes, done, bytes.byteLength - done);
}
