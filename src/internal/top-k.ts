/** One (label, score) pair. */
export interface Scored {
  label: number;
  score: number;
}

/**
 * Keeps the k best (label, score) pairs offered; among equal scores the lower label wins, so results are
 * stable whatever order the pairs come in. A bounded min-heap: the root is the worst pair kept.
 */
export class TopK {
  private readonly labels: Int32Array;
  private readonly scores: Float64Array;
  private count = 0;

  constructor(private readonly k: number) {
    this.labels = new Int32Array(Math.max(0, k));
    this.scores = new Float64Array(Math.max(0, k));
  }

  get size(): number {
    return this.count;
  }

  /** True once k pairs are kept: from then on a pair must beat `worst` to get in. */
  get full(): boolean {
    return this.count >= this.k;
  }

  /** Score of the worst pair kept (−Infinity while not full). */
  get worst(): number {
    return this.full && this.k > 0 ? (this.scores[0] as number) : Number.NEGATIVE_INFINITY;
  }

  offer(label: number, score: number): void {
    if (this.k <= 0) return;
    if (this.count < this.k) {
      this.labels[this.count] = label;
      this.scores[this.count] = score;
      this.siftUp(this.count++);
    } else if (
      score > (this.scores[0] as number) ||
      (score === this.scores[0] && label < (this.labels[0] as number))
    ) {
      this.labels[0] = label;
      this.scores[0] = score;
      this.siftDown(0);
    }
  }

  /** The pairs kept, best first (ties: lower label first). */
  sortedDescending(): Scored[] {
    const out: Scored[] = [];
    for (let i = 0; i < this.count; i++) {
      out.push({ label: this.labels[i] as number, score: this.scores[i] as number });
    }
    return out.sort((a, b) => b.score - a.score || a.label - b.label);
  }

  /** Heap order: the lower score is "less"; among equal scores the higher label, so it is evicted first. */
  private less(i: number, j: number): boolean {
    const si = this.scores[i] as number;
    const sj = this.scores[j] as number;
    return si < sj || (si === sj && (this.labels[i] as number) > (this.labels[j] as number));
  }

  private swap(i: number, j: number): void {
    const l = this.labels[i] as number;
    this.labels[i] = this.labels[j] as number;
    this.labels[j] = l;
    const s = this.scores[i] as number;
    this.scores[i] = this.scores[j] as number;
    this.scores[j] = s;
  }

  private siftUp(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  private siftDown(i: number): void {
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < this.count && this.less(left, smallest)) smallest = left;
      if (right < this.count && this.less(right, smallest)) smallest = right;
      if (smallest === i) return;
      this.swap(i, smallest);
      i = smallest;
    }
  }
}
