/**
 * IVF lists beside the hnsw graph, against recall: k-means lists over a scale index's stored vectors (its `.f32`),
 * the probed lists re-scored exactly, alone and united with the graph's top 10, recall@10 against brute force for
 * the bench's own query vectors at an nprobe sweep. A measurement for issue 18's dense-recall target
 * (docs/design.md, "IVF next to the graph"); nothing here is used by the product yet.
 *   node --import tsx bench/ivf-recall.ts DIR synthetic|library [lists] [queries]
 */
import { join } from 'node:path';
import { DOTS_BATCH, DotKernel } from '../src/vector-store/dots.js';
import { HnswVectorStore } from '../src/vector-store/HnswVectorStore.js';
import { VectorRows } from '../src/vector-store/vector-rows.js';
import { repoQuerySources, scaleQueries } from './lib/bench-queries.js';
import { HashEmbedder } from './lib/HashEmbedder.js';
import { round } from './lib/stats.js';

const ROOT = new URL('..', import.meta.url).pathname;
const DIMENSION = 384;
const SAMPLE = 65_536;
const ITERATIONS = 8;
const NPROBE_SWEEP = [16, 32, 64, 128];
const EF_SWEEP = [200, 400];

function dot(rows: VectorRows, label: number, query: Float32Array): number {
  const v = rows.vector(label);
  let s = 0;
  for (let d = 0; d < DIMENSION; d++) s += (v[d] as number) * (query[d] as number);
  return s;
}

/** The best k of candidate labels by exact dot product. */
function rescore(rows: VectorRows, labels: Iterable<number>, query: Float32Array, k: number): number[] {
  return [...labels]
    .map((label) => ({ label, score: dot(rows, label, query) }))
    .sort((a, b) => b.score - a.score || a.label - b.label)
    .slice(0, k)
    .map((h) => h.label);
}

/** Spherical k-means on evenly spaced sample rows (centroids unit-normalised, as the vectors are). */
function trainCentroids(rows: VectorRows, lists: number): DotKernel {
  const kernel = new DotKernel(DIMENSION, lists);
  const bytes = kernel.rowBytes();
  const centroids = new Float32Array(bytes.buffer, bytes.byteOffset, lists * DIMENSION);
  const sampleSize = Math.min(SAMPLE, rows.count);
  const stride = rows.count / sampleSize;
  const sample = Array.from({ length: sampleSize }, (_, j) => Math.floor(j * stride));
  for (let c = 0; c < lists; c++) {
    centroids.set(rows.vector(sample[Math.floor((c * sampleSize) / lists)] as number), c * DIMENSION);
  }
  for (let iteration = 0; iteration < ITERATIONS; iteration++) {
    const sums = new Float64Array(lists * DIMENSION);
    for (const label of sample) {
      const v = rows.vector(label);
      const c = nearest(kernel, lists, v);
      for (let d = 0; d < DIMENSION; d++)
        sums[c * DIMENSION + d] = (sums[c * DIMENSION + d] as number) + (v[d] as number);
    }
    for (let c = 0; c < lists; c++) {
      let norm = 0;
      for (let d = 0; d < DIMENSION; d++) norm += (sums[c * DIMENSION + d] as number) ** 2;
      // An emptied list keeps its centroid.
      if (norm === 0) continue;
      norm = Math.sqrt(norm);
      for (let d = 0; d < DIMENSION; d++)
        centroids[c * DIMENSION + d] = (sums[c * DIMENSION + d] as number) / norm;
    }
  }
  return kernel;
}

function nearest(kernel: DotKernel, lists: number, v: Float32Array): number {
  kernel.setQuery(v);
  const scores = kernel.score(0, lists);
  let best = 0;
  for (let c = 1; c < lists; c++) if ((scores[c] as number) > (scores[best] as number)) best = c;
  return best;
}

async function main(): Promise<void> {
  const [dir, corpus = 'synthetic', listArg = '1024', n = '100'] = process.argv.slice(2);
  if (!dir) throw new Error('usage: ivf-recall.ts DIR synthetic|library [lists] [queries]');
  const lists = Number(listArg);
  if (!(lists >= 1 && lists <= DOTS_BATCH)) throw new Error(`lists must be 1–${DOTS_BATCH}`);
  const rows = VectorRows.open(join(dir, 'vectors.hnsw.f32'), DIMENSION, Number.POSITIVE_INFINITY);
  const store = await HnswVectorStore.load(join(dir, 'vectors.hnsw'), DIMENSION, { quantize: true });
  await store.whenQuantized();
  const queries = await new HashEmbedder(DIMENSION, 'text').embedQueries(
    await scaleQueries(repoQuerySources(ROOT, corpus), Number(n)),
  );
  const truth = store.searchExact(queries, 10).map((hits) => new Set(hits.map((h) => h.label)));
  const recall = (got: number[][]): number =>
    round(
      got.reduce((sum, labels, i) => sum + labels.filter((l) => truth[i]?.has(l)).length, 0) /
        (10 * got.length),
      4,
    );
  const graph = new Map(
    EF_SWEEP.map((ef) => [ef, queries.map((q) => store.search(q, 10, { ef }).map((h) => h.label))]),
  );
  for (const [ef, got] of graph)
    console.log(JSON.stringify({ chunks: rows.count, corpus, index: 'hnsw', ef, recallAt10: recall(got) }));

  let started = performance.now();
  const kernel = trainCentroids(rows, lists);
  const trainS = (performance.now() - started) / 1000;
  started = performance.now();
  const members: number[][] = Array.from({ length: lists }, () => []);
  for (let label = 0; label < rows.count; label++)
    members[nearest(kernel, lists, rows.vector(label))]?.push(label);
  const assignS = (performance.now() - started) / 1000;
  for (const nprobe of NPROBE_SWEEP.filter((p) => p <= lists)) {
    let scanned = 0;
    const ivf = queries.map((q) => {
      kernel.setQuery(q);
      const scores = Float64Array.from(kernel.score(0, lists));
      const probed = Array.from({ length: lists }, (_, c) => c)
        .sort((a, b) => (scores[b] as number) - (scores[a] as number))
        .slice(0, nprobe);
      const candidates = probed.flatMap((c) => members[c] ?? []);
      scanned += candidates.length;
      return rescore(rows, candidates, q, 10);
    });
    const union = Object.fromEntries(
      EF_SWEEP.map((ef) => [
        `ef${ef}`,
        recall(
          ivf.map((labels, i) =>
            rescore(
              rows,
              new Set([...labels, ...(graph.get(ef)?.[i] ?? [])]),
              queries[i] as Float32Array,
              10,
            ),
          ),
        ),
      ]),
    );
    console.log(
      JSON.stringify({
        chunks: rows.count,
        corpus,
        index: 'ivf',
        lists,
        trainS: round(trainS, 1),
        assignS: round(assignS, 1),
        nprobe,
        scannedShare: round(scanned / queries.length / rows.count, 4),
        recallAt10: recall(ivf),
        unionWithHnswRecallAt10: union,
      }),
    );
  }
  store.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
