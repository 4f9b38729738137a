import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ErrorCode, IndexError } from '../../src/errors/index.js';
import {
  EXACT_FILTER_MAX_ALLOWED,
  EXACT_SEARCH_MAX_COUNT,
  HnswVectorStore,
  HnswVectorWriter,
  updateVectorFiles,
} from '../../src/vector-store/HnswVectorStore.js';

function randomVectors(count: number, dim: number, seed: number): Float32Array[] {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  };
  return Array.from({ length: count }, () => Float32Array.from({ length: dim }, next));
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += (a[i] as number) * (b[i] as number);
    na += (a[i] as number) ** 2;
    nb += (b[i] as number) ** 2;
  }
  return dot / Math.sqrt(na * nb);
}

/** Reference answer computed independently of the store. */
function bruteForce(
  vectors: Float32Array[],
  query: Float32Array,
  k: number,
  filter?: (l: number) => boolean,
) {
  return vectors
    .map((v, label) => ({ label, score: cosine(v, query) }))
    .filter((h) => !filter || filter(h.label))
    .sort((a, b) => b.score - a.score)
    .slice(0, k);
}

/** A filter that counts how often the store calls it. */
function countingFilter(allows: (label: number) => boolean): {
  filter: (label: number) => boolean;
  calls: number;
} {
  const counted = {
    calls: 0,
    filter: (label: number) => {
      counted.calls++;
      return allows(label);
    },
  };
  return counted;
}

function recall(found: { label: number }[], expected: { label: number }[]): number {
  const want = new Set(expected.map((h) => h.label));
  return found.filter((h) => want.has(h.label)).length / expected.length;
}

describe('HnswVectorStore', () => {
  const dim = 64;
  const vectors = randomVectors(5_000, dim, 1);
  const queries = randomVectors(200, dim, 2);
  let store: HnswVectorStore;
  let dir: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'policybot-hnsw-'));
    const progress: number[] = [];
    store = HnswVectorStore.build(vectors, dim, { onProgress: (done) => progress.push(done) });
    assert.equal(progress.at(-1), vectors.length);
    assert.ok(vectors.length > EXACT_SEARCH_MAX_COUNT, 'large enough to exercise the HNSW path');
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reaches recall@10 ≥ 0.99 against exact search on 5,000 random 64-d vectors', () => {
    let total = 0;
    for (const query of queries) total += recall(store.search(query, 10), bruteForce(vectors, query, 10));
    const mean = total / queries.length;
    assert.ok(mean >= 0.99, `recall@10 ${mean}`);
  });

  it('scores are cosine similarities, best first, and labels are build ordinals', () => {
    const hits = store.search(vectors[1234] as Float32Array, 5);
    assert.equal(hits[0]?.label, 1234);
    assert.ok(Math.abs((hits[0]?.score ?? 0) - 1) < 1e-5);
    const query = queries[0] as Float32Array;
    for (const hit of store.search(query, 10)) {
      assert.ok(Math.abs(hit.score - cosine(vectors[hit.label] as Float32Array, query)) < 1e-4);
    }
    const scores = hits.map((h) => h.score);
    assert.deepEqual(
      scores,
      [...scores].sort((a, b) => b - a),
    );
  });

  it('round-trips through save and load with identical results', async () => {
    const file = join(dir, 'index', 'vectors.hnsw');
    await store.save(file);
    const loaded = await HnswVectorStore.load(file, dim);
    assert.equal(loaded.count, vectors.length);
    assert.equal(loaded.dimension, dim);
    for (const query of queries.slice(0, 20)) {
      assert.deepEqual(
        loaded.search(query, 10).map((h) => h.label),
        store.search(query, 10).map((h) => h.label),
      );
    }
    assert.deepEqual(Array.from(loaded.vector(7)), Array.from(store.vector(7)));
  });

  it('streams vectors to disk with HnswVectorWriter: the same store as build() gives', async () => {
    const file = join(dir, 'streamed', 'vectors.hnsw');
    // A capacity below the count makes the graph grow while vectors arrive.
    const writer = await HnswVectorWriter.create(file, dim, { capacity: 1_000 });
    for (const v of vectors) writer.add(v);
    assert.equal(writer.count, vectors.length);
    await writer.finish();
    const streamed = await HnswVectorStore.load(file, dim);
    for (const query of queries.slice(0, 20)) {
      assert.deepEqual(streamed.search(query, 10), store.search(query, 10));
    }
    assert.deepEqual(Array.from(streamed.vector(4_999)), Array.from(store.vector(4_999)));
  });

  it('reads its vectors from disk when they are too large to hold: same results, filters and exact search', async () => {
    const file = join(dir, 'index', 'vectors.hnsw');
    const onDisk = await HnswVectorStore.load(file, dim, { residentMaxBytes: 0 });
    const inMemory = await HnswVectorStore.load(file, dim);
    assert.equal(onDisk.vectorsOnDisk, true);
    assert.equal(inMemory.vectorsOnDisk, false);
    const selective = (label: number) => label % 50 === 3 || (label >= 1_000 && label < 1_040);
    for (const query of queries.slice(0, 20)) {
      assert.deepEqual(onDisk.search(query, 10), inMemory.search(query, 10));
      assert.deepEqual(
        onDisk.search(query, 10, { filter: selective }),
        inMemory.search(query, 10, { filter: selective }),
      );
    }
    const truth = onDisk.searchExact(queries.slice(0, 5), 10);
    queries.slice(0, 5).forEach((query, i) => {
      assert.deepEqual(
        truth[i]?.map((h) => h.label),
        bruteForce(vectors, query, 10).map((h) => h.label),
      );
    });
    assert.deepEqual(Array.from(onDisk.vector(123)), Array.from(inMemory.vector(123)));
    // Cosines of scattered labels (and a run of neighbours read in one call): the same sums on disk and in memory,
    // and the dot product of each stored vector.
    const query = queries[0] as Float32Array;
    const labels = [4_000, 7, 123, 124, 125, 130, 2_999, 7];
    const fromDisk = onDisk.similarities(query, labels);
    assert.deepEqual(
      [...fromDisk.keys()].sort((a, b) => a - b),
      [7, 123, 124, 125, 130, 2_999, 4_000],
    );
    assert.deepEqual(fromDisk, inMemory.similarities(query, labels));
    for (const label of labels) {
      const v = inMemory.vector(label);
      let dot = 0;
      for (let d = 0; d < dim; d++) dot += (query[d] as number) * (v[d] as number);
      assert.ok(Math.abs((fromDisk.get(label) as number) - dot) < 1e-12, `label ${label}`);
    }
    // …summed exactly as the exact search sums them: a candidate in both lists has one score.
    const unit = Float32Array.from(query);
    const norm = Math.hypot(...unit);
    for (let d = 0; d < dim; d++) (unit as Float32Array)[d] = (unit[d] as number) / norm;
    const exact = new Map((onDisk.searchExact([unit], onDisk.count)[0] ?? []).map((h) => [h.label, h.score]));
    for (const [label, score] of onDisk.similarities(unit, labels)) assert.equal(score, exact.get(label));
    assert.throws(() => onDisk.similarities(query, [onDisk.count]), RangeError);
  });

  it('returns everything (not an error) when k exceeds the count', () => {
    const small = HnswVectorStore.build(vectors.slice(0, 5), dim);
    assert.equal(small.search(queries[0] as Float32Array, 10).length, 5);
    const all = store.search(queries[0] as Float32Array, 6_000);
    assert.equal(all.length, vectors.length);
    assert.equal(new Set(all.map((h) => h.label)).size, vectors.length);
    assert.deepEqual(store.search(queries[0] as Float32Array, 0), []);
  });

  it('applies a selective filter exactly', () => {
    const onlyMultiplesOf50 = (label: number) => label % 50 === 0;
    for (const query of queries.slice(0, 20)) {
      const hits = store.search(query, 10, { filter: onlyMultiplesOf50 });
      assert.deepEqual(
        hits.map((h) => h.label),
        bruteForce(vectors, query, 10, onlyMultiplesOf50).map((h) => h.label),
      );
    }
    assert.equal(store.search(queries[0] as Float32Array, 10, { filter: (l) => l === 42 }).length, 1);
    assert.deepEqual(store.search(queries[0] as Float32Array, 10, { filter: () => false }), []);
  });

  it('applies a permissive filter through the HNSW graph with high recall', () => {
    const big = randomVectors(EXACT_FILTER_MAX_ALLOWED + 5_000, 16, 3);
    const bigStore = HnswVectorStore.build(big, 16, { efConstruction: 100 });
    const notTens = (label: number) => label % 10 !== 0;
    let total = 0;
    const bigQueries = randomVectors(30, 16, 4);
    for (const query of bigQueries) {
      const hits = bigStore.search(query, 10, { filter: notTens });
      assert.equal(hits.length, 10);
      assert.ok(hits.every((h) => notTens(h.label)));
      total += recall(hits, bruteForce(big, query, 10, notTens));
    }
    assert.ok(total / bigQueries.length >= 0.95, `filtered recall ${total / bigQueries.length}`);

    // Told how many labels the filter allows, the store decides without asking the filter about every label,
    // and finds the same.
    const allowedCount = big.filter((_, label) => notTens(label)).length;
    const counted = countingFilter(notTens);
    for (const query of bigQueries.slice(0, 5)) {
      counted.calls = 0;
      const told = bigStore.search(query, 10, { filter: counted.filter, allowedCount });
      assert.ok(counted.calls < big.length, `${counted.calls} filter calls for ${big.length} labels`);
      assert.deepEqual(told, bigStore.search(query, 10, { filter: notTens }));
    }
  });

  it('handles an empty collection', async () => {
    const empty = HnswVectorStore.build([], dim);
    assert.deepEqual(empty.search(queries[0] as Float32Array, 10), []);
    const file = join(dir, 'empty.hnsw');
    await empty.save(file);
    const loaded = await HnswVectorStore.load(file, dim);
    assert.equal(loaded.count, 0);
    assert.deepEqual(loaded.search(queries[0] as Float32Array, 10), []);
  });

  it('rejects wrong dimensions, missing files and inconsistent files with coded errors', async () => {
    const isCode = (code: ErrorCode) => (error: unknown) =>
      error instanceof IndexError && error.code === code;
    assert.throws(() => HnswVectorStore.build([new Float32Array(3)], dim), isCode(ErrorCode.IndexMismatch));
    assert.throws(() => store.search(new Float32Array(3), 10), isCode(ErrorCode.IndexMismatch));
    await assert.rejects(HnswVectorStore.load(join(dir, 'absent.hnsw'), dim), isCode(ErrorCode.IndexMissing));

    const file = join(dir, 'index', 'vectors.hnsw');
    await assert.rejects(HnswVectorStore.load(file, 48), isCode(ErrorCode.IndexMismatch));
    await writeFile(`${file}.f32`, new Uint8Array(dim * 4 * 10));
    await assert.rejects(HnswVectorStore.load(file, dim), isCode(ErrorCode.IndexCorrupt));
  });
});

describe('updateVectorFiles (incremental updates)', () => {
  const dim = 32;
  const base = randomVectors(4_000, dim, 7);
  const fresh = randomVectors(300, dim, 8);
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'policybot-hnsw-update-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('keeps labels contiguous over tombstoned slots, for graph, exact and filtered search', async () => {
    const first = join(dir, 'a.hnsw');
    await HnswVectorStore.build(base, dim).save(first);
    // New library: every other vector of the first 600 dropped, 300 new ones in the middle.
    const kept = base.map((_, i) => i).filter((i) => i >= 600 || i % 2 === 0);
    const reuse = Int32Array.from([...kept.slice(0, 1000), ...fresh.map(() => -1), ...kept.slice(1000)]);
    const expected = [...reuse].map((r) => (r >= 0 ? (base[r] as Float32Array) : undefined));
    let next = 0;
    for (let label = 0; label < expected.length; label++) {
      if (!expected[label]) expected[label] = fresh[next++];
    }
    const second = join(dir, 'b.hnsw');
    const update = await updateVectorFiles(first, second, dim, reuse, fresh);
    assert.equal(update.compacted, false);
    assert.equal(update.tombstones, 300);
    assert.equal(update.slots, 4_300);
    const store = await HnswVectorStore.load(second, dim);
    assert.equal(store.count, reuse.length);
    const all = expected as Float32Array[];
    for (const label of [0, 999, 1000, 1150, 1299, 1300, reuse.length - 1]) {
      assert.ok(cosine(store.vector(label), all[label] as Float32Array) > 0.9999);
      // Graph search (count > EXACT_SEARCH_MAX_COUNT) finds each vector under its new label.
      assert.equal(store.search(all[label] as Float32Array, 1)[0]?.label, label);
    }
    const query = randomVectors(1, dim, 9)[0] as Float32Array;
    assert.deepEqual(
      store.searchExact([query], 10)[0]?.map((h) => h.label),
      bruteForce(all, query, 10).map((h) => h.label),
    );
    // Cosines by label, read through the slots (labels renumbered, rows where the update put them).
    const cosines = store.similarities(query, [1300, 0, 1150]);
    for (const label of [0, 1150, 1300]) {
      const v = store.vector(label);
      let dot = 0;
      for (let d = 0; d < dim; d++) dot += (query[d] as number) * (v[d] as number);
      assert.equal(cosines.get(label), dot);
    }
    const filter = (label: number) => label >= 1000 && label < 1300;
    assert.deepEqual(
      store.search(query, 5, { filter }).map((h) => h.label),
      bruteForce(all, query, 5, filter).map((h) => h.label),
    );
    // A graph search with a wide filter never returns a tombstone or a label outside the filter.
    const wide = (label: number) => label % 3 !== 0;
    for (const h of store.search(query, 50, { filter: wide }))
      assert.ok(wide(h.label) && h.label < store.count);
    store.close();

    // Removing most of what is left piles up tombstones: the graph is rebuilt from the stored vectors.
    const third = join(dir, 'c.hnsw');
    const fewer = Int32Array.from({ length: 2_000 }, (_, i) => i * 2);
    const compacted = await updateVectorFiles(second, third, dim, fewer, []);
    assert.equal(compacted.compacted, true);
    const small = await HnswVectorStore.load(third, dim);
    assert.equal(small.count, 2_000);
    for (const label of [0, 700, 1_999]) {
      assert.ok(cosine(small.vector(label), all[label * 2] as Float32Array) > 0.9999);
    }
    small.close();
  });
});

describe('HnswVectorStore: the int8 copy of vectors on disk', () => {
  const dim = 48;
  // Clusters of 40 near-copies (a base vector and noise of 1e-3): many scores within the copy's error of each other,
  // so the rows the bounds keep for re-scoring are many and a bound that is too tight loses hits.
  const bases = randomVectors(80, dim, 11);
  const noise = randomVectors(3_200, dim, 12);
  const vectors = noise.map((n, i) =>
    Float32Array.from(bases[i % 80] as Float32Array, (x, d) => x + 1e-3 * (n[d] as number)),
  );
  const queries = randomVectors(30, dim, 13).map((n, i) =>
    Float32Array.from(bases[(i * 7) % 80] as Float32Array, (x, d) => x + 0.05 * (n[d] as number)),
  );
  let dir: string;
  let file: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'policybot-hnsw-int8-'));
    file = join(dir, 'vectors.hnsw');
    await HnswVectorStore.build(vectors, dim).save(file);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('gives exactly the hits and scores of reading every row, with and without filters', async () => {
    const quantized = await HnswVectorStore.load(file, dim, { residentMaxBytes: 0 });
    const plain = await HnswVectorStore.load(file, dim, { residentMaxBytes: 0, quantize: false });
    assert.equal(await quantized.whenQuantized(), true);
    assert.equal(await plain.whenQuantized(), false);
    const filters = [
      (label: number) => label % 9 === 4,
      (label: number) => label % 4 === 1, // a quarter: exact only with the copy (a walk without it)
      (label: number) => label < 40 || label % 97 === 0,
    ];
    for (const query of queries) {
      assert.deepEqual(quantized.searchExact([query], 50), plain.searchExact([query], 50));
      for (const filter of filters) {
        const wanted = bruteForce(vectors, query, 20, filter).map((h) => h.label);
        const hits = quantized.search(query, 20, { filter });
        assert.deepEqual(
          hits.map((h) => h.label).sort((a, b) => a - b),
          wanted.sort((a, b) => a - b),
        );
      }
      assert.deepEqual(
        quantized.search(query, 20, { filter: filters[0] }),
        plain.search(query, 20, { filter: filters[0] }),
      );
    }
    quantized.close();
    plain.close();
  });

  it('reads the allowed labels of an exact search from a mask, without calling the filter for each', async () => {
    const store = await HnswVectorStore.load(file, dim, { residentMaxBytes: 0 });
    const allows = (label: number) => label % 9 === 4;
    const mask = Uint8Array.from(vectors, (_, label) => (allows(label) ? 1 : 0));
    const counted = countingFilter(allows);
    for (const query of queries.slice(0, 5)) {
      counted.calls = 0;
      const hits = store.search(query, 20, { filter: counted.filter, allowedCount: 356, mask });
      assert.equal(counted.calls, 0);
      assert.deepEqual(hits, store.search(query, 20, { filter: allows }));
    }
    store.close();
  });

  it('is not made for vectors held in memory, nor finished once the store is closed', async () => {
    const resident = await HnswVectorStore.load(file, dim);
    assert.equal(await resident.whenQuantized(), false);
    const closed = await HnswVectorStore.load(file, dim, { residentMaxBytes: 0 });
    closed.close();
    assert.equal(await closed.whenQuantized(), false);
  });
});
