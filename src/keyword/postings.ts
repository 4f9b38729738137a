/**
 * One token's posting list: the rows it occurs in (ascending ordinals) with its term frequency in the row's body
 * and title, in blocks of `BLOCK_SIZE` postings. Each block's header keeps its last ordinal (to skip the block
 * without decoding it) and the largest `fieldScore` of its postings: the per-block upper bounds that dynamic
 * pruning needs (max-score.ts).
 *
 * Stored form, little-endian: u32 df, u32 blocks, i32 lastDoc[blocks], u32 end[blocks] (payload offset where each
 * block ends), f64 blockMax[blocks], then the payload. A block holds its postings' varint(gap), gap = ordinal −
 * previous ordinal − 1 (previous = −1 at the start of the list), then per posting varint(tfBody · 2 + (tfTitle > 0
 * ? 1 : 0)) followed by varint(tfTitle) when that bit is set. Ordinals come first so that a lookup that finds
 * nothing never decodes frequencies. Typical postings take 2–3 bytes; lists stay in this form in memory and are
 * decoded a block at a time while searching.
 */

export const BLOCK_SIZE = 128;
/** Frequencies above this (a token 65,536 times in one chunk) are stored as this. */
export const MAX_TF = 0xffff;

export interface PostingList {
  /** Rows holding the token. */
  df: number;
  blocks: number;
  /** Last ordinal of each block. */
  lastDoc: Int32Array;
  /** Payload offset where each block ends. */
  end: Uint32Array;
  /** Largest idf-free score (bm25.fieldScore) in each block. */
  blockMax: Float64Array;
  payload: Uint8Array;
  /** Bytes held in memory (for the cache's budget). */
  bytes: number;
}

const HEADER = 8;

/** Reads a stored list's header; the payload stays a view into `blob`. */
export function parsePostings(blob: Uint8Array): PostingList {
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const df = view.getUint32(0, true);
  const blocks = view.getUint32(4, true);
  const lastDoc = new Int32Array(blocks);
  const end = new Uint32Array(blocks);
  const blockMax = new Float64Array(blocks);
  for (let b = 0; b < blocks; b++) {
    lastDoc[b] = view.getInt32(HEADER + 4 * b, true);
    end[b] = view.getUint32(HEADER + 4 * (blocks + b), true);
    blockMax[b] = view.getFloat64(HEADER + 8 * blocks + 8 * b, true);
  }
  const payload = blob.subarray(HEADER + 16 * blocks);
  if (blocks > 0 && end[blocks - 1] !== payload.length)
    throw new Error('posting list: payload size mismatch');
  return { df, blocks, lastDoc, end, blockMax, payload, bytes: blob.byteLength + 16 * blocks };
}

/** Postings in block `b`; the last block may hold fewer than BLOCK_SIZE. */
export function blockLength(list: PostingList, b: number): number {
  return b < list.blocks - 1 ? BLOCK_SIZE : list.df - BLOCK_SIZE * (list.blocks - 1);
}

/**
 * Decodes the ordinals of block `b` into `docs` (at least BLOCK_SIZE long) and returns the payload offset where
 * its frequencies start. Varints are inlined (the innermost loop of every query); values stay below 2^31, so
 * 32-bit shifts are safe.
 */
export function decodeDocs(list: PostingList, b: number, docs: Int32Array): number {
  const bytes = list.payload;
  let p = b === 0 ? 0 : (list.end[b - 1] as number);
  let doc = b === 0 ? -1 : (list.lastDoc[b - 1] as number);
  const n = blockLength(list, b);
  for (let i = 0; i < n; i++) {
    let byte = bytes[p++] as number;
    let gap = byte & 0x7f;
    for (let shift = 7; byte & 0x80; shift += 7) {
      byte = bytes[p++] as number;
      gap |= (byte & 0x7f) << shift;
    }
    doc += gap + 1;
    docs[i] = doc;
  }
  return p;
}

/**
 * Decodes the frequencies of postings `from`..`to`−1 of a block, posting `from`'s starting at payload offset `p`;
 * returns the offset of posting `to`'s. Callers decode only as far as they look.
 */
export function decodeFrequencies(
  list: PostingList,
  p: number,
  from: number,
  to: number,
  tfBody: Uint16Array,
  tfTitle: Uint16Array,
): number {
  const bytes = list.payload;
  let q = p;
  for (let i = from; i < to; i++) {
    let byte = bytes[q++] as number;
    let packed = byte & 0x7f;
    for (let shift = 7; byte & 0x80; shift += 7) {
      byte = bytes[q++] as number;
      packed |= (byte & 0x7f) << shift;
    }
    tfBody[i] = packed >>> 1;
    let title = 0;
    if (packed & 1) {
      byte = bytes[q++] as number;
      title = byte & 0x7f;
      for (let shift = 7; byte & 0x80; shift += 7) {
        byte = bytes[q++] as number;
        title |= (byte & 0x7f) << shift;
      }
    }
    tfTitle[i] = title;
  }
  return q;
}

export interface DecodedList {
  docs: Int32Array;
  tfBody: Uint16Array;
  tfTitle: Uint16Array;
}

/** Every posting of a list, decoded. */
export function decodeAll(list: PostingList): DecodedList {
  const docs = new Int32Array(list.df);
  const tfBody = new Uint16Array(list.df);
  const tfTitle = new Uint16Array(list.df);
  for (let b = 0, n = 0; b < list.blocks; b++) {
    const count = blockLength(list, b);
    const start = decodeDocs(list, b, docs.subarray(n));
    decodeFrequencies(list, start, 0, count, tfBody.subarray(n), tfTitle.subarray(n));
    n += count;
  }
  return { docs, tfBody, tfTitle };
}

/** Growable byte buffer of varints. */
export class Varints {
  bytes = new Uint8Array(256);
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

/** Builds one posting list; postings must come in ascending ordinal order. Reusable through `reset`. */
export class PostingWriter {
  private readonly payload = new Varints();
  private lastDocs: number[] = [];
  private ends: number[] = [];
  private maxima: number[] = [];
  /** The current block's frequencies, written after its ordinals when it closes. */
  private readonly tfBody = new Uint16Array(BLOCK_SIZE);
  private readonly tfTitle = new Uint16Array(BLOCK_SIZE);
  private inBlock = 0;
  private blockMax = 0;
  private previous = -1;
  private count = 0;

  get df(): number {
    return this.count;
  }

  /** `score` is the posting's bm25.fieldScore, kept as its block's bound. Frequencies must be ≤ MAX_TF. */
  add(doc: number, tfBody: number, tfTitle: number, score: number): void {
    if (doc <= this.previous || doc > 0x7ffffffe) {
      throw new RangeError(`posting ${doc} out of order or too large (after ${this.previous})`);
    }
    if (tfBody > MAX_TF || tfTitle > MAX_TF) throw new RangeError(`term frequency above ${MAX_TF}`);
    this.payload.write(doc - this.previous - 1);
    this.tfBody[this.inBlock] = tfBody;
    this.tfTitle[this.inBlock] = tfTitle;
    this.previous = doc;
    this.count++;
    if (score > this.blockMax) this.blockMax = score;
    if (++this.inBlock === BLOCK_SIZE) this.closeBlock();
  }

  /** The stored form of the postings added since the last reset. */
  finish(): Uint8Array {
    if (this.inBlock > 0) this.closeBlock();
    const blocks = this.lastDocs.length;
    const out = new Uint8Array(HEADER + 16 * blocks + this.payload.length);
    const view = new DataView(out.buffer);
    view.setUint32(0, this.count, true);
    view.setUint32(4, blocks, true);
    for (let b = 0; b < blocks; b++) {
      view.setInt32(HEADER + 4 * b, this.lastDocs[b] as number, true);
      view.setUint32(HEADER + 4 * (blocks + b), this.ends[b] as number, true);
      view.setFloat64(HEADER + 8 * blocks + 8 * b, this.maxima[b] as number, true);
    }
    out.set(this.payload.bytes.subarray(0, this.payload.length), HEADER + 16 * blocks);
    return out;
  }

  reset(): void {
    this.payload.length = 0;
    this.lastDocs = [];
    this.ends = [];
    this.maxima = [];
    this.inBlock = 0;
    this.blockMax = 0;
    this.previous = -1;
    this.count = 0;
  }

  private closeBlock(): void {
    for (let i = 0; i < this.inBlock; i++) {
      const tfTitle = this.tfTitle[i] as number;
      this.payload.write((this.tfBody[i] as number) * 2 + (tfTitle > 0 ? 1 : 0));
      if (tfTitle > 0) this.payload.write(tfTitle);
    }
    this.lastDocs.push(this.previous);
    this.ends.push(this.payload.length);
    this.maxima.push(this.blockMax);
    this.inBlock = 0;
    this.blockMax = 0;
  }
}
