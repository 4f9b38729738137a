import { DOTS_WASM_BASE64 } from './dots-wasm.js';

/**
 * Dot products of a query with rows of float32 vectors, in WebAssembly with 128-bit SIMD (dots.wat): exact
 * vector search scans every allowed row, and in plain JavaScript that loop was most of a filtered search (96k
 * rows × 384 dimensions: 36 ms in JavaScript, 8 ms here). The rows live in the kernel's own memory — read from
 * the file straight into it, or held there when resident — so nothing is copied to compute. The additions are
 * in f64 in a fixed order (see dots.wat), so a score is the same number as the JavaScript loop this replaced gave
 * and does not depend on how the rows were batched.
 */

/**
 * The part of the WebAssembly API used here. Its types ship with TypeScript's DOM library only, which the build
 * does not include (Node has the API all the same).
 */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number; maximum: number }) => WasmMemory;
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
const MODULE = new wasm.Module(Buffer.from(DOTS_WASM_BASE64, 'base64'));
const PAGE = 65_536;
/** wasm32 addresses 4 GiB; rows beyond what fits stay on disk (vector-rows.ts). */
export const KERNEL_MAX_BYTES = 65_536 * PAGE - 16 * PAGE;
/** Rows scored per call: the output area holds this many f64. */
export const DOTS_BATCH = 4096;

/** Both kernels of dots.wat: `n` rows from byte offset `rows` against the query at `query`, results at `out`. */
export type DotsExport = (query: number, rows: number, n: number, dim: number, out: number) => void;

export class DotKernel {
  private readonly memory: WasmMemory;
  private readonly dotsFn: DotsExport;
  private readonly queryAt = 0;
  private readonly outAt: number;
  /** Byte offset of the rows area. */
  private readonly rowsAt: number;

  /** A kernel for `dimension`-d vectors with room for `rowCapacity` rows. */
  constructor(
    readonly dimension: number,
    readonly rowCapacity: number,
  ) {
    const queryBytes = align16(4 * dimension);
    this.outAt = queryBytes;
    this.rowsAt = this.outAt + 8 * DOTS_BATCH;
    const bytes = this.rowsAt + 4 * dimension * rowCapacity;
    const { memory, exports } = instantiateDots(bytes);
    this.memory = memory;
    this.dotsFn = exports.dots as DotsExport;
  }

  /** The rows area as bytes (little-endian float32 rows, as in the `.f32` file), for reads into it. */
  rowBytes(first = 0, count = this.rowCapacity): Uint8Array {
    const row = 4 * this.dimension;
    return new Uint8Array(this.memory.buffer, this.rowsAt + first * row, count * row);
  }

  /** Sets the query the next `score` calls use. */
  setQuery(query: Float32Array): void {
    const view = new DataView(this.memory.buffer, this.queryAt, 4 * this.dimension);
    for (let d = 0; d < this.dimension; d++) view.setFloat32(4 * d, query[d] as number, true);
  }

  /**
   * The dot products of the query with rows [first, first + count) of the rows area (count ≤ DOTS_BATCH); a view
   * valid until the next call.
   */
  score(first: number, count: number): Float64Array {
    if (count > DOTS_BATCH || first < 0 || first + count > this.rowCapacity) {
      throw new RangeError(`rows ${first}+${count} outside the kernel's ${this.rowCapacity}`);
    }
    this.dotsFn(this.queryAt, this.rowsAt + first * 4 * this.dimension, count, this.dimension, this.outAt);
    return new Float64Array(this.memory.buffer, this.outAt, count);
  }
}

/** An instance of dots.wat with a memory of at least `bytes` (its own: instances share no memory). */
export function instantiateDots(bytes: number): { memory: WasmMemory; exports: Record<string, unknown> } {
  if (bytes > KERNEL_MAX_BYTES) throw new RangeError(`${bytes} bytes do not fit a WebAssembly memory`);
  const pages = Math.max(1, Math.ceil(bytes / PAGE));
  const memory = new wasm.Memory({ initial: pages, maximum: pages });
  return { memory, exports: new wasm.Instance(MODULE, { env: { memory } }).exports };
}

export function align16(n: number): number {
  return Math.ceil(n / 16) * 16;
}
