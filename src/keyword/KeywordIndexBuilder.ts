import { closeSync, existsSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import Database from 'better-sqlite3';
import { ErrorCode, IndexError } from '../errors/index.js';
import { fieldScore, lengthNorm } from './bm25.js';
import { decodeAll, MAX_TF, PostingWriter, parsePostings } from './postings.js';
import { segment } from './segmenter.js';
import type { KeywordRow } from './types.js';

/** Bump when the schema, the posting format or the segmentation rules change: old files then fail to open. */
export const KEYWORD_FORMAT = 'policybot-keyword-v4';

/** Postings buffered in memory before they are written out as a sorted run (16 bytes each: 64 MB). */
const RUN_POSTINGS = 4_000_000;
/** Distinct titles whose tokens are remembered (titles repeat across a document's chunks). */
const TITLE_CACHE_MAX = 10_000;
/** Bytes read at a time from the run file while merging. */
const READ_CHUNK = 1 << 20;

export const SCHEMA = `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE terms (id INTEGER PRIMARY KEY, term TEXT NOT NULL UNIQUE, df INTEGER NOT NULL,
                      postings BLOB NOT NULL);
  CREATE TABLE lengths (field TEXT PRIMARY KEY, data BLOB NOT NULL);
`;

export interface KeywordBuildOptions {
  /** Postings buffered before a sorted run is written out (default 4M = 64 MB); small values are for tests. */
  runPostings?: number;
}

interface TokenCounts {
  counts: Map<string, number>;
  length: number;
}

interface Run {
  /** Term ids with postings in this run, ascending. */
  terms: Int32Array;
  /** File offset where each term's fragment ends; the first starts at `start`. */
  ends: Float64Array;
  start: number;
}

function countTokens(text: string): TokenCounts {
  const tokens = segment(text);
  const counts = new Map<string, number>();
  for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
  return { counts, length: tokens.length };
}

function grow<T extends Int32Array | Uint32Array>(array: T, needed: number, make: (n: number) => T): T {
  if (needed <= array.length) return array;
  const next = make(Math.max(needed, array.length * 2));
  next.set(array);
  return next;
}

/**
 * Streams rows into a new keyword index file with bounded memory (SPIMI-style): rows are segmented as they
 * arrive, their postings buffered and, every `RUN_POSTINGS`, written to a temporary run file sorted by term;
 * `finish` merges the runs term by term into per-token posting lists (postings.ts) with their block maxima, which
 * need the final average lengths. Memory: the vocabulary, 8 bytes of lengths per row and one run buffer.
 *
 * Rows must come in ascending ordinal order (gaps allowed). Not atomic by itself: build into a temporary path and
 * rename it into place.
 */
export class KeywordIndexBuilder {
  private readonly ids = new Map<string, number>();
  private readonly names: string[] = [];
  private df = new Int32Array(1024);
  private bodyLength = new Uint32Array(1024);
  private titleLength = new Uint32Array(1024);
  // The run buffer grows up to RUN_POSTINGS, so that small indexes stay small.
  private runTerm = new Int32Array(1024);
  private runDoc = new Int32Array(1024);
  private runBody = new Uint32Array(1024);
  private runTitle = new Uint32Array(1024);
  private runSize = 0;
  private readonly runs: Run[] = [];
  private readonly runPath: string;
  private runFd: number | null = null;
  private runBytes = 0;
  private rows = 0;
  private last = -1;
  private totalBody = 0;
  private totalTitle = 0;
  private readonly titles = new Map<string, TokenCounts>();
  private done = false;

  private readonly runPostings: number;

  constructor(
    private readonly file: string,
    options: KeywordBuildOptions = {},
  ) {
    this.runPath = `${file}.runs-${process.pid}`;
    this.runPostings = Math.max(1, options.runPostings ?? RUN_POSTINGS);
  }

  /** Rows added so far. */
  get count(): number {
    return this.rows;
  }

  add(row: KeywordRow): void {
    if (this.done) throw new Error('KeywordIndexBuilder: add() after finish() or abort()');
    if (!Number.isInteger(row.ordinal) || row.ordinal <= this.last || row.ordinal > 0x7ffffffe) {
      throw new IndexError(
        ErrorCode.IndexCorrupt,
        `Keyword rows: ordinal ${row.ordinal} is not an integer above the previous one (${this.last})`,
      );
    }
    const d = row.ordinal;
    this.last = d;
    this.rows++;
    const body = countTokens(row.text);
    let title = this.titles.get(row.title);
    if (!title) {
      title = countTokens(row.title);
      if (this.titles.size >= TITLE_CACHE_MAX) this.titles.clear();
      this.titles.set(row.title, title);
    }
    this.bodyLength = grow(this.bodyLength, d + 1, (n) => new Uint32Array(n));
    this.titleLength = grow(this.titleLength, d + 1, (n) => new Uint32Array(n));
    this.bodyLength[d] = body.length;
    this.titleLength[d] = title.length;
    this.totalBody += body.length;
    this.totalTitle += title.length;
    const postings = body.counts.size + title.counts.size;
    if (this.runSize > 0 && this.runSize + postings > this.runPostings) this.flushRun();
    const needed = this.runSize + postings;
    this.runTerm = grow(this.runTerm, needed, (n) => new Int32Array(n));
    this.runDoc = grow(this.runDoc, needed, (n) => new Int32Array(n));
    this.runBody = grow(this.runBody, needed, (n) => new Uint32Array(n));
    this.runTitle = grow(this.runTitle, needed, (n) => new Uint32Array(n));
    for (const [token, tf] of body.counts) this.post(token, d, tf, title.counts.get(token) ?? 0);
    for (const [token, tf] of title.counts) if (!body.counts.has(token)) this.post(token, d, 0, tf);
  }

  /** Merges the runs and writes the index file. */
  finish(): void {
    if (this.done) throw new Error('KeywordIndexBuilder: finish() called twice');
    this.done = true;
    try {
      if (this.runSize > 0) this.flushRun();
      this.writeIndex();
    } catch (error) {
      this.cleanUp();
      for (const suffix of ['', '-journal']) rmSync(this.file + suffix, { force: true });
      if (error instanceof IndexError) throw error;
      throw new IndexError(ErrorCode.IndexCorrupt, `Could not build keyword index at ${this.file}`, {
        cause: error,
      });
    }
    this.cleanUp();
  }

  /** Drops what was built so far. */
  abort(): void {
    this.done = true;
    this.cleanUp();
  }

  private post(token: string, doc: number, tfBody: number, tfTitle: number): void {
    let id = this.ids.get(token);
    if (id === undefined) {
      id = this.names.length;
      this.ids.set(token, id);
      this.names.push(token);
      this.df = grow(this.df, id + 1, (n) => new Int32Array(n));
    }
    this.df[id] = (this.df[id] as number) + 1;
    const p = this.runSize++;
    this.runTerm[p] = id;
    this.runDoc[p] = doc;
    // A token more than 65,535 times in one chunk counts as 65,535 (BM25 has long saturated by then).
    this.runBody[p] = Math.min(tfBody, MAX_TF);
    this.runTitle[p] = Math.min(tfTitle, MAX_TF);
  }

  /** Writes the buffered postings to the run file grouped by term (a stable counting sort keeps ordinals ascending). */
  private flushRun(): void {
    const terms = this.names.length;
    const starts = new Int32Array(terms + 1);
    for (let p = 0; p < this.runSize; p++) {
      const t = (this.runTerm[p] as number) + 1;
      starts[t] = (starts[t] as number) + 1;
    }
    let distinct = 0;
    for (let t = 0; t < terms; t++) {
      if ((starts[t + 1] as number) > 0) distinct++;
      starts[t + 1] = (starts[t + 1] as number) + (starts[t] as number);
    }
    const order = new Int32Array(this.runSize);
    const next = starts.slice(0, terms);
    for (let p = 0; p < this.runSize; p++) {
      const t = this.runTerm[p] as number;
      const at = next[t] as number;
      order[at] = p;
      next[t] = at + 1;
    }
    this.runFd ??= openSync(this.runPath, 'w+');
    const run: Run = {
      terms: new Int32Array(distinct),
      ends: new Float64Array(distinct),
      start: this.runBytes,
    };
    const out = new Varints();
    let r = 0;
    for (let t = 0; t < terms; t++) {
      const from = starts[t] as number;
      const to = starts[t + 1] as number;
      if (from === to) continue;
      let previous = -1;
      for (let q = from; q < to; q++) {
        const p = order[q] as number;
        const doc = this.runDoc[p] as number;
        const tfTitle = this.runTitle[p] as number;
        out.write(doc - previous - 1);
        out.write((this.runBody[p] as number) * 2 + (tfTitle > 0 ? 1 : 0));
        if (tfTitle > 0) out.write(tfTitle);
        previous = doc;
      }
      run.terms[r] = t;
      run.ends[r] = this.runBytes + out.length;
      r++;
      if (out.length >= READ_CHUNK * 4) this.runBytes += drainTo(this.runFd, out);
    }
    this.runBytes += drainTo(this.runFd, out);
    this.runs.push(run);
    this.runSize = 0;
  }

  private writeIndex(): void {
    const ordinals = this.last + 1;
    const bodyLength = this.bodyLength.subarray(0, ordinals);
    const titleLength = this.titleLength.subarray(0, ordinals);
    const stats = rowStatistics(bodyLength, titleLength, this.rows, this.totalBody, this.totalTitle);
    const readers = this.runs.map((run) => new RunReader(this.runFd as number, run));
    writeKeywordFile(this.file, bodyLength, titleLength, stats, (insertTerm) => {
      const writer = new PostingWriter();
      for (let t = 0; t < this.names.length; t++) {
        writer.reset();
        for (const reader of readers) {
          const fragment = reader.fragment(t);
          if (!fragment) continue;
          const bytes = new ByteReader(fragment);
          let doc = -1;
          while (!bytes.atEnd) {
            doc += bytes.varint() + 1;
            const packed = bytes.varint();
            const tfTitle = packed & 1 ? bytes.varint() : 0;
            const tfBody = packed >>> 1;
            writer.add(
              doc,
              tfBody,
              tfTitle,
              fieldScore(tfBody, stats.bodyNorm[doc] as number, tfTitle, stats.titleNorm[doc] as number),
            );
          }
        }
        if (writer.df !== this.df[t]) {
          throw new Error(`term ${this.names[t]}: ${writer.df} postings merged, ${this.df[t]} counted`);
        }
        insertTerm(this.names[t] as string, writer.df, writer.finish());
      }
    });
  }

  private cleanUp(): void {
    if (this.runFd !== null) {
      closeSync(this.runFd);
      this.runFd = null;
    }
    if (existsSync(this.runPath)) rmSync(this.runPath, { force: true });
  }
}

/** Sequential varint reader over one run fragment. */
class ByteReader {
  private p = 0;

  constructor(private readonly bytes: Uint8Array) {}

  get atEnd(): boolean {
    return this.p >= this.bytes.length;
  }

  varint(): number {
    let byte = this.bytes[this.p++] as number;
    let value = byte & 0x7f;
    for (let shift = 7; byte & 0x80; shift += 7) {
      byte = this.bytes[this.p++] as number;
      value |= (byte & 0x7f) << shift;
    }
    return value;
  }
}

function littleEndian(values: Uint32Array): Buffer {
  const out = Buffer.alloc(values.length * 4);
  for (let i = 0; i < values.length; i++) out.writeUInt32LE(values[i] as number, i * 4);
  return out;
}

/** Growable byte buffer of varints (the run file's encoding). */
class Varints {
  bytes = new Uint8Array(1 << 16);
  length = 0;

  write(value: number): void {
    if (this.length + 5 > this.bytes.length) {
      const grown = new Uint8Array(this.bytes.length * 2);
      grown.set(this.bytes.subarray(0, this.length));
      this.bytes = grown;
    }
    let v = value;
    while (v >= 0x80) {
      this.bytes[this.length++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.bytes[this.length++] = v;
  }
}

/** Appends the buffered bytes to `fd` and empties the buffer; returns how many were written. */
function drainTo(fd: number, out: Varints): number {
  let written = 0;
  while (written < out.length) written += writeSync(fd, out.bytes, written, out.length - written);
  out.length = 0;
  return written;
}

/** Reads one run's fragments in term order (the order they were written in), through a small buffer. */
class RunReader {
  private index = 0;
  private buffer = new Uint8Array(READ_CHUNK);
  /** File offset of buffer[0] and how many bytes of the buffer are valid. */
  private bufferStart = 0;
  private bufferLength = 0;

  constructor(
    private readonly fd: number,
    private readonly run: Run,
  ) {
    this.bufferStart = run.start;
  }

  /** The fragment of term `t`, or null when this run has none. Terms must be asked for in ascending order. */
  fragment(t: number): Uint8Array | null {
    if (this.index >= this.run.terms.length || this.run.terms[this.index] !== t) return null;
    const from = this.index === 0 ? this.run.start : (this.run.ends[this.index - 1] as number);
    const to = this.run.ends[this.index] as number;
    this.index++;
    if (from < this.bufferStart || to > this.bufferStart + this.bufferLength) this.fill(from, to - from);
    return this.buffer.subarray(from - this.bufferStart, to - this.bufferStart);
  }

  private fill(from: number, needed: number): void {
    if (needed > this.buffer.length) this.buffer = new Uint8Array(needed);
    this.bufferStart = from;
    this.bufferLength = 0;
    while (this.bufferLength < this.buffer.length) {
      const n = readSync(
        this.fd,
        this.buffer,
        this.bufferLength,
        this.buffer.length - this.bufferLength,
        from + this.bufferLength,
      );
      if (n === 0) break;
      this.bufferLength += n;
    }
    if (this.bufferLength < needed) throw new Error('keyword build: run file is shorter than its directory');
  }
}

/** The collection statistics BM25 needs (N, average lengths) and each row's length factors. */
interface RowStatistics {
  rows: number;
  avgBody: number;
  avgTitle: number;
  bodyNorm: Float64Array;
  titleNorm: Float64Array;
}

function rowStatistics(
  bodyLength: Uint32Array,
  titleLength: Uint32Array,
  rows: number,
  totalBody: number,
  totalTitle: number,
): RowStatistics {
  const avgBody = totalBody / Math.max(rows, 1) || 1;
  const avgTitle = totalTitle / Math.max(rows, 1) || 1;
  const bodyNorm = new Float64Array(bodyLength.length);
  const titleNorm = new Float64Array(titleLength.length);
  for (let d = 0; d < bodyLength.length; d++) {
    bodyNorm[d] = lengthNorm(bodyLength[d] as number, avgBody);
    titleNorm[d] = lengthNorm(titleLength[d] as number, avgTitle);
  }
  return { rows, avgBody, avgTitle, bodyNorm, titleNorm };
}

/**
 * Writes a new keyword file: `writeTerms` inserts each term's posting list (terms with no postings are left
 * out), then the lengths and the statistics go in. One transaction, no journal: the caller renames the file
 * into place (or builds inside a snapshot folder that is published whole).
 */
function writeKeywordFile(
  file: string,
  bodyLength: Uint32Array,
  titleLength: Uint32Array,
  stats: RowStatistics,
  writeTerms: (insertTerm: (term: string, df: number, postings: Uint8Array) => void) => void,
): void {
  for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  const db = new Database(file);
  try {
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.exec(SCHEMA);
    const insertTerm = db.prepare('INSERT INTO terms (id, term, df, postings) VALUES (?, ?, ?, ?)');
    const insert = db.prepare('INSERT INTO meta VALUES (?, ?)');
    const insertLengths = db.prepare('INSERT INTO lengths VALUES (?, ?)');
    db.transaction(() => {
      let id = 0;
      writeTerms((term, df, postings) => {
        if (df > 0) insertTerm.run(id++, term, df, postings);
      });
      insertLengths.run('body', littleEndian(bodyLength));
      insertLengths.run('title', littleEndian(titleLength));
      insert.run('format', KEYWORD_FORMAT);
      insert.run('rows', String(stats.rows));
      insert.run('ordinals', String(bodyLength.length));
      // String(number) round-trips a double exactly: the search recomputes the same norms.
      insert.run('avgBody', String(stats.avgBody));
      insert.run('avgTitle', String(stats.avgTitle));
    })();
  } finally {
    db.close();
  }
}

/**
 * Writes the keyword index of an updated index at `file` from the previous one at `previousFile`, segmenting only
 * the new rows. `reuse[ordinal]` is the previous ordinal whose row the new ordinal keeps, or -1 for a row of
 * `added` (which carry their new ordinals, ascending). The previous posting lists are decoded term by term, their
 * ordinals renumbered (removed rows dropped), merged with the new rows' postings and re-scored with the new
 * collection's statistics (N, average lengths, df), so the result is the file a full build of the same rows writes
 * (term ids aside): ranking stays exact BM25. The previous file is only read.
 */
export function updateKeywordFile(
  previousFile: string,
  file: string,
  reuse: Int32Array,
  added: readonly KeywordRow[],
): void {
  const previous = new Database(previousFile, { readonly: true, fileMustExist: true });
  try {
    const meta = new Map(
      previous
        .prepare<[], { key: string; value: string }>('SELECT key, value FROM meta')
        .all()
        .map((r) => [r.key, r.value]),
    );
    if (meta.get('format') !== KEYWORD_FORMAT) {
      throw new IndexError(ErrorCode.IndexMismatch, `Keyword index ${previousFile} has another format`);
    }
    const previousOrdinals = Number(meta.get('ordinals'));
    const lengths = previous.prepare<[string], { data: Buffer }>('SELECT data FROM lengths WHERE field = ?');
    const previousBody = readLengths(lengths.get('body')?.data, previousOrdinals, 'body');
    const previousTitle = readLengths(lengths.get('title')?.data, previousOrdinals, 'title');

    const ordinals = reuse.length;
    const remap = new Int32Array(previousOrdinals).fill(-1);
    const bodyLength = new Uint32Array(ordinals);
    const titleLength = new Uint32Array(ordinals);
    let monotone = true;
    let last = -1;
    for (let d = 0; d < ordinals; d++) {
      const r = reuse[d] as number;
      if (r < 0) continue;
      if (r >= previousOrdinals) throw new RangeError(`no previous keyword row ${r}`);
      remap[r] = d;
      if (r < last) monotone = false;
      last = r;
      bodyLength[d] = previousBody[r] as number;
      titleLength[d] = previousTitle[r] as number;
    }
    // The new rows' postings by term: [ordinal, tfBody, tfTitle, …], ascending ordinals.
    const fresh = new Map<string, number[]>();
    const post = (token: string, doc: number, tfBody: number, tfTitle: number) => {
      let list = fresh.get(token);
      if (!list) {
        list = [];
        fresh.set(token, list);
      }
      list.push(doc, Math.min(tfBody, MAX_TF), Math.min(tfTitle, MAX_TF));
    };
    let lastAdded = -1;
    for (const row of added) {
      const d = row.ordinal;
      if (!(d > lastAdded && d < ordinals) || reuse[d] !== -1) {
        throw new RangeError(`updateKeywordFile: new row ${d} is out of order or not a new ordinal`);
      }
      lastAdded = d;
      const body = countTokens(row.text);
      const title = countTokens(row.title);
      bodyLength[d] = body.length;
      titleLength[d] = title.length;
      for (const [token, tf] of body.counts) post(token, d, tf, title.counts.get(token) ?? 0);
      for (const [token, tf] of title.counts) if (!body.counts.has(token)) post(token, d, 0, tf);
    }
    let totalBody = 0;
    let totalTitle = 0;
    for (let d = 0; d < ordinals; d++) {
      totalBody += bodyLength[d] as number;
      totalTitle += titleLength[d] as number;
    }
    const stats = rowStatistics(bodyLength, titleLength, ordinals, totalBody, totalTitle);
    const score = (d: number, tfBody: number, tfTitle: number) =>
      fieldScore(tfBody, stats.bodyNorm[d] as number, tfTitle, stats.titleNorm[d] as number);

    const terms = previous
      .prepare<[], { term: string; postings: Buffer }>('SELECT term, postings FROM terms ORDER BY id')
      .iterate();
    writeKeywordFile(file, bodyLength, titleLength, stats, (insertTerm) => {
      const writer = new PostingWriter();
      for (const { term, postings } of terms) {
        // Renumbered in place (a posting only ever moves down), removed rows dropped.
        let { docs, tfBody, tfTitle } = decodeAll(parsePostings(postings));
        let n = 0;
        for (let i = 0; i < docs.length; i++) {
          const d = remap[docs[i] as number] as number;
          if (d < 0) continue;
          docs[n] = d;
          tfBody[n] = tfBody[i] as number;
          tfTitle[n] = tfTitle[i] as number;
          n++;
        }
        if (!monotone) ({ docs, tfBody, tfTitle } = sortPostings(docs, tfBody, tfTitle, n));
        const extra = fresh.get(term) ?? [];
        fresh.delete(term);
        writer.reset();
        let i = 0;
        let j = 0;
        while (i < n || j < extra.length) {
          if (j >= extra.length || (i < n && (docs[i] as number) < (extra[j] as number))) {
            const d = docs[i] as number;
            writer.add(
              d,
              tfBody[i] as number,
              tfTitle[i] as number,
              score(d, tfBody[i] as number, tfTitle[i] as number),
            );
            i++;
          } else {
            const [d, b, t] = [extra[j] as number, extra[j + 1] as number, extra[j + 2] as number];
            writer.add(d, b, t, score(d, b, t));
            j += 3;
          }
        }
        insertTerm(term, writer.df, writer.finish());
      }
      for (const [term, extra] of fresh) {
        writer.reset();
        for (let j = 0; j < extra.length; j += 3) {
          const [d, b, t] = [extra[j] as number, extra[j + 1] as number, extra[j + 2] as number];
          writer.add(d, b, t, score(d, b, t));
        }
        insertTerm(term, writer.df, writer.finish());
      }
    });
  } finally {
    previous.close();
  }
}

/** A `lengths` row of the keyword file: one u32 per ordinal. */
export function readLengths(blob: Buffer | undefined, ordinals: number, field: string): Uint32Array {
  if (!blob || blob.byteLength !== ordinals * 4) {
    throw new IndexError(ErrorCode.IndexCorrupt, `Keyword index: ${field} lengths missing or truncated`);
  }
  const out = new Uint32Array(ordinals);
  for (let i = 0; i < ordinals; i++) out[i] = blob.readUInt32LE(i * 4);
  return out;
}

/** The first `n` postings sorted by ordinal (after a renumbering that changed the rows' order). */
function sortPostings(docs: Int32Array, tfBody: Uint16Array, tfTitle: Uint16Array, n: number) {
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => (docs[a] as number) - (docs[b] as number),
  );
  return {
    docs: Int32Array.from(order, (i) => docs[i] as number),
    tfBody: Uint16Array.from(order, (i) => tfBody[i] as number),
    tfTitle: Uint16Array.from(order, (i) => tfTitle[i] as number),
  };
}
