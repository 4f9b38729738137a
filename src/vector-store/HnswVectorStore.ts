import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
// hnswlib-node is a CommonJS native addon: only its default export exists at run time.
import hnswlib from 'hnswlib-node';
import { ErrorCode, IndexError } from '../errors/index.js';
import { TopK } from '../internal/top-k.js';

/** One search hit: `label` is the vector's position in the array given to `build`. */
export interface VectorHit {
  label: number;
  /** Cosine similarity in [-1, 1], higher is closer. */
  score: number;
}

export interface BuildOptions {
  /** HNSW graph degree; 16 is hnswlib's recommended default for 100–1000 dims. */
  M?: number;
  /** Candidate list size while building; higher builds slower and gives better recall. */
  efConstruction?: number;
  /** Search-time candidate list size used when `search` gets no `ef`. */
  ef?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface SearchOptions {
  /** HNSW candidate list size for this search (raised to at least k). */
  ef?: number;
  /** Only labels for which this returns true are returned. */
  filter?: (label: number) => boolean;
}

/**
 * Up to this many vectors, every search is exact brute force: it is cheaper than a graph walk at
 * this size (2,000 × 384 multiply-adds ≈ 0.2 ms) and has perfect recall.
 */
export const EXACT_SEARCH_MAX_COUNT = 2_000;
/**
 * A filter letting through at most this many vectors, or under `EXACT_FILTER_MAX_FRACTION` of them,
 * switches to exact search over the allowed vectors. hnswlib applies filters while walking the graph,
 * so a selective filter starves the candidate list and recall collapses; scanning a few thousand
 * allowed vectors exactly is both faster and correct.
 */
export const EXACT_FILTER_MAX_ALLOWED = 20_000;
export const EXACT_FILTER_MAX_FRACTION = 0.1;

type Hnsw = InstanceType<typeof hnswlib.HierarchicalNSW>;

const DEFAULT_M = 16;
const DEFAULT_EF_CONSTRUCTION = 200;
const DEFAULT_EF = 200;
/** Fixed so the same vectors always give the same graph. */
const RANDOM_SEED = 100;
const VECTORS_SUFFIX = '.f32';

/**
 * Dense vector index in cosine space: an hnswlib graph for large collections plus a copy of the
 * unit-normalised vectors in one `Float32Array` for exact search.
 *
 * On disk it is two files: `file` (hnswlib's own format) and `file.f32` (the raw normalised vectors,
 * little-endian float32, row-major). Loading reads both without re-normalising, so 100k × 384 loads
 * in well under 2 s.
 */
export class HnswVectorStore {
  readonly dimension: number;
  readonly count: number;
  /** Search-time HNSW ef used when a search passes none. */
  defaultEf: number;
  private readonly vectors: Float32Array;
  private readonly index: Hnsw | null;

  private constructor(dimension: number, vectors: Float32Array, index: Hnsw | null, defaultEf: number) {
    this.dimension = dimension;
    this.vectors = vectors;
    this.count = vectors.length / dimension;
    this.index = index;
    this.defaultEf = defaultEf;
  }

  /**
   * Builds the index; vector i gets label i. Vectors are copied and normalised (zero vectors stay zero
   * and score 0 against everything).
   * @throws IndexError(IndexMismatch) when a vector's length differs from `dimension`.
   */
  static build(vectors: Float32Array[], dimension: number, options: BuildOptions = {}): HnswVectorStore {
    if (!Number.isInteger(dimension) || dimension <= 0) {
      throw new IndexError(ErrorCode.IndexMismatch, `Invalid vector dimension ${dimension}`);
    }
    const total = vectors.length;
    const block = new Float32Array(total * dimension);
    vectors.forEach((vector, i) => {
      if (vector.length !== dimension) {
        throw new IndexError(
          ErrorCode.IndexMismatch,
          `Vector ${i} has dimension ${vector.length}, expected ${dimension}`,
        );
      }
      block.set(vector, i * dimension);
      normalizeInPlace(block.subarray(i * dimension, (i + 1) * dimension));
    });

    let index: Hnsw | null = null;
    if (total > 0) {
      index = new hnswlib.HierarchicalNSW('cosine', dimension);
      index.initIndex(
        total,
        options.M ?? DEFAULT_M,
        options.efConstruction ?? DEFAULT_EF_CONSTRUCTION,
        RANDOM_SEED,
      );
      const progressEvery = Math.max(1, Math.ceil(total / 100));
      for (let i = 0; i < total; i++) {
        index.addPoint(Array.from(block.subarray(i * dimension, (i + 1) * dimension)), i);
        if (options.onProgress && ((i + 1) % progressEvery === 0 || i + 1 === total)) {
          options.onProgress(i + 1, total);
        }
      }
    } else {
      options.onProgress?.(0, 0);
    }
    return new HnswVectorStore(dimension, block, index, options.ef ?? DEFAULT_EF);
  }

  /**
   * Writes `file` and `file.f32` (each through a temporary file and a rename, so a crash never leaves
   * a half-written index under the final name). An empty store writes an empty hnsw file.
   */
  async save(file: string): Promise<void> {
    await mkdir(dirname(file), { recursive: true });
    const tmpIndex = `${file}.tmp-${process.pid}`;
    const tmpVectors = `${file}${VECTORS_SUFFIX}.tmp-${process.pid}`;
    try {
      if (this.index) {
        await this.index.writeIndex(tmpIndex);
      } else {
        await writeFile(tmpIndex, new Uint8Array(0));
      }
      await writeFile(tmpVectors, toLittleEndianBytes(this.vectors));
      await rename(tmpVectors, `${file}${VECTORS_SUFFIX}`);
      await rename(tmpIndex, file);
    } finally {
      await rm(tmpIndex, { force: true });
      await rm(tmpVectors, { force: true });
    }
  }

  /**
   * Loads what `save` wrote.
   * @throws IndexError(IndexMissing) when either file is absent, IndexMismatch when the dimension differs
   * from `dimension`, IndexCorrupt when the files are unreadable or disagree with each other.
   */
  static async load(
    file: string,
    dimension: number,
    options: { ef?: number } = {},
  ): Promise<HnswVectorStore> {
    const vectorsFile = `${file}${VECTORS_SUFFIX}`;
    for (const path of [file, vectorsFile]) {
      const exists = await stat(path).then(
        (s) => s.isFile(),
        () => false,
      );
      if (!exists) throw new IndexError(ErrorCode.IndexMissing, `Vector index file missing: ${path}`);
    }
    let bytes: Buffer;
    try {
      bytes = await readFile(vectorsFile);
    } catch (error) {
      throw new IndexError(ErrorCode.IndexCorrupt, `Cannot read ${vectorsFile}`, { cause: error });
    }
    if (bytes.byteLength % (4 * dimension) !== 0) {
      throw new IndexError(
        ErrorCode.IndexMismatch,
        `${vectorsFile} holds ${bytes.byteLength} bytes, not a whole number of ${dimension}-d float32 vectors`,
      );
    }
    const vectors = fromLittleEndianBytes(bytes);
    const count = vectors.length / dimension;

    let index: Hnsw | null = null;
    if (count > 0) {
      index = new hnswlib.HierarchicalNSW('cosine', dimension);
      try {
        await index.readIndex(file);
      } catch (error) {
        throw new IndexError(ErrorCode.IndexCorrupt, `Cannot read HNSW index ${file}`, { cause: error });
      }
      if (index.getNumDimensions() !== dimension) {
        throw new IndexError(
          ErrorCode.IndexMismatch,
          `HNSW index ${file} has dimension ${index.getNumDimensions()}, expected ${dimension}`,
        );
      }
      if (index.getCurrentCount() !== count) {
        throw new IndexError(
          ErrorCode.IndexCorrupt,
          `HNSW index ${file} holds ${index.getCurrentCount()} vectors but ${vectorsFile} holds ${count}`,
        );
      }
    }
    return new HnswVectorStore(dimension, vectors, index, options.ef ?? DEFAULT_EF);
  }

  /** The stored (unit-normalised) vector for a label; a view, do not modify. */
  vector(label: number): Float32Array {
    if (!Number.isInteger(label) || label < 0 || label >= this.count) {
      throw new RangeError(`No vector with label ${label} (count ${this.count})`);
    }
    return this.vectors.subarray(label * this.dimension, (label + 1) * this.dimension);
  }

  /**
   * The k nearest vectors by cosine similarity, best first. Returns fewer than k when fewer vectors
   * exist (or pass the filter); never throws for a large k.
   *
   * Exact brute force is used when count ≤ EXACT_SEARCH_MAX_COUNT, or when a filter lets through
   * ≤ EXACT_FILTER_MAX_ALLOWED vectors or < EXACT_FILTER_MAX_FRACTION of them (see those constants).
   * Otherwise HNSW with ef = max(ef, k); should a filtered graph walk still come back short, the search
   * is redone exactly.
   * @throws IndexError(IndexMismatch) when the query's length differs from the store's dimension.
   */
  search(query: Float32Array, k: number, options: SearchOptions = {}): VectorHit[] {
    if (query.length !== this.dimension) {
      throw new IndexError(
        ErrorCode.IndexMismatch,
        `Query has dimension ${query.length}, index has ${this.dimension}`,
      );
    }
    const wanted = Math.min(Math.floor(k), this.count);
    if (!(wanted > 0)) return [];
    const unit = Float32Array.from(query);
    normalizeInPlace(unit);
    const { filter } = options;

    if (!this.index || this.count <= EXACT_SEARCH_MAX_COUNT) {
      return this.exactSearch(unit, wanted, filter ? allowedLabels(this.count, filter) : null);
    }
    let allowed: Int32Array | null = null;
    if (filter) {
      allowed = allowedLabels(this.count, filter);
      if (
        allowed.length <= EXACT_FILTER_MAX_ALLOWED ||
        allowed.length < EXACT_FILTER_MAX_FRACTION * this.count
      ) {
        return this.exactSearch(unit, wanted, allowed);
      }
    }
    const expected = Math.min(wanted, allowed ? allowed.length : this.count);
    this.index.setEf(Math.max(options.ef ?? this.defaultEf, expected));
    const result = this.index.searchKnn(Array.from(unit), expected, filter);
    if (result.neighbors.length < expected) return this.exactSearch(unit, expected, allowed);
    return result.neighbors.map((label, i) => ({ label, score: 1 - (result.distances[i] ?? 1) }));
  }

  /** Top-k by dot product over all vectors (or only `allowed`), using a bounded min-heap. */
  private exactSearch(unit: Float32Array, k: number, allowed: Int32Array | null): VectorHit[] {
    const dim = this.dimension;
    const vectors = this.vectors;
    const heap = new TopK(k);
    const n = allowed ? allowed.length : this.count;
    for (let j = 0; j < n; j++) {
      const label = allowed ? (allowed[j] as number) : j;
      const base = label * dim;
      let dot = 0;
      for (let d = 0; d < dim; d++) dot += (unit[d] as number) * (vectors[base + d] as number);
      heap.offer(label, dot);
    }
    return heap.sortedDescending();
  }
}

function allowedLabels(count: number, filter: (label: number) => boolean): Int32Array {
  const out = new Int32Array(count);
  let n = 0;
  for (let label = 0; label < count; label++) if (filter(label)) out[n++] = label;
  return out.subarray(0, n);
}

function normalizeInPlace(v: Float32Array): void {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += (v[i] as number) ** 2;
  if (sum === 0) return;
  const inv = 1 / Math.sqrt(sum);
  for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) * inv;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function toLittleEndianBytes(values: Float32Array): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const out = new DataView(new ArrayBuffer(values.byteLength));
  values.forEach((v, i) => {
    out.setFloat32(i * 4, v, true);
  });
  return new Uint8Array(out.buffer);
}

function fromLittleEndianBytes(bytes: Buffer): Float32Array {
  const count = bytes.byteLength / 4;
  if (LITTLE_ENDIAN && bytes.byteOffset % 4 === 0) {
    return new Float32Array(bytes.buffer, bytes.byteOffset, count);
  }
  if (LITTLE_ENDIAN) return new Float32Array(new Uint8Array(bytes).buffer, 0, count);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}
