import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { ErrorCode, IndexError } from '../errors/index.js';
import { DOTS_BATCH, DotKernel, KERNEL_MAX_BYTES } from './dots.js';

/**
 * The store's unit vectors (the `.f32` file: little-endian float32, row-major), used for exact search and for the
 * cosine of fusion candidates the graph search did not return.
 *
 * Up to `RESIDENT_MAX_BYTES` they are read into memory; a larger file stays on disk and is read on demand
 * (`pread`, so the kernel's page cache does the caching and the pages are not the process's own memory). hnswlib
 * keeps its own copy of every vector inside the graph, so holding a second copy resident would double the largest
 * part of the index: 1.5 GB more at 1M × 384.
 *
 * Either way the rows are in the memory of a `DotKernel` (dots.ts), which scores them: resident rows are read
 * into it once, rows on disk are read into its scan area a run at a time.
 */
export const RESIDENT_MAX_BYTES = 256 * 1024 * 1024;
/** Vectors read (and scored) per call when scanning. */
const SCAN_VECTORS = DOTS_BATCH;
/** Labels this close together are read in one call, with the rows between them. */
const SCAN_GAP = 16;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Float32 values from little-endian bytes (a view when the platform and the alignment allow it). */
export function fromLittleEndian(bytes: Uint8Array): Float32Array {
  const count = bytes.byteLength / 4;
  if (LITTLE_ENDIAN && bytes.byteOffset % 4 === 0)
    return new Float32Array(bytes.buffer, bytes.byteOffset, count);
  if (LITTLE_ENDIAN) return new Float32Array(new Uint8Array(bytes).buffer, 0, count);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

export function toLittleEndian(values: Float32Array): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const out = new DataView(new ArrayBuffer(values.byteLength));
  values.forEach((v, i) => {
    out.setFloat32(i * 4, v, true);
  });
  return new Uint8Array(out.buffer);
}

export class VectorRows {
  readonly count: number;
  private closed = false;

  private constructor(
    readonly dimension: number,
    /** Every row (resident), or a scan area of SCAN_VECTORS rows (on disk). */
    private readonly kernel: DotKernel,
    private readonly fd: number | null,
    count: number,
  ) {
    this.count = count;
  }

  /** Vectors held in memory (already unit length). */
  static inMemory(vectors: Float32Array, dimension: number): VectorRows {
    const count = vectors.length / dimension;
    const kernel = new DotKernel(dimension, Math.max(1, count));
    kernel.rowBytes(0, count).set(toLittleEndian(vectors));
    return new VectorRows(dimension, kernel, null, count);
  }

  /**
   * Opens a `.f32` file: read into memory when at most `residentMaxBytes`, otherwise kept open for reads on
   * demand.
   * @throws IndexError(IndexMismatch) when its size is not a whole number of `dimension`-d vectors.
   */
  static open(file: string, dimension: number, residentMaxBytes = RESIDENT_MAX_BYTES): VectorRows {
    const fd = openSync(file, 'r');
    let keepOpen = false;
    try {
      const size = fstatSync(fd).size;
      if (size % (4 * dimension) !== 0) {
        throw new IndexError(
          ErrorCode.IndexMismatch,
          `${file} holds ${size} bytes, not a whole number of ${dimension}-d float32 vectors`,
        );
      }
      const count = size / (4 * dimension);
      // What does not fit a WebAssembly memory stays on disk whatever the caller allows.
      if (size <= Math.min(residentMaxBytes, KERNEL_MAX_BYTES - (1 << 20))) {
        const kernel = new DotKernel(dimension, Math.max(1, count));
        readAt(fd, kernel.rowBytes(0, count), 0);
        return new VectorRows(dimension, kernel, null, count);
      }
      keepOpen = true;
      return new VectorRows(dimension, new DotKernel(dimension, SCAN_VECTORS), fd, count);
    } finally {
      if (!keepOpen) closeSync(fd);
    }
  }

  get onDisk(): boolean {
    return this.fd !== null;
  }

  /** The unit vector of `label`: a view of resident memory, or a fresh copy read from disk. */
  vector(label: number): Float32Array {
    if (this.fd === null) return fromLittleEndian(this.kernel.rowBytes(label, 1));
    const bytes = new Uint8Array(4 * this.dimension);
    readAt(this.fd, bytes, label * 4 * this.dimension);
    return fromLittleEndian(bytes);
  }

  /**
   * Calls `visit(label, data, offset)` for every label in `labels` (ascending), or for all when null; the unit
   * vector is data[offset .. offset + dimension). `data` is only valid during the call.
   */
  forEach(
    labels: Int32Array | null,
    visit: (label: number, data: Float32Array, offset: number) => void,
  ): void {
    const dim = this.dimension;
    this.eachRun(labels, (first, span, labelAt, from, to) => {
      const data = fromLittleEndian(this.kernel.rowBytes(this.rowOf(first), span));
      for (let q = from; q < to; q++) {
        const label = labelAt(q);
        visit(label, data, (label - first) * dim);
      }
    });
  }

  /**
   * Calls `visit(q, label, score)` with the dot product of `queries[q]` and the row of every label in `labels`
   * (ascending), or of all when null: the exact search's and fusion's scores (dots.ts). One pass over the rows
   * serves every query.
   */
  scores(
    queries: readonly Float32Array[],
    labels: Int32Array | null,
    visit: (q: number, label: number, score: number) => void,
  ): void {
    const single = queries.length === 1;
    if (single) this.kernel.setQuery(queries[0] as Float32Array);
    this.eachRun(labels, (first, span, labelAt, from, to) => {
      for (let q = 0; q < queries.length; q++) {
        if (!single) this.kernel.setQuery(queries[q] as Float32Array);
        const out = this.kernel.score(this.rowOf(first), span);
        for (let i = from; i < to; i++) {
          const label = labelAt(i);
          visit(q, label, out[label - first] as number);
        }
      }
    });
  }

  close(): void {
    if (this.fd !== null && !this.closed) closeSync(this.fd);
    this.closed = true;
  }

  /** Where row `first` of a run sits in the kernel: its own place when resident, the scan area's start otherwise. */
  private rowOf(first: number): number {
    return this.fd === null ? first : 0;
  }

  /**
   * Splits `labels` (or all rows) into runs of close labels spanning at most SCAN_VECTORS rows — each one read
   * from disk in one call — and calls `run` with the run's first row, its span, and the positions [from, to) of
   * its labels.
   */
  private eachRun(
    labels: Int32Array | null,
    run: (first: number, span: number, labelAt: (i: number) => number, from: number, to: number) => void,
  ): void {
    const n = labels ? labels.length : this.count;
    const labelAt = labels ? (i: number) => labels[i] as number : (i: number) => i;
    for (let i = 0; i < n; ) {
      const first = labelAt(i);
      let j = i + 1;
      while (j < n && labelAt(j) - first < SCAN_VECTORS && labelAt(j) - labelAt(j - 1) <= SCAN_GAP) j++;
      const span = labelAt(j - 1) - first + 1;
      if (this.fd !== null) readAt(this.fd, this.kernel.rowBytes(0, span), first * 4 * this.dimension);
      run(first, span, labelAt, i, j);
      i = j;
    }
  }
}

function readAt(fd: number, into: Uint8Array, position: number): void {
  let done = 0;
  while (done < into.byteLength) {
    const n = readSync(fd, into, done, into.byteLength - done, position + done);
    if (n === 0) throw new IndexError(ErrorCode.IndexCorrupt, 'vector file is shorter than expected');
    done += n;
  }
}
