/**
 * One benchmark step in a fresh process (spawned by bench/run.ts through bench/lib/child.ts):
 *   node --expose-gc --import tsx bench/worker.ts <seed|build|measure> '<json args>'
 * Prints exactly one JSON line (the result) on stdout; everything else goes to stderr.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadConfig } from '../src/config/index.js';
import { passageText } from '../src/index/build-index.js';
import {
  decodeChunks,
  decodeDocuments,
  type EncodedChunks,
  type EncodedDocuments,
} from '../src/index/compact-store.js';
import { loadIndex } from '../src/index/load-index.js';
import { INDEX_FILES, type IndexManifest, PIPELINE_VERSION } from '../src/index/manifest.js';
import { keywordRows, writeIndexFiles } from '../src/index/write-index.js';
import { KeywordIndex } from '../src/keyword/KeywordIndex.js';
import { analyzeQuery } from '../src/keyword/translate.js';
import { createSilentLogger } from '../src/logging/logger.js';
import { HybridRetriever } from '../src/retriever/HybridRetriever.js';
import { devQaRecall } from './lib/dev-qa.js';
import { type EmbedderSpec, makeEmbedder } from './lib/embedders.js';
import { makePoetryHaystack } from './lib/poetry-corpus.js';
import { loadSeedCorpus, readDevQa, seedSentences } from './lib/seed-corpus.js';
import { round, summarize, timeEach } from './lib/stats.js';
import { makeQueries, makeSyntheticCorpus } from './lib/synthetic-corpus.js';
import { runSeed, type SeedArgs } from './seed.js';

export interface BuildArgs {
  corpus: 'synthetic' | 'poetry';
  chunks: number;
  embedder: EmbedderSpec;
  dir: string;
  corpusDir: string;
  poetryDir?: string;
}

export interface BuildOutput {
  chunks: number;
  documents: number;
  corpusMs: number;
  embedMs: number;
  embedChunksPerSecond: number;
  vectorsMs: number;
  keywordMs: number;
  writeMs: number;
  buildMs: number;
}

export interface MeasureArgs {
  dir: string;
  embedder: EmbedderSpec;
  corpusDir: string;
  devQa: string;
  queries: number;
  recallQueries: number;
  ef: number;
  /** Compute dev-qa recall@5 (hybrid and keyword-only) against this index. */
  devQaRecall: boolean;
}

const logger = createSilentLogger();
const CANDIDATES = 50;

export function chunking(): { size: number; overlap: number } {
  return loadConfig({}).chunking;
}

async function build(args: BuildArgs): Promise<BuildOutput> {
  const started = performance.now();
  const seed = await loadSeedCorpus(args.corpusDir, chunking());
  const corpus =
    args.corpus === 'synthetic'
      ? makeSyntheticCorpus(seed, args.chunks)
      : await makePoetryHaystack(args.poetryDir ?? '', args.chunks, seed);
  const corpusMs = performance.now() - started;
  const { embedder } = await makeEmbedder(args.embedder, logger);

  const embedStarted = performance.now();
  const vectors = await embedder.embedPassages(corpus.chunks.map((c) => passageText(c)));
  const embedMs = performance.now() - embedStarted;

  await rm(args.dir, { recursive: true, force: true });
  await mkdir(args.dir, { recursive: true });
  const timings = await writeIndexFiles(args.dir, {
    documents: corpus.documents,
    chunks: corpus.chunks,
    vectors,
    dimension: embedder.dimension,
  });
  const manifest: IndexManifest = {
    pipelineVersion: PIPELINE_VERSION,
    createdAt: new Date().toISOString(),
    fingerprint: `bench-${args.corpus}-${args.chunks}-${embedder.modelId}`,
    corpusFingerprint: `bench-${args.corpus}-${args.chunks}`,
    documents: corpus.documents.map((d) => ({ id: d.id, path: d.sourcePath, contentHash: d.contentHash })),
    chunker: chunking(),
    embedder: {
      mode: 'dense',
      model: embedder.modelId,
      dimension: embedder.dimension,
      isTestModel: true,
      reason: null,
    },
    counts: { documents: corpus.documents.length, chunks: corpus.chunks.length },
    buildMs: Math.round(embedMs + timings.vectors + timings.keyword + timings.write),
  };
  await writeFile(join(args.dir, INDEX_FILES.manifest), JSON.stringify(manifest, null, 2));
  await embedder.dispose();
  return {
    chunks: corpus.chunks.length,
    documents: corpus.documents.length,
    corpusMs: round(corpusMs),
    embedMs: round(embedMs),
    embedChunksPerSecond: round((corpus.chunks.length / embedMs) * 1000, 0),
    vectorsMs: round(timings.vectors),
    keywordMs: round(timings.keyword),
    writeMs: round(timings.write),
    buildMs: manifest.buildMs,
  };
}

/**
 * Rebuilds only `keyword.sqlite` of an index built earlier (from its stored chunks), for `run.ts --reuse
 * --rebuild-keyword`: the hnsw graph takes minutes to build, the keyword index seconds.
 */
async function rebuildKeyword(args: { dir: string }): Promise<{ keywordMs: number }> {
  const [text, documentsJson, chunksJson] = await Promise.all([
    readFile(join(args.dir, INDEX_FILES.documentsText), 'utf16le'),
    readFile(join(args.dir, INDEX_FILES.documents), 'utf8'),
    readFile(join(args.dir, INDEX_FILES.chunks), 'utf8'),
  ]);
  const documents = decodeDocuments(text, JSON.parse(documentsJson) as EncodedDocuments);
  const chunks = decodeChunks(JSON.parse(chunksJson) as EncodedChunks, documents);
  const started = performance.now();
  (await KeywordIndex.build(join(args.dir, INDEX_FILES.keyword), keywordRows(chunks))).close();
  return { keywordMs: round(performance.now() - started) };
}

function memory(): { rssMb: number; heapUsedMb: number; externalMb: number } {
  globalThis.gc?.();
  const m = process.memoryUsage();
  const toMb = (b: number) => round(b / 1024 / 1024, 1);
  return { rssMb: toMb(m.rss), heapUsedMb: toMb(m.heapUsed), externalMb: toMb(m.external + m.arrayBuffers) };
}

async function measure(args: MeasureArgs) {
  const baseline = memory();
  const loadStarted = performance.now();
  const index = await loadIndex(args.dir);
  const loadMs = performance.now() - loadStarted;
  const afterLoad = memory();
  const { embedder, loadMs: embedderLoadMs } = await makeEmbedder(args.embedder, logger);
  const retriever = new HybridRetriever({ index, embedder, logger, ef: args.ef });
  const vectors = index.vectors;
  if (!vectors) throw new Error('index has no vectors');

  const seed = await loadSeedCorpus(args.corpusDir, chunking());
  const devQa = await readDevQa(args.devQa);
  const queries = makeQueries(
    devQa.map((d) => d.q),
    seedSentences(seed.chunks),
    args.queries,
  );

  // The first query pays for jieba's dictionary and, for English, the reversed CC-CEDICT: reported apart.
  const started = performance.now();
  await retriever.retrieve({ text: queries[0] ?? '工业', k: 5 });
  const firstQueryMs = performance.now() - started;
  await retriever.retrieve({ text: 'How is 5G used in factories?', k: 5 });
  for (const q of queries.slice(0, 20)) await retriever.retrieve({ text: q, k: 5 });

  const queryVectors = (await embedder.embedQueries(queries)) as Float32Array[];
  const embedQuery = summarize(await timeEach(queries.slice(0, 50), (q) => embedder.embedQueries([q])));
  const dense = summarize(
    await timeEach(queryVectors, (v) => vectors.search(v, CANDIDATES, { ef: args.ef })),
  );
  const keyword = summarize(
    await timeEach(queries, (q) => index.keyword.search(analyzeQuery(q), CANDIDATES)),
  );
  const hybrid = summarize(await timeEach(queries, (q) => retriever.retrieve({ text: q, k: 5 })));
  const departments = retriever.listDepartments();
  const hybridFiltered =
    departments.length > 0
      ? summarize(
          await timeEach(queries, (q) =>
            retriever.retrieve({
              text: q,
              k: 5,
              department: departments[q.length % departments.length]?.short ?? '',
            }),
          ),
        )
      : null;
  const afterQueries = memory();

  // hnsw recall@10 against exact (brute-force) search over the same stored vectors, at the configured ef and
  // at a few others (so the ef/latency trade-off is on record). Strict recall counts only the exact top 10;
  // ε-recall (ann-benchmarks' definition, ε = 0.01) also counts a hit whose cosine distance is within 1 % of
  // the exact 10th neighbour's, which matters when many vectors are near-ties.
  const recallAtK = 10;
  const recallSample = queryVectors.slice(0, args.recallQueries);
  const exactStarted = performance.now();
  const truth = recallSample.map((v) => exactTopK(vectors, v, recallAtK));
  const exactMs = (performance.now() - exactStarted) / Math.max(1, recallSample.length);
  const efSweep = [];
  for (const ef of [...new Set([100, args.ef, 400, 800])].sort((a, b) => a - b)) {
    let strict = 0;
    let loose = 0;
    const times: number[] = [];
    recallSample.forEach((v, i) => {
      const exact = truth[i] as { label: number; score: number }[];
      const want = new Set(exact.map((h) => h.label));
      const kth = 1 - (exact.at(-1)?.score ?? 0);
      const started = performance.now();
      const approx = vectors.search(v, recallAtK, { ef });
      times.push(performance.now() - started);
      strict += approx.filter((h) => want.has(h.label)).length;
      loose += approx.filter((h) => want.has(h.label) || 1 - h.score <= kth * 1.01 + 1e-9).length;
    });
    const n = Math.max(1, recallSample.length * recallAtK);
    efSweep.push({
      ef,
      recallAt10: round(strict / n, 4),
      epsilonRecallAt10: round(loose / n, 4),
      searchMs: summarize(times),
    });
  }
  const atConfigured = efSweep.find((e) => e.ef === args.ef);
  const hnswRecall = recallSample.length && atConfigured ? atConfigured.recallAt10 : Number.NaN;
  const hnswEpsilonRecall = recallSample.length && atConfigured ? atConfigured.epsilonRecallAt10 : Number.NaN;

  let qa = null;
  if (args.devQaRecall) {
    const keywordOnly = new HybridRetriever({ index, embedder: null, logger, ef: args.ef });
    qa = {
      hybrid: await devQaRecall(retriever, devQa, 5),
      keywordOnly: await devQaRecall(keywordOnly, devQa, 5),
    };
  }

  return {
    chunks: index.chunks.length,
    dimension: vectors.dimension,
    loadMs: round(loadMs),
    embedderLoadMs: round(embedderLoadMs),
    memory: { baseline, afterLoad, afterQueries },
    firstQueryMs: round(firstQueryMs),
    embedQuery,
    dense,
    keyword,
    hybrid,
    hybridFiltered,
    hnswRecallAt10: hnswRecall,
    hnswEpsilonRecallAt10: hnswEpsilonRecall,
    efSweep,
    exactSearchMs: round(exactMs),
    ef: args.ef,
    devQa: qa,
  };
}

/** The k best (label, cosine) over every stored vector: the ground truth for recall. */
function exactTopK(
  store: NonNullable<Awaited<ReturnType<typeof loadIndex>>['vectors']>,
  query: Float32Array,
  k: number,
): { label: number; score: number }[] {
  let norm = 0;
  for (let d = 0; d < query.length; d++) norm += (query[d] as number) ** 2;
  const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  const best: { label: number; score: number }[] = [];
  for (let label = 0; label < store.count; label++) {
    const v = store.vector(label);
    let dot = 0;
    for (let d = 0; d < v.length; d++) dot += (v[d] as number) * (query[d] as number);
    dot *= inv;
    if (best.length < k || dot > (best[best.length - 1]?.score ?? -Infinity)) {
      best.push({ label, score: dot });
      best.sort((a, b) => b.score - a.score || a.label - b.label);
      if (best.length > k) best.pop();
    }
  }
  return best;
}

export type MeasureOutput = Awaited<ReturnType<typeof measure>>;

async function main(): Promise<void> {
  const [mode, raw] = process.argv.slice(2);
  const args: unknown = JSON.parse(raw ?? '{}');
  let result: unknown;
  if (mode === 'build') result = await build(args as BuildArgs);
  else if (mode === 'measure') result = await measure(args as MeasureArgs);
  else if (mode === 'rekeyword') result = await rebuildKeyword(args as { dir: string });
  else if (mode === 'seed') result = await runSeed(args as SeedArgs);
  else throw new Error(`unknown worker mode ${mode}`);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
