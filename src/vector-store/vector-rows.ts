import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { ErrorCode, IndexError } from '../errors/index.js';

/**
 * The store's unit vectors (the `.f32` file: little-endian float32, row-major), used for exact search and for the
 * cosine of fusion candidates the graph search did not return.
 *
 * Up to `RESIDENT_MAX_BYTES` they are read into memory; a larger file stays on disk and is read on demand
 * (`pread`, so the kernel's page cache does the caching and the pages are not the process's own memory). hnswlib
 * keeps its own copy of every vector inside the graph, so holding a second copy resident would double the largest
 * part of the index: 1.5 GB more at 1M × 384.
 */
export const RESIDENT_MAX_BYTES = 256 * 1024 * 1024;
/** Vectors read per call when scanning a file. */
const SCAN_VECTORS = 4096;
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
  private readonly resident: Float32Array | null;
  private readonly fd: number | null;
  private scratch: Uint8Array | null = null;
  private closed = false;

  private constructor(
    readonly dimension: number,
    resident: Float32Array | null,
    fd: number | null,
    count: number,
  ) {
    this.resident = resident;
    this.fd = fd;
    this.count = count;
  }

  /** Vectors held in memory (already unit length). */
  static inMemory(vectors: Float32Array, dimension: number): VectorRows {
    return new VectorRows(dimension, vectors, null, vectors.length / dimension);
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
      if (size <= residentMaxBytes)
        return new VectorRows(dimension, fromLittleEndian(readFileSync(fd)), null, count);
      keepOpen = true;
      return new VectorRows(dimension, null, fd, count);
    } finally {
      if (!keepOpen) closeSync(fd);
    }
  }

  get onDisk(): boolean {
    return this.fd !== null;
  }

  /** The unit vector of `label`: a view of resident memory, or a fresh copy read from disk. */
  vector(label: number): Float32Array {
    const dim = this.dimension;
    if (this.resident) return this.resident.subarray(label * dim, (label + 1) * dim);
    const bytes = new Uint8Array(4 * dim);
    this.read(bytes, label * 4 * dim);
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
    const n = labels ? labels.length : this.count;
    const labelAt = (i: number) => (labels ? (labels[i] as number) : i);
    if (this.resident) {
      for (let i = 0; i < n; i++) {
        const label = labelAt(i);
        visit(label, this.resident, label * dim);
      }
      return;
    }
    this.scratch ??= new Uint8Array(SCAN_VECTORS * 4 * dim);
    for (let i = 0; i < n; ) {
      // One read covers a run of labels that are close together.
      const first = labelAt(i);
      let j = i + 1;
      while (j < n && labelAt(j) - first < SCAN_VECTORS && labelAt(j) - labelAt(j - 1) <= SCAN_GAP) j++;
      const span = labelAt(j - 1) - first + 1;
      const bytes = this.scratch.subarray(0, span * 4 * dim);
      this.read(bytes, first * 4 * dim);
      const data = fromLittleEndian(bytes);
      for (let q = i; q < j; q++) {
        const label = labelAt(q);
        visit(label, data, (label - first) * dim);
      }
      i = j;
    }
  }

  close(): void {
    if (this.fd !== null && !this.closed) closeSync(this.fd);
    this.closed = true;
  }

  private read(into: Uint8Array, position: number): void {
    let done = 0;
    while (done < into.byteLength) {
      const n = readSync(this.fd as number, into, done, into.byteLength - done, position + done);
      if (n === 0) throw new IndexError(ErrorCode.IndexCorrupt, 'vector file is shorter than expected');
      done += n;
    }
  }
}
