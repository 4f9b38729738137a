/**
 * hnsw build parameters against recall: builds the graph of a scale index's stored vectors (its `.f32`) again with
 * each M / efConstruction given and measures build time, RSS and recall@10 / ε-recall@10 against brute force for
 * the bench's own query vectors (bench/worker.ts `measure`: the corpus's questions, then sentence fragments), at
 * an ef sweep. For the dense-recall decision of issue 18 (docs/design.md, "Where one machine ends").
 *   node --expose-gc --import tsx bench/hnsw-params.ts DIR synthetic|library M:EFC[,M:EFC…] [queries]
 */
import { join } from 'node:path';
import { HnswVectorStore } from '../src/vector-store/HnswVectorStore.js';
import { VectorRows } from '../src/vector-store/vector-rows.js';
import { repoQuerySources, scaleQueries } from './lib/bench-queries.js';
import { HashEmbedder } from './lib/HashEmbedder.js';
import { round, summarize } from './lib/stats.js';

const ROOT = new URL('..', import.meta.url).pathname;
const EF_SWEEP = [100, 200, 400, 800, 1600];

async function main(): Promise<void> {
  const [dir, corpus = 'synthetic', specs = '16:200', n = '200'] = process.argv.slice(2);
  if (!dir) throw new Error('usage: hnsw-params.ts DIR synthetic|library M:EFC[,…] [queries]');
  const dimension = 384;
  const rows = VectorRows.open(join(dir, 'vectors.hnsw.f32'), dimension, Number.POSITIVE_INFINITY);
  const vectors: Float32Array[] = [];
  for (let i = 0; i < rows.count; i++) vectors.push(rows.vector(i));
  const queries = await new HashEmbedder(dimension, 'text').embedQueries(
    await scaleQueries(repoQuerySources(ROOT, corpus), Number(n)),
  );
  for (const spec of specs.split(',')) {
    const [M, efConstruction] = spec.split(':').map(Number) as [number, number];
    globalThis.gc?.();
    const rssBefore = process.memoryUsage().rss;
    const started = performance.now();
    const store = HnswVectorStore.build(vectors, dimension, { M, efConstruction });
    const buildS = (performance.now() - started) / 1000;
    globalThis.gc?.();
    const graphMb = (process.memoryUsage().rss - rssBefore) / 1024 / 1024;
    const truth = store.searchExact(queries, 10);
    for (const ef of EF_SWEEP) {
      let strict = 0;
      let loose = 0;
      const times: number[] = [];
      queries.forEach((q, i) => {
        const want = truth[i] ?? [];
        const ids = new Set(want.map((h) => h.label));
        const kth = 1 - (want.at(-1)?.score ?? 0);
        const t = performance.now();
        const got = store.search(q, 10, { ef });
        times.push(performance.now() - t);
        strict += got.filter((h) => ids.has(h.label)).length;
        loose += got.filter((h) => ids.has(h.label) || 1 - h.score <= kth * 1.01 + 1e-9).length;
      });
      const total = queries.length * 10;
      console.log(
        JSON.stringify({
          chunks: rows.count,
          corpus,
          M,
          efConstruction,
          buildS: round(buildS, 1),
          graphAndVectorsMb: round(graphMb, 0),
          ef,
          recallAt10: round(strict / total, 4),
          epsilonRecallAt10: round(loose / total, 4),
          searchMs: summarize(times),
        }),
      );
    }
    store.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
