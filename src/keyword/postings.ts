/**
 * One token's posting list: the rows it occurs in (ascending ordinals) with its term frequency in the row's body
 * and title, in blocks of `BLOCK_SIZE` postings. Each block carries its first and last ordinal (to skip it without
 * reading it) and the largest `fieldScore` of its postings: the per-block upper bounds that dynamic pruning needs
 * (max-score.ts).
 *
 * Postings are bit-packed per block with a fixed width (frame of reference): ordinal − first ordinal of the block,
 * body frequency, title frequency, each in as many bits as the block's largest value needs (often 0 bits for
 * titles, 1–2 for frequencies). Any posting of a block can therefore be read directly — a lookup is a binary
 * search over the block, not a decode of it — and a typical posting takes 1–2 bytes.
 *
 * Stored form, little-endian: u32 df, u32 blocks, then per block i32 firstDoc, i32 lastDoc, f64 blockMax, u32
 * payload offset, u8 widths (ordinal, body, title), u8 padding; then the payload, followed by 8 zero bytes so
 * that reading a packed value never runs past the end.
 */

export const BLOCK_SIZE = 128;
/** Frequencies above this (a token 65,536 times in one chunk) are stored as this. */
export const MAX_TF = 0xffff;

export interface PostingList {
  /** Rows holding the token. */
  df: number;
  blocks: number;
  firstDoc: Int32Array;
  lastDoc: Int32Array;
  /** Largest idf-free score (bm25.fieldScore) in each block. */
  blockMax: Float64Array;
  /** Payload offset of each block. */
  offset: Uint32Array;
  /** Bit widths per block: ordinal offset, body frequency, title frequency (3 entries a block). */
  widths: Uint8Array;
  payload: Uint8Array;
  /**
   * For lists in at least one row in PRESENCE_SHARE: a bit per ordinal, set where the token occurs, so that the
   * search can tell a row lacks the token without searching the list (most lookups into common terms find
   * nothing). Built by `withPresence`; null otherwise.
   */
  presence: Uint32Array | null;
  /** Bytes held in memory (for the cache's budget). */
  bytes: number;
}

/** Lists holding at least one row in this many get a presence bitmap (ordinals / 8 bytes). */
export const PRESENCE_SHARE = 64;

const HEADER = 8;
const BLOCK_HEADER = 24;
const PAD = 8;

/** Reads a stored list's block headers; the payload stays a view into `blob`. */
export function parsePostings(blob: Uint8Array): PostingList {
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const df = view.getUint32(0, true);
  const blocks = view.getUint32(4, true);
  const firstDoc = new Int32Array(blocks);
  const lastDoc = new Int32Array(blocks);
  const blockMax = new Float64Array(blocks);
  const offset = new Uint32Array(blocks);
  const widths = new Uint8Array(3 * blocks);
  for (let b = 0; b < blocks; b++) {
    const at = HEADER + BLOCK_HEADER * b;
    firstDoc[b] = view.getInt32(at, true);
    lastDoc[b] = view.getInt32(at + 4, true);
    blockMax[b] = view.getFloat64(at + 8, true);
    offset[b] = view.getUint32(at + 16, true);
    widths[3 * b] = view.getUint8(at + 20);
    widths[3 * b + 1] = view.getUint8(at + 21);
    widths[3 * b + 2] = view.getUint8(at + 22);
  }
  const payload = blob.subarray(HEADER + BLOCK_HEADER * blocks);
  if (payload.length < PAD) throw new Error('posting list: payload truncated');
  return {
    df,
    blocks,
    firstDoc,
    lastDoc,
    blockMax,
    offset,
    widths,
    payload,
    presence: null,
    bytes: blob.byteLength + 33 * blocks,
  };
}

/** `list` with its presence bitmap over `ordinals` rows when it is common enough to deserve one. */
export function withPresence(list: PostingList, ordinals: number): PostingList {
  if (list.df * PRESENCE_SHARE < ordinals) return list;
  const presence = new Uint32Array(Math.ceil(ordinals / 32));
  const { payload, widths } = list;
  for (let b = 0; b < list.blocks; b++) {
    const start = list.offset[b] as number;
    const first = list.firstDoc[b] as number;
    const width = widths[3 * b] as number;
    for (let i = 0, n = blockLength(list, b); i < n; i++) {
      const d = first + unpack(payload, start, width, i);
      presence[d >>> 5] = (presence[d >>> 5] as number) | (1 << (d & 31));
    }
  }
  return { ...list, presence, bytes: list.bytes + presence.byteLength };
}

/** Postings in block `b`; the last block may hold fewer than BLOCK_SIZE. */
export function blockLength(list: PostingList, b: number): number {
  return b < list.blocks - 1 ? BLOCK_SIZE : list.df - BLOCK_SIZE * (list.blocks - 1);
}

/** The `i`-th value of `width` bits (≤ 31) packed from byte `start` of `bytes`. */
export function unpack(bytes: Uint8Array, start: number, width: number, i: number): number {
  if (width === 0) return 0;
  const bit = i * width;
  const at = start + (bit >>> 3);
  const shift = bit & 7;
  let v =
    ((bytes[at] as number) |
      ((bytes[at + 1] as number) << 8) |
      ((bytes[at + 2] as number) << 16) |
      ((bytes[at + 3] as number) << 24)) >>>
    shift;
  if (shift + width > 32) v |= (bytes[at + 4] as number) << (32 - shift);
  return v & ((1 << width) - 1);
}

/** Bits needed for `value` (0 for 0). */
function bitsFor(value: number): number {
  return value === 0 ? 0 : 32 - Math.clz32(value);
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
  const { payload, widths } = list;
  for (let b = 0, n = 0; b < list.blocks; b++) {
    const count = blockLength(list, b);
    const start = list.offset[b] as number;
    const [wDoc, wBody, wTitle] = [
      widths[3 * b] as number,
      widths[3 * b + 1] as number,
      widths[3 * b + 2] as number,
    ];
    const bodyStart = start + ((count * wDoc + 7) >>> 3);
    const titleStart = bodyStart + ((count * wBody + 7) >>> 3);
    const first = list.firstDoc[b] as number;
    for (let i = 0; i < count; i++) {
      docs[n + i] = first + unpack(payload, start, wDoc, i);
      tfBody[n + i] = unpack(payload, bodyStart, wBody, i);
      tfTitle[n + i] = unpack(payload, titleStart, wTitle, i);
    }
    n += count;
  }
  return { docs, tfBody, tfTitle };
}

/** Growable byte buffer with little-endian bit packing. */
class BitBuffer {
  bytes = new Uint8Array(256);
  length = 0;

  /** Appends `values[0..n)` in `width` bits each, starting on a byte boundary. */
  pack(values: Uint32Array | Uint16Array, n: number, width: number): void {
    const bytes = Math.ceil((n * width) / 8);
    this.reserve(bytes + PAD);
    const out = this.bytes;
    if (width > 0) {
      for (let i = 0, bit = this.length * 8; i < n; i++, bit += width) {
        // OR the value in a byte at a time, starting at its bit offset within the first byte.
        let at = bit >>> 3;
        const shift = bit & 7;
        let x = values[i] as number;
        out[at] = (out[at] as number) | ((x << shift) & 0xff);
        x >>>= 8 - shift;
        for (let left = width + shift - 8; left > 0; left -= 8) {
          at++;
          out[at] = (out[at] as number) | (x & 0xff);
          x >>>= 8;
        }
      }
    }
    this.length += bytes;
  }

  reserve(extra: number): void {
    if (this.length + extra <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.length + extra) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  clear(): void {
    this.bytes.fill(0, 0, this.length + PAD);
    this.length = 0;
  }
}

interface BlockHeader {
  firstDoc: number;
  lastDoc: number;
  max: number;
  offset: number;
  widths: [number, number, number];
}

/** Builds one posting list; postings must come in ascending ordinal order. Reusable through `reset`. */
export class PostingWriter {
  private readonly payload = new BitBuffer();
  private headers: BlockHeader[] = [];
  private readonly docs = new Uint32Array(BLOCK_SIZE);
  private readonly tfBody = new Uint32Array(BLOCK_SIZE);
  private readonly tfTitle = new Uint32Array(BLOCK_SIZE);
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
    this.docs[this.inBlock] = doc;
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
    const blocks = this.headers.length;
    const start = HEADER + BLOCK_HEADER * blocks;
    const out = new Uint8Array(start + this.payload.length + PAD);
    const view = new DataView(out.buffer);
    view.setUint32(0, this.count, true);
    view.setUint32(4, blocks, true);
    this.headers.forEach((h, b) => {
      const at = HEADER + BLOCK_HEADER * b;
      view.setInt32(at, h.firstDoc, true);
      view.setInt32(at + 4, h.lastDoc, true);
      view.setFloat64(at + 8, h.max, true);
      view.setUint32(at + 16, h.offset, true);
      view.setUint8(at + 20, h.widths[0]);
      view.setUint8(at + 21, h.widths[1]);
      view.setUint8(at + 22, h.widths[2]);
    });
    out.set(this.payload.bytes.subarray(0, this.payload.length), start);
    return out;
  }

  reset(): void {
    this.payload.clear();
    this.headers = [];
    this.inBlock = 0;
    this.blockMax = 0;
    this.previous = -1;
    this.count = 0;
  }

  private closeBlock(): void {
    const n = this.inBlock;
    const firstDoc = this.docs[0] as number;
    let maxBody = 0;
    let maxTitle = 0;
    for (let i = 0; i < n; i++) {
      this.docs[i] = (this.docs[i] as number) - firstDoc;
      maxBody = Math.max(maxBody, this.tfBody[i] as number);
      maxTitle = Math.max(maxTitle, this.tfTitle[i] as number);
    }
    const widths: [number, number, number] = [
      bitsFor(this.docs[n - 1] as number),
      bitsFor(maxBody),
      bitsFor(maxTitle),
    ];
    const offset = this.payload.length;
    this.payload.pack(this.docs, n, widths[0]);
    this.payload.pack(this.tfBody, n, widths[1]);
    this.payload.pack(this.tfTitle, n, widths[2]);
    this.headers.push({ firstDoc, lastDoc: this.previous, max: this.blockMax, offset, widths });
    this.inBlock = 0;
    this.blockMax = 0;
  }
}
