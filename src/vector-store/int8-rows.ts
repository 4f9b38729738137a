import {
  align16,
  DOTS_BATCH,
  type DotsExport,
  instantiateDots,
  KERNEL_MAX_BYTES,
  type WasmMemory,
} from './dots.js';
import type { VectorRows } from './vector-rows.js';

/**
 * A resident int8 copy of vectors that stay on disk, for exact search without reading them (vector-rows.ts): a
 * filtered exact search at a million vectors read every allowed row from the file — a quarter of them, 384 MB, was
 * ~140 ms a search, nearly all of it the read. Here each row is int8 codes with one scale, c = round(v / s),
 * s = max|v| / 127 (a quarter of the float32 bytes), plus the norm of what the rounding lost, r = ‖v − s·c‖.
 * The copy gives each row's dot product with a query to within a bound that holds for every row (Cauchy–Schwarz:
 * |q·v − q·ŝc| ≤ ‖q‖·r), so a search keeps exactly the rows that can still reach the top k and scores those, and
 * only those, from the file (HnswVectorStore): the same hits and scores as scoring every row, for a few hundred
 * reads. Measured on the 1M synthetic vectors with filters of a quarter of them: ~200 rows re-scored a search.
 */

/** Rows quantised per step of `build` before it yields to the event loop (~6 MB of float32 read a step). */
const BUILD_STEP = 4096;
/** Added to every bound: covers float rounding of the stored norms and of the scores compared against them. */
const SLACK = 1e-6;
/** The int16 query's largest magnitude (the int16 range). */
const QUERY_MAX = 32_767;

export class Int8Rows {
  private readonly memory: WasmMemory;
  private readonly dotsFn: DotsExport;
  private readonly queryAt = 0;
  private readonly outAt: number;
  private readonly rowsAt: number;
  /** Per row: the scale of its codes, and the norm of its rounding error (rounded up). */
  private readonly scale: Float32Array;
  private readonly residual: Float32Array;
  private estimates = new Float64Array(0);
  private radii = new Float64Array(0);

  private constructor(
    readonly dimension: number,
    readonly count: number,
  ) {
    this.outAt = align16(2 * dimension);
    this.rowsAt = this.outAt + 4 * DOTS_BATCH;
    const { memory, exports } = instantiateDots(this.rowsAt + dimension * count);
    this.memory = memory;
    this.dotsFn = exports.dots_i8 as DotsExport;
    this.scale = new Float32Array(count);
    this.residual = new Float32Array(count);
  }

  /** Whether a copy of `count` rows fits one WebAssembly memory (4 GiB: ten million 384-d rows). */
  static fits(dimension: number, count: number): boolean {
    return align16(2 * dimension) + 4 * DOTS_BATCH + dimension * count <= KERNEL_MAX_BYTES;
  }

  /**
   * Quantises every row of `rows`, a step at a time between turns of the event loop, so a server answers
   * meanwhile (a million 384-d rows: 5.6–8.9 s in the bench, most of it reading the 1.5 GB file; 245 steps of
   * ~25–35 ms). Resolves to null when `stopped()` turns true first (the store was closed).
   */
  static async build(rows: VectorRows, stopped: () => boolean): Promise<Int8Rows | null> {
    const out = new Int8Rows(rows.dimension, rows.count);
    const dim = rows.dimension;
    const codes = new Int8Array(out.memory.buffer, out.rowsAt, dim * rows.count);
    for (let first = 0; first < rows.count; first += BUILD_STEP) {
      await new Promise((resolve) => setImmediate(resolve));
      if (stopped()) return null;
      const n = Math.min(BUILD_STEP, rows.count - first);
      const labels = Int32Array.from({ length: n }, (_, i) => first + i);
      rows.forEach(labels, (row, data, offset) => {
        out.quantise(row, data, offset, codes.subarray(row * dim, (row + 1) * dim));
      });
    }
    return out;
  }

  /**
   * For each row `slots[i]` (ascending), or every row when null, the estimate of its dot product with unit `query`
   * and a radius: the true dot product lies in [estimate[i] − radius[i], estimate[i] + radius[i]]. The arrays
   * are valid until the next call.
   */
  bounds(query: Float32Array, slots: Int32Array | null): { estimate: Float64Array; radius: Float64Array } {
    const dim = this.dimension;
    // The query as int16 with one scale; its rounding error enters every bound (‖q − q̂‖·‖ŝc‖ ≤ e·(1 + r)).
    let max = 0;
    for (let d = 0; d < dim; d++) max = Math.max(max, Math.abs(query[d] as number));
    // 127 × |q̂| × dim must stay below 2^31 for the kernel's integer sums.
    const top = Math.min(QUERY_MAX, Math.floor((2 ** 31 - 1) / (127 * dim)));
    const t = max > 0 ? max / top : 0;
    const q16 = new Int16Array(this.memory.buffer, this.queryAt, dim);
    let lost = 0;
    for (let d = 0; d < dim; d++) {
      const v = query[d] as number;
      const e = t > 0 ? Math.max(-top, Math.min(top, Math.round(v / t))) : 0;
      q16[d] = e;
      lost += (v - t * e) ** 2;
    }
    const queryError = Math.sqrt(lost) * (1 + 1e-9) + SLACK;
    const out = new Int32Array(this.memory.buffer, this.outAt, DOTS_BATCH);
    const n = slots ? slots.length : this.count;
    if (this.estimates.length < n) {
      // Kept between searches: two fresh 8 MB arrays a search at a million rows were ~9 ms of page faults.
      this.estimates = new Float64Array(n);
      this.radii = new Float64Array(n);
    }
    const estimate = this.estimates.subarray(0, n);
    const radius = this.radii.subarray(0, n);
    const { scale, residual } = this;
    for (let i = 0; i < n; ) {
      // A run of consecutive rows is scored in one call.
      const first = slots ? (slots[i] as number) : i;
      let j = i + 1;
      if (slots) while (j < n && j - i < DOTS_BATCH && slots[j] === first + (j - i)) j++;
      else j = Math.min(n, i + DOTS_BATCH);
      this.dotsFn(this.queryAt, this.rowsAt + first * dim, j - i, dim, this.outAt);
      fill(out, scale, residual, first, j - i, t, queryError, estimate, radius, i);
      i = j;
    }
    return { estimate, radius };
  }

  private quantise(row: number, data: Float32Array, offset: number, into: Int8Array): void {
    const dim = this.dimension;
    let max = 0;
    for (let d = 0; d < dim; d++) max = Math.max(max, Math.abs(data[offset + d] as number));
    // The scale as stored (float32), so that the error below is measured against the scale the estimates use.
    const s = Math.fround(max / 127);
    const inverse = s > 0 ? 1 / s : 0;
    let lost = 0;
    for (let d = 0; d < dim; d++) {
      const v = data[offset + d] as number;
      const c = Math.max(-127, Math.min(127, Math.round(v * inverse)));
      into[d] = c;
      lost += (v - s * c) ** 2;
    }
    this.scale[row] = s;
    // Rounded up into float32, so the stored norm is never below the true one.
    const norm = Math.sqrt(lost) * (1 + 1e-6);
    this.residual[row] = Math.fround(norm) < norm ? Math.fround(norm * (1 + 1e-6)) : Math.fround(norm);
  }
}

/** estimate and radius of `count` rows from `first`, at positions `at`… (a loop of its own, kept monomorphic). */
function fill(
  dots: Int32Array,
  scale: Float32Array,
  residual: Float32Array,
  first: number,
  count: number,
  t: number,
  queryError: number,
  estimate: Float64Array,
  radius: Float64Array,
  at: number,
): void {
  for (let x = 0; x < count; x++) {
    const r = residual[first + x] as number;
    estimate[at + x] = t * (scale[first + x] as number) * (dots[x] as number);
    radius[at + x] = r + queryError * (1 + r) + SLACK;
  }
}
