import { closeSync, constants, openSync, writeSync } from 'node:fs';
import { copyFile, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
// hnswlib-node is a CommonJS native addon: only its default export exists at run time.
import hnswlib from 'hnswlib-node';
import { ErrorCode, IndexError } from '../errors/index.js';
import { TopK } from '../internal/top-k.js';
import { Int8Rows } from './int8-rows.js';
import { toLittleEndian, VectorRows } from './vector-rows.js';

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
  /**
   * How many labels `filter` lets through, when the caller knows (it built the filter from a mask): the
   * choice between graph and exact search then needs no pass over every label (5 ms at a million).
   */
  allowedCount?: number;
  /**
   * `filter` as a mask over labels (non-zero: allowed), when the caller has one: the allowed labels of an exact
   * search are then read from it, not found by calling `filter` for every label (~2–10 ms at a million).
   */
  mask?: Uint8Array;
}

/**
 * Up to this many vectors, every search is exact brute force: it is cheaper than a graph walk at
 * this size (2,000 × 384 multiply-adds ≈ 0.2 ms) and has perfect recall.
 */
export const EXACT_SEARCH_MAX_COUNT = 2_000;
/**
 * A filter letting through at most this many vectors, or under a fraction of them, switches to exact search
 * over the allowed vectors. hnswlib applies filters while walking the graph, so a selective filter starves
 * the candidate list and recall collapses, and it calls the filter (a JavaScript function) for every node it
 * visits. Measured with the SIMD scan (dots.ts), k = 50, 384-d vectors:
 * - resident (100k synthetic, filters of a quarter / half of them): exact 3.7 / 7.7 ms, a walk at ef 200
 *   14.7 / 7.9 ms with recall 0.84 / 0.76: exact up to under a third (`EXACT_FILTER_MAX_FRACTION_RESIDENT`);
 * - read from disk (1M): exact costs ~0.45 µs per allowed vector, read-bound (河南, 9.6 % of the real-text
 *   replicas: 44 ms; a quarter of the synthetic ones: 96 ms), while a walk costs 13–17 ms on the real-text
 *   replicas (recall 0.52–0.56) and 173 ms on the clustered synthetic vectors (0.57). A tenth
 *   (`EXACT_FILTER_MAX_FRACTION`) keeps the exact scan within ~45 ms of a 50 ms hybrid budget;
 * - with the int8 copy of on-disk vectors built (int8-rows.ts), an exact search reads only the few hundred rows its
 *   bounds cannot rule out (a quarter of the 1M synthetic vectors: 20 ms against 48–142 ms reading them all), so
 *   the resident fraction applies.
 */
export const EXACT_FILTER_MAX_ALLOWED = 20_000;
export const EXACT_FILTER_MAX_FRACTION = 0.1;
export const EXACT_FILTER_MAX_FRACTION_RESIDENT = 0.3;

type Hnsw = InstanceType<typeof hnswlib.HierarchicalNSW>;

const DEFAULT_M = 16;
const DEFAULT_EF_CONSTRUCTION = 200;
const DEFAULT_EF = 200;
/** Fixed so the same vectors always give the same graph. */
const RANDOM_SEED = 100;
const VECTORS_SUFFIX = '.f32';
/**
 * Written by an incremental update (`updateVectorFiles`): the graph slot of each label, little-endian int32. The
 * graph and `.f32` are append-only across updates (a replaced vector stays as a deleted slot, a tombstone), while
 * labels stay the contiguous chunk ordinals the rest of the index uses. Absent: label = slot.
 */
const SLOTS_SUFFIX = '.slots';
/** Tombstones above this share of the slots make an update rebuild the graph from the stored vectors. */
export const MAX_TOMBSTONE_SHARE = 0.2;

function checkDimension(dimension: number): void {
  if (!Number.isInteger(dimension) || dimension <= 0) {
    throw new IndexError(ErrorCode.IndexMismatch, `Invalid vector dimension ${dimension}`);
  }
}

function newGraph(dimension: number, capacity: number, options: BuildOptions): Hnsw {
  const index = new hnswlib.HierarchicalNSW('cosine', dimension);
  index.initIndex(
    Math.max(1, capacity),
    options.M ?? DEFAULT_M,
    options.efConstruction ?? DEFAULT_EF_CONSTRUCTION,
    RANDOM_SEED,
  );
  return index;
}

/** A copy of `vector`, unit length (a zero vector stays zero and scores 0 against everything). */
function unitCopy(vector: Float32Array, dimension: number, i: number): Float32Array {
  if (vector.length !== dimension) {
    throw new IndexError(
      ErrorCode.IndexMismatch,
      `Vector ${i} has dimension ${vector.length}, expected ${dimension}`,
    );
  }
  const unit = Float32Array.from(vector);
  normalizeInPlace(unit);
  return unit;
}

/**
 * Dense vector index in cosine space: an hnswlib graph for large collections plus the unit-normalised vectors
 * for exact search (vector-rows.ts: in memory, or read from disk when large).
 *
 * On disk it is two files: `file` (hnswlib's own format) and `file.f32` (the raw normalised vectors,
 * little-endian float32, row-major). Loading reads hnswlib's file and opens the vectors without re-normalising.
 */
export class HnswVectorStore {
  readonly dimension: number;
  readonly count: number;
  /** Search-time HNSW ef used when a search passes none. */
  defaultEf: number;
  private readonly rows: VectorRows;
  private readonly index: Hnsw | null;
  /** Slot (graph label and `.f32` row) of each label, or null when they are the same. */
  private readonly slots: Slots | null;
  /** The int8 copy of vectors kept on disk (int8-rows.ts), once built; null until then or when none is made. */
  private quantized: Int8Rows | null = null;
  private quantizing: Promise<boolean> = Promise.resolve(false);
  private closed = false;

  private constructor(rows: VectorRows, index: Hnsw | null, defaultEf: number, slots: Slots | null = null) {
    this.dimension = rows.dimension;
    this.rows = rows;
    this.count = slots ? slots.ofLabel.length : rows.count;
    this.index = index;
    this.defaultEf = defaultEf;
    this.slots = slots;
  }

  /**
   * Builds the index in memory; vector i gets label i. Vectors are copied and normalised. For large collections
   * use `HnswVectorWriter`, which streams them to disk instead.
   * @throws IndexError(IndexMismatch) when a vector's length differs from `dimension`.
   */
  static build(vectors: Float32Array[], dimension: number, options: BuildOptions = {}): HnswVectorStore {
    checkDimension(dimension);
    const total = vectors.length;
    const block = new Float32Array(total * dimension);
    vectors.forEach((vector, i) => {
      block.set(unitCopy(vector, dimension, i), i * dimension);
    });
    let index: Hnsw | null = null;
    if (total > 0) {
      index = newGraph(dimension, total, options);
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
    return new HnswVectorStore(VectorRows.inMemory(block, dimension), index, options.ef ?? DEFAULT_EF);
  }

  /**
   * Writes `file` and `file.f32` (each through a temporary file and a rename, so a crash never leaves
   * a half-written index under the final name). An empty store writes an empty hnsw file.
   */
  async save(file: string): Promise<void> {
    const writer = await HnswVectorWriter.create(file, this.dimension, { capacity: this.count });
    try {
      this.rows.forEach(null, (_label, data, offset) =>
        writer.appendUnit(data.subarray(offset, offset + this.dimension)),
      );
      await writer.finish(this.index);
      if (this.slots) await writeSlots(file, this.slots.ofLabel);
    } catch (error) {
      await writer.abort();
      throw error;
    }
  }

  /**
   * Loads what `save` or `HnswVectorWriter` wrote.
   * @throws IndexError(IndexMissing) when either file is absent, IndexMismatch when the dimension differs
   * from `dimension`, IndexCorrupt when the files are unreadable or disagree with each other.
   */
  static async load(
    file: string,
    dimension: number,
    options: {
      ef?: number;
      residentMaxBytes?: number;
      /** Build the int8 copy of vectors left on disk after loading (default true; int8-rows.ts). */
      quantize?: boolean;
    } = {},
  ): Promise<HnswVectorStore> {
    const vectorsFile = `${file}${VECTORS_SUFFIX}`;
    for (const path of [file, vectorsFile]) {
      const exists = await stat(path).then(
        (s) => s.isFile(),
        () => false,
      );
      if (!exists) throw new IndexError(ErrorCode.IndexMissing, `Vector index file missing: ${path}`);
    }
    let rows: VectorRows;
    try {
      rows = VectorRows.open(vectorsFile, dimension, options.residentMaxBytes);
    } catch (error) {
      if (error instanceof IndexError) throw error;
      throw new IndexError(ErrorCode.IndexCorrupt, `Cannot read ${vectorsFile}`, { cause: error });
    }
    let index: Hnsw | null = null;
    let slots: Slots | null = null;
    try {
      slots = await readSlots(file, rows.count);
      if (rows.count > 0) {
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
        if (index.getCurrentCount() !== rows.count) {
          throw new IndexError(
            ErrorCode.IndexCorrupt,
            `HNSW index ${file} holds ${index.getCurrentCount()} vectors but ${vectorsFile} holds ${rows.count}`,
          );
        }
      }
    } catch (error) {
      rows.close();
      throw error;
    }
    const store = new HnswVectorStore(rows, index, options.ef ?? DEFAULT_EF, slots);
    if (rows.onDisk && options.quantize !== false) store.startQuantizing();
    return store;
  }

  /** Releases the vectors file (a store reading from disk holds it open). */
  close(): void {
    this.closed = true;
    this.rows.close();
  }

  /**
   * Resolves once the int8 copy of a store whose vectors are on disk is built (true), or to false when it has none
   * (vectors in memory, `quantize: false`, or closed first). Searches before then read the file as before.
   */
  whenQuantized(): Promise<boolean> {
    return this.quantizing;
  }

  private startQuantizing(): void {
    if (!Int8Rows.fits(this.rows.dimension, this.rows.count)) return;
    // Only a speed-up: should it fail (a read error), searches keep reading the file.
    this.quantizing = Int8Rows.build(this.rows, () => this.closed).then(
      (copy) => {
        this.quantized = copy;
        return copy !== null;
      },
      () => false,
    );
  }

  /** Whether the vectors are read from disk on demand (a large store) rather than held in memory. */
  get vectorsOnDisk(): boolean {
    return this.rows.onDisk;
  }

  /** The stored (unit-normalised) vector for a label; do not modify it. */
  vector(label: number): Float32Array {
    if (!Number.isInteger(label) || label < 0 || label >= this.count) {
      throw new RangeError(`No vector with label ${label} (count ${this.count})`);
    }
    return this.rows.vector(this.slots ? (this.slots.ofLabel[label] as number) : label);
  }

  /**
   * The dot product of `query` with the stored vector of each label (its cosine when `query` is unit length),
   * summed as the exact search sums it (vector-rows.ts `scores`). Rows are read in ascending slot order, neighbouring ones in one read:
   * a large store's vectors are on disk, and one pread per label (fusion asks for ~50 per pass, the in-document
   * passes for runs of one document's consecutive ordinals) was 40 % of a hybrid search at a million chunks.
   */
  similarities(query: Float32Array, labels: Iterable<number>): Map<number, number> {
    const slots = this.slots;
    const wanted: number[] = [];
    for (const label of labels) {
      if (!Number.isInteger(label) || label < 0 || label >= this.count) {
        throw new RangeError(`No vector with label ${label} (count ${this.count})`);
      }
      wanted.push(slots ? (slots.ofLabel[label] as number) : label);
    }
    const out = new Map<number, number>();
    this.rows.scores([this.sized(query)], Int32Array.from(new Set(wanted)).sort(), (_q, slot, score) => {
      out.set(slots ? (slots.label[slot] as number) : slot, score);
    });
    return out;
  }

  /**
   * The k nearest vectors by cosine similarity, best first. Returns fewer than k when fewer vectors
   * exist (or pass the filter); never throws for a large k.
   *
   * Exact brute force is used when count ≤ EXACT_SEARCH_MAX_COUNT, or when a filter lets through
   * ≤ EXACT_FILTER_MAX_ALLOWED vectors or under a fraction of them (EXACT_FILTER_MAX_FRACTION with the
   * vectors on disk, EXACT_FILTER_MAX_FRACTION_RESIDENT in memory or once their int8 copy is built; see those
   * constants).
   * Otherwise HNSW with ef = max(ef, k); should a filtered graph walk still come back short, the search
   * is redone exactly.
   * @throws IndexError(IndexMismatch) when the query's length differs from the store's dimension.
   */
  search(query: Float32Array, k: number, options: SearchOptions = {}): VectorHit[] {
    const unit = this.unitQuery(query);
    const wanted = Math.min(Math.floor(k), this.count);
    if (!(wanted > 0)) return [];
    const { filter } = options;

    if (!this.index || this.count <= EXACT_SEARCH_MAX_COUNT) {
      return this.exact([unit], wanted, filter ? allowedLabels(this.count, filter) : null)[0] ?? [];
    }
    let allowed: Int32Array | null = null;
    const { mask } = options;
    const allowedOf = (f: (label: number) => boolean) => {
      allowed ??= mask && mask.length === this.count ? maskedLabels(mask) : allowedLabels(this.count, f);
      return allowed;
    };
    let allowedCount = this.count;
    if (filter) {
      allowedCount = options.allowedCount ?? allowedOf(filter).length;
      if (
        allowedCount <= EXACT_FILTER_MAX_ALLOWED ||
        allowedCount <
          (this.rows.onDisk && !this.quantized
            ? EXACT_FILTER_MAX_FRACTION
            : EXACT_FILTER_MAX_FRACTION_RESIDENT) *
            this.count
      ) {
        return this.exact([unit], wanted, allowedOf(filter))[0] ?? [];
      }
    }
    const expected = Math.min(wanted, allowedCount);
    this.index.setEf(Math.max(options.ef ?? this.defaultEf, expected));
    const slots = this.slots;
    // The graph knows slots; deleted ones (tombstones) are never returned by hnswlib.
    const slotFilter =
      filter && slots
        ? (slot: number) => {
            const label = slots.label[slot] as number;
            return label >= 0 && filter(label);
          }
        : filter;
    const result = this.index.searchKnn(Array.from(unit), expected, slotFilter);
    if (result.neighbors.length < expected) {
      return this.exact([unit], expected, filter ? allowedOf(filter) : null)[0] ?? [];
    }
    return result.neighbors.map((slot, i) => ({
      label: slots ? (slots.label[slot] as number) : slot,
      score: 1 - (result.distances[i] ?? 1),
    }));
  }

  /**
   * Exact top-k for several queries in one pass over the vectors (the ground truth for recall measurements;
   * on a store too large to keep its vectors in memory, one pass reads the file once).
   */
  searchExact(queries: readonly Float32Array[], k: number): VectorHit[][] {
    const units = queries.map((q) => this.unitQuery(q));
    return this.exact(units, Math.min(Math.floor(k), this.count), null);
  }

  private unitQuery(query: Float32Array): Float32Array {
    if (query.length !== this.dimension) {
      throw new IndexError(
        ErrorCode.IndexMismatch,
        `Query has dimension ${query.length}, index has ${this.dimension}`,
      );
    }
    const unit = Float32Array.from(query);
    normalizeInPlace(unit);
    return unit;
  }

  /** Top-k by dot product over all vectors (or only `allowed`) for each unit query, with bounded heaps. */
  private exact(units: readonly Float32Array[], k: number, allowed: Int32Array | null): VectorHit[][] {
    if (!(k > 0)) return units.map(() => []);
    const slots = this.slots;
    // Rows are read by slot, in ascending slot order (one read covers neighbouring rows on disk).
    const rowsToRead = slots
      ? allowed
        ? Int32Array.from(allowed, (label) => slots.ofLabel[label] as number).sort()
        : slots.live
      : allowed;
    const quantized = this.quantized;
    if (quantized && units.length === 1) {
      return [this.exactBounded(quantized, units[0] as Float32Array, k, rowsToRead)];
    }
    const heaps = units.map(() => new TopK(k));
    this.rows.scores(units, rowsToRead, (q, slot, score) => {
      (heaps[q] as TopK).offer(slots ? (slots.label[slot] as number) : slot, score);
    });
    return heaps.map((heap) => heap.sortedDescending());
  }

  /**
   * The exact top k of one query over `rowsToRead` (slots, ascending; all when null) from the int8 copy's bounds:
   * only rows whose upper bound reaches the k-th best lower bound can be in the top k, and those are scored from
   * the file as `exact` scores every row — the same hits and the same scores, for a few hundred reads.
   */
  private exactBounded(
    quantized: Int8Rows,
    unit: Float32Array,
    k: number,
    rowsToRead: Int32Array | null,
  ): VectorHit[] {
    const { estimate, radius } = quantized.bounds(unit, rowsToRead);
    const n = estimate.length;
    // The k-th best lower bound: checked against the heap's worst first, since most rows fall below it.
    const lowest = new TopK(k);
    for (let i = 0; i < n; i++) {
      const low = (estimate[i] as number) - (radius[i] as number);
      if (!lowest.full || low > lowest.worst) lowest.offer(i, low);
    }
    const floor = lowest.full ? lowest.worst : Number.NEGATIVE_INFINITY;
    const candidates = new Int32Array(n);
    let m = 0;
    for (let i = 0; i < n; i++) {
      if ((estimate[i] as number) + (radius[i] as number) >= floor) {
        candidates[m++] = rowsToRead ? (rowsToRead[i] as number) : i;
      }
    }
    const heap = new TopK(k);
    const slots = this.slots;
    this.rows.scores([unit], candidates.subarray(0, m), (_q, slot, score) => {
      heap.offer(slots ? (slots.label[slot] as number) : slot, score);
    });
    return heap.sortedDescending();
  }

  /** A query of the store's dimension: longer ones cut, shorter ones padded with zeros. */
  private sized(query: Float32Array): Float32Array {
    if (query.length === this.dimension) return query;
    const out = new Float32Array(this.dimension);
    out.set(query.subarray(0, this.dimension));
    return out;
  }
}

/**
 * Streams vectors into a new store on disk with bounded memory: each vector is normalised, added to the hnsw graph
 * and appended to `file.f32` as it comes (nothing else is kept), then `finish` writes the graph. Labels are 0, 1, …
 * in the order of `add`.
 */
export class HnswVectorWriter {
  private added = 0;
  private index: Hnsw | null = null;
  private capacity: number;

  private constructor(
    private readonly file: string,
    readonly dimension: number,
    private readonly fd: number,
    private readonly options: BuildOptions & { capacity?: number },
  ) {
    this.capacity = Math.max(1, options.capacity ?? 1024);
  }

  /** `capacity`: the expected count (the graph grows past it, at the cost of a copy). */
  static async create(
    file: string,
    dimension: number,
    options: BuildOptions & { capacity?: number } = {},
  ): Promise<HnswVectorWriter> {
    checkDimension(dimension);
    await mkdir(dirname(file), { recursive: true });
    const fd = openSync(HnswVectorWriter.tmpVectors(file), 'w');
    return new HnswVectorWriter(file, dimension, fd, options);
  }

  get count(): number {
    return this.added;
  }

  /** Normalises and adds one vector (label = the number of vectors added before it). */
  add(vector: Float32Array): void {
    const unit = unitCopy(vector, this.dimension, this.added);
    this.index ??= newGraph(this.dimension, this.capacity, this.options);
    if (this.added >= this.capacity) {
      this.capacity *= 2;
      this.index.resizeIndex(this.capacity);
    }
    this.index.addPoint(Array.from(unit), this.added);
    this.appendUnit(unit);
  }

  /** Appends an already-normalised vector to the vectors file only (for `HnswVectorStore.save`). */
  appendUnit(unit: Float32Array): void {
    const bytes = toLittleEndian(unit);
    let done = 0;
    while (done < bytes.byteLength) done += writeSync(this.fd, bytes, done, bytes.byteLength - done);
    this.added++;
  }

  /** Writes the graph (`graph`, or the one built by `add`) and moves both files into place. */
  async finish(graph: Hnsw | null = this.index): Promise<void> {
    closeSync(this.fd);
    const tmpIndex = `${this.file}.tmp-${process.pid}`;
    try {
      if (graph && this.added > 0) await graph.writeIndex(tmpIndex);
      else await writeFile(tmpIndex, new Uint8Array(0));
      await rename(HnswVectorWriter.tmpVectors(this.file), `${this.file}${VECTORS_SUFFIX}`);
      await rename(tmpIndex, this.file);
    } finally {
      await rm(tmpIndex, { force: true });
      await rm(HnswVectorWriter.tmpVectors(this.file), { force: true });
    }
  }

  async abort(): Promise<void> {
    try {
      closeSync(this.fd);
    } catch {
      // already closed by finish()
    }
    await rm(HnswVectorWriter.tmpVectors(this.file), { force: true });
  }

  private static tmpVectors(file: string): string {
    return `${file}${VECTORS_SUFFIX}.tmp-${process.pid}`;
  }
}

function allowedLabels(count: number, filter: (label: number) => boolean): Int32Array {
  const out = new Int32Array(count);
  let n = 0;
  for (let label = 0; label < count; label++) if (filter(label)) out[n++] = label;
  return out.subarray(0, n);
}

function maskedLabels(mask: Uint8Array): Int32Array {
  const out = new Int32Array(mask.length);
  let n = 0;
  for (let label = 0; label < mask.length; label++) if (mask[label] !== 0) out[n++] = label;
  return out.subarray(0, n);
}

function normalizeInPlace(v: Float32Array): void {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += (v[i] as number) ** 2;
  if (sum === 0) return;
  const inv = 1 / Math.sqrt(sum);
  for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) * inv;
}

/** Labels ↔ slots of a store written by `updateVectorFiles`. */
interface Slots {
  /** Slot of each label. */
  ofLabel: Int32Array;
  /** Label of each slot; -1 for a tombstone. */
  label: Int32Array;
  /** The slots in use, ascending. */
  live: Int32Array;
}

function slotsOf(ofLabel: Int32Array, slotCount: number): Slots {
  const label = new Int32Array(slotCount).fill(-1);
  for (let l = 0; l < ofLabel.length; l++) {
    const slot = ofLabel[l] as number;
    if (!(slot >= 0 && slot < slotCount) || label[slot] !== -1) {
      throw new IndexError(ErrorCode.IndexCorrupt, `vector slots: label ${l} has slot ${slot}`);
    }
    label[slot] = l;
  }
  return { ofLabel, label, live: Int32Array.from(ofLabel).sort() };
}

async function readSlots(file: string, slotCount: number): Promise<Slots | null> {
  let bytes: Buffer;
  try {
    bytes = await readFile(`${file}${SLOTS_SUFFIX}`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new IndexError(ErrorCode.IndexCorrupt, `Cannot read ${file}${SLOTS_SUFFIX}`, { cause: error });
  }
  if (bytes.byteLength % 4 !== 0) {
    throw new IndexError(ErrorCode.IndexCorrupt, `${file}${SLOTS_SUFFIX} is not a whole number of slots`);
  }
  const ofLabel = new Int32Array(bytes.byteLength / 4);
  for (let i = 0; i < ofLabel.length; i++) ofLabel[i] = bytes.readInt32LE(i * 4);
  return slotsOf(ofLabel, slotCount);
}

async function writeSlots(file: string, ofLabel: Int32Array): Promise<void> {
  const out = Buffer.alloc(ofLabel.length * 4);
  for (let i = 0; i < ofLabel.length; i++) out.writeInt32LE(ofLabel[i] as number, i * 4);
  await writeFile(`${file}${SLOTS_SUFFIX}`, out);
}

/** The previous graph being read and its vectors copied into the new files, ahead of `updateVectorFiles`. */
export interface VectorPrefetch {
  /** The graph read (null when the previous store has none), once the copy of the vectors is done too. */
  readonly done: Promise<unknown>;
}

/**
 * Starts reading the previous graph (on a libuv thread) and copying its `.f32` to `file.f32` (a reflink where
 * the file system has them), so that the caller can read the rest of the previous index and embed the new chunks
 * meanwhile; `updateVectorFiles` then takes it as `prefetch`.
 */
export function prefetchVectorUpdate(previousFile: string, file: string, dimension: number): VectorPrefetch {
  const done = (async (): Promise<Hnsw | null> => {
    const graphBytes = await stat(previousFile).then(
      (s) => s.size,
      () => 0,
    );
    if (graphBytes === 0) return null;
    await mkdir(dirname(file), { recursive: true });
    const graph = new hnswlib.HierarchicalNSW('cosine', dimension);
    await Promise.all([
      graph.readIndex(previousFile),
      copyFile(`${previousFile}${VECTORS_SUFFIX}`, `${file}${VECTORS_SUFFIX}`, constants.COPYFILE_FICLONE),
    ]);
    return graph;
  })();
  done.catch(() => {}); // awaited by updateVectorFiles
  return { done };
}

/** What `updateVectorFiles` did. */
export interface VectorUpdate {
  /** The graph was rebuilt from the stored vectors (too many tombstones, or no graph to update). */
  compacted: boolean;
  /** Slots in the new files (live vectors + tombstones). */
  slots: number;
  tombstones: number;
}

/**
 * Writes the vector files of an updated index at `file` from those of the previous index at `previousFile`
 * without re-embedding what did not change. `reuse[label]` is the previous label whose vector the new label
 * keeps, or -1 for a new vector; `added` holds the new vectors in label order. The previous graph is read,
 * the slots no label keeps are marked deleted (hnswlib `markDelete`), the new vectors are added to new slots
 * (`addPoint`) and appended to a copy of the previous `.f32`; the previous files are never modified. When the
 * tombstones would pass `maxTombstoneShare` of the slots, the graph is rebuilt instead from the stored vectors
 * of the live labels (compaction: labels = slots again, no re-embedding).
 */
export async function updateVectorFiles(
  previousFile: string,
  file: string,
  dimension: number,
  reuse: Int32Array,
  added: readonly Float32Array[],
  options: { maxTombstoneShare?: number; prefetch?: VectorPrefetch } = {},
): Promise<VectorUpdate> {
  const started = await startVectorUpdate(previousFile, file, dimension, reuse, added, options);
  return started.written;
}

/**
 * `updateVectorFiles` in two steps: resolves once the graph is updated in memory and hnswlib has started writing
 * it (on a libuv thread); `written` settles when the files are complete. The caller writes the other index files
 * meanwhile.
 */
export async function startVectorUpdate(
  previousFile: string,
  file: string,
  dimension: number,
  reuse: Int32Array,
  added: readonly Float32Array[],
  options: { maxTombstoneShare?: number; prefetch?: VectorPrefetch } = {},
): Promise<{ written: Promise<VectorUpdate> }> {
  checkDimension(dimension);
  const prefetch = options.prefetch ?? prefetchVectorUpdate(previousFile, file, dimension);
  // Settled before anything else is written: the prefetch copies into `file.f32`.
  const graph = (await prefetch.done) as Hnsw | null;
  if (reuse.filter((r) => r < 0).length !== added.length) {
    throw new RangeError(
      `updateVectorFiles: ${added.length} new vectors for a different number of new labels`,
    );
  }
  const previousVectors = `${previousFile}${VECTORS_SUFFIX}`;
  const previousRows = VectorRows.open(previousVectors, dimension, 0);
  try {
    const previousSlots = await readSlots(previousFile, previousRows.count);
    const slotOf = (label: number) => (previousSlots ? (previousSlots.ofLabel[label] as number) : label);
    const previousLabels = previousSlots ? previousSlots.ofLabel.length : previousRows.count;
    const totalSlots = previousRows.count + added.length;
    const tombstones = totalSlots - reuse.length;
    const share = totalSlots > 0 ? tombstones / totalSlots : 0;
    if (share > (options.maxTombstoneShare ?? MAX_TOMBSTONE_SHARE) || graph === null) {
      const writer = await HnswVectorWriter.create(file, dimension, { capacity: reuse.length });
      try {
        let next = 0;
        for (const previous of reuse) {
          writer.add(previous >= 0 ? previousRows.vector(slotOf(previous)) : (added[next++] as Float32Array));
        }
        await writer.finish();
      } catch (error) {
        await writer.abort();
        throw error;
      }
      return { written: Promise.resolve({ compacted: true, slots: reuse.length, tombstones: 0 }) };
    }

    const keptSlot = new Uint8Array(previousRows.count);
    for (const previous of reuse) {
      if (previous >= 0) {
        if (previous >= previousLabels) throw new RangeError(`no previous vector ${previous}`);
        keptSlot[slotOf(previous)] = 1;
      }
    }
    if (graph.getCurrentCount() !== previousRows.count) {
      throw new IndexError(ErrorCode.IndexCorrupt, `HNSW index ${previousFile} does not match its vectors`);
    }
    graph.resizeIndex(Math.max(1, totalSlots));
    const wasLive = previousSlots ? (slot: number) => (previousSlots.label[slot] as number) >= 0 : () => true;
    for (let slot = 0; slot < previousRows.count; slot++) {
      if (!keptSlot[slot] && wasLive(slot)) graph.markDelete(slot);
    }
    const vectorsFile = `${file}${VECTORS_SUFFIX}`;
    const fd = openSync(vectorsFile, 'a');
    const ofLabel = new Int32Array(reuse.length);
    try {
      let slot = previousRows.count;
      let next = 0;
      for (let label = 0; label < reuse.length; label++) {
        const previous = reuse[label] as number;
        if (previous >= 0) {
          ofLabel[label] = slotOf(previous);
          continue;
        }
        const unit = unitCopy(added[next++] as Float32Array, dimension, label);
        graph.addPoint(Array.from(unit), slot);
        const bytes = toLittleEndian(unit);
        let done = 0;
        while (done < bytes.byteLength) done += writeSync(fd, bytes, done, bytes.byteLength - done);
        ofLabel[label] = slot++;
      }
    } finally {
      closeSync(fd);
    }
    const written = (async (): Promise<VectorUpdate> => {
      await Promise.all([graph.writeIndex(file), writeSlots(file, ofLabel)]);
      return { compacted: false, slots: totalSlots, tombstones };
    })();
    written.catch(() => {}); // the caller awaits it
    return { written };
  } finally {
    previousRows.close();
  }
}
