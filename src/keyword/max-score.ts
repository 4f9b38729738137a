import { TopK } from '../internal/top-k.js';
import { fieldScore } from './bm25.js';
import { blockLength, type PostingList, unpack } from './postings.js';

/**
 * Exact top-k BM25 over posting lists: block-max MaxScore (Turtle & Flood 1995; per-block bounds as in Ding &
 * Suel 2011, Lucene's MaxScoreBulkScorer and PISA) over windows of ordinals visited best first (Mackenzie, Petri &
 * Moffat, "Anytime ranking on document-ordered indexes", 2022), and the exhaustive term-at-a-time reference it is
 * tested against.
 *
 * The ordinals are cut into windows of `WINDOW`. A term's bound in a window is its weight times the largest
 * maximum of its blocks overlapping the window (block headers only, nothing decoded). Windows are visited in
 * decreasing order of their total bound, and the search stops at the first window whose total cannot beat the
 * current k-th best score θ: no later one can either. In a window, terms whose bounds add up to no more than θ
 * are *non-essential*: a row holding only them cannot enter the top k (the split chosen to leave the fewest
 * postings essential, `partition`). The essential terms' postings are accumulated (a block whose maximum cannot
 * help is skipped); each row they hold is then completed with the non-essential terms, strongest first, and dropped as soon as its partial score plus the
 * remaining bounds cannot beat θ. A presence bitmap answers most of those lookups for common terms (postings.ts).
 *
 * Nothing that could reach the top k is ever dropped: every bound is ≥ the scores it stands for, and a row is
 * dropped only when its bound is below θ by a relative margin of `SLACK` (float sums in different orders differ
 * by ulps), so rows that tie θ are always scored and the heap keeps the lower ordinal of a tie. Scores of rows that
 * are kept are summed in the caller's term order (absent terms add an exact 0), the order the exhaustive scorer
 * uses: both give bit-identical results.
 */

/** Ordinals per window: small enough for tight bounds, large enough to amortise the per-window work. */
export const WINDOW = 2048;
/** A row is dropped only when its bound times this is ≤ θ (see the module comment). */
const SLACK = 1 + 1e-9;

/** Per-row length factors (bm25.lengthNorm) for body and title, indexed by ordinal. */
export interface RowNorms {
  body: Float64Array;
  title: Float64Array;
}

/** One result row: its score and the indexes of the query terms it holds. */
export interface ScoredRow {
  ordinal: number;
  score: number;
  terms: number[];
}

/** One query term: its posting list and `weight = query weight · idf`. */
export interface WeightedList {
  list: PostingList;
  weight: number;
}

/** Ordinals `from` (inclusive) to `to` (exclusive): a search restricted to them (one document's chunks). */
export interface OrdinalRange {
  from: number;
  to: number;
}

/** An allowed-ordinal mask (non-zero = allowed) and which windows hold any allowed row. */
export interface MaskSummary {
  mask: Uint8Array;
  windows: Uint8Array;
}

export function summarizeMask(mask: Uint8Array, ordinals: number): MaskSummary {
  const windows = new Uint8Array(Math.ceil(ordinals / WINDOW));
  const n = Math.min(mask.length, ordinals);
  for (let w = 0; w * WINDOW < n; w++) {
    const end = Math.min(n, (w + 1) * WINDOW);
    for (let d = w * WINDOW; d < end; d++) {
      if (mask[d] !== 0) {
        windows[w] = 1;
        break;
      }
    }
  }
  return { mask, windows };
}

/** A position in one posting list; moves forward only. Reads packed postings in place (postings.ts). */
class Cursor {
  /** The current block (blocks = exhausted). */
  block = 0;
  /** Position in the current block. */
  pos = 0;
  /** Postings in the current block. */
  count = 0;
  private loaded = -1;
  private first = 0;
  private docStart = 0;
  private bodyStart = 0;
  private titleStart = 0;
  private docWidth = 0;
  private bodyWidth = 0;
  private titleWidth = 0;
  private readonly payload: Uint8Array;

  constructor(
    readonly list: PostingList,
    readonly weight: number,
    private readonly norms: RowNorms,
  ) {
    this.payload = list.payload;
  }

  /** Makes `block` the current block (reading its header) and resets `pos` when it changes. */
  load(): void {
    const b = this.block;
    if (this.loaded === b) return;
    const { list } = this;
    const n = blockLength(list, b);
    this.count = n;
    this.first = list.firstDoc[b] as number;
    this.docWidth = list.widths[3 * b] as number;
    this.bodyWidth = list.widths[3 * b + 1] as number;
    this.titleWidth = list.widths[3 * b + 2] as number;
    this.docStart = list.offset[b] as number;
    this.bodyStart = this.docStart + ((n * this.docWidth + 7) >>> 3);
    this.titleStart = this.bodyStart + ((n * this.bodyWidth + 7) >>> 3);
    this.loaded = b;
    this.pos = 0;
  }

  get exhausted(): boolean {
    return this.block >= this.list.blocks;
  }

  /** First ordinal of the current block (or of the current position within it). */
  get blockStart(): number {
    return this.loaded === this.block ? this.doc(this.pos) : (this.list.firstDoc[this.block] as number);
  }

  /** Ordinal of posting `p` of the current block. */
  doc(p: number): number {
    return this.first + unpack(this.payload, this.docStart, this.docWidth, p);
  }

  /** This term's contribution (weight · fieldScore) to the row of posting `p` (ordinal `d`) of the block. */
  score(p: number, d: number): number {
    return (
      this.weight *
      fieldScore(
        unpack(this.payload, this.bodyStart, this.bodyWidth, p),
        this.norms.body[d] as number,
        unpack(this.payload, this.titleStart, this.titleWidth, p),
        this.norms.title[d] as number,
      )
    );
  }

  /** Repositions the cursor (forwards or backwards) at the start of the block that would hold `d`. */
  jumpTo(d: number): void {
    const { lastDoc, blocks } = this.list;
    let lo = 0;
    let hi = blocks;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((lastDoc[mid] as number) < d) lo = mid + 1;
      else hi = mid;
    }
    this.block = lo;
    this.loaded = -1;
    this.pos = 0;
  }

  /**
   * Positions the cursor on its first posting ≥ d (its block current); false when there is none. Skips whole
   * blocks by their last ordinal, then searches the block (galloping from the current position).
   */
  advanceTo(d: number): boolean {
    const { lastDoc, blocks } = this.list;
    while (this.block < blocks && (lastDoc[this.block] as number) < d) this.block++;
    if (this.block >= blocks) return false;
    this.load();
    let p = this.pos;
    if (this.doc(p) >= d) return true;
    // doc(p) < d ≤ lastDoc: the answer is in (p, count).
    let step = 1;
    let hi = p + 1;
    while (hi < this.count && this.doc(hi) < d) {
      p = hi;
      step *= 2;
      hi = Math.min(this.count - 1, p + step);
    }
    while (hi - p > 1) {
      const mid = (p + hi) >>> 1;
      if (this.doc(mid) < d) p = mid;
      else hi = mid;
    }
    this.pos = hi;
    return true;
  }

  /** Contribution to row `d` (0 when absent). `d` must not decrease between calls. */
  seek(d: number): number {
    const presence = this.list.presence;
    if (presence !== null && ((presence[d >>> 5] as number) & (1 << (d & 31))) === 0) return 0;
    if (!this.advanceTo(d)) return 0;
    return this.doc(this.pos) === d ? this.score(this.pos, d) : 0;
  }

  /** Moves to the start of the next block; false when there is none. */
  nextBlock(): boolean {
    this.block++;
    if (this.block >= this.list.blocks) return false;
    this.load();
    return true;
  }
}

/** Scratch arrays reused across queries (one search at a time per index). */
export class SearchScratch {
  readonly acc = new Float64Array(WINDOW);
  readonly seen = new Uint8Array(WINDOW);
  readonly touched = new Int32Array(WINDOW);
  private rows = new Float64Array(0);

  /** Per-essential-term contributions, WINDOW entries per term; all zero between uses. */
  contributions(terms: number): Float64Array {
    if (this.rows.length < terms * WINDOW) this.rows = new Float64Array(terms * WINDOW);
    return this.rows;
  }
}

/** The k best rows (score desc, ordinal asc) by block-max MaxScore; see the module comment. */
export function maxScoreTopK(
  terms: readonly WeightedList[],
  norms: RowNorms,
  ordinals: number,
  k: number,
  mask: MaskSummary | null,
  scratch: SearchScratch,
  range: OrdinalRange | null = null,
): ScoredRow[] {
  if (terms.length === 0 || k <= 0) return [];
  const from = Math.max(0, range?.from ?? 0);
  const to = Math.min(ordinals, range?.to ?? ordinals);
  if (from >= to) return [];
  return new MaxScoreRun(terms, norms, k, mask, scratch).run(ordinals, from, to);
}

/** Postings a term spares per unit of θ it uses up when non-essential (a term with no bound here spares all). */
function yieldOf(postings: Float64Array, bound: Float64Array, i: number): number {
  const b = bound[i] as number;
  return b === 0 ? Number.POSITIVE_INFINITY : (postings[i] as number) / b;
}

/** The first block of `list` whose last ordinal is ≥ d (list.blocks when none). */
function firstBlockFrom(list: PostingList, d: number): number {
  let lo = 0;
  let hi = list.blocks;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((list.lastDoc[mid] as number) < d) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** One search's state. */
class MaxScoreRun {
  private readonly T: number;
  private readonly cursors: Cursor[];
  private readonly heap: TopK;
  private readonly allowed: Uint8Array | null;
  /** Terms by ascending window bound, and the running sums of those bounds. */
  private readonly order: number[];
  private readonly bound: Float64Array;
  private readonly prefix: Float64Array;
  /** Each term's postings in the current window, and which terms the greedy split makes non-essential. */
  private readonly postings: Float64Array;
  private readonly chosen: Uint8Array;
  /** Essential terms' row in `contrib` (−1: the term's contribution is in `extra`). */
  private readonly row: Int32Array;
  private readonly extra: Float64Array;
  private readonly contrib: Float64Array;
  /** Non-essential terms in this window: order[0..m). */
  private m = 0;
  private theta = 0;
  /** The terms each row offered to the heap holds (for KeywordHit.matchedTerms). */
  private readonly matched = new Map<number, number[]>();

  constructor(
    terms: readonly WeightedList[],
    norms: RowNorms,
    k: number,
    private readonly mask: MaskSummary | null,
    private readonly scratch: SearchScratch,
  ) {
    this.T = terms.length;
    this.cursors = terms.map((t) => new Cursor(t.list, t.weight, norms));
    this.heap = new TopK(k);
    this.allowed = mask?.mask ?? null;
    this.order = Array.from({ length: this.T }, (_, i) => i);
    this.bound = new Float64Array(this.T);
    this.prefix = new Float64Array(this.T + 1);
    this.postings = new Float64Array(this.T);
    this.chosen = new Uint8Array(this.T);
    this.row = new Int32Array(this.T);
    this.extra = new Float64Array(this.T);
    this.contrib = scratch.contributions(this.T);
  }

  /** The top k among ordinals [from, to) (the whole index: 0, ordinals). */
  run(ordinals: number, from: number, to: number): ScoredRow[] {
    const { T, cursors, order, bound } = this;
    const windows = Math.ceil(ordinals / WINDOW);
    const firstWindow = Math.floor(from / WINDOW);
    const lastWindow = Math.floor((to - 1) / WINDOW);
    // Every term's bound in every window of the range (weight · the largest block maximum overlapping it), from
    // the block headers alone, and each window's total.
    const table = new Float64Array(T * windows);
    // Postings each term has in each window (a block's spread evenly over the windows it overlaps): what making
    // the term essential there costs.
    const postings = new Float64Array(T * windows);
    const total = new Float64Array(windows);
    for (let i = 0; i < T; i++) {
      const { list, weight } = cursors[i] as Cursor;
      const base = i * windows;
      for (let b = from > 0 ? firstBlockFrom(list, from) : 0; b < list.blocks; b++) {
        if ((list.firstDoc[b] as number) >= to) break;
        const m = weight * (list.blockMax[b] as number);
        const first = Math.max(firstWindow, Math.floor((list.firstDoc[b] as number) / WINDOW));
        const last = Math.min(lastWindow, Math.floor((list.lastDoc[b] as number) / WINDOW));
        const share = blockLength(list, b) / (last - first + 1);
        for (let w = first; w <= last; w++) {
          if (m > (table[base + w] as number)) table[base + w] = m;
          postings[base + w] = (postings[base + w] as number) + share;
        }
      }
      for (let w = firstWindow; w <= lastWindow; w++)
        total[w] = (total[w] as number) + (table[base + w] as number);
    }
    // Windows with the most to offer first: θ rises fast, and once a window's total cannot beat it, neither can
    // any after it (Mackenzie, Petri & Moffat, "Anytime ranking on document-ordered indexes", 2022).
    const visit: number[] = [];
    for (let w = firstWindow; w <= lastWindow; w++) {
      if ((total[w] as number) > 0 && (!this.mask || this.mask.windows[w] === 1)) visit.push(w);
    }
    visit.sort((x, y) => (total[y] as number) - (total[x] as number) || x - y);
    for (const w of visit) {
      if ((total[w] as number) * SLACK <= this.theta) break;
      // Rows at lo + x for x in [0, WINDOW): lo is the window's start, rows before `from` are skipped.
      const lo = w * WINDOW;
      const start = Math.max(lo, from);
      const hi = Math.min(ordinals, lo + WINDOW, to);
      for (let i = 0; i < T; i++) {
        bound[i] = table[i * windows + w] as number;
        this.postings[i] = postings[i * windows + w] as number;
      }
      const m = this.partition();
      if (m === T) continue;
      this.m = m;
      for (const c of cursors) c.jumpTo(start);
      for (let j = 0; j < T; j++) this.row[order[j] as number] = -1;
      if (m === T - 1) this.single(order[m] as number, start, hi);
      else this.several(lo, start, hi);
    }
    return this.heap
      .sortedDescending()
      .map(({ label, score }) => ({ ordinal: label, score, terms: this.matched.get(label) ?? [] }));
  }

  /**
   * Splits the terms into non-essential ones, order[0..m) by ascending bound, and essential ones, order[m..T),
   * and fills `prefix` for that order; returns m. Non-essential terms are any whose bounds together cannot beat
   * θ: a row holding none of the essential terms cannot enter the top k. Classic MaxScore takes the weakest
   * terms; when a common word has a high bound (short rows) and a rare one a lower bound, that leaves the common
   * word essential and every row holding it a candidate ("均实现倍增": 实现's postings in every window). So the
   * split that leaves the fewest postings essential is taken instead, between the classic one and a greedy fill
   * by postings per unit of bound (a knapsack of capacity θ; either answer is safe, only the work differs).
   */
  private partition(): number {
    const { T, order, bound, prefix, postings, theta } = this;
    order.sort((a, b) => (bound[a] as number) - (bound[b] as number));
    this.fillPrefix();
    let m = 0;
    while (m < T && (prefix[m + 1] as number) * SLACK <= theta) m++;
    if (m === T || theta === 0) return m;
    let classic = 0;
    for (let j = 0; j < m; j++) classic += postings[order[j] as number] as number;
    const chosen = this.chosen;
    chosen.fill(0);
    const byYield = order.slice().sort((a, b) => yieldOf(postings, bound, b) - yieldOf(postings, bound, a));
    let room = theta / SLACK;
    let greedy = 0;
    let n = 0;
    for (const i of byYield) {
      const b = bound[i] as number;
      if (b > room) continue;
      chosen[i] = 1;
      room -= b;
      greedy += postings[i] as number;
      n++;
    }
    if (greedy <= classic) return m;
    const classicOrder = order.slice();
    // Chosen terms first, each part still by ascending bound (a stable partition of the sorted order).
    let at = 0;
    for (const i of classicOrder) if (chosen[i] === 1) order[at++] = i;
    for (const i of classicOrder) if (chosen[i] === 0) order[at++] = i;
    this.fillPrefix();
    if ((prefix[n] as number) * SLACK <= theta) return n;
    // The greedy room was spent in another summation order: keep the classic split.
    for (let j = 0; j < T; j++) order[j] = classicOrder[j] as number;
    this.fillPrefix();
    return m;
  }

  private fillPrefix(): void {
    const { T, order, bound, prefix } = this;
    for (let j = 0; j < T; j++) prefix[j + 1] = (prefix[j] as number) + (bound[order[j] as number] as number);
  }

  /** One essential term: its postings in the window are the candidates, already in order. */
  private single(i: number, lo: number, hi: number): void {
    const c = this.cursors[i] as Cursor;
    const allowed = this.allowed;
    const others = this.prefix[this.m] as number;
    if (!c.advanceTo(lo)) return;
    for (;;) {
      if (this.skipBlock(c, others, hi)) {
        if (c.exhausted || c.blockStart >= hi) return;
        continue;
      }
      for (let p = c.pos; p < c.count; p++) {
        const d = c.doc(p);
        if (d >= hi) {
          c.pos = p;
          return;
        }
        if (allowed !== null && !allowed[d]) continue;
        const s = c.score(p, d);
        this.extra[i] = s;
        this.consider(d, 0, s);
      }
      if (!c.nextBlock()) return;
    }
  }

  /**
   * Skips the cursor's current block (or its part inside the window) when even its maximum plus `others` (the
   * other terms' bounds) cannot beat θ; true when it did.
   */
  private skipBlock(c: Cursor, others: number, hi: number): boolean {
    if ((c.weight * (c.list.blockMax[c.block] as number) + others) * SLACK > this.theta) return false;
    if ((c.list.lastDoc[c.block] as number) >= hi) c.advanceTo(hi);
    else c.nextBlock();
    return true;
  }

  /**
   * Several essential terms: their postings in [start, hi) are accumulated per row of the window starting at
   * `lo`, then considered in order.
   */
  private several(lo: number, start: number, hi: number): void {
    const { T, m, order, row, contrib, allowed } = this;
    const { acc, seen, touched } = this.scratch;
    let count = 0;
    for (let j = m; j < T; j++) {
      const i = order[j] as number;
      const r = j - m;
      row[i] = r;
      const c = this.cursors[i] as Cursor;
      if (!c.advanceTo(start)) continue;
      const base = r * WINDOW;
      const others = (this.prefix[T] as number) - (this.bound[i] as number);
      block: for (;;) {
        if (this.skipBlock(c, others, hi)) {
          if (c.exhausted || c.blockStart >= hi) break;
          continue;
        }
        for (let p = c.pos; p < c.count; p++) {
          const d = c.doc(p);
          if (d >= hi) {
            c.pos = p;
            break block;
          }
          if (allowed !== null && !allowed[d]) continue;
          const x = d - lo;
          if (seen[x] === 0) {
            seen[x] = 1;
            touched[count++] = x;
          }
          const s = c.score(p, d);
          acc[x] = (acc[x] as number) + s;
          contrib[base + x] = s;
        }
        if (!c.nextBlock()) break;
      }
    }
    // The non-essential cursors only move forward: rows in ascending order, by a scan of the window when many
    // were touched, else by sorting them.
    if (count * 8 > WINDOW) {
      for (let x = 0, n = 0; n < count; x++) if (seen[x] === 1) touched[n++] = x;
    } else {
      touched.subarray(0, count).sort();
    }
    for (let t = 0; t < count; t++) {
      const x = touched[t] as number;
      const partial = acc[x] as number;
      acc[x] = 0;
      seen[x] = 0;
      this.consider(lo + x, x, partial);
      for (let r = 0; r < T - m; r++) contrib[r * WINDOW + x] = 0;
    }
  }

  /**
   * Row `d` (at `x` in the window's `contrib`) whose essential terms add up to `partial`: completed with the
   * non-essential terms, strongest first, while it can still beat θ; kept if it does.
   */
  private consider(d: number, x: number, partial: number): void {
    const { order, prefix, extra, theta } = this;
    let sum = partial;
    if ((sum + (prefix[this.m] as number)) * SLACK <= theta) return;
    for (let j = this.m - 1; j >= 0; j--) {
      const i = order[j] as number;
      const s = (this.cursors[i] as Cursor).seek(d);
      extra[i] = s;
      sum += s;
      if ((sum + (prefix[j] as number)) * SLACK <= theta) return;
    }
    // In the terms' own order, as the exhaustive scorer adds them (absent terms add an exact 0).
    let score = 0;
    const held: number[] = [];
    for (let i = 0; i < this.T; i++) {
      const r = this.row[i] as number;
      const s = r >= 0 ? (this.contrib[r * WINDOW + x] as number) : (extra[i] as number);
      score += s;
      if (s > 0) held.push(i);
    }
    const heap = this.heap;
    // Windows come in any order, so a row tying θ may have a lower ordinal than the worst kept: offer it too.
    if (!heap.full || score >= theta) {
      heap.offer(d, score);
      this.matched.set(d, held);
      if (heap.full) this.theta = heap.worst;
    }
  }
}

/**
 * The reference: every posting of every term accumulated term-at-a-time in the given term order, then the k best
 * rows. Used by tests and benchmarks to check `maxScoreTopK`, and by `search({ exhaustive: true })`.
 */
export function exhaustiveTopK(
  terms: readonly WeightedList[],
  norms: RowNorms,
  ordinals: number,
  k: number,
  mask: Uint8Array | null,
  range: OrdinalRange | null = null,
): ScoredRow[] {
  const acc = new Float64Array(ordinals);
  const from = range?.from ?? 0;
  const to = range?.to ?? ordinals;
  for (const t of terms) {
    const c = new Cursor(t.list, t.weight, norms);
    if (!c.advanceTo(0)) continue;
    do {
      for (let p = 0; p < c.count; p++) {
        const d = c.doc(p);
        if ((mask === null || mask[d]) && d >= from && d < to) acc[d] = (acc[d] as number) + c.score(p, d);
      }
    } while (c.nextBlock());
  }
  const heap = new TopK(k);
  for (let d = 0; d < ordinals; d++) {
    const s = acc[d] as number;
    if (s > 0) heap.offer(d, s);
  }
  const top = heap.sortedDescending();
  // Which terms each kept row holds: looked up afresh, in ascending ordinal order.
  const cursors = terms.map((t) => new Cursor(t.list, t.weight, norms));
  const held = new Map<number, number[]>();
  for (const d of top.map((h) => h.label).sort((a, b) => a - b)) {
    held.set(
      d,
      cursors.flatMap((c, i) => (c.seek(d) > 0 ? [i] : [])),
    );
  }
  return top.map(({ label, score }) => ({ ordinal: label, score, terms: held.get(label) ?? [] }));
}
